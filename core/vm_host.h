/*
 * The VM host: where genes meet the VM. It loads each gene's program from
 * the phenotype (verifying it for the helpers the gene is granted), runs a
 * quantum of it for the scheduler with the gene's memory regions mapped
 * (vm_host.c), and implements the helpers (vm_helpers.c) of include/cellos/vm_abi.h on
 * top of the same system calls native genes make (gene.h), so a bytecode
 * gene is charged, routed, gated and killed exactly like a native one.
 */
#ifndef CELLOS_VM_HOST_H
#define CELLOS_VM_HOST_H

#include <stdint.h>

#include "cellos/errors.h"
#include "gene.h"
#include "kv.h"
#include "pheno.h"
#include "vm.h"

/*
 * Load the programs of p's genes (the scheduler's table and the organelles
 * must be set up). A gene whose program the verifier refuses is logged
 * ("#W gene g<id> rejected: slot <n>: <reason>") and killed as rejected: it
 * never runs, and the kernel carries on.
 */
void vmhost_load(const struct phenotype *p);

/* Whether gene slot runs a verified program (else its native step, if any). */
int vmhost_has_program(uint32_t slot);

/*
 * Run one quantum of g's program (the scheduler has charged the quantum's
 * CPU unit). Books the gas on the mitochondria; a fault kills the gene.
 */
void vmhost_run(struct gene_ctx *g);

/* The store the kv helpers use; NULL (the default) makes them -CELL_E_NOSYS. */
void vmhost_attach_kv(struct kv_store *kv);

/* What the last vmhost_load did. */
struct vmhost_stats {
	uint32_t loaded;   /* genes running bytecode */
	uint32_t rejected; /* genes whose program was refused */
	uint32_t slots;    /* decoded instructions in use */
};
struct vmhost_stats vmhost_stats(void);

/* The kernel's helper table (for tests that run programs by hand). */
extern const struct vm_helper_table vmhost_helpers;

#endif
