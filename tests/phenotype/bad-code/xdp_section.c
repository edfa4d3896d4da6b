/* A gene with a second program in a SEC("xdp")-style section. */
#include "cellos_gene.h"

int xdp_prog(void *pkt);

__attribute__((section("xdp"), used)) int
xdp_prog(void *pkt)
{
	(void)pkt;
	return 2;
}

int
gene(struct gene_vm_ctx *ctx, void *state)
{
	(void)ctx;
	(void)state;
	return 0;
}
