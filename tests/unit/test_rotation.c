/*
 * The key-rotation statement (include/cellos/rotation.h,
 * wire/rotation_codec): a statement laid out here from the format's table
 * and signed by OpenSSL decodes and verifies; the encoder writes the same
 * bytes and refuses what the decoder refuses; every decoder refusal with
 * its own error, in the documented order; and one flipped bit anywhere in
 * a signed statement is refused.
 */
#include <openssl/evp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "cellos/rotation.h"
#include "rotation_codec.h"
#include "sign_fixture.h"

/* The statement of the format table, by hand, signed by k. */
static void
hand_statement(uint8_t out[128], EVP_PKEY *k, uint16_t flags, uint32_t version,
    uint32_t new_id, uint32_t revoke_id, const uint8_t new_pub[32])
{
	memset(out, 0, 128);
	memcpy(out, "CROT", 4);
	out[4] = 1;
	le16_store(out + 6, flags);
	le32_store(out + 8, version);
	le32_store(out + 12, new_id);
	le32_store(out + 16, revoke_id);
	memcpy(out + 20, new_pub, 32);
	fixture_sign(k, out, 64, out + 64);
}

static void
test_hand_built_statement_decodes_and_verifies(void **state)
{
	uint8_t root_pub[32], new_pub[32], st[128];
	EVP_PKEY *root = fixture_key(10, root_pub),
		 *next = fixture_key(11, new_pub);
	struct rotation r;

	(void)state;
	hand_statement(st, root, 1, 3, 7, 2, new_pub);
	assert_int_equal(rotation_decode(st, 128, &r), 0);
	assert_int_equal(r.info.statement_version, 3);
	assert_int_equal(r.info.new_key_id, 7);
	assert_int_equal(r.info.revokes, 1);
	assert_int_equal(r.info.revoke_id, 2);
	assert_memory_equal(r.info.new_pubkey, new_pub, 32);
	assert_memory_equal(r.body, st, 64);
	assert_memory_equal(r.signature, st + 64, 64);
	assert_int_equal(rotation_verify(&r, root_pub), 0);
	/* Signed by the root, not by the key it introduces. */
	assert_int_equal(rotation_verify(&r, new_pub), -CELL_E_BADSIG);

	hand_statement(st, root, 0, 1, 1, 0, new_pub);
	assert_int_equal(rotation_decode(st, 128, &r), 0);
	assert_int_equal(r.info.revokes, 0);
	assert_int_equal(r.info.revoke_id, 0);
	assert_int_equal(rotation_verify(&r, root_pub), 0);
	EVP_PKEY_free(root);
	EVP_PKEY_free(next);
}

static void
test_encoder_writes_the_hand_built_bytes(void **state)
{
	uint8_t root_pub[32], want[128], got[130];
	EVP_PKEY *root = fixture_key(12, root_pub);
	struct rotation_info info = { 9, 12, 1, 11, { 0 } };
	struct signer s = fixture_signer(root);
	EVP_PKEY *next = fixture_key(13, info.new_pubkey);

	(void)state;
	hand_statement(want, root, 1, 9, 12, 11, info.new_pubkey);
	assert_int_equal(rotation_encode(got, sizeof got, &info, &s), 128);
	assert_memory_equal(got, want, 128);
	EVP_PKEY_free(root);
	EVP_PKEY_free(next);
}

