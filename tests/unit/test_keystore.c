/*
 * The key set's disk copy (core/keystore.h): a copy laid out as the header
 * says, byte for byte, with its CRC32C computed here bit by bit (not the
 * kernel's table or engine); any one bit flipped anywhere in the block is
 * refused; and keystore_open on two copies: blank (created), one damaged
 * (repaired from the other, which wins), and the newer of two good copies.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "blk.h"
#include "byteorder.h"
#include "cellos/errors.h"
#include "keystore.h"
#include "sign_fixture.h"
#include "testutil.h"
#include "trust.h"

static uint8_t root_pub[32], other_pub[32];
static uint8_t disk[4 * HAL_BLOCK_SIZE];
static struct blkdev dev;

static int
setup(void **state)
{
	(void)state;
	EVP_PKEY_free(fixture_key(0x41, root_pub));
	EVP_PKEY_free(fixture_key(0x42, other_pub));
	return 0;
}

static int
fresh(void **state)
{
	(void)state;
	trust_reset();
	memset(disk, 0, sizeof disk);
	blk_ram(&dev, disk, 4);
	return 0;
}

static void
test_copy_layout_by_hand(void **state)
{
	uint8_t block[HAL_BLOCK_SIZE];
	struct keyset ks, back;
	uint64_t seq = 0;

	(void)state;
	assert_int_equal(keyset_init(&ks, 3, root_pub), 0);
	assert_int_equal(keystore_encode(&ks, 0x0102030405060708ull, block), 0);
	assert_memory_equal(block, "CKSB", 4);
	assert_int_equal(le32_load(block + 4), 1);
	assert_int_equal(le64_load(block + 8), 0x0102030405060708ull);
	assert_int_equal(KEYSTORE_OFF_CRC, 384);
	assert_int_equal(le32_load(block + 384), crc32c_bitwise(block, 384));
	for (unsigned i = 388; i < HAL_BLOCK_SIZE; i++)
		assert_int_equal(block[i], 0);
	assert_int_equal(keystore_decode(block, &seq, &back), 0);
	assert_int_equal(seq, 0x0102030405060708ull);
	assert_int_equal(back.count, 1);
	assert_memory_equal(back.keys[0].pubkey, root_pub, 32);
}

/* Any one bit of the block flipped: refused, with the error for its place. */
static void
test_every_flipped_bit_is_refused(void **state)
{
	uint8_t good[HAL_BLOCK_SIZE], block[HAL_BLOCK_SIZE];
	struct keyset ks, back;
	uint64_t seq;

	(void)state;
	assert_int_equal(keyset_init(&ks, 3, root_pub), 0);
	assert_int_equal(keystore_encode(&ks, 9, good), 0);
	for (unsigned bit = 0; bit < HAL_BLOCK_SIZE * 8; bit++) {
		unsigned at = bit / 8;
		int rc, want;

		memcpy(block, good, sizeof block);
		block[at] ^= (uint8_t)(1u << (bit % 8));
		rc = keystore_decode(block, &seq, &back);
		want = at < 4 ? -CELL_E_MAGIC :
		    at < 8    ? -CELL_E_VERSION :
		    at < 388  ? -CELL_E_CRC :
				-CELL_E_RESERVED;
		if (rc != want)
			fail_msg("bit %u (byte %u) flipped: %d, expected %d",
			    bit, at, rc, want);
	}
	memset(block, 0, sizeof block);
	assert_int_equal(keystore_decode(block, &seq, &back), -CELL_E_NOENT);

	/* Sequence number 0, CRC made good again: out of range. */
	memcpy(block, good, sizeof block);
	le64_store(block + 8, 0);
	le32_store(block + 384, crc32c_bitwise(block, 384));
	assert_int_equal(keystore_decode(block, &seq, &back), -CELL_E_RANGE);
}

static void
test_open_create_repair_newest(void **state)
{
	struct keystore k;
	struct keyset next;

	(void)state;
	/* Both blank: a new device, created from the root key. */
	assert_int_equal(keystore_open(&k, &dev, 1, 3, root_pub), 0);
	assert_int_equal(k.state, KEYSTORE_CREATED);
	assert_int_equal(k.ks.count, 1);
	assert_false(blk_blank(disk + HAL_BLOCK_SIZE, HAL_BLOCK_SIZE));
	assert_false(blk_blank(disk + 2 * HAL_BLOCK_SIZE, HAL_BLOCK_SIZE));
	assert_true(blk_blank(disk, HAL_BLOCK_SIZE)); /* only lba 1 and 2 */

	/* A newer set written: a reopen finds it, not the older copy. */
	next = k.ks;
	next.security_counter = 5;
	assert_int_equal(keystore_write(&k, &next), 0);
	assert_int_equal(keystore_open(&k, &dev, 1, 3, other_pub), 0);
	assert_int_equal(k.state, KEYSTORE_CLEAN);
	assert_int_equal(k.ks.security_counter, 5);

	/* The newer copy damaged: the other one, repaired; never the root. */
	disk[(1 + k.slot) * HAL_BLOCK_SIZE + 20] ^= 0x04;
	assert_int_equal(keystore_open(&k, &dev, 1, 3, other_pub), 0);
	assert_int_equal(k.state, KEYSTORE_REPAIRED);
	assert_int_equal(k.damage_rc, -CELL_E_CRC);
	assert_int_equal(k.ks.security_counter, 0);
	assert_memory_equal(k.ks.keys[0].pubkey, root_pub, 32);
	assert_int_equal(keystore_open(&k, &dev, 1, 3, other_pub), 0);
	assert_int_equal(k.state, KEYSTORE_CLEAN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_copy_layout_by_hand, fresh),
		cmocka_unit_test_setup(test_every_flipped_bit_is_refused,
		    fresh),
		cmocka_unit_test_setup(test_open_create_repair_newest, fresh),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
