/*
 * The KV store; see kv.h and docs/STORAGE.md. Blocks, little-endian, laid
 * out by the tables below (wire/layout.h), which the encoders and decoders
 * name every offset by:
 *
 *   half header:  HDR_LAYOUT ("KVH1", 0, generation (not 0), CRC32C of
 *                 what comes before it), then zeros
 *   record:       REC_LAYOUT ("KVR1", flags, generation, seq), a body,
 *                 zeros, and at REC_CRC the CRC32C of bytes 0..REC_CRC-1
 *     single      SINGLE_LAYOUT, then ns, key, value (flags DELETE, COPY,
 *                 TAIL)
 *     multi       MULTI_LAYOUT (n is 1..KV_MANY_MAX), then n x (OP_LAYOUT
 *                 (op flags: 1 = delete), ns, key, value) (flags MULTI,
 *                 COPY, TAIL; a copy deletes nothing)
 *
 * The log of a half of generation G: block 1 on, records of generation G
 * with rising seq, then the tail copy of the newest one (its block with
 * the TAIL flag). A put overwrites the tail copy with its record, flushes,
 * then writes its own tail copy one block on and flushes again.
 */
#include <stdint.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "crypto.h"
#include "kprint.h"
#include "kv.h"
#include "layout.h"

#define HDR_MAGIC 0x3148564Bu /* "KVH1" */
#define REC_MAGIC 0x3152564Bu /* "KVR1" */

/* clang-format off */
#define HDR_LAYOUT(X, a)						\
	X(a, u32, magic,	0)					\
	X(a, u32, zero,		4)	/* 0 */				\
	X(a, u64, generation,	8)					\
	X(a, u32, crc,		16)	/* CRC32C of bytes 0..15 */
/* clang-format on */
#define HDR_USED 20 /* then zeros to the block's end */
LAYOUT_SHAPE(kv_header_layout, HDR_LAYOUT, HDR_USED);
#define HDR_AT(field) offsetof(struct kv_header_layout, field)

/* Every record opens with these; its body follows at REC_BODY. */
/* clang-format off */
#define REC_LAYOUT(X, a)						\
	X(a, u32, magic,	0)					\
	X(a, u32, flags,	4)					\
	X(a, u64, generation,	8)					\
	X(a, u64, seq,		16)
/* clang-format on */
#define REC_BODY 24
LAYOUT_SHAPE(kv_record_layout, REC_LAYOUT, REC_BODY);
#define REC_AT(field) offsetof(struct kv_record_layout, field)

/* The body of a single record and of a multi record; data at REC_DATA. */
/* clang-format off */
#define SINGLE_LAYOUT(X, a)						\
	REC_LAYOUT(X, a)						\
	X(a, u8, ns_len,	24)					\
	X(a, u8, key_len,	25)					\
	X(a, u16, value_len,	26)
/* clang-format on */
#define LAYOUT_SIZE_zero3 3
/* clang-format off */
#define MULTI_LAYOUT(X, a)						\
	REC_LAYOUT(X, a)						\
	X(a, u8, n,		24)					\
	X(a, zero3, zero,	25)	/* 3 zero bytes */
/* clang-format on */
#define REC_DATA 28
LAYOUT_SHAPE(kv_single_layout, SINGLE_LAYOUT, REC_DATA);
LAYOUT_SHAPE(kv_multi_layout, MULTI_LAYOUT, REC_DATA);
#define SINGLE_AT(field) offsetof(struct kv_single_layout, field)
#define MULTI_AT(field)  offsetof(struct kv_multi_layout, field)

/* The header of each op of a multi record, then its ns, key, value. */
/* clang-format off */
#define OP_LAYOUT(X, a)							\
	X(a, u8, flags,		0)	/* OP_DELETE or 0 */		\
	X(a, u8, ns_len,	1)					\
	X(a, u8, key_len,	2)					\
	X(a, u16, value_len,	3)
/* clang-format on */
#define OP_HEAD 5
LAYOUT_SHAPE(kv_op_layout, OP_LAYOUT, OP_HEAD);
#define OP_AT(field) offsetof(struct kv_op_layout, field)

#define REC_CRC     (HAL_BLOCK_SIZE - 4) /* u32 CRC32C of 0..REC_CRC-1 */
#define OP_DELETE   1u
#define SCAN_BLOCKS KV_SCAN_BLOCKS /* blocks read at once by a scan */

_Static_assert(REC_DATA + KV_NS_MAX + KV_KEY_MAX + KV_VALUE_MAX <= REC_CRC,
    "a KV record must fit one block");
_Static_assert(KV_MANY_MAX >= 2 && KV_MANY_MAX <= 255,
    "a multi record counts its ops in a byte");

static uint8_t io[HAL_BLOCK_SIZE];
static uint8_t copy[HAL_BLOCK_SIZE]; /* compaction's output block */
static uint8_t scan_buf[SCAN_BLOCKS * HAL_BLOCK_SIZE];
static const uint8_t zero_block[HAL_BLOCK_SIZE];

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

static int
is_blank(const uint8_t *b)
{
	return blk_blank(b, HAL_BLOCK_SIZE);
}

/*
 * Write one block of the area and remember how far into its half blocks
 * may hold anything (kv->used), so that clearing a half before it is
 * reused never reads the blank rest of it.
 */
static int
write_block(struct kv_store *kv, uint64_t lba, const void *buf)
{
	uint64_t at = lba - kv->area.start;
	uint32_t half = at >= kv->half_blocks;
	uint64_t b = at - half * kv->half_blocks;

	if (b + 1 > kv->used[half])
		kv->used[half] = b + 1;
	return blk_write(kv->dev, lba, buf, 1);
}

