/*
 * The trusted key set (include/cellos/keyset.h, wire/keyset_codec): the
 * record laid out as the format's table says, its MAC equal to OpenSSL's
 * HMAC-SHA-256; every refusal of the decoder, the field checks behind a
 * valid MAC included; which packages a set accepts (unknown, revoked,
 * forged, rolled back); and rotations by statements signed by OpenSSL:
 * accepted only from the active key, only forward, never reusing an id or
 * a key, evicting revoked keys when full, and leaving the set untouched
 * whenever they are refused.
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "cellos/keyset.h"
#include "keyset_codec.h"
#include "package_codec.h"
#include "rotation_codec.h"
#include "sign_fixture.h"

static const uint8_t mac_key[32] = "key set test MAC key, 32 bytes!";

#define KEYS 12
static EVP_PKEY *keys[KEYS];
static uint8_t pubs[KEYS][32];

static int
setup(void **state)
{
	(void)state;
	for (int i = 0; i < KEYS; i++)
		keys[i] = fixture_key((uint8_t)(0x30 + i), pubs[i]);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	for (int i = 0; i < KEYS; i++)
		EVP_PKEY_free(keys[i]);
	return 0;
}

/* HMAC-SHA-256 of the record's first 336 bytes, by OpenSSL, into its tail. */
static void
openssl_mac(uint8_t rec[368])
{
	unsigned int n = 0;

	HMAC(EVP_sha256(), mac_key, 32, rec, 336, rec + 336, &n);
	assert_int_equal(n, 32);
}

/* A statement from signer k: introduce key idx as id, maybe revoking. */
static struct rotation
statement(int signer, uint32_t version, uint32_t id, int new_key, int revokes,
    uint32_t revoke_id)
{
	struct rotation_info info = { version, id, revokes, revoke_id, { 0 } };
	struct signer s = fixture_signer(keys[signer]);
	uint8_t st[128];
	struct rotation r;

	memcpy(info.new_pubkey, pubs[new_key], 32);
	assert_int_equal(rotation_encode(st, sizeof st, &info, &s), 128);
	assert_int_equal(rotation_decode(st, sizeof st, &r), 0);
	return r;
}

/* A package signed by key k under key_id with counter. */
static void
package(uint8_t buf[128 + 16], struct package *p, int k, uint32_t key_id,
    uint32_t counter)
{
	struct package_info info = { key_id, 1, counter };
	struct signer s = fixture_signer(keys[k]);
	static const uint8_t genome[16] = "a tiny genome..";
	size_t n = 0;

	assert_int_equal(package_encode(buf, 128 + 16, &info, genome, 16, &s,
			     &n),
	    0);
	assert_int_equal(package_decode(buf, n, 16, p), 0);
}

static void
test_record_layout_and_mac(void **state)
{
	uint8_t rec[368 + 1], want[368];
	struct keyset ks, back;
	struct rotation r;

	(void)state;
	assert_int_equal(keyset_init(&ks, 0, pubs[0]), 0);
	r = statement(0, 1, 1, 1, 1, 0);
	assert_int_equal(keyset_rotate(&ks, &r), 0);
	assert_int_equal(keyset_raise_counter(&ks, 0x11223344), 0);
	rec[368] = 0xA5; /* past the record: the encoder leaves it alone */
	assert_int_equal(keyset_encode(&ks, mac_key, rec, 368), 368);
	assert_int_equal(rec[368], 0xA5);

	memset(want, 0, sizeof want);
	memcpy(want, "CKYS", 4);
	want[4] = 1; /* format version */
	want[6] = 2; /* count */
	want[8] = 1; /* statement version */
	le32_store(want + 12, 0x11223344);
	/* key 0, revoked */
	want[16 + 4] = 1;
	memcpy(want + 16 + 8, pubs[0], 32);
	/* key 1, active */
	want[56] = 1;
	memcpy(want + 56 + 8, pubs[1], 32);
	openssl_mac(want);
	assert_memory_equal(rec, want, 368);

	assert_int_equal(keyset_decode(rec, 368, mac_key, &back), 0);
	assert_memory_equal(&back, &ks, sizeof ks);
	assert_int_equal(keyset_active(&back)->id, 1);
	assert_int_equal(keyset_encode(&ks, mac_key, rec, 367),
	    -CELL_E_NOSPACE);
	assert_int_equal(keyset_encode(&ks, NULL, rec, 368), -CELL_E_INVAL);
}

