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

/*
 * What E7 and E9 work on: the scratch area of dev (the machine's disk, or
 * RAM after a fallback), E7's strands and log (UPDATE_AREA_BLOCKS), then
 * the scenario's key set (KEYSTORE_BLOCKS); and the disk's inbox, whose
 * proof slots hold the build's package and statement (blocks 0: none).
 */
struct proof_media {
	const struct blkdev *dev;
	struct region scratch;
	struct region inbox;
};

/* Where in the scratch area the scenario's key set is, and blanking it. */
uint64_t proof_keystore_lba(const struct proof_media *m);
int proof_keystore_format(const struct proof_media *m);

int proof_e7_update(const struct proof_media *m);

/* What E8 expects the index to hold, counted by the boot and the mechanisms. */
struct e8_expect {
	uint32_t marks;            /* steps the boot marked */
	uint32_t quanta;           /* quanta the scheduler ran */
	uint32_t events_delivered; /* events E6 took from the bridge */
	uint32_t genes_dead;       /* genes the lysosome map shows dead */
};
int proof_e8_obs(const struct e8_expect *want);

int proof_e9_trust(const struct proof_media *m);
int proof_e10_release(void);

#endif
