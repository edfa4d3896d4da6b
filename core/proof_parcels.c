/*
 * E2, the parcel proof: a fixed set of parcels (a channel-0 log line first,
 * then every verb on channels 0..5, payload lengths on both sides of every
 * power of two up to 1000 bytes, every other one MACed under the active
 * trust key) is encoded, decoded and compared field by field and byte by
 * byte. Each frame must also be refused
 * when cut short by one byte, and each MACed frame when its last tag byte
 * is flipped. frames counts the parcels that passed; parcel_hash is over the
 * encoded frames, in order.
 */
#include <stdint.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "ch0.h"
#include "crypto.h"
#include "kformat.h"
#include "parcel_codec.h"
#include "proof.h"
#include "proof_steps.h"
#include "trust.h"

static const char log_text[] = "cell_os E2 log line";

/* clang-format off */
static const uint32_t payload_lengths[] = {
	sizeof log_text - 1, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 1000,
};
/* clang-format on */
#define E2_PARCELS (sizeof payload_lengths / sizeof payload_lengths[0])
#define E2_LEN_MAX 1000u

static uint8_t payload[E2_LEN_MAX];
static uint8_t frame[PARCEL_HDR_SIZE + E2_LEN_MAX + PARCEL_MAC_SIZE];

/* Parcel 0 is a log line; the others carry a byte pattern that differs
 * per parcel and per position. */
static void
fill_payload(uint32_t index, uint32_t len)
{
	for (uint32_t j = 0; j < len; j++)
		payload[j] = index == 0 ?
		    (uint8_t)log_text[j] :
		    (uint8_t)(j * 31u + index * 7u + (j >> 8));
}

/* Round-trip parcel index; 0 when every check holds, else proof_fail. */
static int
check_one(uint32_t index, struct sha256_ctx *hash)
{
	const struct parcel_mac *mac = trust_parcel_mac();
	uint32_t len = payload_lengths[index];
	uint32_t channel = index % 6;
	uint32_t verb = PARCEL_VERB_LOG + index % 3;
	uint32_t flags = (index % 2) ? PARCEL_F_MAC : 0;
	struct parcel p;
	int size, r;

	fill_payload(index, len);
	if (index == 0)
		size = ch0_log_parcel(frame, sizeof frame, log_text, len);
	else
		size = parcel_encode(frame, sizeof frame, channel, verb, flags,
		    payload, len, mac);
	if (size < 0 || (size_t)size != parcel_frame_size(len, flags))
		return proof_fail(2, "parcel %u: encode returned %d", index,
		    size);
	r = parcel_decode(frame, (size_t)size, &p, mac);
	if (r != size)
		return proof_fail(2, "parcel %u: decode returned %d (%s)",
		    index, r, cell_strerror(r));
	if (p.channel_id != channel || p.verb != verb || p.flags != flags ||
	    p.len != len || (flags != 0) != (p.mac != NULL))
		return proof_fail(2,
		    "parcel %u: header fields differ after "
		    "the round trip",
		    index);
	for (uint32_t j = 0; j < len; j++) {
		if (p.payload[j] != payload[j])
			return proof_fail(2,
			    "parcel %u: payload byte %u differs", index, j);
	}
	r = parcel_decode(frame, (size_t)size - 1, &p, mac);
	if (r != -CELL_E_TRUNCATED)
		return proof_fail(2,
		    "parcel %u: a frame one byte short gave "
		    "%d, expected truncated",
		    index, r);
	if (flags & PARCEL_F_MAC) {
		frame[size - 1] ^= 0x80;
		r = parcel_decode(frame, (size_t)size, &p, mac);
		frame[size - 1] ^= 0x80;
		if (r != -CELL_E_BADMAC)
			return proof_fail(2,
			    "parcel %u: a flipped tag bit gave "
			    "%d, expected bad MAC",
			    index, r);
	}
	sha256_update(hash, frame, (size_t)size);
	return 0;
}

int
proof_e2_parcels(void)
{
	struct sha256_ctx hash;
	uint32_t frames = 0;

	sha256_init(&hash);
	for (uint32_t i = 0; i < E2_PARCELS; i++) {
		if (check_one(i, &hash) != 0)
			return -1;
		frames++;
	}
	return proof_emit(PROOF_E2,
	    (const struct proof_field[]){ { "frames", frames },
		{ "parcel_hash", sha256_final_le32(&hash) } },
	    2);
}
