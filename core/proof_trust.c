/*
 * E9, the trust proof: the key set E7 left in the scratch area (the root
 * key, id 0) is read back and rotated by the statement in the inbox's proof
 * slot (key 1, statement version 1, signed by the test root key and placed
 * by the build); the rotated set is written and read back; the same
 * statement again is refused as a replay (-CELL_E_ROLLBACK), and one with a
 * signature bit flipped is refused, each leaving the set as it was; the MAC
 * key is then derived for the active id at the set's statement version (a
 * fresh MAC key by HKDF). A MACed parcel is
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
#include "cellos/rotation.h"
#include "cellos_root_key.h"
#include "config.h"
#include "inbox.h"
#include "keystore.h"
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

static const uint8_t root_pubkey[32] = CELLOS_ROOT_PUBKEY;

static int
same_set(const struct keyset *a, const struct keyset *b)
{
	const uint8_t *x = (const uint8_t *)a, *y = (const uint8_t *)b;

	for (size_t i = 0; i < sizeof *a; i++) {
		if (x[i] != y[i])
			return 0;
	}
	return 1;
}

/*
 * The rotation on the scratch key set. 0, 1 when there is no inbox or no
 * usable statement (a fallback: the key is then taken as the statement
 * would have made it), -1 after PROOF FAILURE.
 */
static int
rotate(const struct proof_media *m)
{
	static struct keystore ks, again;
	uint8_t block[HAL_BLOCK_SIZE];
	struct keyset next, before, orig;
	struct rotation r;
	int rc;

	if (m->inbox.blocks == 0)
		return 1;
	if ((rc = keystore_open(&ks, m->dev, proof_keystore_lba(m),
		 CELLOS_ROOT_KEY_ID, root_pubkey)) < 0 ||
	    ks.state != KEYSTORE_CLEAN)
		return proof_fail(9,
		    "the key set E7 wrote does not read back "
		    "(%s, state %u)",
		    cell_strerror(rc), (unsigned)ks.state);
	orig = ks.ks;
	rc =
	    inbox_read_statement(m->dev, m->inbox, INBOX_PROOF_ROTATION, block);
	if (rc == 0)
		rc = rotation_decode(block, ROTATION_SIZE, &r);
	next = ks.ks;
	if (rc == 0)
		rc = keyset_rotate(&next, &r);
	if (rc < 0) {
		proof_fallback(9,
		    "disk: the inbox's proof rotation statement "
		    "(block %llu) is %s (%s); E9 takes key 1 without it",
		    (unsigned long long)(m->inbox.start + INBOX_PROOF_ROTATION),
		    rc == -CELL_E_NOENT ? "missing" : "refused",
		    cell_strerror(rc));
		return 1;
	}
	if ((rc = keystore_write(&ks, &next)) == -CELL_E_IO) {
		/* A disk that fails writes: the storage fallback E7 reports. */
		proof_fallback(7,
		    "disk: the rotated key set cannot be written "
		    "(%s); E9 takes key 1 without it",
		    cell_strerror(rc));
		return 1;
	}
	if (rc < 0 ||
	    (rc = keystore_open(&again, m->dev, proof_keystore_lba(m),
		 CELLOS_ROOT_KEY_ID, root_pubkey)) < 0 ||
	    !same_set(&again.ks, &next))
		return proof_fail(9,
		    "the rotated key set does not read back as "
		    "written (%s)",
		    cell_strerror(rc));
	if (next.count != 2 || keyset_active(&next)->id != 1 ||
	    next.statement_version != 1 || next.security_counter != 2)
		return proof_fail(9,
		    "after the rotation: %u keys, active %u, "
		    "statement %u, counter %u; expected 2, 1, 1, 2",
		    next.count, keyset_active(&next)->id,
		    next.statement_version, next.security_counter);

	/*
	 * A replay (refused: the root key that signed it is no longer the
	 * active key, -CELL_E_BADSIG), and a statement with a signature bit
	 * flipped (refused under the root key, for the set before).
	 */
	before = next;
	if ((rc = keyset_rotate(&next, &r)) != -CELL_E_BADSIG ||
	    !same_set(&next, &before))
		return proof_fail(9,
		    "the statement applied again gave %d (%s), "
		    "expected %d, and the set unchanged",
		    rc, cell_strerror(rc), -CELL_E_BADSIG);
	next = orig;
	block[ROTATION_SIZE - 32] ^= 0x01;
	if ((rc = rotation_decode(block, ROTATION_SIZE, &r)) < 0 ||
	    (rc = keyset_rotate(&next, &r)) != -CELL_E_BADSIG ||
	    !same_set(&next, &orig))
		return proof_fail(9,
		    "a statement with a flipped signature bit "
		    "gave %d (%s), expected %d",
		    rc, cell_strerror(rc), -CELL_E_BADSIG);
	trust_use_key(keyset_active(&before)->id, before.statement_version);
	return 0;
}

int
proof_e9_trust(const struct proof_media *m)
{
	uint8_t frame[PARCEL_HDR_SIZE + 32 + PARCEL_MAC_SIZE];
	uint8_t tag[PARCEL_MAC_SIZE];
	struct parcel p;
	size_t bits, tail_bits;
	int n;

	if ((n = rotate(m)) < 0)
		return -1;
	if (n > 0)
		trust_use_key(1, 1); /* after a fallback: the verdict says so */
	if (trust_active_key() != 1 || trust_key_version() != 1)
		return proof_fail(9, "rotation gave key %u version %u",
		    trust_active_key(), trust_key_version());

	n = parcel_encode(frame, sizeof frame, 1, PARCEL_VERB_LOG, PARCEL_F_MAC,
	    "trust: every flipped bit fails", 30, trust_parcel_mac());
	if (n < 0 ||
	    parcel_decode(frame, (size_t)n, &p, trust_parcel_mac()) != n)
		return proof_fail(9, "a MACed parcel does not verify (%d)", n);
	bits = (size_t)n * 8;
	for (size_t bit = 0; bit < PARCEL_HDR_SIZE * 8; bit++) {
		if (!flip_rejected(frame, (size_t)n, bit))
			return proof_fail(9,
			    "header bit %zu flipped and the "
			    "parcel still verified",
			    bit);
	}
	/* 64 more, spread evenly over payload and tag. */
	tail_bits = bits - PARCEL_HDR_SIZE * 8;
	for (size_t k = 0; k < 64; k++) {
		size_t bit = PARCEL_HDR_SIZE * 8 + k * tail_bits / 64;
		if (!flip_rejected(frame, (size_t)n, bit))
			return proof_fail(9,
			    "bit %zu flipped and the parcel "
			    "still verified",
			    bit);
	}

	trust_mac16(e9_message, sizeof e9_message - 1, tag);
	return proof_emit(PROOF_E9,
	    (const struct proof_field[]){ { "key", trust_active_key() },
		{ "mac16", le32_load(tag) } },
	    2);
}

int
proof_e10_release(void)
{
	uint32_t tag;

	if (proof_e10_tag(&tag) < 0)
		return proof_fail(10, "E2..E9 are not all recorded");
	return proof_emit(PROOF_E10,
	    (const struct proof_field[]){ { "tag", tag },
		{ "build", proof_build_id() } },
	    2);
}
