/*
 * mito_energy as a bytecode gene: genes/mito_energy.c call for call. Once
 * per budget epoch it reads the energy table's totals and logs them; a
 * report QoS holds back is tried again in the next quantum.
 */
#include "cellos_gene.h"

struct mito_state {
	uint32_t reported_epoch; /* epoch + 1 of the last report */
};

/* One quantum: report the energy totals unless this epoch is reported. */
int
gene(struct gene_vm_ctx *ctx, void *state)
{
	struct mito_state *st = state;
	struct gene_vm_energy e;
	uint32_t epoch = ctx->epoch;
	uint64_t args[6];

	if (st->reported_epoch == epoch + 1)
		return 0;
	helper_energy(&e);
	args[0] = epoch;
	args[1] = e.cpu_total;
	args[2] = e.io_total;
	args[3] = e.mem_held;
	args[4] = e.live;
	args[5] = e.dead;
	if (helper_log("energy epoch=%u cpu=%u io=%u mem=%u live=%u dead=%u",
		args, 6) == 0)
		st->reported_epoch = epoch + 1;
	return 0;
}
