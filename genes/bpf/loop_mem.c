/*
 * loop_mem: a memory-heavy example gene for timing the interpreter's loads
 * and stores (each one checked against the regions) against native code.
 * Each quantum it runs arg0 rounds of FNV-1a over a 64-byte buffer in the
 * state area, writing one byte of the hash back each round. No helpers.
 *
 * The exact algorithm, for a native twin (uint32_t arithmetic, mod 2^32):
 *
 *	if (st->runs == 0)
 *		st->h = 2166136261u;	// the FNV offset basis
 *	h = st->h;
 *	for (i = 0; i < arg0; i++) {
 *		for (j = 0; j < 64; j++)
 *			h = (h ^ st->buf[j]) * 16777619u;
 *		st->buf[i & 63] = (uint8_t)h;
 *	}
 *	st->h = h;
 *	st->runs++;
 */
#include "cellos_gene.h"

struct loop_mem_state {
	uint32_t h;      /* the running hash */
	uint32_t runs;   /* quanta run */
	uint8_t buf[64]; /* zero at boot */
};

/* One quantum: arg0 rounds over the buffer; the hash stays in state. */
int
gene(struct gene_vm_ctx *ctx, void *state)
{
	struct loop_mem_state *st = state;
	uint32_t rounds = ctx->arg0;
	uint32_t h;

	if (st->runs == 0)
		st->h = 2166136261u;
	h = st->h;
	for (uint32_t i = 0; i < rounds; i++) {
		for (uint32_t j = 0; j < 64; j++)
			h = (h ^ st->buf[j]) * 16777619u;
		st->buf[i & 63] = (uint8_t)h;
	}
	st->h = h;
	st->runs++;
	return 0;
}
