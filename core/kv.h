/*
 * The persistent key-value store (CFG_ENABLE_ORG_PKV): namespaced keys in a
 * log-structured region of a block device. The region is two halves; the
 * active half starts with a header block (its generation) followed by
 * records, one per block, each with a sequence number and a CRC32C. A put
 * appends a record and returns only after it is flushed. When the active
 * half is full, the live records are copied to the other half, flushed, and
 * only then is that half's header written with the next generation: a power
 * cut at any point leaves one complete half. Recovery scans the active half
 * and stops at the first record that is torn, stale or out of sequence.
 */
#ifndef CELLOS_KV_H
#define CELLOS_KV_H

#include <stddef.h>
#include <stdint.h>

#include "blk.h"
#include "cellos/errors.h"
#include "config.h"
#include "disk.h"

struct kv_entry {
	uint8_t ns_len, key_len;
	char ns[KV_NS_MAX];
	char key[KV_KEY_MAX];
	uint64_t block;		/* where its newest record is */
};

struct kv_store {
	const struct blkdev *dev;
	struct region area;
	uint64_t half_blocks;
	uint32_t active;	/* 0 or 1 */
	uint64_t generation;
	uint64_t next_block;	/* within the active half, 1.. */
	uint64_t seq;		/* of the newest record */
	uint32_t count;
	struct kv_entry entries[KV_SLOTS];
};

/*
 * Open the store in area of dev, recovering it from the log (an area with
 * no valid half is an empty store, and the first put creates it).
 * 0, -CELL_E_NOSPACE (area too small), -CELL_E_IO.
 */
int kv_open(struct kv_store *kv, const struct blkdev *dev, struct region area);

/*
 * Store value under ns/key, durably. 0, or -CELL_E_TOOLONG (namespace over
 * KV_NS_MAX, key over KV_KEY_MAX or value over KV_VALUE_MAX bytes; empty
 * key), -CELL_E_NOSPACE (KV_SLOTS live keys, or live data that no longer
 * fits a half), -CELL_E_IO.
 */
int kv_put(struct kv_store *kv, const char *ns, const char *key,
    const void *value, uint32_t len);

/*
 * Read ns/key into buf[0..cap). Returns the value's length, or
 * -CELL_E_NOENT, -CELL_E_NOSPACE (cap too small), -CELL_E_CRC (the block no
 * longer checks out), -CELL_E_IO.
 */
int kv_get(struct kv_store *kv, const char *ns, const char *key, void *buf,
    uint32_t cap);

/* Remove ns/key durably. 0, -CELL_E_NOENT, or the errors of kv_put. */
int kv_delete(struct kv_store *kv, const char *ns, const char *key);

/*
 * Decode a record block. 0 and the fields, or -CELL_E_MAGIC, -CELL_E_CRC,
 * -CELL_E_LENGTH. value points into block. For tests and fuzzers.
 */
struct kv_record {
	uint64_t generation, seq;
	uint32_t deleted;
	uint8_t ns_len, key_len;
	uint16_t value_len;
	const char *ns, *key;
	const uint8_t *value;
};
int kv_record_decode(const uint8_t block[HAL_BLOCK_SIZE], struct kv_record *out);

/*
 * The two-boot report: read boot/count and boot/last, print
 * "#I kv boot=<n> last=\"<value>\"", then store the new count and
 * "stored by boot <n>". 0 or a negative CELL_E_* code.
 */
int kv_boot_report(struct kv_store *kv);

#endif
