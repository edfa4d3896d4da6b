/*
 * peroxi_sanitize: the peroxisome's gene, on the console channel. It drains
 * the console's queue and prints each log line through the sanitizer; a
 * message that is not text is discarded.
 */
#include <stdint.h>

#include "cellos/parcel.h"
#include "genes.h"

#define PEROXI_BATCH 4

void
peroxi_sanitize_step(struct gene_ctx *ctx)
{
	struct cg_msg m;

	for (int i = 0; i < PEROXI_BATCH; i++) {
		if (gene_recv(ctx, &m) != 0)
			return;
		if (m.verb == PARCEL_VERB_LOG && gene_console(ctx, &m) != 0)
			return;
	}
}
