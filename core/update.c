/*
 * The dual-strand updater; see update.h. An update area is laid out as
 *   [strand A: STRAND_BLOCKS][strand B: STRAND_BLOCKS][log: UPDATE_LOG_SLOTS]
 * and a state record is one block, little-endian, laid out by RECORD_LAYOUT
 * below: magic "UPDR", format, the state, the two strands' trailers, the
 * HMAC-SHA-256 under the device key of everything before it, the CRC32C of
 * everything before that, and zeros to the end of the block. The CRC
 * catches a torn write; the MAC refuses a record nobody with the device key
 * wrote.
 */
#include <stdint.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "crypto.h"
#include "layout.h"
#include "trust.h"
#include "update.h"

#define REC_MAGIC  0x52445055u /* "UPDR" */
#define REC_FORMAT 1u

/*
 * The record's layouts (wire/layout.h): the trailer of one strand, the
 * state fields (decoded into struct update_state), and the whole record,
 * whose strand field holds UPDATE_STRANDS trailers one after the other.
 * The encoder and the decoder read the same rows.
 */
/* clang-format off */
#define TRAILER_LAYOUT(X, a)						\
	X(a, u32, valid,	0)					\
	X(a, u32, version,	4)					\
	X(a, u32, length,	8)					\
	X(a, b32, sha256,	12)					\
	X(a, b32, mac,		44)
/* clang-format on */
#define TRAILER_SIZE 76
LAYOUT_SHAPE(trailer_layout, TRAILER_LAYOUT, TRAILER_SIZE);

/* clang-format off */
#define STATE_LAYOUT(X, a)						\
	X(a, u64, seq,		8)					\
	X(a, u32, preferred,	16)					\
	X(a, u32, pending,	20)					\
	X(a, u32, attempted,	24)					\
	X(a, u32, floor,	28)
/* clang-format on */

#define LAYOUT_SIZE_strands (UPDATE_STRANDS * TRAILER_SIZE)
/* clang-format off */
#define RECORD_LAYOUT(X, a)						\
	X(a, u32, magic,	0)					\
	X(a, u32, format,	4)					\
	STATE_LAYOUT(X, a)						\
	X(a, strands, strand,	32)	/* trailer A, then trailer B */	\
	X(a, b32, mac,		184)	/* HMAC of bytes 0..183 */	\
	X(a, u32, crc,		216)	/* CRC32C of bytes 0..215 */
/* clang-format on */
#define RECORD_USED 220 /* then zeros to the block's end */
LAYOUT_SHAPE(record_layout, RECORD_LAYOUT, RECORD_USED);
_Static_assert(RECORD_USED <= HAL_BLOCK_SIZE, "a record is one block");

/* What a trailer's MAC covers: version || length || sha256. */
/* clang-format off */
#define TRAILER_MAC_LAYOUT(X, a)					\
	X(a, u32, version,	0)					\
	X(a, u32, length,	4)					\
	X(a, b32, sha256,	8)
/* clang-format on */
LAYOUT_SHAPE(trailer_mac_layout, TRAILER_MAC_LAYOUT, 40);

#define REC_AT(field) offsetof(struct record_layout, field)
#define OFF_MAC       REC_AT(mac)
#define OFF_CRC       REC_AT(crc)

/* Where strand s's trailer is in a record. */
static size_t
trailer_at(int s)
{
	return REC_AT(strand) + (size_t)s * TRAILER_SIZE;
}

/* The fields of the tables above to and from bytes b, struct *v. */
static void
trailer_encode(uint8_t *b, const struct trailer *v)
{
	TRAILER_LAYOUT(LAYOUT_ENCODE_ROW, ~)
}

static void
trailer_decode(const uint8_t *b, struct trailer *v)
{
	TRAILER_LAYOUT(LAYOUT_DECODE_ROW, ~)
}

static void
state_encode(uint8_t *b, const struct update_state *v)
{
	STATE_LAYOUT(LAYOUT_ENCODE_ROW, ~)
}

