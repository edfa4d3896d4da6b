/*
 * E8, the observability proof. Every OBS record this boot emitted so far
 * (the phenotype, each gene quantum's start and end, each gene killed, each
 * IRQ event delivered, the marks) went out on channel 0 as a "#P" line. The
 * index must agree with what the mechanisms did: a start and an end record
 * per quantum the scheduler ran, one IRQ record per event E6 delivered.
 * entries counts the records; obs_hash is over their parcel frames in
 * order. tools/obs-replay recomputes both from the log alone.
 */
#include <stdint.h>

#include "kprint.h"
#include "obs.h"
#include "proof.h"
#include "proofs.h"

int
proof_e8_obs(uint32_t quanta_run, uint32_t events_delivered)
{
	uint32_t entries = obs_count(0);
	uint32_t by_type = obs_count(OBS_MARK) + obs_count(OBS_EVENT) +
	    obs_count(OBS_SYS) + obs_count(OBS_TRACE);
	uint32_t traces = obs_count(OBS_TRACE);
	uint32_t obs_hash;

	if (entries < 1)
		return proof_fail(8, "no OBS record was emitted");
	if (by_type != entries)
		return proof_fail(8, "index counts %u records by type but %u in "
		    "all", by_type, entries);
	if (traces != 2 * quanta_run + events_delivered)
		return proof_fail(8, "%u trace records, expected %u (2 per "
		    "quantum, 1 per event)", traces,
		    2 * quanta_run + events_delivered);
	obs_hash = obs_index_hash();
	proof_record(PROOF_E8, entries, obs_hash);
	kprintf("#E8 OBS proof: entries=%08X obs_hash=%08X\n", entries,
	    obs_hash);
	return 0;
}
