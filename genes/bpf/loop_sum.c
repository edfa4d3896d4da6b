/*
 * loop_sum: a loop-heavy example gene for timing the interpreter against
 * native code. Each quantum it runs arg0 rounds of a xorshift / multiply-add
 * mix over a 32-bit value kept in the state area. No helpers.
 *
 * The exact algorithm, for a native twin (all arithmetic on uint32_t, so
 * mod 2^32):
 *
 *	if (st->runs == 0)
 *		st->x = arg1;		// the seed, on the first quantum
 *	x = st->x;
 *	for (i = 0; i < arg0; i++) {
 *		x ^= x << 13;
 *		x ^= x >> 17;
 *		x ^= x << 5;
 *		x = x * 2654435761u + i;
 *	}
 *	st->x = x;
 *	st->runs++;
 *
 * Check values, from seed (arg1) 1 after one quantum: 1 round 0x3B20CFD1,
 * 1000 rounds 0x884CCBDA, 100000 rounds 0xFE508778.
 */
#include "cellos_gene.h"

struct loop_state {
	uint32_t x;    /* the value the rounds mix */
	uint32_t runs; /* quanta run */
};

/* One quantum: arg0 rounds of the mix above; the result stays in state. */
int
gene(struct gene_vm_ctx *ctx, void *state)
{
	struct loop_state *st = state;
	uint32_t rounds = ctx->arg0;
	uint32_t x;

	if (st->runs == 0)
		st->x = ctx->arg1;
	x = st->x;
	for (uint32_t i = 0; i < rounds; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		x = x * 2654435761u + i;
	}
	st->x = x;
	st->runs++;
	return 0;
}
