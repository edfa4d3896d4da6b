/*
 * testgene: an example gene whose behaviour (arg1) the phenotype picks, so
 * that every boot shows the kernel both serving and stopping a gene:
 *   0 well_behaved  sends a reading to its target (arg0) every quantum and a
 *                   log line every fourth quantum;
 *   1 rogue_route   sends to its target whether or not the graph has the
 *                   edge (the phenotype gives it a target it has no edge to);
 *   2 budget_hog    consumes its home channel and grabs 64 more bytes of
 *                   memory every quantum until the lysosome stops it.
 */
#include <stdint.h>

#include "cellos/errors.h"
#include "cellos/parcel.h"
#include "genes.h"
#include "kformat.h"

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
GENE_STATE_FITS(struct testgene_state);

static void
well_behaved(struct gene_ctx *ctx, struct testgene_state *st)
{
	uint8_t reading[8];
	uint32_t q = gene_quantum(ctx);

	st->value = st->value * 1664525u + 1013904223u;
	for (int i = 0; i < 4; i++) {
		reading[i] = (uint8_t)(q >> (8 * i));
		reading[4 + i] = (uint8_t)(st->value >> (8 * i));
	}
	if (gene_send(ctx, gene_arg(ctx, 0), GENE_VERB_READING, reading,
		sizeof reading) == 0)
		st->sent++;
	else
		st->held_back++;
	if (st->runs % 4 == 0)
		(void)gene_log(ctx, "reading n=%u v=%08X sent=%u held=%u",
		    st->runs, st->value, st->sent, st->held_back);
}

static void
budget_hog(struct gene_ctx *ctx, struct testgene_state *st)
{
	struct cg_msg m;

	(void)gene_recv(ctx, &m);
	if (gene_alloc(ctx, HOG_GRAB) == NULL)
		return;
	st->held_bytes += HOG_GRAB;
	if (st->runs % 2 == 0) {
		char text[32];
		int n = ksnprintf(text, sizeof text, "hog holds %u bytes",
		    st->held_bytes);
		(void)gene_send(ctx, gene_arg(ctx, 0), PARCEL_VERB_LOG, text,
		    (uint32_t)n);
	}
}

void
testgene_step(struct gene_ctx *ctx)
{
	struct testgene_state *st = gene_state(ctx);

	st->runs++;
	switch (gene_arg(ctx, 1)) {
	case TESTGENE_WELL_BEHAVED:
		well_behaved(ctx, st);
		break;
	case TESTGENE_ROGUE_ROUTE: {
		uint8_t reading[4] = { (uint8_t)st->runs };
		(void)gene_send(ctx, gene_arg(ctx, 0), GENE_VERB_READING,
		    reading, sizeof reading);
		break;
	}
	default:
		budget_hog(ctx, st);
		break;
	}
}
