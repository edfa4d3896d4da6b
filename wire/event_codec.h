/*
 * Event frames: packing and a decoder that validates like the parcel
 * decoder (every field against the buffer before use, a specific error,
 * never a partial result).
 */
#ifndef CELLOS_EVENT_CODEC_H
#define CELLOS_EVENT_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "cellos/errors.h"
#include "cellos/events.h"

struct event {
	uint32_t seq;
	uint32_t src;
	uint32_t kind;
	uint32_t len;
	uint8_t payload[EVENT_PAYLOAD_MAX];
};

/* Whether kind is one of enum event_kind. */
int event_kind_known(uint32_t kind);

/* "TIMER", "BLOCK_IO", ... or "?". */
const char *event_kind_name(uint32_t kind);

/*
 * Pack e into out[0..cap). Returns the frame size, or -CELL_E_LENGTH
 * (payload over EVENT_PAYLOAD_MAX), -CELL_E_RANGE (unknown kind),
 * -CELL_E_NOSPACE.
 */
int event_pack(const struct event *e, uint8_t *out, size_t cap);

/*
 * Decode exactly one frame filling buf[0..size) into *out. Errors in the
 * order checked: -CELL_E_TRUNCATED (shorter than the header, or than the
 * header's len says), -CELL_E_LENGTH (len over EVENT_PAYLOAD_MAX, or bytes
 * left over), -CELL_E_RANGE (unknown kind). *out is untouched on error.
 */
int event_unpack(const uint8_t *buf, size_t size, struct event *out);

#endif
