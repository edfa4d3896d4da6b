/*
 * The trusted key set on a block device: two copies in consecutive blocks,
 * written alternately, each with a sequence number, so a power cut while
 * one is written leaves the other. A copy (one block, little-endian):
 *   0 u32 magic "CKSB"  4 u32 format 1  8 u64 seq
 *   16 the key set record (KEYSET_RECORD_SIZE bytes, MACed under the key
 *      set key: trust_derive("cell_os key set"))
 *   384 u32 CRC32C of bytes 0..383; the rest of the block zero.
 * The newest copy that decodes (CRC, then the record's MAC and rules) is
 * the key set. Only a blank second copy with no first one that decodes
 * means a new device (or its creation cut off by the power: copy 0 is
 * written first); any other copy that does not decode is damage, reported
 * by keystore_open's state, never a reason to start again from the image's
 * root key.
 */
#ifndef CELLOS_KEYSTORE_H
#define CELLOS_KEYSTORE_H

#include <stdint.h>

#include "blk.h"
#include "cellos/errors.h"
#include "keyset_codec.h"

#define KEYSTORE_MAGIC      0x42534B43u /* bytes 43 4B 53 42: "CKSB" */
#define KEYSTORE_FORMAT     1u
#define KEYSTORE_OFF_RECORD 16u
#define KEYSTORE_OFF_CRC    (KEYSTORE_OFF_RECORD + KEYSET_RECORD_SIZE)
#define KEYSTORE_BLOCKS     2u

enum keystore_state {
	KEYSTORE_CLEAN = 0, /* both copies decode */
	KEYSTORE_CREATED,   /* both were blank: created from the root key */
	/*
	 * one copy was damaged or blank: rewritten from the other (damaged_lba,
	 * damage_rc)
	 */
	KEYSTORE_REPAIRED
};

struct keystore {
	const struct blkdev *dev;
	uint64_t lba;  /* copies at lba and lba + 1 */
	uint64_t seq;  /* of the newest copy */
	uint32_t slot; /* 0 or 1: the copy that holds it */
	struct keyset ks;
	enum keystore_state state;
	uint64_t damaged_lba;
	int damage_rc; /* why that copy was refused; -CELL_E_NOENT: blank */
};

/*
 * Open the key set at lba, lba + 1 of dev. The second blank and the first
 * blank or not decoding (a new device): create it with
 * keyset_init(root_id, root_pub) and write both copies. One that does not
 * decode while the other does: rewrite it from the other. 0 (k->state
 * says which), or, with nothing written: the error of the copy that was
 * refused (-CELL_E_CRC, -CELL_E_BADMAC, ...) when neither decodes,
 * -CELL_E_IO.
 */
int keystore_open(struct keystore *k, const struct blkdev *dev, uint64_t lba,
    uint32_t root_id, const uint8_t root_pub[KEYSET_PUBKEY_SIZE]);

/*
 * Make next the key set: written to the older copy with the next sequence
 * number and flushed; only then does k hold it. 0, keyset_encode's error,
 * -CELL_E_IO.
 */
int keystore_write(struct keystore *k, const struct keyset *next);

/* Encode ks as a copy with seq (for the tools and tests). 0 or an error. */
int keystore_encode(const struct keyset *ks, uint64_t seq,
    uint8_t block[HAL_BLOCK_SIZE]);

/*
 * Decode a copy: 0, *seq and *ks; -CELL_E_NOENT (blank), -CELL_E_MAGIC,
 * -CELL_E_VERSION, -CELL_E_CRC, -CELL_E_RESERVED, -CELL_E_RANGE (seq 0),
 * keyset_decode's error.
 */
int keystore_decode(const uint8_t block[HAL_BLOCK_SIZE], uint64_t *seq,
    struct keyset *ks);

#endif
