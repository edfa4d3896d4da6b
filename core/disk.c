/*
 * The superblock (block 0), little-endian:
 *   0  u32 "CELL"  4 u32 "DISK"  8 u32 layout  12 u32 block size
 *   16 u64 device blocks
 *   24 u64 scratch start, blocks  40 genome  56 kv
 *   72 u32 CRC32C of bytes 0..71
 */
#include <stdint.h>

#include "cellos/errors.h"
#include "config.h"
#include "crypto.h"
#include "disk.h"
#include "parcel.h"

#define SB_CRC_OFF 72

uint64_t
disk_blocks_needed(void)
{
	return 16 + DISK_SCRATCH_BLOCKS + DISK_GENOME_BLOCKS + DISK_KV_BLOCKS;
}

static void
layout(struct disk *d)
{
	d->scratch = (struct region){ 16, DISK_SCRATCH_BLOCKS };
	d->genome = (struct region){ d->scratch.start + d->scratch.blocks,
	    DISK_GENOME_BLOCKS };
	d->kv = (struct region){ d->genome.start + d->genome.blocks,
	    DISK_KV_BLOCKS };
}

static void
encode(const struct disk *d, uint8_t *b)
{
	for (unsigned i = 0; i < HAL_BLOCK_SIZE; i++)
		b[i] = 0;
	le32_store(b + 0, DISK_MAGIC_LO);
	le32_store(b + 4, DISK_MAGIC_HI);
	le32_store(b + 8, DISK_LAYOUT);
	le32_store(b + 12, HAL_BLOCK_SIZE);
	le64_store(b + 16, d->dev->blocks);
	le64_store(b + 24, d->scratch.start);
	le64_store(b + 32, d->scratch.blocks);
	le64_store(b + 40, d->genome.start);
	le64_store(b + 48, d->genome.blocks);
	le64_store(b + 56, d->kv.start);
	le64_store(b + 64, d->kv.blocks);
	le32_store(b + SB_CRC_OFF, crc32c(0, b, SB_CRC_OFF));
}

int
disk_open(struct disk *d, const struct blkdev *dev)
{
	uint8_t want[HAL_BLOCK_SIZE], have[HAL_BLOCK_SIZE];
	int rc;

	d->dev = dev;
	d->formatted = 0;
	layout(d);
	if (dev->blocks < disk_blocks_needed())
		return -CELL_E_NOSPACE;
	encode(d, want);
	if ((rc = blk_read(dev, 0, have, 1)) < 0)
		return rc;
	/* Our superblock for this exact layout and size: use it as it is. */
	if (parcel_ct_equal(want, have, HAL_BLOCK_SIZE))
		return 0;
	if ((rc = blk_write(dev, 0, want, 1)) < 0 || (rc = blk_flush(dev)) < 0)
		return rc;
	d->formatted = 1;
	return 0;
}
