/*
 * E8, the observability proof. Every OBS record this boot emitted so far
 * (the marks at each step, the phenotype, each gene quantum's start and
 * end, each gene killed, each IRQ event delivered) went out on channel 0 as
 * a "#P" line. The index must agree with what the mechanisms say they did,
 * counted apart from the OBS code: a mark per step the boot marked, one
 * phenotype record, one record per gene that died, a start and an end
 * record per quantum the scheduler ran, one per event E6 delivered; and
 * record by record by type. entries counts the records; obs_hash is over
 * their parcel frames in order. tools/obs-replay recomputes both from the
 * log alone.
 */
#include <stdint.h>

#include "obs_emit.h"
#include "proof.h"
#include "proof_steps.h"

int
proof_e8_obs(const struct e8_expect *want)
{
	uint32_t entries = obs_count(0);
	uint32_t marks = obs_count(OBS_MARK), sys = obs_count(OBS_SYS);
	uint32_t traces = obs_count(OBS_TRACE), events = obs_count(OBS_EVENT);
	uint32_t want_traces = 2 * want->quanta + want->events_delivered;

	if (entries < 1)
		return proof_fail(8, "no OBS record was emitted");
	if (marks + sys + traces + events != entries)
		return proof_fail(8,
		    "index counts %u records by type but %u in "
		    "all",
		    marks + sys + traces + events, entries);
	if (marks != want->marks)
		return proof_fail(8,
		    "%u mark records, the boot marked %u steps", marks,
		    want->marks);
	if (sys != 1 + want->genes_dead)
		return proof_fail(8,
		    "%u system records, expected %u (the "
		    "phenotype and %u genes that died)",
		    sys, 1 + want->genes_dead, want->genes_dead);
	if (traces != want_traces)
		return proof_fail(8,
		    "%u trace records, expected %u (2 per "
		    "quantum, 1 per event)",
		    traces, want_traces);
	if (events != 0)
		return proof_fail(8, "%u event records before serving began",
		    events);
	return proof_emit(PROOF_E8,
	    (const struct proof_field[]){ { "entries", entries },
		{ "obs_hash", obs_index_hash() } },
	    2);
}
