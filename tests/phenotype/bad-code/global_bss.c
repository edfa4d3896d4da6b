/* A gene that keeps a counter in a zero-initialised static (.bss). */
#include "cellos_gene.h"

static uint32_t quanta;

int
gene(struct gene_vm_ctx *ctx, void *state)
{
	(void)state;
	quanta += ctx->quantum;
	return (int)quanta;
}