/* Encoding a statement whose fields break a rule. */
static void
test_encoder_refuses_what_the_decoder_refuses(void **state)
{
	uint8_t root_pub[32], out[128];
	EVP_PKEY *root = fixture_key(14, root_pub);
	struct rotation_info good = { 1, 5, 1, 4, { 0 } }, i;
	struct signer s = fixture_signer(root);
	struct signer fails = { fixture_failing_signer, NULL };
	EVP_PKEY *next = fixture_key(15, good.new_pubkey);

	(void)state;
	assert_int_equal(rotation_encode(out, 128, &good, &s), 128);
	assert_int_equal(rotation_encode(out, 127, &good, &s), -CELL_E_NOSPACE);
	assert_int_equal(rotation_encode(out, 128, NULL, &s), -CELL_E_INVAL);
	assert_int_equal(rotation_encode(out, 128, &good, NULL), -CELL_E_INVAL);
	assert_int_equal(rotation_encode(out, 128, &good, &fails), -CELL_E_IO);
	i = good;
	i.statement_version = 0;
	assert_int_equal(rotation_encode(out, 128, &i, &s), -CELL_E_RANGE);
	i = good;
	i.revoke_id = 5;
	assert_int_equal(rotation_encode(out, 128, &i, &s), -CELL_E_RANGE);
	i.revoke_id = 6;
	assert_int_equal(rotation_encode(out, 128, &i, &s), -CELL_E_RANGE);
	i = good;
	i.revokes = 0;
	assert_int_equal(rotation_encode(out, 128, &i, &s), -CELL_E_RESERVED);
	i.revoke_id = 0;
	assert_int_equal(rotation_encode(out, 128, &i, &s), 128);
	/* The identity point (y = 1) is a weak key; y = 2^255 - 1 is no key. */
	i = good;
	memset(i.new_pubkey, 0, 32);
	i.new_pubkey[0] = 1;
	assert_int_equal(rotation_encode(out, 128, &i, &s), -CELL_E_WEAKKEY);
	memset(i.new_pubkey, 0xff, 32);
	i.new_pubkey[31] = 0x7f;
	assert_int_equal(rotation_encode(out, 128, &i, &s), -CELL_E_INVAL);
	EVP_PKEY_free(root);
	EVP_PKEY_free(next);
}

static void
refused(const uint8_t *buf, size_t size, int want)
{
	struct rotation r, before;

	memset(&r, 0x5A, sizeof r);
	before = r;
	assert_int_equal(rotation_decode(buf, size, &r), want);
	assert_memory_equal(&r, &before, sizeof r);
}

/* A copy of good with the body changed, signed again (the decoder does not
 * check signatures, but a realistic statement is signed). */
static void
resign(uint8_t st[128], EVP_PKEY *k)
{
	fixture_sign(k, st, 64, st + 64);
}

