/*
 * The persistent KV store on a RAM device: namespaces, overwrite and
 * delete, every capacity error, compaction, the record decoder, atomic
 * multi-key puts, every kind of damage docs/STORAGE.md names (what a later
 * open sees, what it reports, and that nothing lost comes back), and a
 * property test: random puts, deletes, multi-key puts and opens with damage
 * injected at random blocks, against a model of the documented semantics.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "blk.h"
#include "byteorder.h"
#include "cellos/errors.h"
#include "crypto.h"
#include "kv.h"
#include "testutil.h"

#define AREA 24 /* two halves of 12 blocks */
#define HALF (AREA / 2)
#define BS   ((int)HAL_BLOCK_SIZE)

static uint8_t disk[AREA * BS];
static struct blkdev dev;
static struct kv_store kv;
static const struct region area = { 0, AREA };

static int
fresh(void **state)
{
	(void)state;
	memset(disk, 0, sizeof disk);
	blk_ram(&dev, disk, AREA);
	assert_int_equal(kv_open(&kv, &dev, area), 0);
	return 0;
}

static uint8_t *
block(uint64_t lba)
{
	return disk + lba * BS;
}

static void
kv_expect(const char *ns, const char *key, const char *want)
{
	char buf[KV_VALUE_MAX + 1];
	int n = kv_get(&kv, ns, key, buf, sizeof buf - 1);

	assert_int_equal(n, (int)strlen(want));
	buf[n] = '\0';
	assert_string_equal(buf, want);
}

static void
kv_absent(const char *ns, const char *key)
{
	char buf[8];

	assert_int_equal(kv_get(&kv, ns, key, buf, sizeof buf), -CELL_E_NOENT);
}

static void
put(const char *ns, const char *key, const char *value)
{
	assert_int_equal(kv_put(&kv, ns, key, value, (uint32_t)strlen(value)),
	    0);
}

/* Reopen the store, capturing the console; asserts the damage count. */
static char *
reopen(uint32_t want_damage)
{
	struct capture c;
	char *out;
	int rc;

	capture_begin(&c);
	rc = kv_open(&kv, &dev, area);
	out = capture_end(&c);
	assert_int_equal(rc, 0);
	if (kv.damage != want_damage)
		fprintf(stderr, "console: %s\n", out);
	assert_int_equal(kv.damage, want_damage);
	assert_int_equal(count_lines_with(out, "#W kv: "), (int)want_damage);
	return out;
}

/* Reopen and expect exactly one report naming half and block. */
static void
reopen_damaged(uint32_t half, uint64_t lba, const char *phrase)
{
	char want[64], *out = reopen(1);

	snprintf(want, sizeof want,
	    "#W kv: half %u damaged at block %llu: ", half,
	    (unsigned long long)lba);
	if (strstr(out, want) == NULL || strstr(out, phrase) == NULL)
		fail_msg("want \"%s...%s\", got: %s", want, phrase, out);
	free(out);
	/* Reported once: the store has moved on. */
	free(reopen(0));
}

static void
flip(uint64_t lba, unsigned bit)
{
	block(lba)[bit / 8] ^= (uint8_t)(1u << (bit % 8));
}

static void
zero(uint64_t lba)
{
	memset(block(lba), 0, BS);
}

/* The block where ns/key's newest record is, by the index. */
static uint64_t
where(const char *ns, const char *key)
{
	for (uint32_t i = 0; i < kv.count; i++) {
		if (kv.entries[i].ns_len == strlen(ns) &&
		    kv.entries[i].key_len == strlen(key) &&
		    memcmp(kv.entries[i].ns, ns, strlen(ns)) == 0 &&
		    memcmp(kv.entries[i].key, key, strlen(key)) == 0)
			return kv.entries[i].block;
	}
	fail_msg("%s/%s is not in the index", ns, key);
	return 0;
}

/* ---- the basics ---- */

static void
test_put_get_namespaces_delete(void **state)
{
	char buf[8];

	(void)state;
	kv_absent("a", "k");
	put("a", "k", "one");
	put("b", "k", "two");
	kv_expect("a", "k", "one");
	kv_expect("b", "k", "two");
	put("a", "k", "three");
	kv_expect("a", "k", "three");
	assert_int_equal(kv_get(&kv, "a", "k", buf, 2), -CELL_E_NOSPACE);
	assert_int_equal(kv_delete(&kv, "a", "k"), 0);
	kv_absent("a", "k");
	assert_int_equal(kv_delete(&kv, "a", "k"), -CELL_E_NOENT);
	assert_int_equal(kv_put(&kv, "", "k", "", 0), 0); /* empty ns, value */
	kv_expect("", "k", "");
	/* It all survives a reopen, with nothing reported. */
	free(reopen(0));
	kv_expect("b", "k", "two");
	kv_expect("", "k", "");
	kv_absent("a", "k");
}

static void
test_capacity_errors(void **state)
{
	char ns[KV_NS_MAX + 2], key[KV_KEY_MAX + 2];
	static uint8_t value[KV_VALUE_MAX + 1];

	(void)state;
	memset(ns, 'n', sizeof ns - 1);
	ns[sizeof ns - 1] = '\0';
	memset(key, 'k', sizeof key - 1);
	key[sizeof key - 1] = '\0';
	assert_int_equal(kv_put(&kv, ns, "k", "v", 1), -CELL_E_TOOLONG);
	assert_int_equal(kv_put(&kv, "n", key, "v", 1), -CELL_E_TOOLONG);
	assert_int_equal(kv_put(&kv, "n", "", "v", 1), -CELL_E_TOOLONG);
	assert_int_equal(kv_put(&kv, "n", "k", value, KV_VALUE_MAX + 1),
	    -CELL_E_TOOLONG);
	/* Exactly at the limits is fine. */
	ns[KV_NS_MAX] = '\0';
	key[KV_KEY_MAX] = '\0';
	assert_int_equal(kv_put(&kv, ns, key, value, KV_VALUE_MAX), 0);
	/* More live keys than a half can hold: store full. */
	int rc = 0, stored = 1;
	for (int i = 0; i < 40 && rc == 0; i++) {
		char k[8];
		snprintf(k, sizeof k, "k%d", i);
		rc = kv_put(&kv, "n", k, "v", 1);
		stored += rc == 0;
	}
	assert_int_equal(rc, -CELL_E_NOSPACE);
	/* A half of 12 blocks: its header, the live keys, a tail copy and
	 * one block for the next record. */
	assert_int_equal(stored, HALF - 3);
	assert_int_equal(kv.count, (uint32_t)stored);
	/* Full of keys, but an existing one can still be overwritten, again
	 * and again (each time through compaction). */
	for (int i = 0; i < 30; i++)
		assert_int_equal(kv_put(&kv, "n", "k0", "w", 1), 0);
	kv_expect("n", "k0", "w");
	/* So can each of the others, the first one stored included. */
	assert_int_equal(kv_put(&kv, ns, key, "w", 1), 0);
	for (int i = 1; i < stored - 1; i++) {
		char k[16];
		snprintf(k, sizeof k, "k%d", i);
		assert_int_equal(kv_put(&kv, "n", k, "x", 1), 0);
	}
	assert_int_equal(kv.count, (uint32_t)stored);
	free(reopen(0));
	kv_expect("n", "k0", "w");
	assert_int_equal(kv.count, (uint32_t)stored);
}

