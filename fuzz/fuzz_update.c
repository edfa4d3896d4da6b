/*
 * Update state records and the updater's boot decision over a fuzzed log.
 * A record that decodes re-encodes to the same block; an area whose log is
 * fuzzed opens, and update_boot never prefers a strand it cannot verify.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "blk.h"
#include "update.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t
	    disk[(2 * STRAND_BLOCKS + UPDATE_LOG_SLOTS) * HAL_BLOCK_SIZE];
	static uint8_t block[HAL_BLOCK_SIZE], again[HAL_BLOCK_SIZE];
	static struct updater u;
	struct update_state st;
	struct blkdev dev;
	struct region area = { 0, sizeof disk / HAL_BLOCK_SIZE };
	int s;

	memset(block, 0, sizeof block);
	memcpy(block, data, size < sizeof block ? size : sizeof block);
	if (update_record_decode(block, &st) == 0) {
		update_record_encode(&st, again);
		if (memcmp(block, again, sizeof block) != 0)
			abort();
	}
	/* The input is the whole area: strands and log. */
	memset(disk, 0, sizeof disk);
	memcpy(disk, data, size < sizeof disk ? size : sizeof disk);
	blk_ram(&dev, disk, sizeof disk / HAL_BLOCK_SIZE);
	if (update_open(&u, &dev, area) < 0)
		abort();
	s = update_boot(&u);
	if (s >= 0 && update_verify(&u, (uint32_t)s, NULL) != 0)
		abort(); /* it chose a strand that does not verify */
	return 0;
}
