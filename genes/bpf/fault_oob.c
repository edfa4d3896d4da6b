/*
 * fault_oob: an example gene that stores through a pointer outside every
 * region of the VM's memory map (region 6 does not exist). The store
 * faults and the kernel kills the gene (the lysosome's "fault").
 */
#include "cellos_gene.h"

#define NOWHERE ((uint64_t)VM_REGIONS << VM_REGION_SHIFT)

/* Store the gene id where no region is: the VM faults on it. */
int
gene(struct gene_vm_ctx *ctx, void *state)
{
	volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)NOWHERE;

	(void)state;
	*p = ctx->gene_id;
	return 0;
}
