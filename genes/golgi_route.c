/*
 * golgi_route: the Golgi's gene. It drains its home channel and forwards
 * each log line one hop further toward the console; other verbs have no
 * route through the Golgi and are discarded (and counted).
 */
#include <stdint.h>

#include "cellos/errors.h"
#include "cellos/parcel.h"
#include "genes.h"

#define GOLGI_BATCH 4

struct golgi_state {
	struct cg_msg held; /* a message QoS held back, retried first */
	uint32_t holding;
	uint32_t forwarded, discarded;
};
GENE_STATE_FITS(struct golgi_state);

void
golgi_route_step(struct gene_ctx *ctx)
{
	struct golgi_state *st = gene_state(ctx);

	for (int i = 0; i < GOLGI_BATCH; i++) {
		int hop, rc;

		if (!st->holding) {
			if (gene_recv(ctx, &st->held) != 0)
				return;
			st->holding = 1;
		}
		if (st->held.verb != PARCEL_VERB_LOG) {
			st->discarded++;
			st->holding = 0;
			continue;
		}
		hop = gene_next_hop(ctx, CHANNEL_CONSOLE);
		if (hop < 0) {
			st->discarded++;
			st->holding = 0;
			continue;
		}
		rc = gene_forward(ctx, (uint32_t)hop, &st->held);
		if (rc == -CELL_E_BUSY)
			return; /* keep it and try again next quantum */
		if (rc == 0)
			st->forwarded++;
		else
			st->discarded++;
		st->holding = 0;
		if (rc == -CELL_E_DEAD)
			return;
	}
}