static void
test_compaction_keeps_latest(void **state)
{
	char v[16];

	(void)state;
	/* 100 overwrites of 3 keys: many compactions into alternate halves. */
	for (int i = 0; i < 100; i++) {
		char k[4] = { 'k', (char)('0' + i % 3), 0 };
		snprintf(v, sizeof v, "value %d", i);
		assert_int_equal(kv_put(&kv, "c", k, v, (uint32_t)strlen(v)),
		    0);
	}
	assert_true(kv.generation > 10);
	kv_expect("c", "k0", "value 99");
	kv_expect("c", "k1", "value 97");
	kv_expect("c", "k2", "value 98");
	free(reopen(0));
	assert_int_equal(kv.count, 3);
	kv_expect("c", "k1", "value 97");
}

/* ---- the record decoder, against blocks built by hand ---- */

/* A record block from the documented layout: flags, generation 7, seq 9. */
static void
hand_record(uint8_t *b, uint32_t flags, const uint8_t *body, size_t len)
{
	memset(b, 0, BS);
	memcpy(b, "KVR1", 4);
	b[4] = (uint8_t)flags;
	b[8] = 7;
	b[16] = 9;
	memcpy(b + 24, body, len);
	uint32_t crc = crc32c(0, b, BS - 4);
	for (int i = 0; i < 4; i++)
		b[BS - 4 + i] = (uint8_t)(crc >> (8 * i));
}

static void
test_record_decode(void **state)
{
	static const uint8_t single[] = { 1, 1, 2, 0, 'n', 'k', 'v', 'w' };
	/* n = 2; op 0 puts a/x = "12", op 1 deletes a/y. */
	static const uint8_t multi[] = { 2, 0, 0, 0, 0, 1, 1, 2, 0, 'a', 'x',
		'1', '2', 1, 1, 1, 0, 0, 'a', 'y' };
	static const uint8_t dup[] = { 2, 0, 0, 0, 0, 1, 1, 0, 0, 'a', 'x', 0,
		1, 1, 0, 0, 'a', 'x' };
	/* Three ops, the last two on the same name. */
	static const uint8_t dup_later[] = { 3, 0, 0, 0, 0, 1, 1, 0, 0, 'a',
		'x', 0, 1, 1, 0, 0, 'a', 'y', 0, 1, 1, 0, 0, 'a', 'y' };
	uint8_t b[BS], body[BS];
	struct kv_record r;

	(void)state;
	hand_record(b, 0, single, sizeof single);
	assert_int_equal(kv_record_decode(b, &r), 0);
	assert_int_equal(r.generation, 7);
	assert_int_equal(r.seq, 9);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.op[0].value_len, 2);
	assert_memory_equal(r.op[0].value, "vw", 2);
	hand_record(b, KV_REC_COPY | KV_REC_TAIL, single, sizeof single);
	assert_int_equal(kv_record_decode(b, &r), 0);
	assert_int_equal(r.flags, KV_REC_COPY | KV_REC_TAIL);

	hand_record(b, KV_REC_MULTI, multi, sizeof multi);
	assert_int_equal(kv_record_decode(b, &r), 0);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.op[0].deleted, 0);
	assert_memory_equal(r.op[0].key, "x", 1);
	assert_memory_equal(r.op[0].value, "12", 2);
	assert_int_equal(r.op[1].deleted, 1);
	assert_memory_equal(r.op[1].key, "y", 1);

	/* Refusals. */
	hand_record(b, 0, single, sizeof single);
	b[0] ^= 1;
	assert_int_equal(kv_record_decode(b, &r), -CELL_E_MAGIC);
	hand_record(b, 0, single, sizeof single);
	b[100] ^= 1;
	assert_int_equal(kv_record_decode(b, &r), -CELL_E_CRC);
	hand_record(b, 0x10, single, sizeof single);
	assert_int_equal(kv_record_decode(b, &r), -CELL_E_FLAGS);
	hand_record(b, KV_REC_DELETE | KV_REC_COPY, single, sizeof single);
	assert_int_equal(kv_record_decode(b, &r), -CELL_E_FLAGS);
	hand_record(b, KV_REC_MULTI | KV_REC_COPY, multi, sizeof multi);
	assert_int_equal(kv_record_decode(b, &r),
	    -CELL_E_LENGTH); /* a delete */
	hand_record(b, KV_REC_MULTI | KV_REC_DELETE, multi, sizeof multi);
	assert_int_equal(kv_record_decode(b, &r), -CELL_E_FLAGS);
	hand_record(b, KV_REC_DELETE, single, sizeof single); /* a value */
	assert_int_equal(kv_record_decode(b, &r), -CELL_E_LENGTH);
	hand_record(b, KV_REC_MULTI, dup, sizeof dup);
	assert_int_equal(kv_record_decode(b, &r), -CELL_E_LENGTH);
	hand_record(b, KV_REC_MULTI, dup_later, sizeof dup_later);
	assert_int_equal(kv_record_decode(b, &r), -CELL_E_LENGTH);
	memcpy(body, multi, sizeof multi);
	body[0] = 0;
	hand_record(b, KV_REC_MULTI, body, sizeof multi);
	assert_int_equal(kv_record_decode(b, &r), -CELL_E_LENGTH);
	body[0] = KV_MANY_MAX + 1;
	hand_record(b, KV_REC_MULTI, body, sizeof multi);
	assert_int_equal(kv_record_decode(b, &r), -CELL_E_LENGTH);
	for (int z = 1; z <= 3; z++) { /* each byte of the zero field */
		memcpy(body, multi, sizeof multi);
		body[z] = 0x01;
		hand_record(b, KV_REC_MULTI, body, sizeof multi);
		assert_int_equal(kv_record_decode(b, &r), -CELL_E_LENGTH);
	}
	memcpy(body, single, sizeof single);
	body[1] = 0; /* empty key */
	hand_record(b, 0, body, sizeof single);
	assert_int_equal(kv_record_decode(b, &r), -CELL_E_LENGTH);
	memcpy(body, single, sizeof single);
	body[sizeof single] = 'x'; /* a byte after the value */
	hand_record(b, 0, body, sizeof single + 1);
	assert_int_equal(kv_record_decode(b, &r), -CELL_E_LENGTH);
	memcpy(body, single, sizeof single);
	body[2] = 0xFF;
	body[3] = 0x01; /* value_len 511: past the block */
	hand_record(b, 0, body, sizeof single);
	assert_int_equal(kv_record_decode(b, &r), -CELL_E_LENGTH);
}

/*
 * What a put and a two-key put write, read at the offsets docs/STORAGE.md
 * gives, written out here by hand (the decoder tests above use bodies whose
 * namespace and key are the same length, which would not see them swapped).
 */
static void
test_record_encode_by_hand(void **state)
{
	struct kv_item two[2] = { { "m", "abc", "12345", 5, 0 },
		{ "pq", "x", NULL, 0, 1 } };
	const uint8_t *b = NULL, *h;
	uint32_t crc;

	(void)state;
	assert_int_equal(kv_put(&kv, "ns", "keyz", "value", 5), 0);
	assert_int_equal(kv_put(&kv, "pq", "x", "1", 1), 0);
	assert_int_equal(kv_put_many(&kv, two, 2), 0);
	/* The log of half 0: header at block 0, records from block 1. */
	assert_memory_equal(block(0), "KVH1\0\0\0\0", 8);
	b = block(1);
	assert_memory_equal(b, "KVR1", 4);
	assert_int_equal(le32_load(b + 4), 0);  /* flags: a put */
	assert_true(le64_load(b + 8) != 0);     /* generation */
	assert_int_equal(le64_load(b + 16), 1); /* seq */
	assert_int_equal(b[24], 2);             /* ns_len */
	assert_int_equal(b[25], 4);             /* key_len */
	assert_int_equal(le16_load(b + 26), 5); /* value_len */
	assert_memory_equal(b + 28, "nskeyzvalue", 11);
	for (int i = 28 + 11; i < BS - 4; i++)
		assert_int_equal(b[i], 0);
	crc = crc32c(0, b, BS - 4);
	assert_int_equal(le32_load(b + BS - 4), crc);

	b = block(3);
	assert_memory_equal(b, "KVR1", 4);
	assert_int_equal(le32_load(b + 4), KV_REC_MULTI);
	assert_int_equal(le64_load(b + 16), 3);
	assert_int_equal(b[24], 2); /* n */
	assert_int_equal(b[25] | b[26] | b[27], 0);
	h = b + 28;                /* op 0 */
	assert_int_equal(h[0], 0); /* a put */
	assert_int_equal(h[1], 1);
	assert_int_equal(h[2], 3);
	assert_int_equal(le16_load(h + 3), 5);
	assert_memory_equal(h + 5, "mabc12345", 9);
	h += 5 + 9;                /* op 1 */
	assert_int_equal(h[0], 1); /* a delete */
	assert_int_equal(h[1], 2);
	assert_int_equal(h[2], 1);
	assert_int_equal(le16_load(h + 3), 0);
	assert_memory_equal(h + 5, "pqx", 3);
	/* Its tail copy, one block on: the same with the TAIL flag. */
	assert_int_equal(le32_load(block(4) + 4), KV_REC_MULTI | KV_REC_TAIL);
	assert_memory_equal(block(4) + 8, b + 8, BS - 12);
}

