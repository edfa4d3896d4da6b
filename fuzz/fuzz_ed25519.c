/*
 * Ed25519 verification against OpenSSL 3 (EVP_PKEY_ED25519). The input is
 * sig (64 bytes) || pub (32) || msg, zero-padded when shorter than 96
 * bytes. Three checks, each aborting on a disagreement:
 *   1. ed25519_verify(sig, msg, pub) and OpenSSL give the same verdict,
 *      unless pub is a key on which the rules differ (docs/CRYPTO.md): its
 *      y is not below p, or y is that of a point of small order. Then we
 *      must refuse, and ed25519_pubkey_check must refuse the key too.
 *   2. OpenSSL derives a key from the 32 bytes of the pub slot used as a
 *      secret seed and signs msg: we accept that signature and the key.
 *   3. That signature XOR the sig slot (the fuzzer's corruption of a valid
 *      signature): the verdicts agree again.
 * ed25519_pubkey_check is also held to its contract: -CELL_E_WEAKKEY only
 * for a small-order y, and never 0 for a key the rules refuse.
 */
#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cellos/errors.h"
#include "ed25519.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The y values of the eight small-order points: 0, 1, p - 1, and y8 and
 * p - y8 of the four of order 8 (tests/unit/test_ed25519.c derives y8
 * from the curve and checks these bytes).
 */
static const uint8_t small_order_y[5][32] = {
	{ 0 },
	{ 1 },
	{ 0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f },
	{ 0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
	    0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
	    0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05 },
	{ 0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,
	    0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
	    0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a },
};

/* y >= p = 2^255 - 19: ed ff .. ff 7f and above, bit 255 aside. */
static int
y_unreduced(const uint8_t pub[32])
{
	if ((pub[31] & 0x7f) != 0x7f || pub[0] < 0xed)
		return 0;
	for (int i = 1; i < 31; i++)
		if (pub[i] != 0xff)
			return 0;
	return 1;
}

static int
y_small_order(const uint8_t pub[32])
{
	uint8_t y[32];

	memcpy(y, pub, 32);
	y[31] &= 0x7f;
	for (int i = 0; i < 5; i++)
		if (memcmp(y, small_order_y[i], 32) == 0)
			return 1;
	return 0;
}

/* 1 if OpenSSL accepts, 0 if it refuses. */
static int
ossl_verify(const uint8_t sig[64], const uint8_t *msg, size_t len,
    const uint8_t pub[32])
{
	EVP_PKEY *k =
	    EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, 32);
	EVP_MD_CTX *c;
	int ok;

	if (k == NULL)
		return 0;
	if ((c = EVP_MD_CTX_new()) == NULL)
		abort();
	ok = EVP_DigestVerifyInit(c, NULL, NULL, NULL, k) == 1 &&
	    EVP_DigestVerify(c, sig, 64, msg, len) == 1;
	EVP_MD_CTX_free(c);
	EVP_PKEY_free(k);
	return ok;
}

/* Check 1 (and 3): the verdicts agree, or the rules differ and we refuse. */
static void
compare(const uint8_t sig[64], const uint8_t *msg, size_t len,
    const uint8_t pub[32])
{
	int ours = ed25519_verify(sig, msg, len, pub);
	int key = ed25519_pubkey_check(pub);
	int theirs = ossl_verify(sig, msg, len, pub);

	if (ours > 0 || key > 0)
		abort();
	if (key == -CELL_E_WEAKKEY && !y_small_order(pub))
		abort(); /* called weak, but not of small order */
	if (key == 0 && (y_small_order(pub) || y_unreduced(pub)))
		abort(); /* a key the rules refuse was let through */
	if (y_unreduced(pub) || y_small_order(pub)) {
		if (ours == 0 || key == 0)
			abort();
		return;
	}
	if ((ours == 0) != theirs)
		abort(); /* the verdicts differ */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t head[96] = { 0 }, sig[64], pub[32];
	const uint8_t *msg = size > 96 ? data + 96 : NULL;
	size_t len = size > 96 ? size - 96 : 0, publen = 32, siglen = 64;
	EVP_PKEY *k;
	EVP_MD_CTX *c;

	memcpy(head, data, size < 96 ? size : 96);
	compare(head, msg, len, head + 64);

	k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, head + 64, 32);
	if (k == NULL || EVP_PKEY_get_raw_public_key(k, pub, &publen) != 1 ||
	    (c = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit(c, NULL, NULL, NULL, k) != 1 ||
	    EVP_DigestSign(c, sig, &siglen, msg, len) != 1 || siglen != 64)
		abort();
	EVP_MD_CTX_free(c);
	EVP_PKEY_free(k);
	if (ed25519_verify(sig, msg, len, pub) != 0 ||
	    ed25519_pubkey_check(pub) != 0)
		abort(); /* an OpenSSL signature we refuse */

	for (int i = 0; i < 64; i++)
		sig[i] ^= head[i];
	compare(sig, msg, len, pub);
	return 0;
}
