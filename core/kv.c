/*
 * The KV store; see kv.h. Blocks, little-endian:
 *
 *   half header:  0 u32 "KVH1"  4 u32 0  8 u64 generation  16 u32 CRC32C(0..15)
 *   record:       0 u32 "KVR1"  4 u32 flags (1 = delete)  8 u64 generation
 *                 16 u64 seq  24 u8 ns_len  25 u8 key_len  26 u16 value_len
 *                 28 ns, key, value  ...  508 u32 CRC32C(0..507)
 *
 * A record belongs to a half's generation; recovery takes records in
 * block order while each has the half's generation and a seq above the
 * last, so stale records left from an older generation end the scan.
 */
#include <stdint.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "crypto.h"
#include "kprint.h"
#include "kv.h"

#define HDR_MAGIC	0x3148564Bu	/* "KVH1" */
#define REC_MAGIC	0x3152564Bu	/* "KVR1" */
#define REC_DATA	28
#define REC_CRC		(HAL_BLOCK_SIZE - 4)
#define F_DELETE	1u

_Static_assert(REC_DATA + KV_NS_MAX + KV_KEY_MAX + KV_VALUE_MAX <= REC_CRC,
    "a KV record must fit one block");

static uint8_t io[HAL_BLOCK_SIZE];
static uint8_t copy[HAL_BLOCK_SIZE];	/* compaction's output block */

static size_t
str_len(const char *s, size_t max)
{
	size_t n = 0;

	while (n <= max && s[n] != '\0')
		n++;
	return n;
}

static uint64_t
half_start(const struct kv_store *kv, uint32_t half)
{
	return kv->area.start + half * kv->half_blocks;
}

int
kv_record_decode(const uint8_t block[HAL_BLOCK_SIZE], struct kv_record *out)
{
	uint32_t flags;

	if (le32_load(block) != REC_MAGIC)
		return -CELL_E_MAGIC;
	if (le32_load(block + REC_CRC) != crc32c(0, block, REC_CRC))
		return -CELL_E_CRC;
	flags = le32_load(block + 4);
	out->generation = le64_load(block + 8);
	out->seq = le64_load(block + 16);
	out->ns_len = block[24];
	out->key_len = block[25];
	out->value_len = le16_load(block + 26);
	if ((flags & ~F_DELETE) != 0 || out->ns_len > KV_NS_MAX ||
	    out->key_len == 0 || out->key_len > KV_KEY_MAX ||
	    out->value_len > KV_VALUE_MAX)
		return -CELL_E_LENGTH;
	/* Nothing but zeros between the value and the CRC. */
	for (unsigned i = REC_DATA + out->ns_len + out->key_len + out->value_len;
	    i < REC_CRC; i++) {
		if (block[i] != 0)
			return -CELL_E_LENGTH;
	}
	out->deleted = flags & F_DELETE;
	out->ns = (const char *)block + REC_DATA;
	out->key = out->ns + out->ns_len;
	out->value = (const uint8_t *)out->key + out->key_len;
	return 0;
}

static void
encode(uint8_t *b, uint64_t generation, uint64_t seq, uint32_t flags,
    const char *ns, uint8_t ns_len, const char *key, uint8_t key_len,
    const void *value, uint16_t value_len)
{
	const uint8_t *v = value;
	uint32_t at = REC_DATA;

	for (unsigned i = 0; i < HAL_BLOCK_SIZE; i++)
		b[i] = 0;
	le32_store(b, REC_MAGIC);
	le32_store(b + 4, flags);
	le64_store(b + 8, generation);
	le64_store(b + 16, seq);
	b[24] = ns_len;
	b[25] = key_len;
	le16_store(b + 26, value_len);
	for (unsigned i = 0; i < ns_len; i++)
		b[at++] = (uint8_t)ns[i];
	for (unsigned i = 0; i < key_len; i++)
		b[at++] = (uint8_t)key[i];
	for (unsigned i = 0; i < value_len; i++)
		b[at++] = v[i];
	le32_store(b + REC_CRC, crc32c(0, b, REC_CRC));
}

/* The generation a half's header holds, or 0 when it has none. */
static uint64_t
half_generation(struct kv_store *kv, uint32_t half)
{
	if (blk_read(kv->dev, half_start(kv, half), io, 1) < 0 ||
	    le32_load(io) != HDR_MAGIC || le32_load(io + 16) != crc32c(0, io, 16))
		return 0;
	return le64_load(io + 8);
}