static void
refused(const uint8_t *rec, size_t size, const uint8_t *key, int want)
{
	struct keyset ks, before;

	memset(&ks, 0x3C, sizeof ks);
	before = ks;
	assert_int_equal(keyset_decode(rec, size, key, &ks), want);
	assert_memory_equal(&ks, &before, sizeof ks);
}

static void
test_every_decoder_refusal(void **state)
{
	uint8_t good[368], b[369];
	uint8_t other_key[32];
	struct keyset ks;

	(void)state;
	assert_int_equal(keyset_init(&ks, 4, pubs[0]), 0);
	ks.keys[1].id = 6;
	ks.keys[1].flags = KEYSET_F_REVOKED;
	memcpy(ks.keys[1].pubkey, pubs[1], 32);
	ks.keys[2].id = 9;
	memcpy(ks.keys[2].pubkey, pubs[2], 32);
	ks.count = 3;
	assert_int_equal(keyset_encode(&ks, mac_key, good, sizeof good), 368);
	assert_int_equal(keyset_decode(good, 368, mac_key, NULL), 0);

	refused(good, 368, NULL, -CELL_E_INVAL);
	for (size_t s = 0; s < 368; s += 7)
		refused(good, s, mac_key, -CELL_E_TRUNCATED);
	refused(good, 367, mac_key, -CELL_E_TRUNCATED);
	refused(NULL, 368, mac_key, -CELL_E_TRUNCATED);
	memcpy(b, good, 368);
	b[2] ^= 1;
	refused(b, 368, mac_key, -CELL_E_MAGIC);
	memcpy(b, good, 368);
	b[4] = 2;
	refused(b, 368, mac_key, -CELL_E_VERSION);
	memcpy(b, good, 368);
	b[368] = 0;
	refused(b, 369, mac_key, -CELL_E_LENGTH);
	/* Under another key, or with any byte past the version changed. */
	memcpy(other_key, mac_key, 32);
	other_key[31] ^= 1;
	refused(good, 368, other_key, -CELL_E_BADMAC);
	for (int i = 6; i < 368; i++) {
		memcpy(b, good, 368);
		b[i] ^= 0x04;
		refused(b, 368, mac_key, -CELL_E_BADMAC);
	}

	/* Behind a valid MAC: each field rule. */
#define WITH(edit, want)                        \
	do {                                    \
		memcpy(b, good, 368);           \
		edit;                           \
		openssl_mac(b);                 \
		refused(b, 368, mac_key, want); \
	} while (0)
	WITH(le16_store(b + 6, 0), -CELL_E_RANGE);
	WITH(le16_store(b + 6, 9), -CELL_E_RANGE);
	WITH(b[16 + 3 * 40 + 8] = 1, -CELL_E_RESERVED); /* slot 3 not zero */
	WITH(b[16 + 7 * 40] = 1, -CELL_E_RESERVED);     /* slot 7's id */
	WITH(b[16 + 4 + 1] = 1, -CELL_E_FLAGS);         /* key 0 flag 0x100 */
	WITH(le32_store(b + 56, 4), -CELL_E_RANGE); /* id 6 -> 4 = key 0's */
	WITH(le32_store(b + 56, 3), -CELL_E_RANGE); /* decreasing */
	WITH(b[96 + 4] = 1, -CELL_E_REVOKED);       /* the active key */
	WITH(memset(b + 16 + 8, 0, 32), -CELL_E_WEAKKEY); /* y = 0: order 4 */
	WITH((memset(b + 56 + 8, 0, 32), b[64] = 2), -CELL_E_INVAL);
	WITH(memcpy(b + 96 + 8, pubs[0], 32), -CELL_E_EXISTS);
	/* count 2 with the third key still there: slot 2 must be zero. */
	WITH(le16_store(b + 6, 2), -CELL_E_RESERVED);
#undef WITH
}