/* ---- atomic multi-key puts ---- */

static void
test_put_many(void **state)
{
	static uint8_t big[KV_VALUE_MAX];
	struct kv_item two[2] = { { "m", "a", "A1", 2, 0 },
		{ "m", "b", "B1", 2, 0 } };
	struct kv_item bad[KV_MANY_MAX + 1];
	static uint8_t before[sizeof disk];
	uint64_t seq;

	(void)state;
	assert_int_equal(kv_put_many(&kv, two, 2), 0);
	kv_expect("m", "a", "A1");
	kv_expect("m", "b", "B1");
	/* One record: both keys' entries point at the same block. */
	assert_int_equal(where("m", "a"), where("m", "b"));
	seq = kv.seq;
	two[0].value = "A2";
	two[1].remove = 1;
	assert_int_equal(kv_put_many(&kv, two, 2), 0);
	assert_int_equal(kv.seq, seq + 1);
	kv_expect("m", "a", "A2");
	kv_absent("m", "b");
	free(reopen(0));
	kv_expect("m", "a", "A2");
	kv_absent("m", "b");

	/* Refusals write nothing. */
	memcpy(before, disk, sizeof disk);
	assert_int_equal(kv_put_many(&kv, two, 0), -CELL_E_INVAL);
	for (int i = 0; i <= KV_MANY_MAX; i++)
		bad[i] = (struct kv_item){ "m", "z", "v", 1, 0 };
	assert_int_equal(kv_put_many(&kv, bad, KV_MANY_MAX + 1), -CELL_E_INVAL);
	assert_int_equal(kv_put_many(&kv, bad, 2), -CELL_E_INVAL); /* twice */
	assert_int_equal(kv_put_many(&kv, two, 2),
	    -CELL_E_NOENT); /* b is gone */
	bad[0] = (struct kv_item){ "m", "p", big, sizeof big, 0 };
	bad[1] = (struct kv_item){ "m", "q", big, sizeof big, 0 };
	assert_int_equal(kv_put_many(&kv, bad, 2), -CELL_E_TOOLONG);
	bad[1] = (struct kv_item){ "m", "", "v", 1, 0 };
	assert_int_equal(kv_put_many(&kv, bad, 2), -CELL_E_TOOLONG);
	assert_memory_equal(before, disk, sizeof disk);
	/* KV_MANY_MAX keys at once fit (short ones). */
	char keys[KV_MANY_MAX][4];
	for (int i = 0; i < KV_MANY_MAX; i++) {
		snprintf(keys[i], sizeof keys[i], "x%d", i);
		bad[i] = (struct kv_item){ "m", keys[i], keys[i], 2, 0 };
	}
	assert_int_equal(kv_put_many(&kv, bad, KV_MANY_MAX), 0);
	assert_int_equal(kv.count, HALF - 3); /* the most a half allows */
	assert_int_equal(kv_put(&kv, "m", "one-more", "v", 1), -CELL_E_NOSPACE);
	free(reopen(0));
	assert_int_equal(kv.count, HALF - 3);
	kv_expect("m", "x7", "x7");
}

/* Damage to a multi-key record loses its keys together. */
static void
test_put_many_damaged_together(void **state)
{
	struct kv_item it[2] = { { "m", "a", "A1", 2, 0 },
		{ "m", "b", "B1", 2, 0 } };
	uint64_t hit;

	(void)state;
	assert_int_equal(kv_put_many(&kv, it, 2), 0);
	it[0].value = "A2";
	it[1].value = "B2";
	assert_int_equal(kv_put_many(&kv, it, 2), 0);
	hit = where("m", "a");
	it[0].value = "A3";
	it[1].value = "B3";
	assert_int_equal(kv_put_many(&kv, it, 2), 0);
	flip(hit, 8 * 40);
	reopen_damaged(0, hit, "1 later record(s)");
	kv_expect("m", "a", "A1");
	kv_expect("m", "b", "B1");
}

/* ---- damage in the log of the committed half ---- */

/*
 * Six records in half 0, blocks 1..6, then the tail copy at 7:
 * o=o1, k=v1, k=v2, k=v3, k=v4, k=v5.
 */
static void
six_records(void)
{
	char v[4];

	put("t", "o", "o1");
	for (int i = 1; i <= 5; i++) {
		snprintf(v, sizeof v, "v%d", i);
		put("t", "k", v);
	}
	assert_int_equal(kv.active, 0);
	assert_int_equal(where("t", "k"), 6);
}

/*
 * The store moved on: more writes and opens (through compactions) never
 * bring back what it lost; t/o keeps its value o1 if it has one.
 */
static void
never_back_o(int has_o)
{
	char v[16];

	for (int i = 0; i < 12; i++) {
		snprintf(v, sizeof v, "n%d", i);
		put("t", "k", v);
		free(reopen(0));
		kv_expect("t", "k", v);
		if (has_o)
			kv_expect("t", "o", "o1");
		else
			kv_absent("t", "o");
	}
}

static void
never_back(void)
{
	never_back_o(1);
}

static void
test_flip_middle_record(void **state)
{
	(void)state;
	six_records();
	flip(3, 8 * 30 + 2); /* k=v2 */
	reopen_damaged(0, 3,
	    "the log breaks there: 3 later record(s) "
	    "(seq 4..6) are lost");
	kv_expect("t", "k", "v1");
	kv_expect("t", "o", "o1");
	assert_int_equal(kv.active, 1);
	never_back();
}

static void
test_zero_middle_block(void **state)
{
	(void)state;
	six_records();
	zero(4); /* k=v3 */
	reopen_damaged(0, 4, "is blank, so the log breaks there");
	kv_expect("t", "k", "v2");
	never_back();
}

static void
test_torn_middle_record(void **state)
{
	(void)state;
	six_records();
	/* Its first half from an older copy of the block (zeros here). */
	memset(block(2), 0, BS / 2);
	reopen_damaged(0, 2,
	    "does not decode, so the log breaks there: 4 "
	    "later record(s)");
	kv_absent("t", "k");
	kv_expect("t", "o", "o1");
	never_back();
}

static void
test_flip_last_record(void **state)
{
	(void)state;
	six_records();
	flip(6, 8 * 200);
	reopen_damaged(0, 6,
	    "recovered it from its tail copy at block 7, "
	    "nothing lost");
	kv_expect("t", "k", "v5");
	never_back();
}

