/*
 * A gene of more than VM_INSNS_MAX instruction slots: 512 unrolled
 * read-modify-write rounds of three instructions each.
 */
#include "cellos_gene.h"

#define R1(n)   v[(n) % 32] += (n);
#define R4(n)   R1(n) R1(n + 1) R1(n + 2) R1(n + 3)
#define R16(n)  R4(n) R4(n + 4) R4(n + 8) R4(n + 12)
#define R64(n)  R16(n) R16(n + 16) R16(n + 32) R16(n + 48)
#define R256(n) R64(n) R64(n + 64) R64(n + 128) R64(n + 192)

int
gene(struct gene_vm_ctx *ctx, void *state)
{
	volatile uint32_t *v = state;

	(void)ctx;
	R256(0)
	R256(256)
	return 0;
}
