/* A gene whose read-only table is larger than VM_RODATA_MAX. */
#include "cellos_gene.h"

static const uint8_t table[1088] = { 1, 2, 3 }; /* > VM_RODATA_MAX */

int
gene(struct gene_vm_ctx *ctx, void *state)
{
	*(volatile uint8_t *)state = table[ctx->quantum % sizeof table];
	return 0;
}
