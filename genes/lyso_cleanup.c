/*
 * lyso_cleanup: the lysosome's gene. Each quantum it reclaims one gene the
 * kernel has killed (its queued messages and its memory) and says so on
 * the console.
 */
#include <stdint.h>

#include "genes.h"
#include "organelles.h"

void
lyso_cleanup_step(struct gene_ctx *ctx)
{
	struct gene_reclaim r;

	if (!gene_reclaim_dead(ctx, &r))
		return;
	(void)gene_log(ctx, "reclaimed g%u reason=%s msgs=%u mem=%u",
	    r.gene_id, org_reason_name(r.reason), r.messages, r.memory);
}