static int
same_name(const struct kv_op *a, const struct kv_op *b)
{
	if (a->ns_len != b->ns_len || a->key_len != b->key_len)
		return 0;
	for (unsigned i = 0; i < a->ns_len; i++) {
		if (a->ns[i] != b->ns[i])
			return 0;
	}
	for (unsigned i = 0; i < a->key_len; i++) {
		if (a->key[i] != b->key[i])
			return 0;
	}
	return 1;
}

/* Check one op's lengths and point it into block at *at; advances *at. */
static int
decode_op(const uint8_t *block, uint32_t *at, uint32_t deleted, uint8_t ns_len,
    uint8_t key_len, uint16_t value_len, struct kv_op *op)
{
	if (ns_len > KV_NS_MAX || key_len == 0 || key_len > KV_KEY_MAX ||
	    value_len > KV_VALUE_MAX || (deleted && value_len != 0) ||
	    *at + ns_len + key_len + value_len > REC_CRC)
		return -CELL_E_LENGTH;
	op->deleted = deleted;
	op->ns_len = ns_len;
	op->key_len = key_len;
	op->value_len = value_len;
	op->ns = (const char *)block + *at;
	op->key = op->ns + ns_len;
	op->value = (const uint8_t *)op->key + key_len;
	*at += (uint32_t)ns_len + key_len + value_len;
	return 0;
}

int
kv_record_decode(const uint8_t block[HAL_BLOCK_SIZE], struct kv_record *out)
{
	uint32_t flags, at = REC_DATA;
	int rc;

	if (le32_load(block + REC_AT(magic)) != REC_MAGIC)
		return -CELL_E_MAGIC;
	if (le32_load(block + REC_CRC) != crc32c(0, block, REC_CRC))
		return -CELL_E_CRC;
	flags = le32_load(block + REC_AT(flags));
	out->flags = flags;
	out->generation = le64_load(block + REC_AT(generation));
	out->seq = le64_load(block + REC_AT(seq));
	if (flags & KV_REC_MULTI) {
		if ((flags & ~(KV_REC_MULTI | KV_REC_COPY | KV_REC_TAIL)) != 0)
			return -CELL_E_FLAGS;
		out->n = block[MULTI_AT(n)];
		if (out->n == 0 || out->n > KV_MANY_MAX ||
		    block[MULTI_AT(zero)] != 0 ||
		    block[MULTI_AT(zero) + 1] != 0 ||
		    block[MULTI_AT(zero) + 2] != 0)
			return -CELL_E_LENGTH;
		for (uint32_t i = 0; i < out->n; i++) {
			const uint8_t *h = block + at;

			if (at + OP_HEAD > REC_CRC ||
			    (h[OP_AT(flags)] & ~OP_DELETE) != 0 ||
			    ((flags & KV_REC_COPY) &&
				(h[OP_AT(flags)] & OP_DELETE)))
				return -CELL_E_LENGTH; /* copies only put */
			at += OP_HEAD;
			if ((rc = decode_op(block, &at,
				 h[OP_AT(flags)] & OP_DELETE, h[OP_AT(ns_len)],
				 h[OP_AT(key_len)],
				 le16_load(h + OP_AT(value_len)),
				 &out->op[i])) < 0)
				return rc;
			for (uint32_t j = 0; j < i; j++) {
				if (same_name(&out->op[i], &out->op[j]))
					return -CELL_E_LENGTH;
			}
		}
	} else {
		if ((flags & ~(KV_REC_DELETE | KV_REC_COPY | KV_REC_TAIL)) !=
			0 ||
		    (flags & (KV_REC_DELETE | KV_REC_COPY)) ==
			(KV_REC_DELETE | KV_REC_COPY))
			return -CELL_E_FLAGS;
		out->n = 1;
		if ((rc = decode_op(block, &at, flags & KV_REC_DELETE,
			 block[SINGLE_AT(ns_len)], block[SINGLE_AT(key_len)],
			 le16_load(block + SINGLE_AT(value_len)),
			 &out->op[0])) < 0)
			return rc;
	}
	/* Nothing but zeros between the last value and the CRC. */
	for (; at < REC_CRC; at++) {
		if (block[at] != 0)
			return -CELL_E_LENGTH;
	}
	return 0;
}

/*
 * Encode ops[0..n) as one record into b: a single record when n is 1 and
 * flags has no KV_REC_MULTI, else a multi record. 0, or -CELL_E_TOOLONG
 * when the ops do not fit one block.
 */
static int
encode(uint8_t *b, uint64_t generation, uint64_t seq, uint32_t flags,
    const struct kv_op *ops, uint32_t n)
{
	uint32_t at = REC_DATA;

	for (unsigned i = 0; i < HAL_BLOCK_SIZE; i++)
		b[i] = 0;
	if (n > 1)
		flags |= KV_REC_MULTI;
	if (!(flags & KV_REC_MULTI) && ops[0].deleted)
		flags |= KV_REC_DELETE;
	le32_store(b + REC_AT(magic), REC_MAGIC);
	le32_store(b + REC_AT(flags), flags);
	le64_store(b + REC_AT(generation), generation);
	le64_store(b + REC_AT(seq), seq);
	if (flags & KV_REC_MULTI)
		b[MULTI_AT(n)] = (uint8_t)n;
	for (uint32_t i = 0; i < n; i++) {
		const struct kv_op *op = &ops[i];
		uint32_t need =
		    (uint32_t)op->ns_len + op->key_len + op->value_len;

		if (flags & KV_REC_MULTI) {
			if (at + OP_HEAD + need > REC_CRC)
				return -CELL_E_TOOLONG;
			b[at + OP_AT(flags)] = op->deleted ? OP_DELETE : 0;
			b[at + OP_AT(ns_len)] = op->ns_len;
			b[at + OP_AT(key_len)] = op->key_len;
			le16_store(b + at + OP_AT(value_len), op->value_len);
			at += OP_HEAD;
		} else {
			b[SINGLE_AT(ns_len)] = op->ns_len;
			b[SINGLE_AT(key_len)] = op->key_len;
			le16_store(b + SINGLE_AT(value_len), op->value_len);
		}
		if (at + need > REC_CRC)
			return -CELL_E_TOOLONG;
		for (unsigned j = 0; j < op->ns_len; j++)
			b[at++] = (uint8_t)op->ns[j];
		for (unsigned j = 0; j < op->key_len; j++)
			b[at++] = (uint8_t)op->key[j];
		for (unsigned j = 0; j < op->value_len; j++)
			b[at++] = op->value[j];
	}
	le32_store(b + REC_CRC, crc32c(0, b, REC_CRC));
	return 0;
}

