/*
 * Block devices as the storage code sees them: whole HAL_BLOCK_SIZE blocks,
 * read, written and flushed through a small table of operations, so the
 * updater and the KV store run unchanged on the HAL's disk, on RAM, or on
 * the power-loss harness's emulated device.
 */
#ifndef CELLOS_BLK_H
#define CELLOS_BLK_H

#include <stddef.h>
#include <stdint.h>

#include "cellos/errors.h"
#include "hal.h"

struct blkdev {
	uint64_t blocks;
	int (*read)(void *ctx, uint64_t lba, void *buf, uint32_t count);
	int (*write)(void *ctx, uint64_t lba, const void *buf, uint32_t count);
	int (*flush)(void *ctx);
	void *ctx;
};

/* The HAL's device (hal_blk_*); blocks is 0 when the machine has none. */
struct blkdev *blk_hal(void);

/* A device over blocks * HAL_BLOCK_SIZE bytes of memory. */
void blk_ram(struct blkdev *dev, uint8_t *mem, uint64_t blocks);

/*
 * Range-checked access: -CELL_E_RANGE when [lba, lba + count) is not on
 * the device, else the device's own result (0 or -CELL_E_IO).
 */
int blk_read(const struct blkdev *dev, uint64_t lba, void *buf, uint32_t count);
int blk_write(const struct blkdev *dev, uint64_t lba, const void *buf,
    uint32_t count);
int blk_flush(const struct blkdev *dev);

/* Whether the n bytes at b are all zero (a blank block, an empty slot). */
int blk_blank(const void *b, size_t n);

#endif
