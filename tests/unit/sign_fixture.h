/*
 * What the tests of the signed formats share: Ed25519 keys and signatures
 * from OpenSSL (the second implementation; wire/ only verifies), a signer
 * hook over them, and the canonical-encoding rules of RFC 8032 written
 * out here, apart from wire/ed25519.c, to predict which error a corrupted
 * signature must get.
 */
#ifndef CELLOS_SIGN_FIXTURE_H
#define CELLOS_SIGN_FIXTURE_H

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "signer.h"

/* An OpenSSL Ed25519 key from a 32-byte seed made of one repeated byte. */
static inline EVP_PKEY *
fixture_key(uint8_t seed_byte, uint8_t pub[32])
{
	uint8_t seed[32];
	EVP_PKEY *k;
	size_t len = 32;

	memset(seed, seed_byte, sizeof seed);
	seed[0] ^= 0x5A; /* not a constant run, for no reason but taste */
	k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
	assert_non_null(k);
	assert_int_equal(EVP_PKEY_get_raw_public_key(k, pub, &len), 1);
	assert_int_equal(len, 32);
	return k;
}

static inline void
fixture_sign(EVP_PKEY *k, const uint8_t *msg, size_t len, uint8_t sig[64])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	size_t siglen = 64;

	assert_non_null(c);
	assert_int_equal(EVP_DigestSignInit(c, NULL, NULL, NULL, k), 1);
	assert_int_equal(EVP_DigestSign(c, sig, &siglen, msg, len), 1);
	assert_int_equal(siglen, 64);
	EVP_MD_CTX_free(c);
}

/* The signer hook the encoders take, with OpenSSL behind it. */
static inline int
fixture_signer_fn(void *ctx, const uint8_t *msg, size_t len, uint8_t sig[64])
{
	fixture_sign(ctx, msg, len, sig);
	return 0;
}

static inline struct signer
fixture_signer(EVP_PKEY *k)
{
	return (struct signer){ fixture_signer_fn, k };
}

/* A signer that fails, to see the encoders pass its error on. */
static inline int
fixture_failing_signer(void *ctx, const uint8_t *msg, size_t len,
    uint8_t sig[64])
{
	(void)ctx;
	(void)msg;
	(void)len;
	(void)sig;
	return -CELL_E_IO;
}

/* The group order L = 2^252 + 27742317777372353535851937790883648493, LE. */
/* clang-format off */
static const uint8_t fixture_order_l[32] = {
	0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
	0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
};
/* clang-format on */

/* Whether the little-endian 256-bit s is >= L. */
static inline int
fixture_s_not_below_l(const uint8_t s[32])
{
	for (int i = 31; i >= 0; i--) {
		if (s[i] != fixture_order_l[i])
			return s[i] > fixture_order_l[i];
	}
	return 1;
}

/*
 * Whether r is a non-canonical point encoding by RFC 8032 5.1.3's rules as
 * wire/ed25519.h states them: y >= p = 2^255 - 19, or x = 0 (y = 1 or
 * y = p - 1) with the sign bit set.
 */
static inline int
fixture_r_not_canonical(const uint8_t r[32])
{
	uint8_t y[32];
	int sign = r[31] >> 7, y_ge_p = 1, is_one = 1, is_pm1 = 1;

	memcpy(y, r, 32);
	y[31] &= 0x7f;
	/* p = ed ff ... ff 7f (LE); p - 1 = ec ff ... ff 7f. */
	if (y[0] < 0xed)
		y_ge_p = 0;
	for (int i = 1; i < 31; i++)
		if (y[i] != 0xff)
			y_ge_p = is_pm1 = 0;
	if (y[31] != 0x7f)
		y_ge_p = is_pm1 = 0;
	if (y[0] != 0xec)
		is_pm1 = 0;
	for (int i = 1; i < 32; i++)
		if (y[i] != 0)
			is_one = 0;
	if (y[0] != 1)
		is_one = 0;
	return y_ge_p || (sign && (is_one || is_pm1));
}

/* The error ed25519_verify must give a signature whose R or S was damaged. */
static inline int
fixture_expected_sig_error(const uint8_t sig[64])
{
	if (fixture_s_not_below_l(sig + 32))
		return -CELL_E_RANGE;
	if (fixture_r_not_canonical(sig))
		return -CELL_E_INVAL;
	return -CELL_E_BADSIG;
}

#endif
