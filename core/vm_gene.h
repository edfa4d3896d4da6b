/*
 * What the VM host keeps for each gene between quanta, and what a helper
 * finds of the quantum being run: shared by vm_host.c (load and run) and
 * vm_helpers.c (the helpers), nothing else.
 */
#ifndef CELLOS_VM_GENE_H
#define CELLOS_VM_GENE_H

#include <stdint.h>

#include "cellos/errors.h"
#include "cellos/vm_abi.h"
#include "cgraph.h"
#include "gene.h"
#include "kv.h"
#include "vm.h"

/* One gene's VM: its program, its grant and what it holds between quanta. */
struct vm_gene {
	int loaded;
	struct vm_prog prog;
	const uint8_t *rodata; /* in the phenotype's code pool */
	uint32_t rodata_len;
	uint32_t gas;           /* per quantum */
	struct gene_vm_ctx ctx; /* the context region */
	struct cg_msg held;     /* the last message received */
	int holding;
};

/* The quantum being run (vm_machine.user): the helpers find the gene here. */
struct vm_run_ctx {
	struct gene_ctx *gene;
	struct vm_gene *vg;
	struct kv_store *kv; /* NULL: the kv helpers are -CELL_E_NOSYS */
};

#endif
