/*
 * KV recovery over a fuzzed region: open it, read every key it indexed,
 * then keep writing. Nothing read may be longer than a value can be, and
 * a put that succeeded must read back.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "blk.h"
#include "kv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define AREA_BLOCKS 16

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t disk[AREA_BLOCKS * HAL_BLOCK_SIZE];
	static struct kv_store kv;
	uint8_t value[KV_VALUE_MAX];
	struct blkdev dev;
	struct region area = { 0, AREA_BLOCKS };
	char ns[KV_NS_MAX + 1], key[KV_KEY_MAX + 1];
	int n;

	memset(disk, 0, sizeof disk);
	memcpy(disk, data, size < sizeof disk ? size : sizeof disk);
	blk_ram(&dev, disk, AREA_BLOCKS);
	if (kv_open(&kv, &dev, area) < 0)
		abort();
	for (uint32_t i = 0; i < kv.count; i++) {
		memcpy(ns, kv.entries[i].ns, kv.entries[i].ns_len);
		ns[kv.entries[i].ns_len] = '\0';
		memcpy(key, kv.entries[i].key, kv.entries[i].key_len);
		key[kv.entries[i].key_len] = '\0';
		n = kv_get(&kv, ns, key, value, sizeof value);
		if (n > KV_VALUE_MAX)
			abort();
	}
	for (int i = 0; i < 20; i++) {
		char k[8] = { 'k', (char)('a' + i % 5), 0 };
		uint8_t v[4] = { (uint8_t)i, 1, 2, 3 };
		if (kv_put(&kv, "f", k, v, sizeof v) == 0 &&
		    (kv_get(&kv, "f", k, value, sizeof value) != 4 ||
		    memcmp(value, v, 4) != 0))
			abort();	/* an acknowledged put does not read back */
	}
	return 0;
}