static void
state_decode(const uint8_t *b, struct update_state *v)
{
	STATE_LAYOUT(LAYOUT_DECODE_ROW, ~)
}

/* One buffer for strand images: the updater is never re-entered. */
static uint8_t image_buf[STRAND_BYTES];

void
update_device_key(uint8_t key[32])
{
	trust_derive("cell_os genome strands", key);
}

/*
 * HMAC under the device key, its key blocks computed once per boot (the
 * derivation is an HKDF: too dear for every record).
 */
static struct {
	int ready;
	struct hmac_sha256_ctx base;
} devkey;

void
update_reset(void)
{
	crypto_wipe(&devkey, sizeof devkey);
}

static void
device_mac(const void *msg, size_t len, uint8_t mac[32])
{
	struct hmac_sha256_ctx ctx;

	if (!devkey.ready) {
		uint8_t key[32];
		update_device_key(key);
		hmac_sha256_init(&devkey.base, key, sizeof key);
		crypto_wipe(key, sizeof key);
		devkey.ready = 1;
	}
	ctx = devkey.base;
	hmac_sha256_update(&ctx, msg, len);
	hmac_sha256_final(&ctx, mac);
}

static void
trailer_mac(const struct trailer *t, uint8_t mac[32])
{
	uint8_t msg[sizeof(struct trailer_mac_layout)];
	uint8_t *b = msg;
	const struct trailer *v = t;

	TRAILER_MAC_LAYOUT(LAYOUT_ENCODE_ROW, ~) /* into b, from *v */
	device_mac(msg, sizeof msg, mac);
}

/* Check a trailer's MAC. 1 when it verifies. */
static int
update_trailer_ok(const struct trailer *t)
{
	uint8_t mac[32];

	if (!t->valid)
		return 0;
	trailer_mac(t, mac);
	return ct_equal(mac, t->mac, sizeof mac);
}

static void
record_mac(const uint8_t *block, uint8_t mac[32])
{
	device_mac(block, OFF_MAC, mac);
}

void
update_record_encode(const struct update_state *st,
    uint8_t block[HAL_BLOCK_SIZE])
{
	for (unsigned i = 0; i < HAL_BLOCK_SIZE; i++)
		block[i] = 0;
	le32_store(block + REC_AT(magic), REC_MAGIC);
	le32_store(block + REC_AT(format), REC_FORMAT);
	state_encode(block, st);
	for (int s = 0; s < UPDATE_STRANDS; s++)
		trailer_encode(block + trailer_at(s), &st->strand[s]);
	record_mac(block, block + OFF_MAC);
	le32_store(block + OFF_CRC, crc32c(0, block, OFF_CRC));
}

int
update_record_decode(const uint8_t block[HAL_BLOCK_SIZE],
    struct update_state *out)
{
	struct update_state st;
	uint8_t mac[32];

	if (le32_load(block + REC_AT(magic)) != REC_MAGIC)
		return -CELL_E_MAGIC;
	if (le32_load(block + REC_AT(format)) != REC_FORMAT)
		return -CELL_E_VERSION;
	if (le32_load(block + OFF_CRC) != crc32c(0, block, OFF_CRC))
		return -CELL_E_CRC;
	/* The bytes after the CRC are zero: one block, one encoding. */
	for (unsigned i = RECORD_USED; i < HAL_BLOCK_SIZE; i++) {
		if (block[i] != 0)
			return -CELL_E_RANGE;
	}
	record_mac(block, mac);
	if (!ct_equal(mac, block + OFF_MAC, sizeof mac))
		return -CELL_E_BADMAC;
	state_decode(block, &st);
	if (st.seq == 0 ||
	    (st.preferred != STRAND_NONE && st.preferred >= UPDATE_STRANDS) ||
	    st.pending > 1 || st.attempted > 1 ||
	    (st.pending && st.preferred == STRAND_NONE))
		return -CELL_E_RANGE;
	for (int s = 0; s < UPDATE_STRANDS; s++) {
		struct trailer *tr = &st.strand[s];

		trailer_decode(block + trailer_at(s), tr);
		if (tr->valid > 1 || tr->length > STRAND_BYTES ||
		    (tr->valid && tr->length == 0))
			return -CELL_E_RANGE;
	}
	if (st.preferred != STRAND_NONE && !st.strand[st.preferred].valid)
		return -CELL_E_RANGE;
	*out = st;
	return 0;
}