static void
test_init_and_lookup(void **state)
{
	const keyset_entry_t *e = NULL;
	struct keyset ks, before;
	uint8_t weak[32] = { 1 };

	(void)state;
	memset(&ks, 0x77, sizeof ks);
	before = ks;
	assert_int_equal(keyset_init(&ks, 0, weak), -CELL_E_WEAKKEY);
	assert_int_equal(keyset_init(NULL, 0, pubs[0]), -CELL_E_INVAL);
	assert_memory_equal(&ks, &before, sizeof ks);
	assert_int_equal(keyset_init(&ks, 5, pubs[3]), 0);
	assert_int_equal(ks.count, 1);
	assert_int_equal(ks.statement_version, 0);
	assert_int_equal(ks.security_counter, 0);
	assert_int_equal(keyset_check(&ks), 0);
	assert_int_equal(keyset_lookup(&ks, 5, &e), 0);
	assert_memory_equal(e->pubkey, pubs[3], 32);
	assert_int_equal(keyset_lookup(&ks, 0, &e), -CELL_E_NOENT);
	assert_int_equal(keyset_lookup(&ks, 6, NULL), -CELL_E_NOENT);
	assert_int_equal(keyset_active(&ks)->id, 5);
	ks.keys[0].flags = KEYSET_F_REVOKED;
	assert_int_equal(keyset_lookup(&ks, 5, &e), -CELL_E_REVOKED);
	assert_int_equal(keyset_check(&ks), -CELL_E_REVOKED);
}

/*
 * keyset_encode and keyset_rotate check the set's shape only: a key off
 * the curve (which only a bug could put into a set in memory) is written,
 * and keyset_decode refuses the record it makes. A broken shape is still
 * refused at encode.
 */
static void
test_encode_checks_shape_decode_checks_keys(void **state)
{
	uint8_t rec[368];
	struct keyset ks, out;

	(void)state;
	assert_int_equal(keyset_init(&ks, 0, pubs[0]), 0);
	memset(ks.keys[0].pubkey, 0, 32); /* y = 0: a point of order 4 */
	assert_int_equal(keyset_check(&ks), -CELL_E_WEAKKEY);
	assert_int_equal(keyset_encode(&ks, mac_key, rec, sizeof rec), 368);
	assert_int_equal(keyset_decode(rec, sizeof rec, mac_key, &out),
	    -CELL_E_WEAKKEY);
	ks.keys[0].flags = KEYSET_F_REVOKED;
	assert_int_equal(keyset_encode(&ks, mac_key, rec, sizeof rec),
	    -CELL_E_REVOKED);
}

static void
test_which_packages_a_set_accepts(void **state)
{
	uint8_t buf[128 + 16];
	struct keyset ks;
	struct package p;
	struct rotation r;

	(void)state;
	assert_int_equal(keyset_init(&ks, 0, pubs[0]), 0);
	package(buf, &p, 0, 0, 5);
	assert_int_equal(keyset_check_package(&ks, &p), 0);
	/* Signed by a key the device does not trust, under the root's id. */
	package(buf, &p, 2, 0, 5);
	assert_int_equal(keyset_check_package(&ks, &p), -CELL_E_BADSIG);
	/* An id the set does not know. */
	package(buf, &p, 0, 3, 5);
	assert_int_equal(keyset_check_package(&ks, &p), -CELL_E_NOENT);
	/* Anti-rollback: below the stored counter is refused, equal is not. */
	assert_int_equal(keyset_raise_counter(&ks, 5), 0);
	package(buf, &p, 0, 0, 4);
	assert_int_equal(keyset_check_package(&ks, &p), -CELL_E_ROLLBACK);
	package(buf, &p, 0, 0, 5);
	assert_int_equal(keyset_check_package(&ks, &p), 0);
	assert_int_equal(keyset_raise_counter(&ks, 4), -CELL_E_ROLLBACK);
	assert_int_equal(ks.security_counter, 5);
	assert_int_equal(keyset_raise_counter(&ks, 5), 0);
	/* The decision is on the signed bytes, not on pkg->info. */
	package(buf, &p, 0, 0, 4);
	p.info.security_counter = 9;
	assert_int_equal(keyset_check_package(&ks, &p), -CELL_E_ROLLBACK);
	package(buf, &p, 0, 3, 5);
	p.info.key_id = 0;
	assert_int_equal(keyset_check_package(&ks, &p), -CELL_E_NOENT);
	/* After a rotation that revokes the root: root packages are revoked. */
	r = statement(0, 1, 1, 1, 1, 0);
	assert_int_equal(keyset_rotate(&ks, &r), 0);
	package(buf, &p, 0, 0, 6);
	assert_int_equal(keyset_check_package(&ks, &p), -CELL_E_REVOKED);
	package(buf, &p, 1, 1, 6);
	assert_int_equal(keyset_check_package(&ks, &p), 0);
	/* A rotation keeps the counter. */
	package(buf, &p, 1, 1, 4);
	assert_int_equal(keyset_check_package(&ks, &p), -CELL_E_ROLLBACK);
	assert_int_equal(keyset_check_package(NULL, &p), -CELL_E_INVAL);
}

