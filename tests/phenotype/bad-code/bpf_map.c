/* A gene that declares a BPF map (libbpf style). */
#include "cellos_gene.h"

struct {
	uint32_t type;
	uint32_t max_entries;
} counters __attribute__((section(".maps"), used));

int
gene(struct gene_vm_ctx *ctx, void *state)
{
	(void)ctx;
	(void)state;
	return 0;
}