static uint64_t
strand_lba(const struct updater *u, uint32_t s)
{
	return u->area.start + (uint64_t)s * STRAND_BLOCKS;
}

static uint64_t
slot_lba(const struct updater *u, uint64_t seq)
{
	return u->area.start + 2 * STRAND_BLOCKS + seq % UPDATE_LOG_SLOTS;
}

/* Append next as the newest record (seq + 1), durably. */
static int
append(struct updater *u, struct update_state *next)
{
	uint8_t block[HAL_BLOCK_SIZE];
	int rc;

	next->seq = u->st.seq + 1;
	update_record_encode(next, block);
	if ((rc = blk_write(u->dev, slot_lba(u, next->seq), block, 1)) < 0 ||
	    (rc = blk_flush(u->dev)) < 0)
		return rc;
	u->st = *next;
	return 0;
}

/*
 * The state log's slots go through image_buf STRAND_BLOCKS at a time (one
 * disk request each instead of one a slot; on the boards a request is a
 * round trip through the machine's disk emulation).
 */
#define LOG_CHUNK STRAND_BLOCKS

int
update_format(const struct blkdev *dev, struct region area)
{
	int rc;

	if (area.blocks < UPDATE_AREA_BLOCKS)
		return -CELL_E_NOSPACE;
	for (uint32_t i = 0; i < sizeof image_buf; i++)
		image_buf[i] = 0;
	for (uint32_t i = 0; i < UPDATE_LOG_SLOTS; i += LOG_CHUNK) {
		uint32_t n = UPDATE_LOG_SLOTS - i < LOG_CHUNK ?
		    UPDATE_LOG_SLOTS - i :
		    LOG_CHUNK;

		if ((rc = blk_write(dev, area.start + 2 * STRAND_BLOCKS + i,
			 image_buf, n)) < 0)
			return rc;
	}
	return blk_flush(dev);
}

int
update_open(struct updater *u, const struct blkdev *dev, struct region area)
{
	struct update_state st;
	int rc;

	u->dev = dev;
	u->area = area;
	u->st = (struct update_state){ 0 };
	u->st.preferred = STRAND_NONE;
	if (area.blocks < UPDATE_AREA_BLOCKS)
		return -CELL_E_NOSPACE;
	for (uint32_t i = 0; i < UPDATE_LOG_SLOTS; i += LOG_CHUNK) {
		uint32_t n = UPDATE_LOG_SLOTS - i < LOG_CHUNK ?
		    UPDATE_LOG_SLOTS - i :
		    LOG_CHUNK;

		rc = blk_read(dev, area.start + 2 * STRAND_BLOCKS + i,
		    image_buf, n);
		if (rc < 0)
			return rc;
		for (uint32_t j = 0; j < n; j++) {
			if (update_record_decode(image_buf + j * HAL_BLOCK_SIZE,
				&st) == 0 &&
			    st.seq > u->st.seq)
				u->st = st;
		}
	}
	return 0;
}

int
update_verify(struct updater *u, uint32_t s, uint8_t *out)
{
	const struct trailer *t;
	uint8_t sha[32];
	int rc;

	if (s >= UPDATE_STRANDS || !u->st.strand[s].valid)
		return -CELL_E_NOENT;
	t = &u->st.strand[s];
	if (!update_trailer_ok(t))
		return -CELL_E_BADMAC;
	if ((rc = blk_read(u->dev, strand_lba(u, s), image_buf,
		 (t->length + HAL_BLOCK_SIZE - 1) / HAL_BLOCK_SIZE)) < 0)
		return rc;
	sha256(image_buf, t->length, sha);
	if (!ct_equal(sha, t->sha256, sizeof sha))
		return -CELL_E_BADHASH;
	if (out != NULL) {
		for (uint32_t i = 0; i < t->length; i++)
			out[i] = image_buf[i];
	}
	return 0;
}

