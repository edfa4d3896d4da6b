/*
 * The scheduler: runs the phenotype's genes round-robin, one quantum at a
 * time, skipping the dead. A quantum charges the gene one CPU unit, runs
 * its verified bytecode program (vm_host.c) or its kind's native step
 * (genes/), then the QoS buckets tick; every epoch_quanta quanta the
 * per-epoch budgets start again. The scheduler keeps the clock and hands
 * it down to the gene table (gene.c); nothing below calls up into it.
 */
#ifndef CELLOS_SCHEDULER_H
#define CELLOS_SCHEDULER_H

#include <stdint.h>

#include "pheno.h"

/*
 * Set up the gene table for p and load the genes' programs (the organelles
 * and the channel graph must be loaded).
 */
void sched_init(const struct phenotype *p);

/* Run quanta quanta (fewer if every gene is dead). Returns the number run. */
uint32_t sched_run(uint32_t quanta);

/* Quanta run since sched_init; times a dead gene was offered a quantum (must stay 0). */
uint32_t sched_quanta(void);
uint32_t sched_dead_runs(void);

/*
 * Whether the gene table still says what p says (ids, kinds, home
 * channels, arguments): a check against memory corruption by a gene.
 * Returns the first slot that differs, or -1 when all agree.
 */
int sched_verify(const struct phenotype *p);

#endif
