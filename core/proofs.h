/*
 * The proof steps of the boot flow, one per mechanism, in boot order. Each
 * runs its mechanism, checks its own result, prints its line and records
 * its values; it returns 0, or -1 after printing "PROOF FAILURE".
 */
#ifndef CELLOS_PROOFS_H
#define CELLOS_PROOFS_H

#include <stdint.h>

#include "pheno.h"

int proof_e2_parcels(void);
int proof_e3_graph(const struct phenotype *p);
int proof_e5_sched(const struct phenotype *p);
int proof_e6_events(void);
int proof_e7_update(void);
int proof_e8_obs(uint32_t quanta_run, uint32_t events_delivered);
int proof_e9_trust(void);
int proof_e10_release(void);

#endif
