/*
 * Observability: records about what the kernel does, sent on channel 0 as
 * parcels and carried on the console as "#P" lines (include/cellos/obs.h),
 * and the index the E8 proof reports: how many records were emitted and the
 * SHA-256 over their parcel frames in order. tools/obs-replay decodes the
 * same records from a captured log (obs_codec.h) and recomputes both.
 */
#ifndef CELLOS_OBS_EMIT_H
#define CELLOS_OBS_EMIT_H

#include <stddef.h>
#include <stdint.h>

#include "cellos/obs.h"

/* Forget the index (cell_reset): seq back to 0, counters and hash cleared. */
void obs_reset(void);

/* Emit a record. Thread only. Returns 0 or a negative CELL_E_* code. */
int obs_emit(uint32_t type, const void *payload, uint32_t len);

/* Convenience emitters. */
void obs_mark(const char *text);
void obs_sys(uint32_t code, uint32_t a, uint32_t b);
void obs_trace(uint32_t what, uint32_t id, uint32_t at, uint32_t arg);

/*
 * Whether TRACE records are emitted (on after obs_reset). Benchmarks turn
 * tracing off to see what a record costs; a proof boot always traces.
 */
void obs_tracing(int on);

/* Emitted so far, by type (0 = all), and the index hash (sha256_le32). */
uint32_t obs_count(uint32_t type);
uint32_t obs_index_hash(void);

#endif
