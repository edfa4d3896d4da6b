/* Block devices; see blk.h. */
#include <stddef.h>
#include <stdint.h>

#include "blk.h"
#include "cellos/errors.h"

static int
hal_read(void *ctx, uint64_t lba, void *buf, uint32_t count)
{
	(void)ctx;
	return hal_blk_read(lba, buf, count);
}

static int
hal_write(void *ctx, uint64_t lba, const void *buf, uint32_t count)
{
	(void)ctx;
	return hal_blk_write(lba, buf, count);
}

static int
hal_flush(void *ctx)
{
	(void)ctx;
	return hal_blk_flush();
}

struct blkdev *
blk_hal(void)
{
	static struct blkdev dev = { 0, hal_read, hal_write, hal_flush, NULL };

	dev.blocks = hal_blk_count();
	return &dev;
}

static int
ram_read(void *ctx, uint64_t lba, void *buf, uint32_t count)
{
	const uint8_t *src = (const uint8_t *)ctx + lba * HAL_BLOCK_SIZE;
	uint8_t *dst = buf;

	for (uint64_t i = 0; i < (uint64_t)count * HAL_BLOCK_SIZE; i++)
		dst[i] = src[i];
	return 0;
}

static int
ram_write(void *ctx, uint64_t lba, const void *buf, uint32_t count)
{
	uint8_t *dst = (uint8_t *)ctx + lba * HAL_BLOCK_SIZE;
	const uint8_t *src = buf;

	for (uint64_t i = 0; i < (uint64_t)count * HAL_BLOCK_SIZE; i++)
		dst[i] = src[i];
	return 0;
}

static int
ram_flush(void *ctx)
{
	(void)ctx;
	return 0;
}

void
blk_ram(struct blkdev *dev, uint8_t *mem, uint64_t blocks)
{
	*dev = (struct blkdev){ blocks, ram_read, ram_write, ram_flush, mem };
}

static int
in_range(const struct blkdev *dev, uint64_t lba, uint32_t count)
{
	return count > 0 && lba < dev->blocks && count <= dev->blocks - lba;
}

int
blk_read(const struct blkdev *dev, uint64_t lba, void *buf, uint32_t count)
{
	if (!in_range(dev, lba, count))
		return -CELL_E_RANGE;
	return dev->read(dev->ctx, lba, buf, count);
}

int
blk_write(const struct blkdev *dev, uint64_t lba, const void *buf,
    uint32_t count)
{
	if (!in_range(dev, lba, count))
		return -CELL_E_RANGE;
	return dev->write(dev->ctx, lba, buf, count);
}

int
blk_flush(const struct blkdev *dev)
{
	return dev->flush(dev->ctx);
}

/*
 * Here rather than beside its callers: this file is built without the
 * fuzzers' comparison tracing, which on every byte of every scanned block
 * (UBSan's pointer checks) was a tenth of fuzz-boot's time.
 */
int
blk_blank(const void *b, size_t n)
{
	const uint8_t *p = b;
	uint64_t any = 0;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;

		__builtin_memcpy(&w, p + i, 8); /* one load, any alignment */
		any |= w;
	}
	for (; i < n; i++)
		any |= p[i];
	return any == 0;
}