/* Turn an encoded record into its tail copy. */
static void
make_tail(uint8_t *b)
{
	uint32_t flags = le32_load(b + REC_AT(flags));

	le32_store(b + REC_AT(flags), flags | KV_REC_TAIL);
	le32_store(b + REC_CRC, crc32c(0, b, REC_CRC));
}

enum header_state { H_BLANK, H_BAD, H_VALID };

static enum header_state
header_decode(const uint8_t *b, uint64_t *gen)
{
	*gen = 0;
	if (le32_load(b + HDR_AT(magic)) == HDR_MAGIC &&
	    le32_load(b + HDR_AT(zero)) == 0 &&
	    le32_load(b + HDR_AT(crc)) == crc32c(0, b, HDR_AT(crc)) &&
	    le64_load(b + HDR_AT(generation)) != 0) {
		int clean = 1;

		for (unsigned i = HDR_USED; i < HAL_BLOCK_SIZE && clean; i++)
			clean = b[i] == 0;
		if (clean) {
			*gen = le64_load(b + HDR_AT(generation));
			return H_VALID;
		}
	}
	return is_blank(b) ? H_BLANK : H_BAD;
}

static int
entry_find(const struct kv_store *kv, const char *ns, size_t ns_len,
    const char *key, size_t key_len)
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

static void
entry_remove(struct kv_store *kv, uint32_t i)
{
	kv->entries[i] = kv->entries[--kv->count];
}

/*
 * Apply a decoded record, found or written at lba, to the index: all of
 * its ops or, when the live keys would then exceed limit, none of them
 * (-CELL_E_NOSPACE).
 */
static int
index_apply(struct kv_store *kv, const struct kv_record *r, uint64_t lba,
    uint32_t limit)
{
	uint32_t adds = 0, dels = 0;

	for (uint32_t i = 0; i < r->n; i++) {
		const struct kv_op *op = &r->op[i];
		int at =
		    entry_find(kv, op->ns, op->ns_len, op->key, op->key_len);

		if (op->deleted && at >= 0)
			dels++;
		else if (!op->deleted && at < 0)
			adds++;
	}
	if (adds > 0 && kv->count + adds - dels > limit)
		return -CELL_E_NOSPACE;
	for (uint32_t i = 0; i < r->n; i++) {
		const struct kv_op *op = &r->op[i];
		int at =
		    entry_find(kv, op->ns, op->ns_len, op->key, op->key_len);
		struct kv_entry *e;

		if (op->deleted) {
			if (at >= 0)
				entry_remove(kv, (uint32_t)at);
			continue;
		}
		if (at < 0) {
			at = (int)kv->count++;
			e = &kv->entries[at];
			e->ns_len = op->ns_len;
			e->key_len = op->key_len;
			for (unsigned j = 0; j < op->ns_len; j++)
				e->ns[j] = op->ns[j];
			for (unsigned j = 0; j < op->key_len; j++)
				e->key[j] = op->key[j];
		}
		e = &kv->entries[at];
		e->block = lba;
		e->seq = r->seq;
		e->op = (uint8_t)i;
	}
	return 0;
}

/* Live keys the index may hold so that a compaction always has room. */
static uint32_t
key_limit(const struct kv_store *kv)
{
	uint64_t room = kv->half_blocks - 3; /* header, tail, next record */

	return room < KV_SLOTS ? (uint32_t)room : KV_SLOTS;
}

/*
 * Read the record of entries which[0..n) (all in one block) into io and
 * find each one's op: ops[i] for which[i]. 0, -CELL_E_CRC (the block no
 * longer holds that record), -CELL_E_IO.
 */
static int
entries_read(struct kv_store *kv, const uint8_t *which, uint32_t n,
    struct kv_record *r, struct kv_op *ops)
{
	const struct kv_entry *first = &kv->entries[which[0]];
	int rc;

	if ((rc = blk_read(kv->dev, first->block, io, 1)) < 0)
		return rc;
	if (kv_record_decode(io, r) < 0 || r->seq != first->seq ||
	    r->generation != kv->generation)
		return -CELL_E_CRC;
	for (uint32_t k = 0; k < n; k++) {
		const struct kv_entry *e = &kv->entries[which[k]];
		struct kv_op want;
		uint32_t i;

		want.ns = e->ns;
		want.ns_len = e->ns_len;
		want.key = e->key;
		want.key_len = e->key_len;
		for (i = 0; i < r->n; i++) {
			if (same_name(&r->op[i], &want) && !r->op[i].deleted)
				break;
		}
		if (i == r->n)
			return -CELL_E_CRC;
		ops[k] = r->op[i];
	}
	return 0;
}

