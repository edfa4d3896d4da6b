/*
 * E9, the trust proof: the key rotates (key 0 -> 1, version 0 -> 1, a fresh
 * MAC key by HKDF); an out-of-range key id is refused; a MACed parcel is
 * built under the new key and every bit of its header, and 64 bits spread
 * across its payload and tag, are flipped one at a time: every flip must be
 * rejected and the unflipped frame accepted. key is the active key id;
 * mac16 the first four bytes (LE) of MAC16 over a fixed message.
 *
 * E10, the release proof: tag over every value E2..E9 printed (proof.h),
 * build the release id.
 */
#include <stdint.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "config.h"
#include "parcel_codec.h"
#include "proof.h"
#include "proof_steps.h"
#include "trust.h"

static const char e9_message[] = "cell_os E9 trust proof";

/* Flip bit `bit` of frame, decode, flip back; 1 if the decode failed. */
static int
flip_rejected(uint8_t *frame, size_t len, size_t bit)
{
	struct parcel p;
	int rc;

	frame[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	rc = parcel_decode(frame, len, &p, trust_parcel_mac());
	frame[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	return rc < 0;
}

int
proof_e9_trust(void)
{
	uint8_t frame[PARCEL_HDR_SIZE + 32 + PARCEL_MAC_SIZE];
	uint8_t tag[PARCEL_MAC_SIZE];
	uint32_t before = trust_key_version();
	struct parcel p;
	size_t bits, tail_bits;
	int n;

	trust_use_key(1, before + 1);
	if (trust_active_key() != 1 || trust_key_version() != before + 1)
		return proof_fail(9, "rotation gave key %u version %u",
		    trust_active_key(), trust_key_version());

	n = parcel_encode(frame, sizeof frame, 1, PARCEL_VERB_LOG, PARCEL_F_MAC,
	    "trust: every flipped bit fails", 30, trust_parcel_mac());
	if (n < 0 || parcel_decode(frame, (size_t)n, &p,
	    trust_parcel_mac()) != n)
		return proof_fail(9, "a MACed parcel does not verify (%d)", n);
	bits = (size_t)n * 8;
	for (size_t bit = 0; bit < PARCEL_HDR_SIZE * 8; bit++) {
		if (!flip_rejected(frame, (size_t)n, bit))
			return proof_fail(9, "header bit %zu flipped and the "
			    "parcel still verified", bit);
	}
	/* 64 more, spread evenly over payload and tag. */
	tail_bits = bits - PARCEL_HDR_SIZE * 8;
	for (size_t k = 0; k < 64; k++) {
		size_t bit = PARCEL_HDR_SIZE * 8 + k * tail_bits / 64;
		if (!flip_rejected(frame, (size_t)n, bit))
			return proof_fail(9, "bit %zu flipped and the parcel "
			    "still verified", bit);
	}

	trust_mac16(e9_message, sizeof e9_message - 1, tag);
	return proof_emit(PROOF_E9, (const struct proof_field[]){
	    { "key", trust_active_key() }, { "mac16", le32_load(tag) } }, 2);
}

int
proof_e10_release(void)
{
	uint32_t tag;

	if (proof_e10_tag(&tag) < 0)
		return proof_fail(10, "E2..E9 are not all recorded");
	return proof_emit(PROOF_E10, (const struct proof_field[]){
	    { "tag", tag }, { "build", proof_build_id() } }, 2);
}
