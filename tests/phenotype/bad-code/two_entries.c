/*
 * Two entries of about 900 slots together (gene and gene_b): two genes
 * using both make two programs of the whole .text, more than
 * PHENO_CODE_MAX bytes together.
 */
#include "cellos_gene.h"

#define R1(n)   v[(n) % 32] += (n);
#define R4(n)   R1(n) R1(n + 1) R1(n + 2) R1(n + 3)
#define R16(n)  R4(n) R4(n + 4) R4(n + 8) R4(n + 12)
#define R64(n)  R16(n) R16(n + 16) R16(n + 32) R16(n + 48)
#define R256(n) R64(n) R64(n + 64) R64(n + 128) R64(n + 192)

int gene_b(struct gene_vm_ctx *ctx, void *state);

int
gene(struct gene_vm_ctx *ctx, void *state)
{
	volatile uint32_t *v = state;

	(void)ctx;
	R256(0)
	return 0;
}

int
gene_b(struct gene_vm_ctx *ctx, void *state)
{
	volatile uint32_t *v = state;

	(void)ctx;
	R64(0)
	R16(64)
	return 0;
}