static void
test_zero_last_record(void **state)
{
	(void)state;
	six_records();
	zero(6);
	reopen_damaged(0, 6, "is blank; recovered it from its tail copy");
	kv_expect("t", "k", "v5");
	never_back();
}

static void
test_torn_last_record(void **state)
{
	static uint8_t old[BS];

	(void)state;
	six_records();
	/* Block 7 holds v5's tail copy; the next put overwrites it. */
	memcpy(old, block(7), BS);
	put("t", "k", "v6");
	memcpy(block(7), old, BS / 2);
	reopen_damaged(0, 7, "recovered it from its tail copy at block 8");
	kv_expect("t", "k", "v6");
	never_back();
}

/*
 * The newest record written twice (block 6 again at 7, over its tail
 * copy, as a misdirected write would): a record whose seq does not rise
 * ends the log there, reported once, and nothing acknowledged is lost.
 */
static void
test_record_repeated_after_itself(void **state)
{
	(void)state;
	six_records();
	memcpy(block(7), block(6), BS);
	reopen_damaged(0, 7, "holds a record out of sequence");
	kv_expect("t", "k", "v5");
	kv_expect("t", "o", "o1");
	never_back();
}

static void
test_flip_tail_copy(void **state)
{
	(void)state;
	six_records();
	flip(7, 3);
	reopen_damaged(0, 7, "nothing acknowledged is lost");
	kv_expect("t", "k", "v5");
	never_back();
}

static void
test_zero_tail_copy_is_no_loss(void **state)
{
	(void)state;
	six_records();
	zero(7); /* as if the power went before the copy was written */
	free(reopen(0));
	kv_expect("t", "k", "v5");
	never_back();
}

/* ---- headers ---- */

static void
test_active_header_flip(void **state)
{
	(void)state;
	six_records();
	flip(0, 8 * 9);
	reopen_damaged(0, 0,
	    "its header does not decode; rebuilt the half "
	    "from its records of generation 1");
	kv_expect("t", "k", "v5");
	never_back();
}

static void
test_active_header_zero(void **state)
{
	(void)state;
	six_records();
	zero(0);
	reopen_damaged(0, 0, "its header is blank; rebuilt");
	kv_expect("t", "k", "v5");
	never_back();
}

/* Half 0 gets generation 3 after two compactions; put its old header back. */
static void
test_active_header_older(void **state)
{
	static uint8_t old[BS];
	char v[16];

	(void)state;
	memcpy(old, block(0), BS); /* fresh: blank */
	put("t", "o", "o1");
	memcpy(old, block(0), BS); /* generation 1 */
	for (int i = 0; kv.generation < 3; i++) {
		snprintf(v, sizeof v, "v%d", i);
		put("t", "k", v);
	}
	assert_int_equal(kv.active, 0);
	put("t", "k", "last");
	memcpy(block(0), old, BS);
	reopen_damaged(0, 0, "says generation 1, older than its records");
	kv_expect("t", "k", "last");
	kv_expect("t", "o", "o1");
	never_back();
}

/* Fill half 0 so that the next puts compact into half 1. */
static void
into_half_one(void)
{
	char v[16];

	put("t", "o", "o1");
	for (int i = 0; kv.active == 0; i++) {
		snprintf(v, sizeof v, "w%d", i);
		put("t", "k", v);
	}
	put("t", "k", "v5");
	assert_int_equal(kv.generation, 2);
}

static void
test_inactive_header_flip(void **state)
{
	(void)state;
	into_half_one();
	flip(0, 8 * 12);
	free(reopen(0)); /* the old half's header: nothing current */
	kv_expect("t", "k", "v5");
	never_back(); /* through a compaction back into half 0 */
	assert_true(kv.generation >= 3);
}

/* Put until the store compacts back into half 0; what that printed. */
static char *
puts_into_half_zero(void)
{
	struct capture c;

	capture_begin(&c);
	for (int i = 0; kv.active == 1; i++)
		put("t", "k", i % 2 ? "x" : "y");
	return capture_end(&c);
}

static void
test_inactive_records_damage(void **state)
{
	char *out;

	(void)state;
	into_half_one();
	flip(9, 100);
	zero(5);
	memset(block(7), 0xA5, BS / 2);
	free(reopen(0));
	kv_expect("t", "k", "v5");
	/* The compaction back into half 0 clears what it cannot read. */
	out = puts_into_half_zero();
	assert_non_null(strstr(out,
	    "#I kv: half 0: cleared 2 unreadable "
	    "block(s) before reusing it"));
	free(out);
	never_back();
}

/*
 * The same, for blocks damaged after the open: how far a half may hold
 * anything comes from this session's writes, not from a scan, and it must
 * reach the last block written there. Halves of 12 and 11 blocks: the
 * last tail copy at an odd and at an even block.
 */
static void
damage_same_session(uint64_t half)
{
	char *out;

	memset(disk, 0, sizeof disk);
	assert_int_equal(kv_open(&kv, &dev, (struct region){ 0, 2 * half }), 0);
	into_half_one();
	assert_true(!blk_blank(block(half - 1), BS));
	flip(half - 1, 100); /* the last block written in half 0 */
	flip(6, 100);
	out = puts_into_half_zero();
	if (strstr(out,
		"#I kv: half 0: cleared 2 unreadable "
		"block(s) before reusing it") == NULL)
		fail_msg("half of %llu blocks: want both damaged blocks "
			 "cleared, got: %s",
		    (unsigned long long)half, out);
	free(out);
	for (uint64_t b = 1; b < half; b++) {
		struct kv_record r;

		assert_true(blk_blank(block(b), BS) ||
		    kv_record_decode(block(b), &r) == 0);
	}
}

static void
test_inactive_damage_same_session(void **state)
{
	(void)state;
	damage_same_session(HALF - 1);
	damage_same_session(HALF);
	never_back();
}

/*
 * A log with more live keys than its half can hold (written in an area of
 * halves of 12 blocks, 9 keys, then opened as halves of 10 blocks: a
 * header, a tail copy and the next record leave 7). A record that fits
 * exactly, by deleting one key as it adds two, is kept; the next one is
 * where the log breaks, reported once: it and its tail copy are one
 * record lost.
 */
static void
test_more_keys_than_fit(void **state)
{
	const struct region small = { 0, 20 };
	const struct kv_item many[] = {
		{ "t", "k1", NULL, 0, 1 },
		{ "t", "k7", "7", 1, 0 },
		{ "t", "k8", "8", 1, 0 },
	};
	char key[4], *out;
	struct capture c;

	(void)state;
	for (int i = 1; i <= 6; i++) {
		snprintf(key, sizeof key, "k%d", i);
		put("t", key, key + 1);
	}
	assert_int_equal(kv_put_many(&kv, many, 3), 0);
	put("t", "k9", "9");
	assert_int_equal(where("t", "k9"), 8);
	assert_true(blk_blank(block(10), BS));

	capture_begin(&c);
	assert_int_equal(kv_open(&kv, &dev, small), 0);
	out = capture_end(&c);
	assert_int_equal(kv.damage, 1);
	/* seq 1..6 the six puts, 7 the record of three, 8 k9's. */
	if (strstr(out,
		"#W kv: half 0 damaged at block 8: the block holds "
		"a record that needs more live keys than fit, so the "
		"log breaks there: 1 later record(s) (seq 8..8) are "
		"lost; kept the 7 record(s) before it (up to seq "
		"7)") == NULL)
		fail_msg("got: %s", out);
	free(out);
	assert_int_equal(kv.count, 7);
	kv_absent("t", "k1");
	for (int i = 2; i <= 8; i++) {
		snprintf(key, sizeof key, "k%d", i);
		kv_expect("t", key, key + 1);
	}
	kv_absent("t", "k9");

	/* The store moves on in the smaller area, with nothing to report. */
	put("t", "k2", "x");
	capture_begin(&c);
	assert_int_equal(kv_open(&kv, &dev, small), 0);
	free(capture_end(&c));
	assert_int_equal(kv.damage, 0);
	assert_int_equal(kv.count, 7);
	kv_expect("t", "k2", "x");
	kv_absent("t", "k9");
	assert_int_equal(kv_put(&kv, "t", "k9", "9", 1), -CELL_E_NOSPACE);
}