static void
test_every_decoder_refusal(void **state)
{
	uint8_t root_pub[32], new_pub[32], good[128], b[129];
	EVP_PKEY *root = fixture_key(16, root_pub),
		 *next = fixture_key(17, new_pub);

	(void)state;
	hand_statement(good, root, 1, 2, 3, 1, new_pub);
	assert_int_equal(rotation_decode(good, 128, NULL), 0);

	for (size_t s = 0; s < 128; s++)
		refused(good, s, -CELL_E_TRUNCATED);
	refused(NULL, 128, -CELL_E_TRUNCATED);
	for (int i = 0; i < 4; i++) {
		memcpy(b, good, 128);
		b[i] ^= 0x01;
		refused(b, 128, -CELL_E_MAGIC);
	}
	/* A package's magic is not a statement's. */
	memcpy(b, good, 128);
	memcpy(b, "CPKG", 4);
	refused(b, 128, -CELL_E_MAGIC);
	memcpy(b, good, 128);
	b[4] = 2;
	refused(b, 128, -CELL_E_VERSION);
	b[4] = 0;
	refused(b, 128, -CELL_E_VERSION);
	b[4] = 1;
	b[5] = 1;
	refused(b, 128, -CELL_E_VERSION);
	memcpy(b, good, 128);
	b[128] = 0;
	refused(b, 129, -CELL_E_LENGTH);
	for (unsigned bit = 1; bit < 16; bit++) {
		memcpy(b, good, 128);
		le16_store(b + 6, (uint16_t)(1u | 1u << bit));
		refused(b, 128, -CELL_E_FLAGS);
	}
	for (int i = 52; i < 64; i++) {
		memcpy(b, good, 128);
		b[i] = 0x40;
		refused(b, 128, -CELL_E_RESERVED);
	}
	/* revoke_id without the flag. */
	memcpy(b, good, 128);
	le16_store(b + 6, 0);
	resign(b, root);
	refused(b, 128, -CELL_E_RESERVED);
	le32_store(b + 16, 0);
	resign(b, root);
	assert_int_equal(rotation_decode(b, 128, NULL), 0);
	/* Version 0. */
	memcpy(b, good, 128);
	le32_store(b + 8, 0);
	refused(b, 128, -CELL_E_RANGE);
	/* Revoking the key it introduces, or a newer one. */
	memcpy(b, good, 128);
	le32_store(b + 16, 3);
	refused(b, 128, -CELL_E_RANGE);
	le32_store(b + 16, 0xFFFFFFFF);
	refused(b, 128, -CELL_E_RANGE);
	/* New key 0 cannot revoke anything older: there is nothing older. */
	memcpy(b, good, 128);
	le32_store(b + 12, 0);
	le32_store(b + 16, 0);
	refused(b, 128, -CELL_E_RANGE);
	/* The new public key: not canonical, not on the curve, small order. */
	memcpy(b, good, 128);
	memset(b + 20, 0xff, 32);
	b[51] = 0x7f;
	refused(b, 128, -CELL_E_INVAL);
	memset(b + 20, 0, 32);
	b[20] = 2; /* y = 2: x^2 = 3/(4d+1) has no root mod p */
	refused(b, 128, -CELL_E_INVAL);
	memset(b + 20, 0, 32);
	b[20] = 1; /* y = 1: the identity */
	refused(b, 128, -CELL_E_WEAKKEY);
	memset(b + 20, 0xff, 32); /* y = p - 1: the point of order 2 */
	b[20] = 0xec;
	b[51] = 0x7f;
	refused(b, 128, -CELL_E_WEAKKEY);

	/* Order: flags before reserved before range before the key. */
	memcpy(b, good, 128);
	le16_store(b + 6, 0x8001);
	b[60] = 1;
	le32_store(b + 8, 0);
	memset(b + 20, 0, 32);
	refused(b, 128, -CELL_E_FLAGS);
	le16_store(b + 6, 1);
	refused(b, 128, -CELL_E_RESERVED);
	b[60] = 0;
	refused(b, 128, -CELL_E_RANGE);
	le32_store(b + 8, 1);
	refused(b, 128, -CELL_E_WEAKKEY);
	EVP_PKEY_free(root);
	EVP_PKEY_free(next);
}

static void
test_one_flipped_bit_anywhere_is_refused(void **state)
{
	uint8_t root_pub[32], new_pub[32], good[128], b[128];
	EVP_PKEY *root = fixture_key(18, root_pub),
		 *next = fixture_key(19, new_pub);
	unsigned refusals = 0;

	(void)state;
	hand_statement(good, root, 1, 4, 9, 8, new_pub);
	for (int i = 0; i < 128; i++) {
		for (unsigned bit = 0; bit < 8; bit++) {
			struct rotation r;
			int got;

			memcpy(b, good, 128);
			b[i] ^= (uint8_t)(1u << bit);
			got = rotation_decode(b, 128, &r);
			if (got == 0)
				got = rotation_verify(&r, root_pub);
			if (got == 0)
				fail_msg("byte %d bit %u: accepted", i, bit);
			if (i >= 64 &&
			    got != fixture_expected_sig_error(b + 64))
				fail_msg("signature byte %d bit %u: %s", i, bit,
				    cell_strerror(got));
			if (i < 4)
				assert_int_equal(got, -CELL_E_MAGIC);
			if (i >= 52 && i < 64)
				assert_int_equal(got, -CELL_E_RESERVED);
			if (i >= 8 && i < 12) /* any version >= 1 decodes */
				assert_true(got == -CELL_E_BADSIG ||
				    got == -CELL_E_RANGE);
			refusals++;
		}
	}
	assert_int_equal(refusals, 1024);
	EVP_PKEY_free(root);
	EVP_PKEY_free(next);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_hand_built_statement_decodes_and_verifies),
		cmocka_unit_test(test_encoder_writes_the_hand_built_bytes),
		cmocka_unit_test(test_encoder_refuses_what_the_decoder_refuses),
		cmocka_unit_test(test_every_decoder_refusal),
		cmocka_unit_test(test_one_flipped_bit_anywhere_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