static void
damage(struct kv_store *kv)
{
	kv->damage++;
}

/* Write the header of half making it generation gen, durably. */
static int
write_header(struct kv_store *kv, uint32_t half, uint64_t gen)
{
	int rc;

	for (unsigned i = 0; i < HAL_BLOCK_SIZE; i++)
		io[i] = 0;
	le32_store(io + HDR_AT(magic), HDR_MAGIC);
	le64_store(io + HDR_AT(generation), gen);
	le32_store(io + HDR_AT(crc), crc32c(0, io, HDR_AT(crc)));
	if ((rc = write_block(kv, half_start(kv, half), io)) < 0)
		return rc;
	return blk_flush(kv->dev);
}

/*
 * Zero every block of half from block first on that is neither blank nor
 * a record, so that a log growing there never meets it. Not flushed.
 */
static int
clear_unreadable(struct kv_store *kv, uint32_t half, uint64_t first,
    uint32_t *cleared)
{
	uint64_t base = half_start(kv, half);
	int rc;

	uint64_t end =
	    kv->used[half] < kv->half_blocks ? kv->used[half] : kv->half_blocks;

	*cleared = 0;
	for (uint64_t b = first; b < end;) {
		uint32_t n =
		    end - b < SCAN_BLOCKS ? (uint32_t)(end - b) : SCAN_BLOCKS;

		if ((rc = blk_read(kv->dev, base + b, scan_buf, n)) < 0)
			return rc;
		for (uint32_t i = 0; i < n; i++) {
			const uint8_t *p = scan_buf + i * HAL_BLOCK_SIZE;
			struct kv_record r;

			if (kv_record_decode(p, &r) == 0 || is_blank(p))
				continue;
			if ((rc = write_block(kv, base + b + i, zero_block)) <
			    0)
				return rc;
			(*cleared)++;
		}
		b += n;
	}
	return 0;
}

/*
 * Copy every live key into half to under a new generation, in the order
 * the keys were last written (oldest first), the keys that share a record
 * together in one copy record, then the tail copy of the last; clear what
 * cannot be read after them; flush; then write that half's header. The
 * old half stays committed until the header write completes. A live
 * record that no longer decodes is damage: reported once, its keys are
 * dropped.
 */
static int
compact(struct kv_store *kv, uint32_t to)
{
	uint64_t gen = kv->gen_max + 1, seq = kv->seq, next = 1;
	uint64_t base = half_start(kv, to), moved[KV_SLOTS],
		 moved_seq[KV_SLOTS];
	uint8_t order[KV_SLOTS], moved_op[KV_SLOTS], dropped[KV_SLOTS] = { 0 };
	uint32_t cleared, g;
	int rc;

	if (kv->count + 3 > kv->half_blocks)
		return -CELL_E_NOSPACE;
	/*
	 * From the first write on, a failure leaves copies in half to that a
	 * later open may take for the store: nothing may be appended to the
	 * old half after them, so the store refuses writes until reopened.
	 */
	kv->broken = 1;
	/* Oldest write first: by seq, then by place within the record. */
	for (uint32_t i = 0; i < kv->count; i++) {
		const struct kv_entry *e = &kv->entries[i];
		uint32_t j = i;

		while (j > 0 &&
		    (kv->entries[order[j - 1]].seq > e->seq ||
			(kv->entries[order[j - 1]].seq == e->seq &&
			    kv->entries[order[j - 1]].op > e->op))) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = (uint8_t)i;
	}
	for (uint32_t k = 0; k < kv->count; k += g) {
		const struct kv_entry *e = &kv->entries[order[k]];
		struct kv_op ops[KV_MANY_MAX];
		struct kv_record r;

		/* The keys of one record are next to each other here. */
		for (g = 1; k + g < kv->count && g < KV_MANY_MAX &&
		     kv->entries[order[k + g]].block == e->block;
		     g++)
			;
		rc = entries_read(kv, order + k, g, &r, ops);
		if (rc == -CELL_E_CRC) {
			for (uint32_t j = 0; j < g; j++)
				dropped[order[k + j]] = 1;
			damage(kv);
			kprintf(
			    "#W kv: half %u damaged at block %llu: the record "
			    "(seq %llu) of %.*s/%.*s%s no longer decodes while "
			    "being copied: %u key(s) lost\n",
			    kv->active, (unsigned long long)e->block,
			    (unsigned long long)e->seq, e->ns_len, e->ns,
			    e->key_len, e->key, g > 1 ? " and others" : "", g);
			continue;
		}
		if (rc < 0)
			return rc;
		if ((rc = encode(copy, gen, ++seq, KV_REC_COPY, ops, g)) < 0 ||
		    (rc = write_block(kv, base + next, copy)) < 0)
			return rc;
		for (uint32_t j = 0; j < g; j++) {
			moved[order[k + j]] = base + next;
			moved_seq[order[k + j]] = seq;
			moved_op[order[k + j]] = (uint8_t)j;
		}
		next++;
	}
	if (next > 1) {
		make_tail(copy);
		if ((rc = write_block(kv, base + next, copy)) < 0)
			return rc;
	}
	if ((rc = clear_unreadable(kv, to, next + (next > 1), &cleared)) < 0 ||
	    (rc = blk_flush(kv->dev)) < 0 ||
	    (rc = write_header(kv, to, gen)) < 0)
		return rc;
	if (cleared > 0)
		kprintf("#I kv: half %u: cleared %u unreadable block(s) before "
			"reusing it\n",
		    to, cleared);
	kv->broken = 0;
	kv->active = to;
	kv->generation = gen;
	kv->gen_max = gen;
	kv->seq = seq;
	kv->next_block = next;
	for (uint32_t i = kv->count; i-- > 0;) {
		if (dropped[i]) {
			entry_remove(kv, i);
			continue; /* the entry moved into i is done */
		}
		kv->entries[i].block = moved[i];
		kv->entries[i].seq = moved_seq[i];
		kv->entries[i].op = moved_op[i];
	}
	return 0;
}

