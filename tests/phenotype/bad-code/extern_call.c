/* A gene that calls a function no object defines. */
#include "cellos_gene.h"

long checksum(const void *p, uint32_t len);

int
gene(struct gene_vm_ctx *ctx, void *state)
{
	(void)ctx;
	return (int)checksum(state, VM_STATE_SIZE);
}