/* ---- copies-only halves and losing every header ---- */

/* A RAM device whose writes stop landing after a number of them. */
static uint64_t writes, cut_after;

static int
cut_write(void *ctx, uint64_t lba, const void *buf, uint32_t count)
{
	(void)ctx;
	if (cut_after != 0 && writes + count > cut_after)
		return -CELL_E_IO;
	writes += count;
	memcpy(block(lba), buf, (size_t)count * BS);
	return 0;
}

/*
 * Half 0 full, then the put that compacts into half 1 loses the power
 * right after half 1's header: half 1 holds copies only.
 */
static void
copies_only_half_one(void)
{
	static uint8_t save[sizeof disk];
	struct blkdev cut = dev;
	char v[16];
	int i;

	put("t", "o", "o1");
	for (i = 0; kv.next_block + 2 <= HALF; i++) {
		snprintf(v, sizeof v, "w%d", i);
		put("t", "k", v);
	}
	/* Count the compaction's writes, then replay it with a cut. */
	memcpy(save, disk, sizeof disk);
	cut.write = cut_write;
	writes = cut_after = 0;
	assert_int_equal(kv_open(&kv, &cut, area), 0);
	assert_int_equal(kv_put(&kv, "t", "k", "lost", 4), 0);
	assert_int_equal(kv.active, 1);
	cut_after = writes - 2; /* the record and its tail copy */
	memcpy(disk, save, sizeof disk);
	writes = 0;
	assert_int_equal(kv_open(&kv, &cut, area), 0);
	assert_int_equal(kv_put(&kv, "t", "k", "lost", 4), -CELL_E_IO);
	free(reopen(0));
	assert_int_equal(kv.active, 1);
	snprintf(v, sizeof v, "w%d", i - 1);
	kv_expect("t", "k", v);
}

/* The power went after the copies, before the header: finish it. */
static void
test_unfinished_compaction(void **state)
{
	static uint8_t done[sizeof disk];
	char v[16], *out;

	(void)state;
	copies_only_half_one();
	memcpy(done, disk, sizeof disk);
	zero(HALF); /* as if the header never landed */
	out = reopen(0);
	assert_non_null(strstr(out,
	    "#I kv: half 1: finished the compaction "
	    "into it (generation 2)"));
	free(out);
	assert_memory_equal(disk, done, sizeof disk);
	snprintf(v, sizeof v, "w%d", HALF - 4);
	kv_expect("t", "k", v);
	never_back();
}

/* A copies-only half whose header does not decode: rebuilt from them. */
static void
test_copies_only_header_rebuilt(void **state)
{
	char v[16];

	(void)state;
	copies_only_half_one();
	flip(HALF, 8 * 9);
	reopen_damaged(1, HALF,
	    "its header does not decode; rebuilt the "
	    "half from its records of generation 2");
	snprintf(v, sizeof v, "w%d", HALF - 4);
	kv_expect("t", "k", v);
	never_back();
}

/*
 * Neither its header nor a whole log proves the copies-only half: the
 * other half, valid, holds the same keys, and the store falls back to it.
 */
static void
test_copies_only_falls_back(void **state)
{
	char v[16];

	(void)state;
	copies_only_half_one();
	flip(HALF, 8 * 9);
	zero(HALF + 3); /* and the tail copy of its copies */
	reopen_damaged(1, HALF,
	    "its header does not decode and its records "
	    "(up to generation 2) do not prove it; fell back to half 0");
	assert_int_equal(kv.active, 1); /* copied on into half 1 */
	snprintf(v, sizeof v, "w%d", HALF - 4);
	kv_expect("t", "k", v);
	kv_expect("t", "o", "o1");
	never_back();
}

static void
test_no_committed_half(void **state)
{
	(void)state;
	copies_only_half_one();
	flip(HALF, 8 * 9);
	zero(HALF + 3);
	memset(disk, 0, HALF * BS);
	reopen_damaged(1, HALF,
	    "no half has a valid header or records that "
	    "prove one");
	assert_int_equal(kv.count, 0);
	put("t", "k", "again");
	free(reopen(0));
	kv_expect("t", "k", "again");
	kv_absent("t", "o"); /* the lost copies never come back */
	never_back_o(0);
}

/* ---- what is not damage ---- */

static void
test_blank_is_not_damage(void **state)
{
	(void)state;
	free(reopen(0)); /* a blank area */
	assert_int_equal(kv.count, 0);
	assert_int_equal(kv.generation, 0);
	put("t", "k", "v");
	free(reopen(0)); /* the rest of the area is blank */
	kv_expect("t", "k", "v");
}

static void
test_unreadable_past_the_end(void **state)
{
	char *out;

	(void)state;
	six_records();
	flip(9, 77); /* two blocks past the tail copy */
	out = reopen(0);
	assert_non_null(strstr(out,
	    "#I kv: half 0: cleared 1 unreadable "
	    "block(s) past the end of the log (nothing lost)"));
	free(out);
	free(reopen(0));
	never_back();
}

/* ---- damage found after the open ---- */

static void
test_damage_found_by_get(void **state)
{
	struct capture c;
	char buf[8], *out;

	(void)state;
	six_records();
	flip(where("t", "o"), 8 * 33);
	capture_begin(&c);
	assert_int_equal(kv_get(&kv, "t", "o", buf, sizeof buf), -CELL_E_CRC);
	out = capture_end(&c);
	assert_non_null(strstr(out,
	    "#W kv: half 0 damaged at block 1: the "
	    "record (seq 1) of t/o no longer decodes: 1 key(s) lost"));
	free(out);
	assert_int_equal(kv.damage, 1);
	kv_absent("t", "o");
	kv_expect("t", "k", "v5");
	/* A later open sees what this one does, and nothing to report. */
	free(reopen(0));
	kv_absent("t", "o");
	kv_expect("t", "k", "v5");
}

static void
test_damage_found_during_compaction(void **state)
{
	struct capture c;
	char *out;

	(void)state;
	put("t", "o", "o1");
	put("t", "p", "p1");
	flip(1, 8 * 40); /* o's record, after the open */
	capture_begin(&c);
	for (int i = 0; kv.active == 0; i++)
		put("t", "k", i % 2 ? "a" : "b");
	out = capture_end(&c);
	assert_non_null(strstr(out,
	    "#W kv: half 0 damaged at block 1: the "
	    "record (seq 1) of t/o no longer decodes while being copied: 1 "
	    "key(s) lost"));
	free(out);
	assert_int_equal(kv.damage, 1);
	kv_absent("t", "o");
	kv_expect("t", "p", "p1");
	free(reopen(0));
	kv_absent("t", "o");
	kv_expect("t", "p", "p1");
}

static void
test_repeated_damage(void **state)
{
	char v[16];

	(void)state;
	put("t", "o", "o1");
	for (int round = 0; round < 6; round++) {
		uint64_t hit;

		for (int i = 0; i < 3; i++) {
			snprintf(v, sizeof v, "r%d.%d", round, i);
			put("t", "k", v);
		}
		hit = where("t", "k");
		flip(hit, 8 * 50 + round);
		reopen_damaged(kv.active, hit,
		    "recovered it from its tail copy");
		kv_expect("t", "k", v);
		kv_expect("t", "o", "o1");
		/* And the record before it, whose loss does lose something
		 * (x and y in one log, no compaction between them). */
		uint32_t half;
		do {
			put("t", "k", "x");
			hit = where("t", "k");
			half = kv.active;
			put("t", "k", "y");
		} while (kv.active != half || where("t", "k") != hit + 1);
		zero(hit);
		reopen_damaged(kv.active, hit, "1 later record(s)");
		kv_expect("t", "k", v);
	}
}