static int
find(const struct kv_store *kv, const char *ns, size_t ns_len, const char *key,
    size_t key_len)
{
	for (uint32_t i = 0; i < kv->count; i++) {
		const struct kv_entry *e = &kv->entries[i];
		int same = e->ns_len == ns_len && e->key_len == key_len;

		for (size_t j = 0; same && j < ns_len; j++)
			same = e->ns[j] == ns[j];
		for (size_t j = 0; same && j < key_len; j++)
			same = e->key[j] == key[j];
		if (same)
			return (int)i;
	}
	return -1;
}

/* Apply one recovered or written record to the index. */
static int
index_record(struct kv_store *kv, const struct kv_record *r, uint64_t block)
{
	int i = find(kv, r->ns, r->ns_len, r->key, r->key_len);

	if (r->deleted) {
		if (i >= 0)
			kv->entries[i] = kv->entries[--kv->count];
		return 0;
	}
	if (i < 0) {
		uint32_t slot = kv->count;
		struct kv_entry *e;

		if (slot >= KV_SLOTS)
			return -CELL_E_NOSPACE;
		e = &kv->entries[slot];
		e->ns_len = r->ns_len;
		e->key_len = r->key_len;
		for (unsigned j = 0; j < r->ns_len && j < KV_NS_MAX; j++)
			e->ns[j] = r->ns[j];
		for (unsigned j = 0; j < r->key_len && j < KV_KEY_MAX; j++)
			e->key[j] = r->key[j];
		kv->count = slot + 1;
		i = (int)slot;
	}
	kv->entries[i].block = block;
	return 0;
}

int
kv_open(struct kv_store *kv, const struct blkdev *dev, struct region area)
{
	uint64_t g0, g1;
	int rc;

	kv->dev = dev;
	kv->area = area;
	kv->half_blocks = area.blocks / 2;
	kv->count = 0;
	kv->seq = 0;
	if (kv->half_blocks < 2)
		return -CELL_E_NOSPACE;
	g0 = half_generation(kv, 0);
	g1 = half_generation(kv, 1);
	kv->active = g1 > g0 ? 1 : 0;
	kv->generation = g1 > g0 ? g1 : g0;
	kv->next_block = 1;
	if (kv->generation == 0)
		return 0;	/* an empty store */
	for (; kv->next_block < kv->half_blocks; kv->next_block++) {
		uint64_t lba = half_start(kv, kv->active) + kv->next_block;
		struct kv_record r;

		if ((rc = blk_read(dev, lba, io, 1)) < 0)
			return rc;
		if (kv_record_decode(io, &r) < 0 || r.generation != kv->generation ||
		    r.seq <= kv->seq)
			break;	/* the end of the log, or a torn record */
		if (index_record(kv, &r, lba) < 0)
			break;
		kv->seq = r.seq;
	}
	return 0;
}

/* Write the header of half making it generation gen, durably. */
static int
write_header(struct kv_store *kv, uint32_t half, uint64_t gen)
{
	int rc;

	for (unsigned i = 0; i < HAL_BLOCK_SIZE; i++)
		io[i] = 0;
	le32_store(io, HDR_MAGIC);
	le64_store(io + 8, gen);
	le32_store(io + 16, crc32c(0, io, 16));
	if ((rc = blk_write(kv->dev, half_start(kv, half), io, 1)) < 0)
		return rc;
	return blk_flush(kv->dev);
}

/*
 * Copy every live record into the other half under the next generation,
 * flush, then switch with that half's header. The old half stays intact
 * (and active) until the header write completes.
 */
static int
compact(struct kv_store *kv)
{
	uint32_t to = 1 - kv->active;
	uint64_t gen = kv->generation + 1, seq = kv->seq, next = 1;
	int rc;

	if (kv->count + 1 >= kv->half_blocks)
		return -CELL_E_NOSPACE;
	for (uint32_t i = 0; i < kv->count; i++) {
		struct kv_record r;

		if ((rc = blk_read(kv->dev, kv->entries[i].block, io, 1)) < 0)
			return rc;
		if (kv_record_decode(io, &r) < 0)
			return -CELL_E_CRC;
		encode(copy, gen, ++seq, 0, r.ns, r.ns_len, r.key, r.key_len,
		    r.value, r.value_len);
		if ((rc = blk_write(kv->dev, half_start(kv, to) + next, copy,
		    1)) < 0)
			return rc;
		kv->entries[i].block = half_start(kv, to) + next;
		next++;
	}
	if ((rc = blk_flush(kv->dev)) < 0 || (rc = write_header(kv, to, gen)) < 0)
		return rc;
	kv->active = to;
	kv->generation = gen;
	kv->seq = seq;
	kv->next_block = next;
	return 0;
}

