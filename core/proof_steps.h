/*
 * The proof steps of the boot flow, one per mechanism, in boot order. The
 * boot (boot.c) builds what each step exercises and hands it over; a step
 * runs its mechanism, checks the result, and hands its values to
 * proof_emit (proof.h). Each returns 0, or -1 after "PROOF FAILURE".
 */
#ifndef CELLOS_PROOF_STEPS_H
#define CELLOS_PROOF_STEPS_H

#include <stdint.h>

#include "blk.h"
#include "disk.h"
#include "pheno.h"

/* Known-answer tests of the crypto and the VM, before E2 (selftest.c). */
int selftest_run(void);

int proof_e2_parcels(void);
int proof_e3_graph(const struct phenotype *p);
int proof_e5_sched(const struct phenotype *p);
int proof_e6_events(void);

/* E7 on area of dev: the machine's disk, or RAM after a fallback. */
int proof_e7_update(const struct blkdev *dev, struct region area);

/* What E8 expects the index to hold, counted by the boot and the mechanisms. */
struct e8_expect {
	uint32_t marks;			/* steps the boot marked */
	uint32_t quanta;		/* quanta the scheduler ran */
	uint32_t events_delivered;	/* events E6 took from the bridge */
	uint32_t genes_dead;		/* genes the lysosome map shows dead */
};
int proof_e8_obs(const struct e8_expect *want);

int proof_e9_trust(void);
int proof_e10_release(void);

#endif
