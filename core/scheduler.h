/*
 * The scheduler: runs the phenotype's genes round-robin, one quantum at a
 * time, through the VM hook, skipping the dead. Each quantum charges one
 * CPU unit, then the QoS buckets tick; every epoch_quanta quanta the
 * per-epoch budgets start again.
 */
#ifndef CELLOS_SCHED_H
#define CELLOS_SCHED_H

#include <stdint.h>

#include "pheno.h"
#include "qos.h"

/* Load the genes of p (organelles, QoS, channel graph must be loaded). */
void sched_init(const struct phenotype *p);

/*
 * Run quanta quanta (fewer if every gene is dead). Returns the number run.
 * A quantum is one call of vm_run_quantum for the next live gene.
 */
uint32_t sched_run(uint32_t quanta);

/* The live QoS engine the scheduler gates sends through. */
struct qos *sched_qos(void);

/* Quanta run since sched_init; times a dead gene was offered a quantum (must stay 0). */
uint32_t sched_quanta(void);
uint32_t sched_dead_runs(void);

/*
 * Whether the scheduler's gene table still says what p says (ids, kinds,
 * home channels, arguments): a check against memory corruption by a gene.
 * Returns the first slot that differs, or -1 when all agree.
 */
int sched_verify(const struct phenotype *p);

/* ---- for the VM host (vm_host.c) ---- */

struct gene_ctx;

/* The slot (index in the phenotype's gene table) of a gene. */
uint32_t sched_slot(const struct gene_ctx *g);

/* Gene slot's memory arena (GENE_MEM_MAX bytes; gene_alloc hands it out). */
uint8_t *sched_arena(uint32_t slot);

/* Gene slot's state area (GENE_STATE_SIZE bytes), for the VM host and tests. */
uint8_t *sched_state(uint32_t slot);

/* Kill gene slot for reason (enum lyso_reason), as a budget breach would. */
void sched_kill_slot(uint32_t slot, uint32_t reason);

/*
 * The VM hook: run one quantum of gene slot: its verified bytecode
 * program when the phenotype gives it one (vm_host.c), else its kind's
 * native C step function.
 */
void vm_run_quantum(uint32_t slot);

#endif
