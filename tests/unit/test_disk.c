/*
 * The disk layout (core/disk.h) against docs/STORAGE.md's table, by hand:
 * the superblock's fields at their offsets with a CRC32C computed here bit
 * by bit, the copy in block 8, and what disk_open does with a blank
 * device, its own disk, a resized one, one damaged copy and a disk that is
 * not ours; then the device secret slot, every refusal in its place.
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
#include "disk.h"
#include "testutil.h"

#define BLOCKS 2048u /* the layout needs 1,632 */

static uint8_t mem[BLOCKS * HAL_BLOCK_SIZE];
static struct blkdev dev;
static struct disk d;

static int
fresh(void **state)
{
	(void)state;
	memset(mem, 0, sizeof mem);
	blk_ram(&dev, mem, BLOCKS);
	return 0;
}

static const uint8_t *
block(uint64_t lba)
{
	return mem + lba * HAL_BLOCK_SIZE;
}

/* docs/STORAGE.md's superblock for a device of n blocks, field by field. */
static void
expect_superblock(const uint8_t *b, uint64_t n)
{
	static const uint64_t regions[4][2] = {
		{ 16, 256 },   /* scratch: 16 .. 271 */
		{ 272, 256 },  /* genome: 272 .. 527 */
		{ 528, 1024 }, /* KV: 528 .. 1551 */
		{ 1552, 80 },  /* inbox: 1552 .. 1631 */
	};

	assert_memory_equal(b, "CELLDISK", 8);
	assert_int_equal(le32_load(b + 8), 2);
	assert_int_equal(le32_load(b + 12), HAL_BLOCK_SIZE);
	assert_int_equal(le64_load(b + 16), n);
	for (int r = 0; r < 4; r++) {
		assert_int_equal(le64_load(b + 24 + 16 * r), regions[r][0]);
		assert_int_equal(le64_load(b + 32 + 16 * r), regions[r][1]);
	}
	assert_int_equal(le32_load(b + 88), crc32c_bitwise(b, 88));
	for (unsigned i = 92; i < HAL_BLOCK_SIZE; i++)
		assert_int_equal(b[i], 0);
}

static void
test_blank_is_formatted_as_documented(void **state)
{
	(void)state;
	assert_int_equal(disk_blocks_needed(), 1632);
	assert_int_equal(disk_open(&d, &dev), 0);
	assert_int_equal(d.state, DISK_FORMATTED);
	expect_superblock(block(0), BLOCKS);
	assert_memory_equal(block(8), block(0), HAL_BLOCK_SIZE);
	assert_int_equal(d.scratch.start, 16);
	assert_int_equal(d.genome.start, 272);
	assert_int_equal(d.kv.start, 528);
	assert_int_equal(d.inbox.start, 1552);
	assert_int_equal(d.inbox.blocks, 80);
	/* Reopened: clean, nothing rewritten. */
	assert_int_equal(disk_open(&d, &dev), 0);
	assert_int_equal(d.state, DISK_CLEAN);
}

static void
test_resized_repaired_and_foreign(void **state)
{
	struct blkdev smaller;
	uint8_t before[16 * HAL_BLOCK_SIZE];

	(void)state;
	assert_int_equal(disk_open(&d, &dev), 0);
	/* The same disk seen as 1,700 blocks: rewritten for that size. */
	blk_ram(&smaller, mem, 1700);
	assert_int_equal(disk_open(&d, &smaller), 0);
	assert_int_equal(d.state, DISK_RESIZED);
	assert_int_equal(d.old_blocks, BLOCKS);
	expect_superblock(block(0), 1700);
	assert_memory_equal(block(8), block(0), HAL_BLOCK_SIZE);
	/* Exactly the layout's size is enough; a block less is not. */
	blk_ram(&smaller, mem, 1632);
	assert_int_equal(disk_open(&d, &smaller), 0);
	assert_int_equal(d.state, DISK_RESIZED);
	blk_ram(&smaller, mem, 1631);
	assert_int_equal(disk_open(&d, &smaller), -CELL_E_NOSPACE);

	/* One copy damaged (either one): rebuilt from the other. */
	assert_int_equal(disk_open(&d, &dev), 0);
	for (int which = 0; which < 2; which++) {
		uint64_t lba = which ? 8 : 0;

		mem[lba * HAL_BLOCK_SIZE + 30] ^= 0x40;
		assert_int_equal(disk_open(&d, &dev), 0);
		assert_int_equal(d.state, DISK_REPAIRED);
		assert_int_equal(d.damaged_lba, lba);
		expect_superblock(block(lba), BLOCKS);
	}
	assert_int_equal(disk_open(&d, &dev), 0);
	assert_int_equal(d.state, DISK_CLEAN);

	/* Both copies something else: not ours, nothing written. */
	memset(mem, 0x5A, 16 * HAL_BLOCK_SIZE);
	memcpy(before, mem, sizeof before);
	assert_int_equal(disk_open(&d, &dev), -CELL_E_MAGIC);
	assert_memory_equal(mem, before, sizeof before);
	/* Something else in either block and zeros in the other: still not
	 * ours (a blank disk is one whose both blocks are zeros). */
	for (int which = 0; which < 2; which++) {
		memset(mem, 0, 16 * HAL_BLOCK_SIZE);
		mem[(which ? 8 : 0) * HAL_BLOCK_SIZE + 100] = 0x01;
		memcpy(before, mem, sizeof before);
		assert_int_equal(disk_open(&d, &dev), -CELL_E_MAGIC);
		assert_memory_equal(mem, before, sizeof before);
	}
}

static void
test_secret_slot(void **state)
{
	uint8_t secret[DISK_SECRET_SIZE], got[DISK_SECRET_SIZE];
	uint8_t b[HAL_BLOCK_SIZE], good[HAL_BLOCK_SIZE];

	(void)state;
	for (unsigned i = 0; i < sizeof secret; i++)
		secret[i] = (uint8_t)(i + 1);
	secret[0] = 0; /* a zero byte is fine; only all-zero is refused */
	disk_secret_encode(secret, good);
	assert_memory_equal(good, "CSEC", 4);
	assert_int_equal(le32_load(good + 4), 1);
	assert_memory_equal(good + 8, secret, 32);
	assert_int_equal(le32_load(good + 40), crc32c_bitwise(good, 40));
	for (unsigned i = 44; i < HAL_BLOCK_SIZE; i++)
		assert_int_equal(good[i], 0);
	assert_int_equal(disk_secret_decode(good, got), 0);
	assert_memory_equal(got, secret, sizeof got);

	for (unsigned at = 0; at < HAL_BLOCK_SIZE; at++) {
		int want = at < 4 ? -CELL_E_MAGIC :
		    at < 8        ? -CELL_E_VERSION :
		    at < 44       ? -CELL_E_CRC :
				    -CELL_E_RESERVED;

		memcpy(b, good, sizeof b);
		b[at] ^= 0x01;
		if (disk_secret_decode(b, got) != want)
			fail_msg("byte %u flipped: %d, expected %d", at,
			    disk_secret_decode(b, got), want);
	}
	memset(b, 0, sizeof b);
	assert_int_equal(disk_secret_decode(b, got), -CELL_E_NOENT);
	memset(secret, 0, sizeof secret);
	disk_secret_encode(secret, b);
	assert_int_equal(disk_secret_decode(b, got), -CELL_E_WEAKKEY);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_blank_is_formatted_as_documented,
		    fresh),
		cmocka_unit_test_setup(test_resized_repaired_and_foreign,
		    fresh),
		cmocka_unit_test_setup(test_secret_slot, fresh),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
