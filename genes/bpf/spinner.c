/*
 * spinner: an example gene that never returns. Every quantum ends when its
 * gas runs out (charged VM_GAS_OUT_CPU on top), so it meets its CPU budget
 * and the lysosome, like any gene that hogs the CPU.
 */
#include "cellos_gene.h"

/* Count forever in the state area; never returns. */
int
gene(struct gene_vm_ctx *ctx, void *state)
{
	volatile uint32_t *spins = state; /* a store each round: kept */

	(void)ctx;
	for (;;)
		(*spins)++;
}
