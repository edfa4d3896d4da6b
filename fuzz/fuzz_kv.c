/*
 * KV recovery over a fuzzed region: the first 16 blocks of the input are
 * the area, whatever they hold. It must open; every key it indexed must
 * read back, no longer than a value can be; a second open must report no
 * damage (what the first found is repaired once) and index the same keys
 * with the same values. Then the rest of the input drives puts, two-key
 * puts, deletes and reopens, against a shadow of what was acknowledged:
 * an acknowledged write reads back, before and after a reopen.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "blk.h"
#include "cellos/errors.h"
#include "hosted.h"
#include "kv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define AREA_BLOCKS 16
#define FKEYS       5

struct snap {
	uint32_t count;
	char ns[KV_SLOTS][KV_NS_MAX + 1], key[KV_SLOTS][KV_KEY_MAX + 1];
	uint8_t value[KV_SLOTS][KV_VALUE_MAX];
	int len[KV_SLOTS];
};

static struct kv_store kv;
static struct blkdev dev;
static const struct region area = { 0, AREA_BLOCKS };

/* Every indexed key and its value; aborts on a key that does not read. */
static void
take(struct snap *s)
{
	s->count = kv.count;
	for (uint32_t i = 0; i < kv.count; i++) {
		memcpy(s->ns[i], kv.entries[i].ns, kv.entries[i].ns_len);
		s->ns[i][kv.entries[i].ns_len] = '\0';
		memcpy(s->key[i], kv.entries[i].key, kv.entries[i].key_len);
		s->key[i][kv.entries[i].key_len] = '\0';
	}
	for (uint32_t i = 0; i < s->count; i++) {
		s->len[i] =
		    kv_get(&kv, s->ns[i], s->key[i], s->value[i], KV_VALUE_MAX);
		if (s->len[i] < 0 || s->len[i] > KV_VALUE_MAX)
			abort(); /* indexed, but does not read back */
	}
}

/* The store open now holds exactly what s holds. */
static void
same(const struct snap *s)
{
	uint8_t v[KV_VALUE_MAX];

	if (kv.count != s->count)
		abort();
	for (uint32_t i = 0; i < s->count; i++) {
		if (kv_get(&kv, s->ns[i], s->key[i], v, sizeof v) !=
			s->len[i] ||
		    memcmp(v, s->value[i], (size_t)s->len[i]) != 0)
			abort();
	}
}

struct shadow {
	int live[FKEYS];
	uint8_t value[FKEYS][8];
	uint32_t len[FKEYS];
};

static void
shadow_check(const struct shadow *sh)
{
	static const char *const keys[FKEYS] = { "a", "b", "c", "d", "e" };
	uint8_t v[KV_VALUE_MAX];

	for (int k = 0; k < FKEYS; k++) {
		int n = kv_get(&kv, "f", keys[k], v, sizeof v);

		if (sh->live[k] ? n != (int)sh->len[k] ||
			    memcmp(v, sh->value[k], sh->len[k]) != 0 :
				  n != -CELL_E_NOENT)
			abort(); /* an acknowledged write is not there */
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t disk[AREA_BLOCKS * HAL_BLOCK_SIZE];
	static const char *const keys[FKEYS] = { "a", "b", "c", "d", "e" };
	static struct snap first;
	size_t area_bytes = sizeof disk;
	struct shadow sh;

	hosted_console_to(-1);
	memset(disk, 0, sizeof disk);
	memcpy(disk, data, size < area_bytes ? size : area_bytes);
	blk_ram(&dev, disk, AREA_BLOCKS);
	if (kv_open(&kv, &dev, area) < 0)
		abort();
	take(&first);
	if (kv_open(&kv, &dev, area) < 0 || kv.damage != 0)
		abort(); /* damage reported twice */
	same(&first);

	/* The script: one byte an op, values from the bytes after it. */
	memset(&sh, 0, sizeof sh);
	for (uint32_t i = 0; i < kv.count; i++) {
		for (int k = 0; k < FKEYS; k++) {
			if (kv.entries[i].ns_len == 1 &&
			    kv.entries[i].ns[0] == 'f' &&
			    kv.entries[i].key_len == 1 &&
			    kv.entries[i].key[0] == keys[k][0]) {
				sh.live[k] = 1;
				sh.len[k] = (uint32_t)kv_get(&kv, "f", keys[k],
				    sh.value[k], sizeof sh.value[k]);
				if (sh.len[k] > sizeof sh.value[k])
					sh.live[k] = -1; /* too long to track */
			}
		}
	}
	for (size_t at = area_bytes; at + 4 <= size; at += 4) {
		uint8_t op = data[at] % 4;
		int k = data[at + 1] % FKEYS,
		    j = (k + 1 + data[at + 2] % 4) % FKEYS;
		uint8_t v[2] = { data[at + 2], data[at + 3] };
		struct kv_item it[2];
		int rc;

		if (sh.live[k] < 0 || sh.live[j] < 0)
			break;
		switch (op) {
		case 0:
			rc = kv_put(&kv, "f", keys[k], v, 2);
			if (rc == 0) {
				sh.live[k] = 1;
				memcpy(sh.value[k], v, 2);
				sh.len[k] = 2;
			} else if (rc != -CELL_E_NOSPACE) {
				abort();
			}
			break;
		case 1:
			it[0] = (struct kv_item){ "f", keys[k], v, 1, 0 };
			it[1] = (struct kv_item){ "f", keys[j], v + 1, 1, 0 };
			rc = kv_put_many(&kv, it, 2);
			if (rc == 0) {
				sh.live[k] = sh.live[j] = 1;
				sh.value[k][0] = v[0];
				sh.value[j][0] = v[1];
				sh.len[k] = sh.len[j] = 1;
			} else if (rc != -CELL_E_NOSPACE) {
				abort();
			}
			break;
		case 2:
			rc = kv_delete(&kv, "f", keys[k]);
			if (rc != (sh.live[k] ? 0 : -CELL_E_NOENT))
				abort();
			sh.live[k] = 0;
			break;
		default:
			if (kv_open(&kv, &dev, area) < 0 || kv.damage != 0)
				abort(); /* nothing was damaged since */
			break;
		}
		shadow_check(&sh);
	}
	if (kv_open(&kv, &dev, area) < 0 || kv.damage != 0)
		abort();
	shadow_check(&sh);
	return 0;
}