/* ---- recovery ---- */

/* How the log of a half ends: the block after it. */
enum log_end {
	END_TAIL,  /* the tail copy of the newest record: clean */
	END_BLANK, /* a blank block: clean (no tail copy was written) */
	END_STALE, /* a record of another generation: clean */
	END_HALF,  /* the half is full of records: clean */
	END_BAD,   /* a block that does not decode */
	END_ORDER, /* a record of the log's generation out of sequence */
	END_FULL   /* a record that would take more live keys than fit */
};

/* What one pass over a half found. */
struct scan {
	enum header_state header;
	uint64_t header_gen;
	uint64_t put_gen;   /* highest generation of a non-copy record */
	uint64_t chain_gen; /* of a whole log from block 1 to a tail copy */
	uint64_t chain_seq; /* (while reading it: its newest seq) */
	int chain;          /* 1 reading it, 2 done, 0 none */
	uint64_t gen_max, seq_max; /* over its header and valid records */
	uint32_t records;          /* valid records */
	uint64_t used;             /* 1 + the last block that is not blank */
	/* With a generation to build the index from: */
	enum log_end end;
	uint64_t end_block;  /* within the half: the block after the log */
	uint64_t end_gen;    /* END_STALE: the record's generation */
	uint32_t kept;       /* records taken into the index */
	uint64_t last_seq;   /* the newest one */
	uint64_t last_block; /* and where it is */
	int recovered;       /* it came from its tail copy */
	uint32_t dead;       /* records of the generation past the end */
	uint64_t dead_lo, dead_hi; /* their seq range */
	uint32_t unreadable;       /* undecodable blocks past the end */
};

enum scan_state { IN_LOG, AFTER_BREAK, PAST_END };

/* One block of the log walk for generation gen (see struct scan). */
static void
log_step(struct kv_store *kv, struct scan *s, enum scan_state *state,
    uint64_t gen, uint64_t b, uint64_t lba, int valid,
    const struct kv_record *r, int blank)
{
	int ours = valid && r->generation == gen;

	if (*state == IN_LOG) {
		if (ours && !(r->flags & KV_REC_TAIL) && r->seq > s->last_seq) {
			if (index_apply(kv, r, lba, key_limit(kv)) == 0) {
				s->kept++;
				s->last_seq = r->seq;
				s->last_block = lba;
				return;
			}
			s->end = END_FULL;
		} else if (ours && (r->flags & KV_REC_TAIL) && s->kept > 0 &&
		    r->seq == s->last_seq) {
			s->end = END_TAIL;
			s->end_block = b;
			*state = PAST_END;
			return;
		} else if (ours) {
			s->end = END_ORDER;
		} else if (valid) {
			s->end = END_STALE;
			s->end_gen = r->generation;
		} else {
			s->end = blank ? END_BLANK : END_BAD;
		}
		s->end_block = b;
		*state = AFTER_BREAK;
		return;
	}
	if (*state == AFTER_BREAK) {
		*state = PAST_END;
		/* The newest record is lost but its tail copy is here. */
		if (ours && (r->flags & KV_REC_TAIL) && r->seq > s->last_seq &&
		    s->end != END_FULL &&
		    index_apply(kv, r, lba, key_limit(kv)) == 0) {
			s->kept++;
			s->last_seq = r->seq;
			s->last_block = lba;
			s->recovered = 1;
			return;
		}
	}
	if (ours) {
		/* A tail copy right after its own dead record is that record. */
		if ((r->flags & KV_REC_TAIL) && s->dead > 0 &&
		    r->seq == s->dead_hi)
			return;
		if (s->dead == 0 || r->seq < s->dead_lo)
			s->dead_lo = r->seq;
		if (s->dead == 0 || r->seq > s->dead_hi)
			s->dead_hi = r->seq;
		s->dead++;
	} else if (!valid && !blank) {
		s->unreadable++;
	}
}

/*
 * Follow the log that starts at block 1, whatever its generation: records
 * of one generation with rising seq, then the tail copy of the last. A
 * whole one proves that generation was written to the end, as a
 * compaction writes its copies and their tail copy before the header.
 */
static void
chain_step(struct scan *s, uint64_t b, int valid, const struct kv_record *r)
{
	if (b == 1) {
		s->chain = valid && !(r->flags & KV_REC_TAIL);
		s->chain_gen = valid ? r->generation : 0;
		s->chain_seq = valid ? r->seq : 0;
		if (!s->chain)
			s->chain_gen = 0;
		return;
	}
	if (s->chain != 1)
		return;
	if (valid && r->generation == s->chain_gen &&
	    !(r->flags & KV_REC_TAIL) && r->seq > s->chain_seq) {
		s->chain_seq = r->seq;
		return;
	}
	s->chain = 2;
	if (!(valid && r->generation == s->chain_gen &&
		(r->flags & KV_REC_TAIL) && r->seq == s->chain_seq))
		s->chain_gen = 0;
}

/*
 * Read every block of half: its header, generations and sequence numbers,
 * and with gen != 0 the log of generation gen into the index (which the
 * caller has emptied). 0 or -CELL_E_IO.
 */
