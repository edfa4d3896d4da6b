/*
 * Hosted block storage: a file (--disk FILE) or an anonymous in-memory
 * device. Placeholder bodies until the storage work lands: the device
 * reports no blocks, and every access is refused.
 */
#include "cellos/errors.h"
#include "hal.h"
#include "hosted.h"

int
hosted_blk_open(const char *path)
{
	(void)path;
	return 0;
}

int
hosted_blk_use_memory(uint64_t blocks)
{
	(void)blocks;
	return 0;
}

uint64_t
hal_blk_count(void)
{
	return 0;
}

int
hal_blk_read(uint64_t lba, void *buf, uint32_t count)
{
	(void)lba;
	(void)buf;
	(void)count;
	return -CELL_E_NOSYS;
}

int
hal_blk_write(uint64_t lba, const void *buf, uint32_t count)
{
	(void)lba;
	(void)buf;
	(void)count;
	return -CELL_E_NOSYS;
}

int
hal_blk_flush(void)
{
	return -CELL_E_NOSYS;
}
