/*
 * The parcel codec. Encoding writes explicit little-endian fields into a
 * byte buffer; decoding validates every field against the buffer before
 * anything is read through it and returns a specific error, never a partial
 * result. The MAC itself is computed by a function the caller supplies
 * (the kernel passes its HMAC-SHA-256 trust key), so the codec carries no
 * key material.
 */
#ifndef CELLOS_PARCEL_CODEC_H
#define CELLOS_PARCEL_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "cellos/errors.h"
#include "cellos/parcel.h"

/* Compute the 16-byte tag of msg[0..len) under the key behind ctx. */
typedef void (*parcel_mac_fn)(const void *ctx, const uint8_t *msg, size_t len,
    uint8_t tag[PARCEL_MAC_SIZE]);

struct parcel_mac {
	parcel_mac_fn fn;
	const void *ctx;
};

/* A decoded parcel; payload and mac point into the decoded buffer. */
struct parcel {
	uint32_t channel_id;
	uint32_t verb;
	uint32_t flags;
	uint32_t len;
	const uint8_t *payload;
	const uint8_t *mac; /* NULL unless flags has PARCEL_F_MAC */
};

/* Bytes of the frame for a payload of len with flags, or 0 if invalid. */
size_t parcel_frame_size(uint32_t len, uint32_t flags);

/*
 * Encode one frame into out[0..cap). flags may only contain known bits; a
 * MAC flag needs mac. Returns the frame size, or -CELL_E_FLAGS,
 * -CELL_E_LENGTH (payload over PARCEL_PAYLOAD_MAX), -CELL_E_NOSPACE,
 * -CELL_E_INVAL (MAC flag without mac, or NULL payload with len > 0).
 */
int parcel_encode(uint8_t *out, size_t cap, uint32_t channel_id, uint32_t verb,
    uint32_t flags, const void *payload, uint32_t len,
    const struct parcel_mac *mac);

/*
 * Decode exactly one frame occupying buf[0..size). Errors, in the order they
 * are checked: -CELL_E_TRUNCATED (shorter than a header, or than the frame
 * the header describes), -CELL_E_FLAGS (unknown flag bits), -CELL_E_LENGTH
 * (len over PARCEL_PAYLOAD_MAX, or bytes left over after the frame),
 * -CELL_E_BADMAC (tag does not verify, or a MAC flag with no mac to check
 * it). On error *out is left untouched.
 */
int parcel_decode(const uint8_t *buf, size_t size, struct parcel *out,
    const struct parcel_mac *mac);

/*
 * Like parcel_decode, but buf may hold more bytes after the frame: returns
 * the frame size consumed (> 0) or a negative error as above.
 */
int parcel_decode_prefix(const uint8_t *buf, size_t size, struct parcel *out,
    const struct parcel_mac *mac);

#endif
