/*
 * The parcel codec. Encoding writes explicit little-endian fields into a
 * byte buffer; decoding validates every field against the buffer before
 * anything is read through it and returns a specific error, never a partial
 * result. The MAC itself is computed by a function the caller supplies
 * (the kernel passes its HMAC-SHA-256 trust key), so libparcel carries no
 * key material and no crypto of its own.
 */
#ifndef CELLOS_LIBPARCEL_H
#define CELLOS_LIBPARCEL_H

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
	const uint8_t *mac;	/* NULL unless flags has PARCEL_F_MAC */
};

/* Bytes of the frame for a payload of len with flags, or 0 if invalid. */
size_t parcel_frame_size(uint32_t len, uint32_t flags);

/*
 * Encode one frame into out[0..cap). flags may only contain known bits; a
 * MAC flag needs mac. Returns the frame size, or -CELL_E_FLAGS,
 * -CELL_E_LENGTH (payload over PARCEL_PAYLOAD_MAX), -CELL_E_NOSPACE,
 * -CELL_E_INVAL (MAC flag without mac, or NULL payload with len > 0).
 */
int parcel_encode(uint8_t *out, size_t cap, uint32_t channel_id,
    uint32_t verb, uint32_t flags, const void *payload, uint32_t len,
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

/* Constant-time comparison of n bytes: 1 if equal, 0 if not. */
int parcel_ct_equal(const uint8_t *a, const uint8_t *b, size_t n);

/* Little-endian field access, shared by every codec in the tree. */
static inline void
le32_store(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline uint32_t
le32_load(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static inline void
le16_store(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline uint16_t
le16_load(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline void
le64_store(uint8_t *p, uint64_t v)
{
	le32_store(p, (uint32_t)v);
	le32_store(p + 4, (uint32_t)(v >> 32));
}

static inline uint64_t
le64_load(const uint8_t *p)
{
	return (uint64_t)le32_load(p) | (uint64_t)le32_load(p + 4) << 32;
}

#endif