static int
scan_half(struct kv_store *kv, uint32_t half, uint64_t gen, struct scan *s)
{
	uint64_t base = half_start(kv, half);
	enum scan_state state = IN_LOG;
	int rc;

	*s = (struct scan){ .end = END_HALF, .end_block = kv->half_blocks };
	for (uint64_t b = 0; b < kv->half_blocks;) {
		uint32_t n = kv->half_blocks - b < SCAN_BLOCKS ?
		    (uint32_t)(kv->half_blocks - b) :
		    SCAN_BLOCKS;

		if ((rc = blk_read(kv->dev, base + b, scan_buf, n)) < 0)
			return rc;
		for (uint32_t i = 0; i < n; i++, b++) {
			const uint8_t *p = scan_buf + i * HAL_BLOCK_SIZE;
			struct kv_record r;
			int valid, blank;

			if (b == 0) {
				s->header = header_decode(p, &s->header_gen);
				s->gen_max = s->header_gen;
				if (!is_blank(p))
					s->used = 1;
				continue;
			}
			valid = kv_record_decode(p, &r) == 0;
			blank = !valid && is_blank(p);
			if (!blank)
				s->used = b + 1;
			if (valid) {
				s->records++;
				if (r.generation > s->gen_max)
					s->gen_max = r.generation;
				if (r.seq > s->seq_max)
					s->seq_max = r.seq;
				if (!(r.flags & KV_REC_COPY) &&
				    r.generation > s->put_gen)
					s->put_gen = r.generation;
			}
			chain_step(s, b, valid, &r);
			if (gen != 0)
				log_step(kv, s, &state, gen, b, base + b, valid,
				    &r, blank);
		}
	}
	return 0;
}

/*
 * The generation a half's own blocks prove committed, or 0: its header's;
 * or that of a record a put wrote (a put writes only into a half whose
 * header is on the disk); or that of a whole log from block 1 (copies
 * that reached their tail copy hold all the live keys of the half they
 * were copied from, committed or not).
 */
static uint64_t
committed_generation(const struct scan *s)
{
	uint64_t g = s->header == H_VALID ? s->header_gen : 0;
	uint64_t chain = s->chain == 1 ? 0 : s->chain_gen;

	if (s->put_gen > g)
		g = s->put_gen;
	return chain > g ? chain : g;
}

static const char *
end_text(const struct scan *s, char *buf, size_t size)
{
	switch (s->end) {
	case END_BLANK:
		return "is blank";
	case END_STALE:
		ksnprintf(buf, size, "holds a record of generation %llu",
		    (unsigned long long)s->end_gen);
		return buf;
	case END_ORDER:
		return "holds a record out of sequence";
	case END_FULL:
		return "holds a record that needs more live keys than fit";
	default:
		return "does not decode";
	}
}

/* Report what the log walk of the committed half found; 1 if damage. */
static int
report_log(struct kv_store *kv, const struct scan *s)
{
	uint64_t at = half_start(kv, kv->active) + s->end_block;
	char buf[48];
	const char *what = end_text(s, buf, sizeof buf);

	if (s->recovered && s->dead == 0) {
		kprintf(
		    "#W kv: half %u damaged at block %llu: the newest record "
		    "(seq %llu) %s; recovered it from its tail copy at block "
		    "%llu, nothing lost\n",
		    kv->active, (unsigned long long)at,
		    (unsigned long long)s->last_seq, what,
		    (unsigned long long)at + 1);
	} else if (s->dead > 0) {
		kprintf(
		    "#W kv: half %u damaged at block %llu: the block %s, so "
		    "the log breaks there: %u later record(s) (seq %llu..%llu) "
		    "are lost; kept the %u record(s) before it (up to seq "
		    "%llu)\n",
		    kv->active, (unsigned long long)at, what, s->dead,
		    (unsigned long long)s->dead_lo,
		    (unsigned long long)s->dead_hi, s->kept,
		    (unsigned long long)s->last_seq);
	} else if (s->end == END_BAD || s->end == END_ORDER) {
		kprintf(
		    "#W kv: half %u damaged at block %llu: the block after "
		    "the newest record (seq %llu) %s: it held that record's tail "
		    "copy or a write torn by a power cut; nothing acknowledged "
		    "is lost\n",
		    kv->active, (unsigned long long)at,
		    (unsigned long long)s->last_seq, what);
	} else if (s->end == END_FULL) {
		kprintf("#W kv: half %u damaged at block %llu: the block %s: "
			"that record and everything after it are dropped\n",
		    kv->active, (unsigned long long)at, what);
	} else {
		return 0;
	}
	damage(kv);
	return 1;
}

