/*
 * The superblock (block 0, and the same bytes in block DISK_BACKUP_LBA),
 * little-endian:
 *   0  u32 "CELL"  4 u32 "DISK"  8 u32 layout  12 u32 block size
 *   16 u64 device blocks
 *   24 u64 scratch start, blocks  40 genome  56 kv  72 inbox
 *   88 u32 CRC32C of bytes 0..87; the rest of the block zero.
 * A superblock is valid when it decodes exactly (magic, layout, block size,
 * the regions this layout puts there, CRC, zeros after it); only the device
 * size may differ from this device's. Two copies let one block's damage be
 * repaired from the other instead of being mistaken for a new disk.
 */
#include <stdint.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "config.h"
#include "crypto.h"
#include "disk.h"

#define SB_CRC_OFF     88
#define SECRET_CRC_OFF 40

uint64_t
disk_blocks_needed(void)
{
	return 16 + DISK_SCRATCH_BLOCKS + DISK_GENOME_BLOCKS + DISK_KV_BLOCKS +
	    DISK_INBOX_BLOCKS;
}

void
disk_regions(struct disk *d)
{
	d->scratch = (struct region){ 16, DISK_SCRATCH_BLOCKS };
	d->genome = (struct region){ d->scratch.start + d->scratch.blocks,
		DISK_GENOME_BLOCKS };
	d->kv = (struct region){ d->genome.start + d->genome.blocks,
		DISK_KV_BLOCKS };
	d->inbox =
	    (struct region){ d->kv.start + d->kv.blocks, DISK_INBOX_BLOCKS };
}

static void
encode(const struct disk *d, uint64_t device_blocks, uint8_t *b)
{
	for (unsigned i = 0; i < HAL_BLOCK_SIZE; i++)
		b[i] = 0;
	le32_store(b + 0, DISK_MAGIC_LO);
	le32_store(b + 4, DISK_MAGIC_HI);
	le32_store(b + 8, DISK_LAYOUT);
	le32_store(b + 12, HAL_BLOCK_SIZE);
	le64_store(b + 16, device_blocks);
	le64_store(b + 24, d->scratch.start);
	le64_store(b + 32, d->scratch.blocks);
	le64_store(b + 40, d->genome.start);
	le64_store(b + 48, d->genome.blocks);
	le64_store(b + 56, d->kv.start);
	le64_store(b + 64, d->kv.blocks);
	le64_store(b + 72, d->inbox.start);
	le64_store(b + 80, d->inbox.blocks);
	le32_store(b + SB_CRC_OFF, crc32c(0, b, SB_CRC_OFF));
}

static int
blank(const uint8_t *b)
{
	uint8_t any = 0;

	for (unsigned i = 0; i < HAL_BLOCK_SIZE; i++)
		any |= b[i];
	return any == 0;
}

/*
 * Whether b is this layout's superblock for some device size (set in
 * *blocks): the bytes this layout would write for that size, exactly.
 */
static int
valid(const struct disk *d, const uint8_t *b, uint64_t *blocks)
{
	uint8_t want[HAL_BLOCK_SIZE];

	*blocks = le64_load(b + 16);
	encode(d, *blocks, want);
	return ct_equal(want, b, HAL_BLOCK_SIZE);
}

static int
write_both(const struct disk *d, const uint8_t *sb)
{
	int rc;

	if ((rc = blk_write(d->dev, 0, sb, 1)) < 0 ||
	    (rc = blk_write(d->dev, DISK_BACKUP_LBA, sb, 1)) < 0)
		return rc;
	return blk_flush(d->dev);
}

int
disk_open(struct disk *d, const struct blkdev *dev)
{
	uint8_t want[HAL_BLOCK_SIZE], sb[2][HAL_BLOCK_SIZE];
	static const uint64_t lba[2] = { 0, DISK_BACKUP_LBA };
	uint64_t blocks[2];
	int ok[2], rc;

	d->dev = dev;
	d->state = DISK_CLEAN;
	d->old_blocks = d->damaged_lba = 0;
	disk_regions(d);
	if (dev->blocks < disk_blocks_needed())
		return -CELL_E_NOSPACE;
	encode(d, dev->blocks, want);
	for (int i = 0; i < 2; i++) {
		if ((rc = blk_read(dev, lba[i], sb[i], 1)) < 0)
			return rc;
		ok[i] = valid(d, sb[i], &blocks[i]);
	}
	if (ok[0] && ok[1] && ct_equal(sb[0], sb[1], HAL_BLOCK_SIZE)) {
		if (blocks[0] == dev->blocks)
			return 0;
		d->state = DISK_RESIZED;
		d->old_blocks = blocks[0];
		return write_both(d, want);
	}
	if (!ok[0] && !ok[1]) {
		if (!blank(sb[0]) || !blank(sb[1]))
			return -CELL_E_MAGIC; /* not ours: leave it alone */
		d->state = DISK_FORMATTED;
		return write_both(d, want);
	}
	/*
	 * One copy is valid, the other damaged (or, from an older kernel that
	 * wrote no copy, blank): rebuild the damaged one for this device.
	 */
	d->state = DISK_REPAIRED;
	d->damaged_lba = ok[0] ? lba[1] : lba[0];
	d->old_blocks = ok[0] ? blocks[0] : blocks[1];
	return write_both(d, want);
}

void
disk_secret_encode(const uint8_t secret[DISK_SECRET_SIZE],
    uint8_t block[HAL_BLOCK_SIZE])
{
	for (unsigned i = 0; i < HAL_BLOCK_SIZE; i++)
		block[i] = 0;
	le32_store(block + 0, DISK_SECRET_MAGIC);
	le32_store(block + 4, DISK_SECRET_FORMAT);
	for (unsigned i = 0; i < DISK_SECRET_SIZE; i++)
		block[8 + i] = secret[i];
	le32_store(block + SECRET_CRC_OFF, crc32c(0, block, SECRET_CRC_OFF));
}

int
disk_secret_decode(const uint8_t block[HAL_BLOCK_SIZE],
    uint8_t secret[DISK_SECRET_SIZE])
{
	uint8_t any = 0;

	if (blank(block))
		return -CELL_E_NOENT;
	if (le32_load(block + 0) != DISK_SECRET_MAGIC)
		return -CELL_E_MAGIC;
	if (le32_load(block + 4) != DISK_SECRET_FORMAT)
		return -CELL_E_VERSION;
	if (le32_load(block + SECRET_CRC_OFF) !=
	    crc32c(0, block, SECRET_CRC_OFF))
		return -CELL_E_CRC;
	for (unsigned i = SECRET_CRC_OFF + 4; i < HAL_BLOCK_SIZE; i++) {
		if (block[i] != 0)
			return -CELL_E_RESERVED;
	}
	for (unsigned i = 0; i < DISK_SECRET_SIZE; i++)
		any |= block[8 + i];
	if (any == 0)
		return -CELL_E_WEAKKEY;
	for (unsigned i = 0; i < DISK_SECRET_SIZE; i++)
		secret[i] = block[8 + i];
	return 0;
}

int
disk_read_secret(const struct disk *d, uint8_t secret[DISK_SECRET_SIZE])
{
	uint8_t block[HAL_BLOCK_SIZE];
	int rc;

	if ((rc = blk_read(d->dev, DISK_SECRET_LBA, block, 1)) < 0)
		return rc;
	rc = disk_secret_decode(block, secret);
	crypto_wipe(block, sizeof block);
	return rc;
}
