/* virt block storage: virtio-blk comes with the storage work; none yet. */
#include "cellos/errors.h"
#include "hal.h"

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