/* The brief's bug: a break followed by fewer new records than dead ones. */
static void
test_dead_records_never_return(void **state)
{
	char v[16];

	(void)state;
	for (int i = 0; i < 8; i++) {
		snprintf(v, sizeof v, "d%d", i);
		put("t", "k", v);
	}
	flip(2, 8 * 31); /* d1 */
	reopen_damaged(0, 2, "6 later record(s)");
	kv_expect("t", "k", "d0");
	put("t", "k", "new");
	free(reopen(0));
	kv_expect("t", "k", "new");
	put("t", "j", "j");
	free(reopen(0));
	kv_expect("t", "k", "new");
	never_back_o(0);
}

/* ---- the boot report ---- */

static void
test_boot_report(void **state)
{
	struct capture c;
	char *out;

	(void)state;
	capture_begin(&c);
	assert_int_equal(kv_boot_report(&kv), 0);
	assert_int_equal(kv_open(&kv, &dev, area), 0);
	assert_int_equal(kv_boot_report(&kv), 0);
	out = capture_end(&c);
	assert_string_equal(out,
	    "#I kv boot=1 last=\"(none)\"\n"
	    "#I kv boot=2 last=\"stored by boot 1\"\n");
	free(out);
	/* One record per boot, both keys in it. */
	assert_int_equal(where("boot", "count"), where("boot", "last"));
	assert_int_equal(kv.seq, 2);
	kv_expect("boot", "count", "2");
}

/* Run the boot report, parse its count; returns the count. */
static uint32_t
boot_once(uint32_t *damage, char *last, size_t cap)
{
	struct capture c;
	unsigned n = 0;
	char *out, *p;

	capture_begin(&c);
	assert_int_equal(kv_open(&kv, &dev, area), 0);
	*damage = kv.damage;
	assert_int_equal(kv_boot_report(&kv), 0);
	out = capture_end(&c);
	p = strstr(out, "#I kv boot=");
	assert_non_null(p);
	assert_int_equal(sscanf(p, "#I kv boot=%u last=\"%[^\"]\"", &n, last),
	    2);
	(void)cap;
	free(out);
	return n;
}

/*
 * The campaign in miniature: a store that counted 20 boots, every block
 * of the area damaged three ways; the next two boots. Without a report
 * nothing is lost; the counter rises by one per boot after the damage and
 * each boot's "last" names the boot before (both keys in one record).
 */
static void
test_boot_counter_under_damage(void **state)
{
	static uint8_t aged[sizeof disk], older[sizeof disk];
	char last[KV_VALUE_MAX + 1], want[48];
	uint32_t d, k1, k2, reported = 0, cases = 0;

	(void)state;
	for (int i = 0; i < 20; i++) {
		if (i == 17)
			memcpy(older, disk, sizeof disk);
		assert_int_equal(boot_once(&d, last, sizeof last),
		    (uint32_t)i + 1);
		assert_int_equal(d, 0);
	}
	memcpy(aged, disk, sizeof disk);
	for (uint64_t b = 0; b < AREA; b++) {
		for (int how = 0; how < 4; how++) {
			memcpy(disk, aged, sizeof disk);
			if (how == 0)
				flip(b, (unsigned)(b * 37) % (8 * BS));
			else if (how == 1)
				zero(b);
			else if (how == 2)
				memset(block(b), 0, BS / 2);
			else
				memcpy(block(b), older + b * BS, BS / 2);
			k1 = boot_once(&d, last, sizeof last);
			reported += d > 0;
			cases++;
			if (d == 0)
				assert_int_equal(k1, 21);
			assert_true(k1 >= 1 && k1 <= 21);
			if (k1 > 1) {
				snprintf(want, sizeof want, "stored by boot %u",
				    k1 - 1);
				assert_string_equal(last, want);
			}
			k2 = boot_once(&d, last, sizeof last);
			assert_int_equal(d, 0); /* reported once */
			assert_int_equal(k2, k1 + 1);
			snprintf(want, sizeof want, "stored by boot %u", k1);
			assert_string_equal(last, want);
		}
	}
	print_message("boot counter: %u damaged areas, %u reported, every "
		      "count rose by one\n",
	    cases, reported);
}

/* ---- the property test ---- */

/*
 * The model side: the documented semantics (docs/STORAGE.md), written
 * again from the document, over the block format: which half is
 * committed, which records make its log, what is reported. And a plain
 * map of what every acknowledged operation left behind.
 */
#define PKEYS 6
#define PHALF 10
#define PAREA (2 * PHALF)

struct model {
	int live[PKEYS];
	char value[PKEYS][24];
	int reports;
};

static const char *const pkeys[PKEYS] = { "a", "b", "c", "d", "e", "f" };

static int
key_index(const struct kv_op *op)
{
	for (int k = 0; k < PKEYS; k++) {
		if (op->ns_len == 1 && op->ns[0] == 'p' && op->key_len == 1 &&
		    op->key[0] == pkeys[k][0])
			return k;
	}
	fail_msg("a key the test never wrote");
	return 0;
}

static void
model_apply(struct model *m, const struct kv_record *r)
{
	for (uint32_t i = 0; i < r->n; i++) {
		int k = key_index(&r->op[i]);

		m->live[k] = !r->op[i].deleted;
		memset(m->value[k], 0, sizeof m->value[k]);
		if (m->live[k])
			memcpy(m->value[k], r->op[i].value, r->op[i].value_len);
	}
}

/* The header of a half: 0 blank, 1 unreadable, 2 valid (and *gen). */
static int
spec_header(const uint8_t *b, uint64_t *gen)
{
	uint64_t g = 0;
	int blank = 1;

	for (int i = 0; i < BS; i++)
		blank &= b[i] == 0;
	for (int i = 0; i < 8; i++)
		g |= (uint64_t)b[8 + i] << (8 * i);
	*gen = 0;
	if (memcmp(b, "KVH1\0\0\0\0", 8) == 0 && g != 0 &&
	    (uint32_t)(b[16] | b[17] << 8 | b[18] << 16 |
		(uint32_t)b[19] << 24) == crc32c(0, b, 16)) {
		int rest = 1;
		for (int i = 20; i < BS; i++)
			rest &= b[i] == 0;
		if (rest) {
			*gen = g;
			return 2;
		}
	}
	return blank ? 0 : 1;
}

