/* A gene that keeps a counter in an initialised global (.data). */
#include "cellos_gene.h"

uint32_t counter = 5;

int
gene(struct gene_vm_ctx *ctx, void *state)
{
	(void)ctx;
	(void)state;
	counter++;
	return 0;
}