int
update_strand_sha(struct updater *u, uint32_t s, uint32_t *sha, uint8_t *out)
{
	int rc = update_verify(u, s, out);

	if (rc < 0)
		return rc;
	/* The image read back hashed to the trailer's digest: reuse it. */
	*sha = le32_load(u->st.strand[s].sha256);
	return 0;
}

int
update_install(struct updater *u, const void *image, uint32_t len,
    uint32_t version)
{
	const uint8_t *src = image;
	struct update_state next;
	struct trailer t = { 0 };
	uint32_t target, blocks;
	int rc;

	if (len == 0 || len > STRAND_BYTES)
		return -CELL_E_LENGTH;
	if (version <= u->st.floor)
		return -CELL_E_ROLLBACK;
	if (u->st.pending)
		return -CELL_E_BUSY; /* confirm or revert the last one first */
	target = u->st.preferred == STRAND_NONE ? 0 : 1 - u->st.preferred;

	/* The target strand stops being trusted before a byte of it changes. */
	if (u->st.strand[target].valid) {
		next = u->st;
		next.strand[target] = (struct trailer){ 0 };
		if ((rc = append(u, &next)) < 0)
			return rc;
	}

	blocks = (len + HAL_BLOCK_SIZE - 1) / HAL_BLOCK_SIZE;
	for (uint32_t i = 0; i < blocks * HAL_BLOCK_SIZE; i++)
		image_buf[i] = i < len ? src[i] : 0;
	t.valid = 1;
	t.version = version;
	t.length = len;
	sha256(src, len, t.sha256);
	trailer_mac(&t, t.mac);
	if ((rc = blk_write(u->dev, strand_lba(u, target), image_buf, blocks)) <
		0 ||
	    (rc = blk_flush(u->dev)) < 0)
		return rc;

	/* Read it back and check it the way a boot will. */
	next = u->st;
	next.strand[target] = t;
	{
		struct updater probe = *u;
		probe.st = next;
		if ((rc = update_verify(&probe, target, NULL)) < 0)
			return rc;
	}
	next.preferred = target;
	next.pending = 1;
	next.attempted = 0;
	return append(u, &next);
}

/* Give up strand p for the other one (which the caller has verified). */
static int
fall_back(struct updater *u, uint32_t p)
{
	struct update_state next = u->st;

	next.strand[p] = (struct trailer){ 0 };
	next.preferred = 1 - p;
	next.pending = 0;
	next.attempted = 0;
	return append(u, &next);
}

int
update_boot(struct updater *u)
{
	uint32_t p = u->st.preferred;
	int rc;

	if (p == STRAND_NONE)
		return -CELL_E_NOENT;
	if (u->st.pending && u->st.attempted &&
	    update_verify(u, 1 - p, NULL) == 0) {
		/* Booted once and never confirmed: back to the other strand. */
		if ((rc = fall_back(u, p)) < 0)
			return rc;
	} else if (u->st.pending && !u->st.attempted) {
		struct update_state next = u->st;

		next.attempted = 1;
		if ((rc = append(u, &next)) < 0)
			return rc;
	}
	p = u->st.preferred;
	if (update_verify(u, p, NULL) == 0)
		return (int)p;
	/* The preferred strand does not verify: the other one, if it does. */
	if (update_verify(u, 1 - p, NULL) < 0)
		return -CELL_E_NOENT;
	if ((rc = fall_back(u, p)) < 0)
		return rc;
	return (int)(1 - p);
}

int
update_confirm(struct updater *u)
{
	struct update_state next = u->st;

	if (!u->st.pending)
		return 0;
	next.pending = 0;
	next.attempted = 0;
	next.floor = u->st.strand[u->st.preferred].version;
	return append(u, &next);
}
