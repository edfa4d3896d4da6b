/*
 * lyso_cleanup: the lysosome's gene. Each quantum it reclaims one gene the
 * kernel has killed (its queued messages and its memory) and says so on
 * the console. A report that QoS holds back is kept and sent again before
 * the next gene is reclaimed, so no reclaim goes unreported.
 */
#include <stdint.h>

#include "cellos/errors.h"
#include "genes.h"
#include "organelles.h"

struct lyso_state {
	struct gene_reclaim pending;
	uint32_t has_pending;
};
GENE_STATE_FITS(struct lyso_state);

void
lyso_cleanup_step(struct gene_ctx *ctx)
{
	struct lyso_state *st = gene_state(ctx);
	int rc;

	if (!st->has_pending) {
		if (!gene_reclaim_dead(ctx, &st->pending))
			return;
		st->has_pending = 1;
	}
	rc = gene_log(ctx, "reclaimed g%u reason=%s msgs=%u mem=%u",
	    st->pending.gene_id, org_reason_name(st->pending.reason),
	    st->pending.messages, st->pending.memory);
	if (rc != -CELL_E_BUSY && rc != -CELL_E_NOSPACE)
		st->has_pending = 0;
}
