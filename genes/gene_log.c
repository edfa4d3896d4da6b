/* gene_log: text lines from genes, routed toward the console. */
#include <stdarg.h>
#include <stdint.h>

#include "config.h"
#include "genes.h"
#include "kformat.h"

int
gene_log(struct gene_ctx *ctx, const char *fmt, ...)
{
	char text[MSG_PAYLOAD_MAX + 1];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	/* gene_send_log cuts a longer line to MSG_PAYLOAD_MAX. */
	return gene_send_log(ctx, text, (uint32_t)n);
}
