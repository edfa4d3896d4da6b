/*
 * lyso_cleanup as a bytecode gene: genes/lyso_cleanup.c call for call. Each
 * quantum it reclaims one gene the kernel has killed and logs it; a report
 * QoS holds back (or drops) is sent again before the next gene is reclaimed.
 */
#include "cellos_gene.h"

#define REASON_NAME_SIZE 9

/* enum lyso_reason's names (org_reason_name), by value; "?" past them. */
static const char reason_names[][REASON_NAME_SIZE] = { "alive", "route", "cpu",
	"io", "mem", "fault", "rejected", "?" };
#define REASONS ((uint32_t)(sizeof reason_names / sizeof reason_names[0]) - 1)

struct lyso_state {
	struct gene_vm_reclaim pending;
	uint32_t has_pending;
};

/* One quantum: reclaim one dead gene, or report the pending one again. */
int
gene(struct gene_vm_ctx *ctx, void *state)
{
	struct lyso_state *st = state;
	uint32_t reason;
	uint64_t args[4];
	long rc;

	(void)ctx;
	if (!st->has_pending) {
		if (helper_reclaim(&st->pending) <= 0)
			return 0;
		st->has_pending = 1;
	}
	reason = st->pending.reason < REASONS ? st->pending.reason : REASONS;
	args[0] = st->pending.gene_id;
	args[1] = (uint64_t)(uintptr_t)reason_names[reason];
	args[2] = st->pending.messages;
	args[3] = st->pending.memory;
	rc = helper_log("reclaimed g%u reason=%s msgs=%u mem=%u", args, 4);
	if (rc != -CELL_E_BUSY && rc != -CELL_E_NOSPACE)
		st->has_pending = 0;
	return 0;
}
