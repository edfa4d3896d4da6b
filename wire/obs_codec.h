/*
 * The OBS record decoder (include/cellos/obs.h has the layout), shared by
 * the kernel's tests, tools/obs-replay and the fuzzers; HAL-free.
 */
#ifndef CELLOS_OBS_CODEC_H
#define CELLOS_OBS_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "cellos/errors.h"
#include "cellos/obs.h"

struct obs_record {
	uint32_t version;
	uint32_t type;
	uint32_t len;
	uint32_t seq;
	const uint8_t *payload; /* points into the decoded buffer */
};

/*
 * Decode an OBS record from a verb-2 parcel payload buf[0..len). Errors:
 * -CELL_E_TRUNCATED (shorter than the header or than its len says),
 * -CELL_E_LENGTH (bytes left over, or len over OBS_PAYLOAD_MAX),
 * -CELL_E_VERSION, -CELL_E_RANGE (unknown type, or a SYS/TRACE payload of
 * the wrong size). *out is untouched on error.
 */
int obs_decode(const uint8_t *buf, size_t len, struct obs_record *out);

/* "MARK", "EVENT", "SYS", "TRACE" or "?". */
const char *obs_type_name(uint32_t type);

#endif
