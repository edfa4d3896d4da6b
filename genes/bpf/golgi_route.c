/*
 * golgi_route as a bytecode gene: genes/golgi_route.c call for call. It
 * drains its home channel and forwards each log line one hop further toward
 * the console; other verbs are discarded (and counted). The kernel keeps
 * the received message (the "held" one) between quanta, so a message QoS
 * holds back is forwarded again first; the state only remembers that one
 * is held and its header.
 */
#include "cellos_gene.h"

#define GOLGI_BATCH 4

struct golgi_state {
	struct helper_msg_hdr held; /* the held message's header */
	uint32_t holding;
	uint32_t forwarded, discarded;
};

/* One quantum: forward up to GOLGI_BATCH messages, the held one first. */
int
gene(struct gene_vm_ctx *ctx, void *state)
{
	struct golgi_state *st = state;

	(void)ctx;
	for (int i = 0; i < GOLGI_BATCH; i++) {
		long hop, rc;

		if (!st->holding) {
			if (helper_recv(&st->held, sizeof st->held) < 0)
				return 0;
			st->holding = 1;
		}
		if (st->held.verb != CG_VERB_LOG) {
			st->discarded++;
			st->holding = 0;
			continue;
		}
		hop = helper_next_hop(CG_CHANNEL_CONSOLE);
		if (hop < 0) {
			st->discarded++;
			st->holding = 0;
			continue;
		}
		rc = helper_forward((uint32_t)hop);
		if (rc == -CELL_E_BUSY)
			return 0; /* keep it and try again next quantum */
		if (rc == 0)
			st->forwarded++;
		else
			st->discarded++;
		st->holding = 0;
		if (rc == -CELL_E_DEAD)
			return 0;
	}
	return 0;
}