static void
spec_recover(const uint8_t *d, struct model *m)
{
	static struct kv_record rec[2][PHALF];
	int ok[2][PHALF], blank[2][PHALF], hs[2];
	uint64_t hg[2], cand[2], put_gen[2] = { 0, 0 }, chain[2], G;
	int any = 0, a, i, prev_set = 0, damaged = 0, kept = 0;
	uint64_t prev = 0;

	memset(m, 0, sizeof *m);
	for (int h = 0; h < 2; h++) {
		const uint8_t *base = d + (size_t)h * PHALF * BS;

		hs[h] = spec_header(base, &hg[h]);
		for (i = 1; i < PHALF; i++) {
			const uint8_t *b = base + (size_t)i * BS;
			ok[h][i] = kv_record_decode(b, &rec[h][i]) == 0;
			blank[h][i] = 1;
			for (int j = 0; j < BS; j++)
				blank[h][i] &= b[j] == 0;
			any |= ok[h][i];
			if (ok[h][i] && !(rec[h][i].flags & KV_REC_COPY) &&
			    rec[h][i].generation > put_gen[h])
				put_gen[h] = rec[h][i].generation;
		}
		/* Committed: a valid header, or the puts written after it,
		 * or a whole log from block 1 to the tail copy of its last. */
		cand[h] = hs[h] == 2 ? hg[h] : 0;
		if (put_gen[h] > cand[h])
			cand[h] = put_gen[h];
		chain[h] = 0;
		if (ok[h][1] && !(rec[h][1].flags & KV_REC_TAIL)) {
			uint64_t cg = rec[h][1].generation, cs = rec[h][1].seq;

			for (i = 2; i < PHALF && ok[h][i] &&
			     rec[h][i].generation == cg &&
			     !(rec[h][i].flags & KV_REC_TAIL) &&
			     rec[h][i].seq > cs;
			     i++)
				cs = rec[h][i].seq;
			if (i < PHALF && ok[h][i] &&
			    rec[h][i].generation == cg &&
			    (rec[h][i].flags & KV_REC_TAIL) &&
			    rec[h][i].seq == cs)
				chain[h] = cg;
		}
		if (chain[h] > cand[h])
			cand[h] = chain[h];
	}
	a = cand[1] > cand[0] ||
	    (cand[1] == cand[0] && hs[1] == 2 && hs[0] != 2);
	G = cand[a];
	if (G == 0) {
		m->reports = any; /* records, but nothing committed */
		return;
	}
	/* A header that does not decode, or missing under puts' records,
	 * is damage; missing under copies only, an unfinished compaction. */
	if ((hs[a] != 2 || hg[a] != G) && (hs[a] == 1 || put_gen[a] == G))
		m->reports++;
	/* An unreadable header over records newer than the chosen half. */
	for (i = 1; hs[1 - a] == 1 && i < PHALF; i++) {
		if (ok[1 - a][i] && rec[1 - a][i].generation > G) {
			m->reports++;
			break;
		}
	}
#define OURS(j) (ok[a][j] && rec[a][j].generation == G)
#define TAIL(j) (rec[a][j].flags & KV_REC_TAIL)
	/* The valid prefix. */
	for (i = 1; i < PHALF && OURS(i) && !TAIL(i) &&
	     (!prev_set || rec[a][i].seq > prev);
	     i++) {
		model_apply(m, &rec[a][i]);
		prev = rec[a][i].seq;
		prev_set = 1;
		kept++;
	}
	int rest;
	if (i >= PHALF) {
		rest = PHALF;
	} else if (OURS(i) && TAIL(i) && kept > 0 && rec[a][i].seq == prev) {
		rest = i + 1; /* the tail copy: a clean end */
	} else {
		/* The log breaks at i: blank, stale, unreadable, out of order. */
		if (!blank[a][i] && !(ok[a][i] && rec[a][i].generation != G))
			damaged = 1; /* unreadable, or ours out of order */
		if (i + 1 < PHALF && OURS(i + 1) && TAIL(i + 1) &&
		    rec[a][i + 1].seq > prev) {
			model_apply(m, &rec[a][i + 1]); /* its tail copy */
			damaged = 1;
			rest = i + 2;
		} else {
			rest = i + 1;
		}
	}
	for (i = rest; i < PHALF; i++) {
		if (OURS(i))
			damaged = 1; /* dead records past the break */
	}
#undef OURS
#undef TAIL
	m->reports += damaged;
}

static uint64_t rng_state;

static uint32_t
rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % n);
}

static uint8_t pdisk[PAREA * BS];
static struct blkdev pdev;
static const struct region parea = { 0, PAREA };

static void
model_check(const struct model *m, const char *when, int step)
{
	char buf[32];
	uint32_t live = 0;

	for (int k = 0; k < PKEYS; k++) {
		int n = kv_get(&kv, "p", pkeys[k], buf, sizeof buf - 1);

		if (!m->live[k]) {
			if (n != -CELL_E_NOENT)
				fail_msg(
				    "%s, step %d: key %s reads %d, the model "
				    "has none",
				    when, step, pkeys[k], n);
			continue;
		}
		live++;
		if (n < 0)
			fail_msg(
			    "%s, step %d: key %s: %d, the model has \"%s\"",
			    when, step, pkeys[k], n, m->value[k]);
		buf[n] = '\0';
		if (strcmp(buf, m->value[k]) != 0)
			fail_msg(
			    "%s, step %d: key %s reads \"%s\", the model has "
			    "\"%s\"",
			    when, step, pkeys[k], buf, m->value[k]);
	}
	assert_int_equal(kv.count, live);
}

/* Highest seq of any record on the property disk. */
static uint64_t
disk_seq_max(const uint8_t *d)
{
	uint64_t s = 0;
	struct kv_record r;

	for (int b = 0; b < PAREA; b++) {
		if (kv_record_decode(d + (size_t)b * BS, &r) == 0 && r.seq > s)
			s = r.seq;
	}
	return s;
}

/* Every record a write op left new on the disk ranks above all before. */
static void
check_rising(const uint8_t *before, int step)
{
	uint64_t top = disk_seq_max(before);
	struct kv_record r;

	for (int b = 0; b < PAREA; b++) {
		const uint8_t *p = pdisk + (size_t)b * BS;

		if (memcmp(p, before + (size_t)b * BS, BS) == 0 ||
		    kv_record_decode(p, &r) != 0)
			continue;
		if (r.seq <= top)
			fail_msg(
			    "step %d: block %d got seq %llu, not above the "
			    "disk's %llu",
			    step, b, (unsigned long long)r.seq,
			    (unsigned long long)top);
	}
}

static int
popen_store(struct model *m, int want_reports, const char *when, int step)
{
	struct capture c;
	char *out;
	int rc;

	capture_begin(&c);
	rc = kv_open(&kv, &pdev, parea);
	out = capture_end(&c);
	assert_int_equal(rc, 0);
	if (want_reports >= 0 && (int)kv.damage != want_reports)
		fail_msg("%s, step %d: %u report(s), the model says %d:\n%s",
		    when, step, kv.damage, want_reports, out);
	assert_int_equal(count_lines_with(out, "#W kv: "), (int)kv.damage);
	free(out);
	model_check(m, when, step);
	return (int)kv.damage;
}

