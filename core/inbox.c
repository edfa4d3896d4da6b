/* The disk's inbox; see inbox.h. */
#include <stddef.h>
#include <stdint.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "cellos/package.h"
#include "inbox.h"

static int
blank(const uint8_t *b, size_t n)
{
	uint8_t any = 0;

	for (size_t i = 0; i < n; i++)
		any |= b[i];
	return any == 0;
}

int
inbox_read_package(const struct blkdev *dev, struct region inbox,
    uint32_t slot, uint8_t buf[INBOX_PACKAGE_BYTES], size_t *len)
{
	uint32_t payload, blocks;
	uint64_t total;
	int rc;

	if ((rc = blk_read(dev, inbox.start + slot, buf, 1)) < 0)
		return rc;
	if (blank(buf, HAL_BLOCK_SIZE))
		return -CELL_E_NOENT;
	payload = le32_load(buf + PACKAGE_OFF_PAYLOAD_LEN);
	total = (uint64_t)payload + PACKAGE_OVERHEAD;
	if (total > INBOX_PACKAGE_BYTES)
		total = INBOX_PACKAGE_BYTES;
	blocks = (uint32_t)((total + HAL_BLOCK_SIZE - 1) / HAL_BLOCK_SIZE);
	if (blocks > 1 && (rc = blk_read(dev, inbox.start + slot + 1,
	    buf + HAL_BLOCK_SIZE, blocks - 1)) < 0)
		return rc;
	*len = (size_t)total;
	return 0;
}

int
inbox_read_statement(const struct blkdev *dev, struct region inbox,
    uint32_t slot, uint8_t block[HAL_BLOCK_SIZE])
{
	int rc;

	if ((rc = blk_read(dev, inbox.start + slot, block, 1)) < 0)
		return rc;
	return blank(block, HAL_BLOCK_SIZE) ? -CELL_E_NOENT : 0;
}

int
inbox_clear(const struct blkdev *dev, struct region inbox, uint32_t slot,
    uint32_t blocks)
{
	static const uint8_t zero[HAL_BLOCK_SIZE];
	int rc;

	for (uint32_t i = 0; i < blocks; i++) {
		if ((rc = blk_write(dev, inbox.start + slot + i, zero, 1)) < 0)
			return rc;
	}
	return blk_flush(dev);
}
