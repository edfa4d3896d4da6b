/*
 * peroxi_sanitize as a bytecode gene: genes/peroxi_sanitize.c call for call.
 * On the console channel, it drains the queue and prints each log line
 * through the peroxisome's sanitizer; a message that is not text is
 * discarded. Only the header of each message is copied out: the console
 * helper prints the held message itself.
 */
#include "cellos_gene.h"

#define PEROXI_BATCH 4

/* One quantum: print up to PEROXI_BATCH log lines on the console. */
int
gene(struct gene_vm_ctx *ctx, void *state)
{
	struct helper_msg_hdr m;

	(void)ctx;
	(void)state;
	for (int i = 0; i < PEROXI_BATCH; i++) {
		if (helper_recv(&m, sizeof m) < 0)
			return 0;
		if (m.verb == CG_VERB_LOG && helper_console() != 0)
			return 0;
	}
	return 0;
}
