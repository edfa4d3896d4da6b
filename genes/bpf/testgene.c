/*
 * testgene as a bytecode gene: genes/testgene.c call for call. Its
 * behaviour is arg1, its target channel arg0:
 *   0 well_behaved  sends a reading to its target every quantum and a log
 *                   line every fourth quantum;
 *   1 rogue_route   sends to its target whether or not the graph has the
 *                   edge;
 *   2 budget_hog    consumes its home channel and grabs 64 more bytes of
 *                   memory every quantum until the lysosome stops it.
 */
#include "cellos_gene.h"

enum testgene_behaviour {
	TESTGENE_WELL_BEHAVED = 0,
	TESTGENE_ROGUE_ROUTE = 1,
	TESTGENE_BUDGET_HOG = 2
};

#define HOG_GRAB 64u

struct testgene_state {
	uint32_t runs;
	uint32_t value; /* the "sensor": a 32-bit LCG */
	uint32_t sent, held_back;
	uint32_t held_bytes;
};

/* Send a reading to the target; log every fourth quantum. */
static void
well_behaved(struct gene_vm_ctx *ctx, struct testgene_state *st)
{
	uint8_t reading[8];
	uint64_t args[4];
	uint32_t q = ctx->quantum;

	st->value = st->value * 1664525u + 1013904223u;
	le32_store(reading, q);
	le32_store(reading + 4, st->value);
	if (helper_send(ctx->arg0, CG_VERB_READING, reading, sizeof reading) ==
	    0)
		st->sent++;
	else
		st->held_back++;
	if (st->runs % 4 == 0) {
		args[0] = st->runs;
		args[1] = st->value;
		args[2] = st->sent;
		args[3] = st->held_back;
		(void)helper_log("reading n=%u v=%08X sent=%u held=%u", args,
		    4);
	}
}

/* Drain the home channel and grab HOG_GRAB bytes more, saying so. */
static void
budget_hog(struct gene_vm_ctx *ctx, struct testgene_state *st)
{
	struct helper_msg_hdr m;

	(void)helper_recv(&m, sizeof m);
	if (helper_alloc(HOG_GRAB) == 0)
		return;
	st->held_bytes += HOG_GRAB;
	if (st->runs % 2 == 0) {
		char text[32];
		uint64_t args[1] = { st->held_bytes };
		long n = helper_format(text, sizeof text, "hog holds %u bytes",
		    args, 1);

		if (n >= 0)
			(void)helper_send(ctx->arg0, CG_VERB_LOG, text,
			    (uint32_t)n);
	}
}

/* One quantum of the behaviour arg1 picks. */
int
gene(struct gene_vm_ctx *ctx, void *state)
{
	struct testgene_state *st = state;

	st->runs++;
	switch (ctx->arg1) {
	case TESTGENE_WELL_BEHAVED:
		well_behaved(ctx, st);
		break;
	case TESTGENE_ROGUE_ROUTE: {
		uint8_t reading[4] = { (uint8_t)st->runs, 0, 0, 0 };

		(void)helper_send(ctx->arg0, CG_VERB_READING, reading,
		    sizeof reading);
		break;
	}
	default:
		budget_hog(ctx, st);
		break;
	}
	return 0;
}
