/*
 * mito_energy: the mitochondria's gene. Once per budget epoch it reads the
 * energy table's totals and reports them on the console.
 */
#include <stdint.h>

#include "genes.h"

struct mito_state {
	uint32_t reported_epoch; /* epoch + 1 of the last report */
};
GENE_STATE_FITS(struct mito_state);

void
mito_energy_step(struct gene_ctx *ctx)
{
	struct mito_state *st = gene_state(ctx);
	struct gene_energy e;
	uint32_t epoch = gene_epoch(ctx);

	if (st->reported_epoch == epoch + 1)
		return;
	gene_energy(ctx, &e);
	/* A report held back by QoS is tried again in the next quantum. */
	if (gene_log(ctx, "energy epoch=%u cpu=%u io=%u mem=%u live=%u dead=%u",
		epoch, e.cpu_total, e.io_total, e.mem_held, e.live,
		e.dead) == 0)
		st->reported_epoch = epoch + 1;
}
