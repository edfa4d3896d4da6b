/*
 * Trust: the keys derive from the secret the boot provides (none: all
 * zero, and trust_has_secret says so), a new key id and version change the
 * MAC key, MAC16 is HMAC-SHA-256 truncated to 16 bytes under a key
 * derived exactly as trust.c documents (recomputed here with OpenSSL's
 * HKDF and HMAC), and every single bit flip of several MACed parcels is
 * rejected.
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "config.h"
#include "parcel_codec.h"
#include "trust.h"

/* The device secret and labels, as docs/PROOFS.md states them. */
static const uint8_t secret[32] = "cell_os provisioned device secre";

static void
openssl_hkdf(const uint8_t *salt, size_t saltlen, const uint8_t *ikm,
    size_t ikmlen, const uint8_t *info, size_t infolen, uint8_t *out,
    size_t outlen, int expand_only)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);

	assert_non_null(c);
	assert_true(EVP_PKEY_derive_init(c) > 0);
	assert_true(EVP_PKEY_CTX_set_hkdf_md(c, EVP_sha256()) > 0);
	if (expand_only)
		assert_true(EVP_PKEY_CTX_hkdf_mode(c,
				EVP_PKEY_HKDEF_MODE_EXPAND_ONLY) > 0);
	else
		assert_true(
		    EVP_PKEY_CTX_set1_hkdf_salt(c, salt, (int)saltlen) > 0);
	assert_true(EVP_PKEY_CTX_set1_hkdf_key(c, ikm, (int)ikmlen) > 0);
	assert_true(EVP_PKEY_CTX_add1_hkdf_info(c, info, (int)infolen) > 0);
	assert_true(EVP_PKEY_derive(c, out, &outlen) > 0);
	EVP_PKEY_CTX_free(c);
}

/* The MAC key of root key id at key version, from the documented recipe. */
static void
expected_mac_key(uint32_t id, uint32_t version, uint8_t key[32])
{
	uint8_t info[12] = "root key", root[32];
	uint8_t mac_info[14] = "parcel mac";

	le32_store(info + 8, id);
	openssl_hkdf((const uint8_t *)"cell_os trust v1", 16, secret, 32, info,
	    sizeof info, root, 32, 0);
	le32_store(mac_info + 10, version);
	openssl_hkdf(NULL, 0, root, 32, mac_info, sizeof mac_info, key, 32, 1);
}

static void
test_mac16_is_documented_hmac(void **state)
{
	static const char msg[] = "any message";
	uint8_t key[32], want[32], got[16];
	unsigned len;

	(void)state;
	trust_reset();
	trust_set_secret(secret);
	assert_int_equal(trust_active_key(), 0);
	assert_int_equal(trust_key_version(), 0);
	expected_mac_key(0, 0, key);
	HMAC(EVP_sha256(), key, 32, (const uint8_t *)msg, sizeof msg - 1, want,
	    &len);
	trust_mac16(msg, sizeof msg - 1, got);
	assert_memory_equal(got, want, 16);

	trust_use_key(1, 1);
	assert_int_equal(trust_active_key(), 1);
	assert_int_equal(trust_key_version(), 1);
	expected_mac_key(1, 1, key);
	HMAC(EVP_sha256(), key, 32, (const uint8_t *)msg, sizeof msg - 1, want,
	    &len);
	trust_mac16(msg, sizeof msg - 1, got);
	assert_memory_equal(got, want, 16);
}

static void
test_no_secret_is_all_zero_and_said(void **state)
{
	static const uint8_t zero[32];
	uint8_t key[32], want[32], got[32];
	uint8_t info[12] = "root key";

	(void)state;
	trust_reset();
	assert_int_equal(trust_has_secret(), 0);
	/* trust_derive under the all-zero secret, recomputed with OpenSSL. */
	trust_derive("root key", got);
	openssl_hkdf((const uint8_t *)"cell_os trust v1", 16, zero, 32, info, 8,
	    want, 32, 0);
	assert_memory_equal(got, want, 32);
	trust_set_secret(secret);
	assert_int_equal(trust_has_secret(), 1);
	trust_derive("root key", got);
	openssl_hkdf((const uint8_t *)"cell_os trust v1", 16, secret, 32, info,
	    8, want, 32, 0);
	assert_memory_equal(got, want, 32);
	trust_reset();
	assert_int_equal(trust_has_secret(), 0);
	(void)key;
}

static void
test_every_bit_flip_of_several_parcels_is_rejected(void **state)
{
	static const uint32_t lengths[] = { 0, 1, 16, 33, 200 };
	uint8_t payload[200], frame[PARCEL_FRAME_MAX];
	struct parcel p;

	(void)state;
	trust_reset();
	for (size_t i = 0; i < sizeof payload; i++)
		payload[i] = (uint8_t)(i * 3);
	for (size_t k = 0; k < sizeof lengths / sizeof lengths[0]; k++) {
		int n = parcel_encode(frame, sizeof frame, (uint32_t)k, 5,
		    PARCEL_F_MAC, payload, lengths[k], trust_parcel_mac());
		assert_true(n > 0);
		assert_int_equal(parcel_decode(frame, (size_t)n, &p,
				     trust_parcel_mac()),
		    n);
		for (int bit = 0; bit < n * 8; bit++) {
			frame[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			if (parcel_decode(frame, (size_t)n, &p,
				trust_parcel_mac()) >= 0)
				fail_msg(
				    "parcel %zu: bit %d flipped and it still "
				    "verified",
				    k, bit);
			frame[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		}
		/* Under the next key the old tag no longer verifies. */
		trust_use_key(1, 1);
		assert_int_equal(parcel_decode(frame, (size_t)n, &p,
				     trust_parcel_mac()),
		    -CELL_E_BADMAC);
		trust_reset();
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mac16_is_documented_hmac),
		cmocka_unit_test(test_no_secret_is_all_zero_and_said),
		cmocka_unit_test(
		    test_every_bit_flip_of_several_parcels_is_rejected),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