/* keyset_rotate must refuse with want and change nothing. */
static void
rotate_refused(struct keyset *ks, const struct rotation *r, int want)
{
	struct keyset before = *ks;

	assert_int_equal(keyset_rotate(ks, r), want);
	assert_memory_equal(ks, &before, sizeof before);
}

static void
test_rotation_rules(void **state)
{
	struct keyset ks;
	struct rotation r;

	(void)state;
	assert_int_equal(keyset_init(&ks, 0, pubs[0]), 0);
	/* Not signed by the active key. */
	rotate_refused(&ks, (r = statement(1, 1, 1, 1, 0, 0), &r),
	    -CELL_E_BADSIG);
	/* Version 1 introduces key 1 and keeps the root. */
	r = statement(0, 1, 1, 1, 0, 0);
	assert_int_equal(keyset_rotate(&ks, &r), 0);
	assert_int_equal(ks.count, 2);
	assert_int_equal(ks.statement_version, 1);
	assert_int_equal(keyset_active(&ks)->id, 1);
	assert_int_equal(keyset_lookup(&ks, 0, NULL), 0);
	/* Replayed: its signer is no longer the active key. */
	rotate_refused(&ks, &r, -CELL_E_BADSIG);
	/* Signed by the active key, but not newer than the last statement. */
	rotate_refused(&ks, (r = statement(1, 1, 2, 2, 0, 0), &r),
	    -CELL_E_ROLLBACK);
	/* Version 0 (signed, but no decoder lets it through). */
	r = statement(1, 2, 2, 2, 0, 0);
	le32_store(r.body + 8, 0);
	fixture_sign(keys[1], r.body, 64, r.signature);
	rotate_refused(&ks, &r, -CELL_E_RANGE);
	/* The old root is no longer the one that signs statements. */
	rotate_refused(&ks, (r = statement(0, 2, 2, 2, 0, 0), &r),
	    -CELL_E_BADSIG);
	/* An id the set holds, an id not above the active one, a key it holds. */
	rotate_refused(&ks, (r = statement(1, 2, 1, 2, 0, 0), &r),
	    -CELL_E_EXISTS);
	rotate_refused(&ks, (r = statement(1, 2, 0, 2, 0, 0), &r),
	    -CELL_E_EXISTS);
	assert_int_equal(keyset_init(&ks, 5, pubs[0]), 0);
	r = statement(0, 1, 8, 1, 0, 0);
	assert_int_equal(keyset_rotate(&ks, &r), 0);
	rotate_refused(&ks, (r = statement(1, 2, 7, 2, 0, 0), &r),
	    -CELL_E_RANGE);
	rotate_refused(&ks, (r = statement(1, 2, 9, 0, 0, 0), &r),
	    -CELL_E_EXISTS);
	rotate_refused(&ks, (r = statement(1, 2, 9, 1, 0, 0), &r),
	    -CELL_E_EXISTS);
	/* Versions may skip, never go back. */
	r = statement(1, 10, 9, 2, 1, 8);
	assert_int_equal(keyset_rotate(&ks, &r), 0);
	assert_int_equal(ks.statement_version, 10);
	assert_int_equal(keyset_lookup(&ks, 8, NULL), -CELL_E_REVOKED);
	rotate_refused(&ks, (r = statement(2, 9, 10, 3, 0, 0), &r),
	    -CELL_E_ROLLBACK);
	/* Revoking an id the set does not hold changes nothing else. */
	r = statement(2, 11, 10, 3, 1, 6);
	assert_int_equal(keyset_rotate(&ks, &r), 0);
	assert_int_equal(ks.count, 4);
	assert_int_equal(keyset_lookup(&ks, 5, NULL), 0);
	assert_int_equal(keyset_check(&ks), 0);
	rotate_refused(&ks, NULL, -CELL_E_INVAL);
}

