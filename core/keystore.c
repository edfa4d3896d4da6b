/* The key set on a block device; see keystore.h. */
#include <stdint.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "crypto.h"
#include "keystore.h"
#include "trust.h"

_Static_assert(KEYSTORE_OFF_CRC + 4 <= HAL_BLOCK_SIZE, "a copy is one block");

static void
mac_key(uint8_t key[KEYSET_MAC_KEY_SIZE])
{
	trust_derive("cell_os key set", key);
}

int
keystore_encode(const struct keyset *ks, uint64_t seq,
    uint8_t block[HAL_BLOCK_SIZE])
{
	uint8_t key[KEYSET_MAC_KEY_SIZE];
	int rc;

	for (unsigned i = 0; i < HAL_BLOCK_SIZE; i++)
		block[i] = 0;
	le32_store(block + 0, KEYSTORE_MAGIC);
	le32_store(block + 4, KEYSTORE_FORMAT);
	le64_store(block + 8, seq);
	mac_key(key);
	rc = keyset_encode(ks, key, block + KEYSTORE_OFF_RECORD,
	    KEYSET_RECORD_SIZE);
	crypto_wipe(key, sizeof key);
	if (rc < 0)
		return rc;
	le32_store(block + KEYSTORE_OFF_CRC,
	    crc32c(0, block, KEYSTORE_OFF_CRC));
	return 0;
}

int
keystore_decode(const uint8_t block[HAL_BLOCK_SIZE], uint64_t *seq,
    struct keyset *ks)
{
	uint8_t key[KEYSET_MAC_KEY_SIZE], any = 0;
	int rc;

	for (unsigned i = 0; i < HAL_BLOCK_SIZE; i++)
		any |= block[i];
	if (any == 0)
		return -CELL_E_NOENT;
	if (le32_load(block + 0) != KEYSTORE_MAGIC)
		return -CELL_E_MAGIC;
	if (le32_load(block + 4) != KEYSTORE_FORMAT)
		return -CELL_E_VERSION;
	if (le32_load(block + KEYSTORE_OFF_CRC) !=
	    crc32c(0, block, KEYSTORE_OFF_CRC))
		return -CELL_E_CRC;
	for (unsigned i = KEYSTORE_OFF_CRC + 4; i < HAL_BLOCK_SIZE; i++) {
		if (block[i] != 0)
			return -CELL_E_RESERVED;
	}
	if (le64_load(block + 8) == 0)
		return -CELL_E_RANGE;
	mac_key(key);
	rc = keyset_decode(block + KEYSTORE_OFF_RECORD, KEYSET_RECORD_SIZE, key,
	    ks);
	crypto_wipe(key, sizeof key);
	if (rc < 0)
		return rc;
	*seq = le64_load(block + 8);
	return 0;
}

/* Write ks as copy slot with seq, durably. */
static int
put(const struct keystore *k, uint32_t slot, uint64_t seq,
    const struct keyset *ks)
{
	uint8_t block[HAL_BLOCK_SIZE];
	int rc;

	if ((rc = keystore_encode(ks, seq, block)) < 0 ||
	    (rc = blk_write(k->dev, k->lba + slot, block, 1)) < 0)
		return rc;
	return blk_flush(k->dev);
}

int
keystore_open(struct keystore *k, const struct blkdev *dev, uint64_t lba,
    uint32_t root_id, const uint8_t root_pub[KEYSET_PUBKEY_SIZE])
{
	uint8_t block[HAL_BLOCK_SIZE];
	struct keyset ks[2];
	uint64_t seq[2] = { 0, 0 };
	int rc[2], use;

	k->dev = dev;
	k->lba = lba;
	k->state = KEYSTORE_CLEAN;
	k->damaged_lba = 0;
	k->damage_rc = 0;
	for (uint32_t i = 0; i < 2; i++) {
		int r = blk_read(dev, lba + i, block, 1);

		if (r < 0)
			return r;
		rc[i] = keystore_decode(block, &seq[i], &ks[i]);
	}
	/*
	 * A new device: its first key set is the image's root key. Creation
	 * writes copy 0, then copy 1, and every later write keeps both
	 * non-blank, so copy 1 blank with copy 0 not decoding is a creation
	 * the power cut off (nothing was acknowledged): create it again.
	 */
	if (rc[1] == -CELL_E_NOENT && rc[0] < 0) {
		int r;

		if ((r = keyset_init(&k->ks, root_id, root_pub)) < 0)
			return r;
		k->dev = dev;
		if ((r = put(k, 0, 1, &k->ks)) < 0 ||
		    (r = put(k, 1, 2, &k->ks)) < 0)
			return r;
		k->seq = 2;
		k->slot = 1;
		k->state = KEYSTORE_CREATED;
		return 0;
	}
	if (rc[0] < 0 && rc[1] < 0)
		return rc[0] != -CELL_E_NOENT ? rc[0] : rc[1];
	use = rc[0] < 0 ? 1 : rc[1] < 0 ? 0 : seq[1] > seq[0] ? 1 : 0;
	k->ks = ks[use];
	k->seq = seq[use];
	k->slot = (uint32_t)use;
	if (rc[1 - use] < 0) {
		int r;

		k->state = KEYSTORE_REPAIRED;
		k->damaged_lba = lba + (uint64_t)(1 - use);
		k->damage_rc = rc[1 - use];
		if ((r = keystore_write(k, &k->ks)) < 0)
			return r;
	}
	return 0;
}

int
keystore_write(struct keystore *k, const struct keyset *next)
{
	struct keyset copy = *next;
	uint32_t slot = 1 - k->slot;
	int rc;

	if ((rc = put(k, slot, k->seq + 1, &copy)) < 0)
		return rc;
	k->ks = copy;
	k->seq++;
	k->slot = slot;
	return 0;
}