static int
append(struct kv_store *kv, uint32_t flags, const char *ns, const char *key,
    const void *value, uint32_t len)
{
	size_t ns_len = str_len(ns, KV_NS_MAX);
	size_t key_len = str_len(key, KV_KEY_MAX);
	struct kv_record r;
	uint64_t lba;
	int rc;

	if (ns_len > KV_NS_MAX || key_len > KV_KEY_MAX || key_len == 0 ||
	    len > KV_VALUE_MAX)
		return -CELL_E_TOOLONG;
	/*
	 * A new key needs a slot in the index, and must leave a half room for
	 * every live record plus one more, so that an overwrite can always
	 * compact and proceed.
	 */
	if (!(flags & F_DELETE) && find(kv, ns, ns_len, key, key_len) < 0 &&
	    (kv->count == KV_SLOTS || kv->count + 2 >= kv->half_blocks))
		return -CELL_E_NOSPACE;
	if (kv->generation == 0) {
		/* The first write creates half 0. */
		if ((rc = write_header(kv, 0, 1)) < 0)
			return rc;
		kv->active = 0;
		kv->generation = 1;
		kv->next_block = 1;
	}
	if (kv->next_block >= kv->half_blocks && (rc = compact(kv)) < 0)
		return rc;
	if (kv->next_block >= kv->half_blocks)
		return -CELL_E_NOSPACE;
	lba = half_start(kv, kv->active) + kv->next_block;
	encode(io, kv->generation, kv->seq + 1, flags, ns, (uint8_t)ns_len, key,
	    (uint8_t)key_len, value, (uint16_t)len);
	if ((rc = blk_write(kv->dev, lba, io, 1)) < 0 ||
	    (rc = blk_flush(kv->dev)) < 0)
		return rc;
	kv->seq++;
	kv->next_block++;
	kv_record_decode(io, &r);
	return index_record(kv, &r, lba);
}

int
kv_put(struct kv_store *kv, const char *ns, const char *key, const void *value,
    uint32_t len)
{
	return append(kv, 0, ns, key, value, len);
}

int
kv_delete(struct kv_store *kv, const char *ns, const char *key)
{
	if (find(kv, ns, str_len(ns, KV_NS_MAX), key, str_len(key, KV_KEY_MAX)) < 0)
		return -CELL_E_NOENT;
	return append(kv, F_DELETE, ns, key, NULL, 0);
}

int
kv_get(struct kv_store *kv, const char *ns, const char *key, void *buf,
    uint32_t cap)
{
	uint8_t *out = buf;
	struct kv_record r;
	int i, rc;

	i = find(kv, ns, str_len(ns, KV_NS_MAX), key, str_len(key, KV_KEY_MAX));
	if (i < 0)
		return -CELL_E_NOENT;
	if ((rc = blk_read(kv->dev, kv->entries[i].block, io, 1)) < 0)
		return rc;
	if (kv_record_decode(io, &r) < 0)
		return -CELL_E_CRC;
	if (r.value_len > cap)
		return -CELL_E_NOSPACE;
	for (unsigned j = 0; j < r.value_len; j++)
		out[j] = r.value[j];
	return r.value_len;
}

int
kv_boot_report(struct kv_store *kv)
{
	char last[KV_VALUE_MAX + 1], count_text[16], stored[48];
	uint32_t count = 0;
	int n, rc;

	n = kv_get(kv, "boot", "count", count_text, sizeof count_text - 1);
	if (n > 0) {
		count_text[n] = '\0';
		for (int i = 0; i < n && count_text[i] >= '0' &&
		    count_text[i] <= '9'; i++)
			count = count * 10 + (uint32_t)(count_text[i] - '0');
	}
	n = kv_get(kv, "boot", "last", last, sizeof last - 1);
	if (n < 0)
		ksnprintf(last, sizeof last, "(none)");
	else
		last[n] = '\0';
	count++;
	kprintf("#I kv boot=%u last=\"%s\"\n", count, last);
	n = ksnprintf(count_text, sizeof count_text, "%u", count);
	if ((rc = kv_put(kv, "boot", "count", count_text, (uint32_t)n)) < 0)
		return rc;
	n = ksnprintf(stored, sizeof stored, "stored by boot %u", count);
	return kv_put(kv, "boot", "last", stored, (uint32_t)n);
}
