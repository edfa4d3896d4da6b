/*
 * The persistent key-value store (CFG_ENABLE_ORG_PKV): namespaced keys in a
 * log-structured region of a block device. The region is two halves; the
 * committed half starts with a header block (its generation) followed by
 * its log: records, one per block, each with the generation, a sequence
 * number and a CRC32C, and after the newest record a copy of it (the tail
 * copy), so that the loss of the newest record is seen and undone. A put
 * (or an atomic put of several keys, kv_put_many) appends one record and
 * returns only after it is flushed. A full half is compacted into the other
 * half under a new generation, whose header is written last: a power cut at
 * any point leaves one complete half.
 *
 * Damage (docs/STORAGE.md "The KV store under damage"): the log's valid
 * prefix counts. Recovery takes records in block order while each decodes,
 * has the log's generation and a rising sequence number; everything after
 * the first block that breaks the log is dead for good. Every damage found
 * is reported once on the console ("#W kv: half <h> damaged at block <b>:
 * ...") and counted in kv->damage, and the store then compacts what it kept
 * into the other half under a new generation, so no later open sees the
 * dead records again. New generations and sequence numbers are above every
 * one found anywhere in the area, so nothing written later can rank below
 * anything written before it.
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
	uint64_t block; /* where its newest record is */
	uint64_t seq;   /* that record's sequence number */
	uint8_t op;     /* its place among that record's ops */
};

struct kv_store {
	const struct blkdev *dev;
	struct region area;
	uint64_t half_blocks;
	uint32_t active;     /* the committed half, 0 or 1 */
	uint64_t generation; /* of the committed half; 0: no store yet */
	uint64_t next_block; /* the next record's block within the half */
	uint64_t gen_max;    /* highest generation anywhere in the area */
	/*
	 * highest sequence number anywhere in the area; the next record takes
	 * seq + 1
	 */
	uint64_t seq;
	uint32_t damage; /* damage reports ("#W kv: ...") since kv_open */
	/* a compaction failed: writes refused until the next kv_open */
	int broken;
	/*
	 * per half: blocks from its start that may hold anything; the rest of
	 * it is blank
	 */
	uint64_t used[2];
	uint32_t count;
	struct kv_entry entries[KV_SLOTS];
};

/*
 * Open the store in area of dev, recovering it from the log (an area with
 * no committed half is an empty store, and the first put creates it).
 * Damage found is reported, counted in kv->damage and repaired before
 * kv_open returns (the repair writes). 0, -CELL_E_NOSPACE (area too small),
 * -CELL_E_IO.
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

/* One key of kv_put_many: a put of value[0..len), or a delete. */
struct kv_item {
	const char *ns, *key;
	const void *value;
	uint32_t len;
	int remove; /* 1: delete ns/key (value and len unused) */
};

/*
 * Apply items[0..n) in one record, durably and atomically: after a power
 * cut at any point, a later open sees all of them or none. 0, or
 * -CELL_E_INVAL (n is 0 or over KV_MANY_MAX, or a key appears twice),
 * -CELL_E_NOENT (a delete of a key that is not there), -CELL_E_TOOLONG (as
 * kv_put, or the items together do not fit one block), -CELL_E_NOSPACE,
 * -CELL_E_IO. Nothing is written unless it returns 0 or -CELL_E_IO.
 */
int kv_put_many(struct kv_store *kv, const struct kv_item *items, uint32_t n);

/*
 * Read ns/key into buf[0..cap). Returns the value's length, or
 * -CELL_E_NOENT, -CELL_E_NOSPACE (cap too small), -CELL_E_IO, -CELL_E_CRC
 * (its record no longer decodes: that is damage, reported and repaired like
 * damage found at open, and the key is gone from then on).
 */
int kv_get(struct kv_store *kv, const char *ns, const char *key, void *buf,
    uint32_t cap);

/* Remove ns/key durably. 0, -CELL_E_NOENT, or the errors of kv_put. */
int kv_delete(struct kv_store *kv, const char *ns, const char *key);

/*
 * Decode a record block. 0 and the fields, or -CELL_E_MAGIC, -CELL_E_CRC,
 * -CELL_E_FLAGS, -CELL_E_LENGTH. The ops point into block. For tests and
 * fuzzers.
 */
#define KV_REC_DELETE 0x1u /* a single record that deletes its key */
#define KV_REC_COPY   0x2u /* written by a compaction */
#define KV_REC_MULTI  0x4u /* carries 1..KV_MANY_MAX ops */
#define KV_REC_TAIL   0x8u /* the tail copy of the newest record */
struct kv_op {
	uint32_t deleted;
	uint8_t ns_len, key_len;
	uint16_t value_len;
	const char *ns, *key;
	const uint8_t *value;
};
struct kv_record {
	uint64_t generation, seq;
	uint32_t flags;
	uint32_t n; /* ops */
	struct kv_op op[KV_MANY_MAX];
};
int kv_record_decode(const uint8_t block[HAL_BLOCK_SIZE],
    struct kv_record *out);

/*
 * The two-boot report: read boot/count and boot/last, print
 * "#I kv boot=<n> last=\"<value>\"", then store the new count and
 * "stored by boot <n>" together in one kv_put_many. 0 or a negative
 * CELL_E_* code.
 */
int kv_boot_report(struct kv_store *kv);

#endif