static void
test_property_model(void **state)
{
	static uint8_t before[sizeof pdisk], history[8][sizeof pdisk];
	uint32_t runs = 200, steps = 80, damages = 0, reported = 0, lossy = 0;
	uint32_t wrote = 0, opens = 0;

	(void)state;
	rng_state = 0x9E3779B97F4A7C15ull;
	blk_ram(&pdev, pdisk, PAREA);
	for (uint32_t run = 0; run < runs; run++) {
		struct model m;

		memset(&m, 0, sizeof m);
		memset(pdisk, 0, sizeof pdisk);
		memset(history, 0, sizeof history);
		popen_store(&m, 0, "first open", 0);
		for (int step = 1; step <= (int)steps; step++) {
			uint32_t r = rnd(100);
			char vals[3][24];

			memcpy(history[step % 8], pdisk, sizeof pdisk);
			if (r < 55) {
				/* A put, a delete or a multi-key put. */
				struct kv_item it[3];
				uint32_t n = r < 35 ? 1 : 2 + rnd(2);
				int used = 0, want = 0, rc;

				for (uint32_t i = 0; i < n; i++) {
					int k;
					do {
						k = (int)rnd(PKEYS);
					} while (used & 1 << k);
					used |= 1 << k;
					snprintf(vals[i], sizeof vals[i],
					    "%d.%u.%u", k, run, (unsigned)step);
					vals[i][rnd(3) == 0 ? 0 :
							      strlen(vals[i])] =
					    0;
					it[i] = (struct kv_item){ "p", pkeys[k],
						vals[i],
						(uint32_t)strlen(vals[i]), 0 };
					if (m.live[k] && rnd(4) == 0)
						it[i].remove = 1;
				}
				if (n == 1 && r < 10 &&
				    !m.live[it[0].key[0] - 'a']) {
					it[0].remove = 1;
					want = -CELL_E_NOENT;
				}
				memcpy(before, pdisk, sizeof pdisk);
				rc = kv_put_many(&kv, it, n);
				assert_int_equal(rc, want);
				if (rc == 0) {
					for (uint32_t i = 0; i < n; i++) {
						int k = it[i].key[0] - 'a';
						m.live[k] = !it[i].remove;
						memset(m.value[k], 0,
						    sizeof m.value[k]);
						if (m.live[k])
							strcpy(m.value[k],
							    vals[i]);
					}
					check_rising(before, step);
					wrote++;
				}
				model_check(&m, "after a write", step);
			} else if (r < 70) {
				popen_store(&m, 0, "a reopen", step);
				opens++;
			} else {
				/* Damage one block, then open. */
				uint32_t b = rnd(3) ?
				    (uint32_t)(kv.active * PHALF +
					rnd((uint32_t)(kv.next_block + 2 <
						    PHALF ?
						kv.next_block + 2 :
						PHALF))) :
				    rnd(PAREA);
				uint8_t *p = pdisk + (size_t)b * BS;
				struct model s;

				switch (rnd(4)) {
				case 0:
					p[rnd(BS)] ^= (uint8_t)(1u << rnd(8));
					break;
				case 1:
					memset(p, 0, BS);
					break;
				case 2:
					memset(p, 0, BS / 2);
					break;
				default:
					memcpy(p,
					    history[rnd(8)] + (size_t)b * BS,
					    BS / 2);
					break;
				}
				spec_recover(pdisk, &s);
				damages++;
				if (s.reports == 0 &&
				    memcmp(&s.live, &m.live, sizeof m.live) !=
					0) {
					for (int k = 0; k < PKEYS; k++)
						fprintf(stderr,
						    "%s: %d %s / %d %s\n",
						    pkeys[k], m.live[k],
						    m.value[k], s.live[k],
						    s.value[k]);
					fprintf(stderr,
					    "block %u active %u next %llu gen %llu\n",
					    b, kv.active,
					    (unsigned long long)kv.next_block,
					    (unsigned long long)kv.generation);
					for (int q = 0; q < PAREA; q++) {
						struct kv_record rr;
						int dc =
						    kv_record_decode(pdisk +
							    q * BS,
							&rr);
						fprintf(stderr,
						    " %d: rc %d gen %llu seq %llu fl %x\n",
						    q, dc,
						    dc ? 0ull :
							 (unsigned long long)
							     rr.generation,
						    dc ? 0ull :
							 (unsigned long long)
							     rr.seq,
						    dc ? 0 : rr.flags);
					}
					fail_msg(
					    "step %d: the model itself loses "
					    "data without a report",
					    step);
				}
				if (s.reports == 0) {
					for (int k = 0; k < PKEYS; k++) {
						if (m.live[k] &&
						    strcmp(s.value[k],
							m.value[k]) != 0)
							fail_msg(
							    "step %d: silent "
							    "loss of %s",
							    step, pkeys[k]);
					}
				}
				lossy +=
				    memcmp(&s, &m,
					offsetof(struct model, reports)) != 0;
				m = s;
				m.reports = 0;
				reported += s.reports > 0;
				popen_store(&m, s.reports,
				    "the open after damage", step);
				/* Reported once: the store has moved on. */
				popen_store(&m, 0, "the open after that", step);
				opens += 2;
			}
		}
	}
	print_message("property: %u runs of %u steps: %u writes, %u opens, %u "
		      "blocks damaged, %u reported, %u lost data\n",
	    runs, steps, wrote, opens, damages, reported, lossy);
}

/*
 * blk_blank, which the scan asks of every block: any one non-zero byte, at
 * every offset of a block and of unaligned and odd-length ranges, makes a
 * range not blank; zero bytes around it do not.
 */
static void
test_blank(void **state)
{
	static uint8_t buf[HAL_BLOCK_SIZE + 16];

	(void)state;
	memset(buf, 0, sizeof buf);
	assert_true(blk_blank(buf, HAL_BLOCK_SIZE));
	assert_true(blk_blank(buf, 0));
	for (size_t start = 0; start < 9; start++) {
		for (size_t len = 0; len <= 20; len++) {
			for (size_t at = 0; at < len; at++) {
				buf[start + at] = 0x80;
				assert_false(blk_blank(buf + start, len));
				buf[start + at] = 0;
			}
			assert_true(blk_blank(buf + start, len));
		}
	}
	for (size_t at = 0; at < HAL_BLOCK_SIZE; at++) {
		buf[at] = 1;
		assert_false(blk_blank(buf, HAL_BLOCK_SIZE));
		assert_true(at == 0 || blk_blank(buf, at));
		buf[at] = 0;
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blank),
		cmocka_unit_test_setup(test_put_get_namespaces_delete, fresh),
		cmocka_unit_test_setup(test_capacity_errors, fresh),
		cmocka_unit_test_setup(test_compaction_keeps_latest, fresh),
		cmocka_unit_test_setup(test_record_decode, fresh),
		cmocka_unit_test_setup(test_record_encode_by_hand, fresh),
		cmocka_unit_test_setup(test_put_many, fresh),
		cmocka_unit_test_setup(test_put_many_damaged_together, fresh),
		cmocka_unit_test_setup(test_flip_middle_record, fresh),
		cmocka_unit_test_setup(test_zero_middle_block, fresh),
		cmocka_unit_test_setup(test_torn_middle_record, fresh),
		cmocka_unit_test_setup(test_flip_last_record, fresh),
		cmocka_unit_test_setup(test_zero_last_record, fresh),
		cmocka_unit_test_setup(test_torn_last_record, fresh),
		cmocka_unit_test_setup(test_record_repeated_after_itself,
		    fresh),
		cmocka_unit_test_setup(test_flip_tail_copy, fresh),
		cmocka_unit_test_setup(test_zero_tail_copy_is_no_loss, fresh),
		cmocka_unit_test_setup(test_active_header_flip, fresh),
		cmocka_unit_test_setup(test_active_header_zero, fresh),
		cmocka_unit_test_setup(test_active_header_older, fresh),
		cmocka_unit_test_setup(test_inactive_header_flip, fresh),
		cmocka_unit_test_setup(test_inactive_records_damage, fresh),
		cmocka_unit_test_setup(test_more_keys_than_fit, fresh),
		cmocka_unit_test_setup(test_inactive_damage_same_session,
		    fresh),
		cmocka_unit_test_setup(test_unfinished_compaction, fresh),
		cmocka_unit_test_setup(test_copies_only_header_rebuilt, fresh),
		cmocka_unit_test_setup(test_copies_only_falls_back, fresh),
		cmocka_unit_test_setup(test_no_committed_half, fresh),
		cmocka_unit_test_setup(test_blank_is_not_damage, fresh),
		cmocka_unit_test_setup(test_unreadable_past_the_end, fresh),
		cmocka_unit_test_setup(test_damage_found_by_get, fresh),
		cmocka_unit_test_setup(test_damage_found_during_compaction,
		    fresh),
		cmocka_unit_test_setup(test_repeated_damage, fresh),
		cmocka_unit_test_setup(test_dead_records_never_return, fresh),
		cmocka_unit_test_setup(test_boot_report, fresh),
		cmocka_unit_test_setup(test_boot_counter_under_damage, fresh),
		cmocka_unit_test_setup(test_property_model, fresh),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
