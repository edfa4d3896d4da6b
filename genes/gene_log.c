/* gene_log: text lines from genes, routed toward the console. */
#include <stdarg.h>
#include <stdint.h>

#include "cellos/errors.h"
#include "cellos/parcel.h"
#include "genes.h"
#include "kprint.h"

int
gene_log(struct gene_ctx *ctx, const char *fmt, ...)
{
	char text[MSG_PAYLOAD_MAX + 1];
	va_list ap;
	int n, hop;

	va_start(ap, fmt);
	n = kvsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (n > MSG_PAYLOAD_MAX)
		n = MSG_PAYLOAD_MAX;	/* the peroxisome shows cut lines with '~' */
	hop = gene_next_hop(ctx, CHANNEL_CONSOLE);
	if (hop < 0)
		return hop;
	return gene_send(ctx, (uint32_t)hop, PARCEL_VERB_LOG, text, (uint32_t)n);
}
