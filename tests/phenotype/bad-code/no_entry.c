/* An object without the entry function: it is called main_step. */
#include "cellos_gene.h"

int main_step(struct gene_vm_ctx *ctx, void *state);

int
main_step(struct gene_vm_ctx *ctx, void *state)
{
	(void)state;
	return (int)ctx->quantum;
}