int
kv_open(struct kv_store *kv, const struct blkdev *dev, struct region area)
{
	struct scan s[2];
	uint64_t g[2], cand[2], gen;
	uint32_t guess, active;
	int rc, hurt = 0, unfinished;

	kv->dev = dev;
	kv->area = area;
	kv->half_blocks = area.blocks / 2;
	kv->count = 0;
	kv->seq = 0;
	kv->gen_max = 0;
	kv->generation = 0;
	kv->active = 0;
	kv->next_block = 1;
	kv->damage = 0;
	kv->broken = 0;
	kv->used[0] = kv->used[1] = 0; /* until the scans below say */
	if (kv->half_blocks < 3)
		return -CELL_E_NOSPACE;
	/* Guess the committed half from the headers, to read it only once. */
	for (uint32_t h = 0; h < 2; h++) {
		if ((rc = blk_read(dev, half_start(kv, h), io, 1)) < 0)
			return rc;
		if (header_decode(io, &g[h]) != H_VALID)
			g[h] = 0;
	}
	guess = g[1] > g[0] ? 1 : 0;
	for (uint32_t h = 0; h < 2; h++) {
		if ((rc = scan_half(kv, h, h == guess ? g[guess] : 0, &s[h])) <
		    0)
			return rc;
		cand[h] = committed_generation(&s[h]);
		kv->used[h] = s[h].used;
	}
	kv->gen_max = s[0].gen_max > s[1].gen_max ? s[0].gen_max : s[1].gen_max;
	kv->seq = s[0].seq_max > s[1].seq_max ? s[0].seq_max : s[1].seq_max;
	active = cand[1] > cand[0] ||
		(cand[1] == cand[0] && s[1].header == H_VALID &&
		    s[0].header != H_VALID) ?
	    1 :
	    0;
	gen = cand[active];
	if (gen == 0) {
		/* No committed half: an empty store, or one that lost it all. */
		kv->count = 0;
		if (s[0].records + s[1].records == 0)
			return 0;
		active = s[1].gen_max > s[0].gen_max ? 1 : 0;
		damage(kv);
		kprintf(
		    "#W kv: half %u damaged at block %llu: no half has a valid "
		    "header or records that prove one: the %u record(s) on the "
		    "area are lost; the store starts empty\n",
		    active, (unsigned long long)half_start(kv, active),
		    s[0].records + s[1].records);
		return compact(kv, 1 - active);
	}
	if (active != guess || gen != g[guess]) {
		kv->count = 0;
		if ((rc = scan_half(kv, active, gen, &s[active])) < 0)
			return rc;
	}
	kv->active = active;
	kv->generation = gen;
	kv->next_block = s[active].end_block;
	unfinished =
	    (s[active].header != H_VALID || s[active].header_gen != gen) &&
	    s[active].header != H_BAD && s[active].put_gen != gen;
	if (!unfinished &&
	    (s[active].header != H_VALID || s[active].header_gen != gen)) {
		char buf[64];

		if (s[active].header == H_VALID)
			ksnprintf(buf, sizeof buf,
			    "says generation %llu, older "
			    "than its records",
			    (unsigned long long)s[active].header_gen);
		hurt = 1;
		damage(kv);
		kprintf(
		    "#W kv: half %u damaged at block %llu: its header %s; "
		    "rebuilt the half from its records of generation %llu\n",
		    active, (unsigned long long)half_start(kv, active),
		    s[active].header == H_VALID     ? buf :
			s[active].header == H_BLANK ? "is blank" :
						      "does not decode",
		    (unsigned long long)gen);
	}
	if (s[1 - active].header == H_BAD && s[1 - active].gen_max > gen) {
		/* Damage that may have been the committed header. */
		hurt = 1;
		damage(kv);
		kprintf(
		    "#W kv: half %u damaged at block %llu: its header does "
		    "not decode and its records (up to generation %llu) do not "
		    "prove it; fell back to half %u (generation %llu)\n",
		    1 - active, (unsigned long long)half_start(kv, 1 - active),
		    (unsigned long long)s[1 - active].gen_max, active,
		    (unsigned long long)gen);
	}
	hurt |= report_log(kv, &s[active]);
	if (hurt) {
		if ((rc = compact(kv, 1 - active)) < 0)
			return rc;
		kprintf("#I kv: the store goes on in half %u (generation %llu) "
			"with %u live key(s)\n",
		    kv->active, (unsigned long long)kv->generation, kv->count);
		return 0;
	}
	if (unfinished) {
		/*
		 * A compaction wrote all its copies but not the header (the
		 * power went): they hold what the other half holds. Finish it.
		 */
		if ((rc = write_header(kv, active, gen)) < 0)
			return rc;
		kprintf("#I kv: half %u: finished the compaction into it "
			"(generation %llu)\n",
		    active, (unsigned long long)gen);
	}
	if (s[active].kept > 0 &&
	    (s[active].end == END_BLANK || s[active].end == END_STALE)) {
		/*
		 * The newest record has no tail copy (the power went before it
		 * was written, or it was lost): write it again, so that the
		 * loss of that record would still be seen.
		 */
		if ((rc = blk_read(dev, s[active].last_block, io, 1)) < 0)
			return rc;
		make_tail(io);
		if ((rc = write_block(kv,
			 half_start(kv, active) + kv->next_block, io)) < 0 ||
		    (rc = blk_flush(dev)) < 0)
			return rc;
		kprintf("#I kv: half %u: wrote the missing tail copy of the "
			"newest record (seq %llu)\n",
		    active, (unsigned long long)s[active].last_seq);
	}
	if (s[active].unreadable > 0) {
		uint32_t cleared;

		/* Past the log's end: not the store's data, nothing lost. */
		if ((rc = clear_unreadable(kv, active, kv->next_block + 1,
			 &cleared)) < 0 ||
		    (rc = blk_flush(dev)) < 0)
			return rc;
		kprintf(
		    "#I kv: half %u: cleared %u unreadable block(s) past the "
		    "end of the log (nothing lost)\n",
		    active, cleared);
	}
	return 0;
}

/* ---- writes ---- */

/*
 * Append ops[0..n) as one record: check them, make room (creating the
 * store, or compacting a full half), write the record, flush, write its
 * tail copy, flush, and apply it to the index.
 */