static void
test_fields_applied_are_the_signed_ones(void **state)
{
	struct keyset ks;
	struct rotation r;

	(void)state;
	assert_int_equal(keyset_init(&ks, 0, pubs[0]), 0);
	r = statement(0, 1, 1, 1, 0, 0);
	/* Someone edits the decoded fields after the decode. */
	r.info.new_key_id = 7;
	memcpy(r.info.new_pubkey, pubs[5], 32);
	r.info.revokes = 1;
	r.info.revoke_id = 0;
	assert_int_equal(keyset_rotate(&ks, &r), 0);
	assert_int_equal(keyset_active(&ks)->id, 1);
	assert_memory_equal(keyset_active(&ks)->pubkey, pubs[1], 32);
	assert_int_equal(keyset_lookup(&ks, 0, NULL), 0);
	/* And a damaged body is refused like the bytes would be. */
	r = statement(1, 2, 2, 2, 0, 0);
	r.body[60] = 1;
	rotate_refused(&ks, &r, -CELL_E_RESERVED);
	r = statement(1, 2, 2, 2, 0, 0);
	r.body[8] ^= 0x40;
	rotate_refused(&ks, &r, -CELL_E_BADSIG);
}

static void
test_a_full_set_evicts_the_oldest_revoked_key(void **state)
{
	struct keyset ks;
	struct rotation r;
	uint8_t rec[368];
	struct keyset back;

	(void)state;
	assert_int_equal(keyset_init(&ks, 0, pubs[0]), 0);
	/* Keys 1..7, none revoked: the set is full. */
	for (uint32_t id = 1; id < KEYSET_KEYS_MAX; id++) {
		r = statement((int)id - 1, id, id, (int)id, 0, 0);
		assert_int_equal(keyset_rotate(&ks, &r), 0);
	}
	assert_int_equal(ks.count, KEYSET_KEYS_MAX);
	rotate_refused(&ks, (r = statement(7, 8, 8, 8, 0, 0), &r),
	    -CELL_E_NOSPACE);
	/* Revoking key 3 in the same statement makes room: 3 leaves. */
	r = statement(7, 8, 8, 8, 1, 3);
	assert_int_equal(keyset_rotate(&ks, &r), 0);
	assert_int_equal(ks.count, KEYSET_KEYS_MAX);
	assert_int_equal(keyset_lookup(&ks, 3, NULL), -CELL_E_NOENT);
	assert_int_equal(keyset_lookup(&ks, 2, NULL), 0);
	assert_int_equal(keyset_active(&ks)->id, 8);
	assert_int_equal(keyset_check(&ks), 0);
	/* Two revoked: the lower id goes first, the other stays revoked. */
	r = statement(8, 9, 9, 9, 1, 5);
	assert_int_equal(keyset_rotate(&ks, &r), 0); /* 5 leaves */
	assert_int_equal(keyset_lookup(&ks, 5, NULL), -CELL_E_NOENT);
	r = statement(9, 10, 10, 10, 1, 1);
	assert_int_equal(keyset_rotate(&ks, &r), 0); /* 1 leaves */
	assert_int_equal(keyset_lookup(&ks, 1, NULL), -CELL_E_NOENT);
	ks.keys[0].flags |= KEYSET_F_REVOKED; /* key 0 revoked too */
	r = statement(10, 11, 11, 11, 1, 2);
	assert_int_equal(keyset_rotate(&ks, &r), 0); /* 0 leaves, 2 stays */
	assert_int_equal(keyset_lookup(&ks, 0, NULL), -CELL_E_NOENT);
	assert_int_equal(keyset_lookup(&ks, 2, NULL), -CELL_E_REVOKED);
	assert_int_equal(keyset_encode(&ks, mac_key, rec, sizeof rec), 368);
	assert_int_equal(keyset_decode(rec, sizeof rec, mac_key, &back), 0);
	assert_memory_equal(&back, &ks, sizeof ks);
	assert_int_equal(back.keys[0].id, 2);
	assert_int_equal(back.keys[KEYSET_KEYS_MAX - 1].id, 11);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_layout_and_mac),
		cmocka_unit_test(test_every_decoder_refusal),
		cmocka_unit_test(test_init_and_lookup),
		cmocka_unit_test(test_encode_checks_shape_decode_checks_keys),
		cmocka_unit_test(test_which_packages_a_set_accepts),
		cmocka_unit_test(test_rotation_rules),
		cmocka_unit_test(test_fields_applied_are_the_signed_ones),
		cmocka_unit_test(test_a_full_set_evicts_the_oldest_revoked_key),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
