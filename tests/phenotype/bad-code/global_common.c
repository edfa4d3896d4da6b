/* A gene with a tentative definition made COMMON. */
#include "cellos_gene.h"

__attribute__((common)) uint32_t shared_count;

int
gene(struct gene_vm_ctx *ctx, void *state)
{
	(void)state;
	shared_count += ctx->quantum;
	return 0;
}