static int
append(struct kv_store *kv, struct kv_op *ops, uint32_t n)
{
	uint32_t adds = 0, dels = 0;
	struct kv_record r;
	uint64_t lba;
	int rc;

	for (uint32_t i = 0; i < n; i++) {
		int at = entry_find(kv, ops[i].ns, ops[i].ns_len, ops[i].key,
		    ops[i].key_len);

		for (uint32_t j = 0; j < i; j++) {
			if (same_name(&ops[i], &ops[j]))
				return -CELL_E_INVAL;
		}
		if (ops[i].deleted && at < 0)
			return -CELL_E_NOENT;
		if (ops[i].deleted)
			dels++;
		else if (at < 0)
			adds++;
	}
	/*
	 * A new key needs a slot in the index, and must leave a half room for
	 * every live record, a tail copy and one more record, so that an
	 * overwrite can always compact and proceed.
	 */
	if (adds > 0 && kv->count + adds - dels > key_limit(kv))
		return -CELL_E_NOSPACE;
	if ((rc = encode(io, 0, 0, 0, ops, n)) < 0)
		return rc; /* too long for one block: write nothing */
	if (kv->broken)
		return -CELL_E_IO;
	if (kv->generation == 0 && (rc = compact(kv, 0)) < 0)
		return rc; /* the first write creates half 0 */
	if (kv->next_block + 2 > kv->half_blocks &&
	    (rc = compact(kv, 1 - kv->active)) < 0)
		return rc;
	if (kv->next_block + 2 > kv->half_blocks)
		return -CELL_E_NOSPACE;
	lba = half_start(kv, kv->active) + kv->next_block;
	encode(io, kv->generation, kv->seq + 1, 0, ops, n);
	if ((rc = write_block(kv, lba, io)) < 0 ||
	    (rc = blk_flush(kv->dev)) < 0)
		return rc;
	kv->seq++;
	kv->next_block++;
	kv_record_decode(io, &r);
	/* A compaction may have dropped a damaged key: no limit here. */
	index_apply(kv, &r, lba, KV_SLOTS);
	make_tail(io);
	if ((rc = write_block(kv, lba + 1, io)) < 0)
		return rc;
	return blk_flush(kv->dev);
}

/* Check one item and describe it as an op. */
static int
item_op(const struct kv_item *it, struct kv_op *op)
{
	size_t ns_len = str_len(it->ns, KV_NS_MAX);
	size_t key_len = str_len(it->key, KV_KEY_MAX);

	if (ns_len > KV_NS_MAX || key_len > KV_KEY_MAX || key_len == 0 ||
	    (!it->remove && it->len > KV_VALUE_MAX))
		return -CELL_E_TOOLONG;
	op->deleted = it->remove ? 1 : 0;
	op->ns = it->ns;
	op->ns_len = (uint8_t)ns_len;
	op->key = it->key;
	op->key_len = (uint8_t)key_len;
	op->value = it->remove ? NULL : it->value;
	op->value_len = it->remove ? 0 : (uint16_t)it->len;
	return 0;
}

int
kv_put_many(struct kv_store *kv, const struct kv_item *items, uint32_t n)
{
	struct kv_op ops[KV_MANY_MAX];
	int rc;

	if (n == 0 || n > KV_MANY_MAX)
		return -CELL_E_INVAL;
	for (uint32_t i = 0; i < n; i++) {
		if ((rc = item_op(&items[i], &ops[i])) < 0)
			return rc;
	}
	return append(kv, ops, n);
}

int
kv_put(struct kv_store *kv, const char *ns, const char *key, const void *value,
    uint32_t len)
{
	struct kv_item it = { ns, key, value, len, 0 };

	return kv_put_many(kv, &it, 1);
}

int
kv_delete(struct kv_store *kv, const char *ns, const char *key)
{
	struct kv_item it = { ns, key, NULL, 0, 1 };

	return kv_put_many(kv, &it, 1);
}

int
kv_get(struct kv_store *kv, const char *ns, const char *key, void *buf,
    uint32_t cap)
{
	uint8_t *out = buf;
	struct kv_op op;
	struct kv_record r;
	uint64_t block, seq;
	uint32_t lost = 0;
	uint8_t which;
	int i, rc;

	i = entry_find(kv, ns, str_len(ns, KV_NS_MAX), key,
	    str_len(key, KV_KEY_MAX));
	if (i < 0)
		return -CELL_E_NOENT;
	which = (uint8_t)i;
	rc = entries_read(kv, &which, 1, &r, &op);
	if (rc == 0) {
		if (op.value_len > cap)
			return -CELL_E_NOSPACE;
		for (unsigned j = 0; j < op.value_len; j++)
			out[j] = op.value[j];
		return op.value_len;
	}
	if (rc != -CELL_E_CRC)
		return rc;
	/* Damage since the open: drop every key of that record, then move
	 * the store on so that a later open sees what this one does. */
	block = kv->entries[i].block;
	seq = kv->entries[i].seq;
	for (uint32_t j = kv->count; j-- > 0;) {
		if (kv->entries[j].block == block) {
			entry_remove(kv, j);
			lost++;
		}
	}
	damage(kv);
	kprintf("#W kv: half %u damaged at block %llu: the record (seq %llu) "
		"of %s/%s no longer decodes: %u key(s) lost\n",
	    kv->active, (unsigned long long)block, (unsigned long long)seq, ns,
	    key, lost);
	if ((rc = compact(kv, 1 - kv->active)) < 0)
		return rc;
	return -CELL_E_CRC;
}

int
kv_boot_report(struct kv_store *kv)
{
	char last[KV_VALUE_MAX + 1], count_text[16], stored[48];
	struct kv_item items[2];
	uint32_t count = 0;
	int n, m;

	n = kv_get(kv, "boot", "count", count_text, sizeof count_text - 1);
	if (n > 0) {
		count_text[n] = '\0';
		for (int i = 0;
		     i < n && count_text[i] >= '0' && count_text[i] <= '9'; i++)
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
	m = ksnprintf(stored, sizeof stored, "stored by boot %u", count);
	items[0] =
	    (struct kv_item){ "boot", "count", count_text, (uint32_t)n, 0 };
	items[1] = (struct kv_item){ "boot", "last", stored, (uint32_t)m, 0 };
	return kv_put_many(kv, items, 2);
}
