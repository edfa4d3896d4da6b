/*
 * Ed25519 verification (core/ed25519.c) against:
 *   - every RFC 8032 section 7.1 test vector (TEST 1, 2, 3, 1024, SHA(abc));
 *   - OpenSSL 3 (EVP_PKEY_ED25519, EVP_DigestVerify) on 10,000 random keys
 *     and messages and 10,000 signatures with one bit flipped in R, S, A or
 *     the message: identical verdicts, skipping only the public keys on
 *     which the two rules differ (rules_differ below, docs/CRYPTO.md);
 *   - a reference of the curve written here on OpenSSL's BIGNUM (affine
 *     coordinates, the formulas of RFC 8032 section 5.1), which builds the
 *     edge cases: the small-order points, forgeries under them, mixed-order
 *     keys, non-canonical encodings; each rejection asserts its error;
 *   - the field, scalar and NAF helpers themselves, from a second copy of
 *     ed25519.c compiled into this program, against BIGNUM on random and
 *     extreme limbs.
 * Random inputs come from a seeded xorshift generator, so a failure
 * reproduces on any libc; the seed is printed and ED25519_TEST_SEED=<n>
 * picks another; failure messages name the seed and the case.
 */
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cellos/errors.h"
#include "ed25519.h"
#include "fe25519.h" /* the field, */
#include "sc25519.h" /* the scalars and their NAF, tested on their own */

/*
 * Random keys and messages, and corruptions: 10,000 each in the plain
 * build; the sanitizer build (unoptimized, ten times slower) checks the
 * same code paths for memory errors on a tenth of them.
 */
#ifdef CELLOS_SANITIZED_TESTS
#define DIFF_ROUNDS 1000
#else
#define DIFF_ROUNDS 10000
#endif

/* ---- helpers ---- */

static uint64_t seed = 0x25519; /* the seed the random tests start from */
static uint64_t rng;

static void
rng_reset(uint64_t salt)
{
	rng = (seed ^ salt) != 0 ? seed ^ salt : 1;
}

/* xorshift64*: the next pseudo-random 64 bits. */
static uint64_t
rng_next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

static void
rng_fill(uint8_t *p, size_t n)
{
	while (n-- > 0)
		*p++ = (uint8_t)(rng_next() >> 56);
}

static void
hex(const char *h, uint8_t *out, size_t n)
{
	assert_int_equal(strlen(h), 2 * n);
	for (size_t i = 0; i < n; i++) {
		unsigned v;

		assert_int_equal(sscanf(h + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

/* ---- OpenSSL's Ed25519 ---- */

static EVP_PKEY *
ossl_key(const uint8_t secret[32], uint8_t pub[32])
{
	EVP_PKEY *k =
	    EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, secret, 32);
	size_t len = 32;

	assert_non_null(k);
	assert_int_equal(EVP_PKEY_get_raw_public_key(k, pub, &len), 1);
	assert_int_equal(len, 32);
	return k;
}

static void
ossl_sign(EVP_PKEY *k, const uint8_t *msg, size_t len, uint8_t sig[64])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	size_t siglen = 64;

	assert_non_null(c);
	assert_int_equal(EVP_DigestSignInit(c, NULL, NULL, NULL, k), 1);
	assert_int_equal(EVP_DigestSign(c, sig, &siglen, msg, len), 1);
	assert_int_equal(siglen, 64);
	EVP_MD_CTX_free(c);
}

/* 1 if OpenSSL accepts sig on msg under pub, else 0. */
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
	c = EVP_MD_CTX_new();
	assert_non_null(c);
	ok = EVP_DigestVerifyInit(c, NULL, NULL, NULL, k) == 1 &&
	    EVP_DigestVerify(c, sig, 64, msg, len) == 1;
	EVP_MD_CTX_free(c);
	EVP_PKEY_free(k);
	return ok;
}

/* ---- a reference of the curve on BIGNUM, written from RFC 8032 5.1 ---- */

struct ref_point {
	BIGNUM *x, *y;
};

static BN_CTX *bn;
static BIGNUM *ref_p, *ref_d, *ref_l;
static struct ref_point ref_base;
/* The 8 points of small order: j T8 for j = 0..7, T8 of order 8. */
static struct ref_point small_order[8];

static void
ref_new(struct ref_point *a)
{
	a->x = BN_new();
	a->y = BN_new();
	assert_non_null(a->x);
	assert_non_null(a->y);
	BN_zero(a->x);
	BN_one(a->y);
}

static void
ref_free(struct ref_point *a)
{
	BN_free(a->x);
	BN_free(a->y);
}

static void
ref_copy(struct ref_point *r, const struct ref_point *a)
{
	assert_non_null(BN_copy(r->x, a->x));
	assert_non_null(BN_copy(r->y, a->y));
}

/*
 * r = a + b: x3 = (x1 y2 + y1 x2) / (1 + d x1 x2 y1 y2),
 * y3 = (y1 y2 + x1 x2) / (1 - d x1 x2 y1 y2) (a = -1; complete).
 */
static void
ref_add(struct ref_point *r, const struct ref_point *a,
    const struct ref_point *b)
{
	BIGNUM *t = BN_new(), *u = BN_new(), *v = BN_new(), *w = BN_new();
	BIGNUM *x3 = BN_new(), *y3 = BN_new(), *inv = BN_new();

	assert_true(t && u && v && w && x3 && y3 && inv);
	BN_mod_mul(t, a->x, b->x, ref_p, bn);
	BN_mod_mul(t, t, a->y, ref_p, bn);
	BN_mod_mul(t, t, b->y, ref_p, bn);
	BN_mod_mul(t, t, ref_d, ref_p, bn); /* d x1 x2 y1 y2 */
	BN_mod_mul(u, a->x, b->y, ref_p, bn);
	BN_mod_mul(v, a->y, b->x, ref_p, bn);
	BN_mod_add(u, u, v, ref_p, bn);
	BN_one(w);
	BN_mod_add(w, w, t, ref_p, bn);
	assert_non_null(BN_mod_inverse(inv, w, ref_p, bn));
	BN_mod_mul(x3, u, inv, ref_p, bn);
	BN_mod_mul(u, a->y, b->y, ref_p, bn);
	BN_mod_mul(v, a->x, b->x, ref_p, bn);
	BN_mod_add(u, u, v, ref_p, bn);
	BN_one(w);
	BN_mod_sub(w, w, t, ref_p, bn);
	assert_non_null(BN_mod_inverse(inv, w, ref_p, bn));
	BN_mod_mul(y3, u, inv, ref_p, bn);
	assert_non_null(BN_copy(r->x, x3));
	assert_non_null(BN_copy(r->y, y3));
	BN_free(t);
	BN_free(u);
	BN_free(v);
	BN_free(w);
	BN_free(x3);
	BN_free(y3);
	BN_free(inv);
}

static void
ref_neg(struct ref_point *r, const struct ref_point *a)
{
	ref_copy(r, a);
	if (!BN_is_zero(a->x))
		BN_sub(r->x, ref_p, a->x);
}

/* r = k a, double and add from the top bit. */
static void
ref_mul(struct ref_point *r, const BIGNUM *k, const struct ref_point *a)
{
	struct ref_point acc;

	ref_new(&acc);
	for (int i = BN_num_bits(k) - 1; i >= 0; i--) {
		ref_add(&acc, &acc, &acc);
		if (BN_is_bit_set(k, i))
			ref_add(&acc, &acc, a);
	}
	ref_copy(r, &acc);
	ref_free(&acc);
}

static void
ref_mul_word(struct ref_point *r, unsigned long k, const struct ref_point *a)
{
	BIGNUM *kb = BN_new();

	assert_non_null(kb);
	assert_int_equal(BN_set_word(kb, k), 1);
	ref_mul(r, kb, a);
	BN_free(kb);
}

static int
ref_is_identity(const struct ref_point *a)
{
	return BN_is_zero(a->x) && BN_is_one(a->y);
}

/* y (the low 255 bits of s) as a number. */
static BIGNUM *
ref_y_of(const uint8_t s[32])
{
	uint8_t b[32];
	BIGNUM *y;

	memcpy(b, s, 32);
	b[31] &= 0x7f;
	y = BN_lebin2bn(b, 32, NULL);
	assert_non_null(y);
	return y;
}

/*
 * Decode strictly, as RFC 8032 section 5.1.3 says: 0 if s is the
 * canonical encoding of a point (written to r), -1 otherwise.
 */
static int
ref_decode(struct ref_point *r, const uint8_t s[32])
{
	BIGNUM *y = ref_y_of(s), *u = BN_new(), *v = BN_new(), *x = NULL;
	BIGNUM *inv = BN_new();
	int sign = s[31] >> 7, rc = -1;

	assert_true(u && v && inv);
	if (BN_cmp(y, ref_p) >= 0)
		goto out;
	BN_mod_sqr(u, y, ref_p, bn);
	BN_mod_mul(v, u, ref_d, ref_p, bn);
	BN_sub_word(u, 1);
	if (BN_is_negative(u))
		BN_add(u, u, ref_p); /* u = y^2 - 1 */
	BN_add_word(v, 1);           /* v = d y^2 + 1 */
	assert_non_null(BN_mod_inverse(inv, v, ref_p, bn));
	BN_mod_mul(u, u, inv, ref_p, bn); /* x^2 */
	if (BN_is_zero(u)) {
		if (sign)
			goto out;
		x = BN_new();
		BN_zero(x);
	} else {
		x = BN_mod_sqrt(NULL, u, ref_p, bn);
		if (x == NULL)
			goto out; /* not a square */
		if (BN_is_odd(x) != sign)
			BN_sub(x, ref_p, x);
	}
	assert_non_null(BN_copy(r->x, x));
	assert_non_null(BN_copy(r->y, y));
	rc = 0;
out:
	BN_free(x);
	BN_free(inv);
	BN_free(y);
	BN_free(u);
	BN_free(v);
	return rc;
}

static void
ref_encode(uint8_t s[32], const struct ref_point *a)
{
	assert_int_equal(BN_bn2lebinpad(a->y, s, 32), 32);
	if (BN_is_odd(a->x))
		s[31] |= 0x80;
}

/* SHA-512(parts) mod L, by OpenSSL. */
static BIGNUM *
ref_hash_mod_l(const uint8_t *r, const uint8_t *a, const uint8_t *msg,
    size_t len)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	uint8_t h[64];
	unsigned hlen = 0;
	BIGNUM *k;

	assert_non_null(c);
	assert_int_equal(EVP_DigestInit_ex(c, EVP_sha512(), NULL), 1);
	EVP_DigestUpdate(c, r, 32);
	EVP_DigestUpdate(c, a, 32);
	EVP_DigestUpdate(c, msg, len);
	assert_int_equal(EVP_DigestFinal_ex(c, h, &hlen), 1);
	EVP_MD_CTX_free(c);
	k = BN_lebin2bn(h, 64, NULL);
	assert_non_null(k);
	BN_nnmod(k, k, ref_l, bn);
	return k;
}

static void
ref_random_scalar(BIGNUM *k)
{
	uint8_t b[64];

	rng_fill(b, sizeof b);
	assert_non_null(BN_lebin2bn(b, 64, k));
	BN_nnmod(k, k, ref_l, bn);
}

/*
 * p, d, L and B from their definitions; then T8, a point of order 8: [L]Q
 * for curve points Q (hash-chosen y) lies in the 8-torsion, and has order
 * 8 when [4] of it is not the identity.
 */
static int
ref_setup(void **state)
{
	uint8_t s[32];
	BIGNUM *t;
	struct ref_point q, t8, c;

	(void)state;
	bn = BN_CTX_new();
	ref_p = BN_new();
	ref_d = BN_new();
	ref_l = NULL;
	t = BN_new();
	assert_true(bn && ref_p && ref_d && t);
	BN_set_bit(ref_p, 255);
	BN_sub_word(ref_p, 19);
	/* L = 2^252 + 27742317777372353535851937790883648493 */
	assert_true(
	    BN_dec2bn(&ref_l, "27742317777372353535851937790883648493") > 0);
	BN_zero(t);
	BN_set_bit(t, 252);
	BN_add(ref_l, ref_l, t);
	BN_set_word(t, 121666);
	assert_non_null(BN_mod_inverse(t, t, ref_p, bn));
	BN_set_word(ref_d, 121665);
	BN_mod_mul(ref_d, ref_d, t, ref_p, bn);
	BN_sub(ref_d, ref_p, ref_d); /* -121665 / 121666 */
	ref_new(&ref_base);
	memset(s, 0x66, 32);
	s[0] = 0x58; /* y = 4/5 */
	assert_int_equal(ref_decode(&ref_base, s), 0);
	/* B has order L: [L]B is the identity. */
	ref_new(&q);
	ref_mul(&q, ref_l, &ref_base);
	assert_true(ref_is_identity(&q));

	ref_new(&t8);
	ref_new(&c);
	for (uint8_t n = 2;; n++) {
		memset(s, 0, 32);
		s[0] = n;
		if (ref_decode(&q, s) < 0)
			continue;
		ref_mul(&t8, ref_l, &q);
		ref_mul_word(&c, 4, &t8);
		if (!ref_is_identity(&c))
			break;
	}
	for (int j = 0; j < 8; j++) {
		ref_new(&small_order[j]);
		ref_mul_word(&small_order[j], (unsigned long)j, &t8);
	}
	ref_mul_word(&c, 8, &t8);
	assert_true(ref_is_identity(&c));
	ref_free(&q);
	ref_free(&t8);
	ref_free(&c);
	BN_free(t);
	return 0;
}

static int
ref_teardown(void **state)
{
	(void)state;
	for (int j = 0; j < 8; j++)
		ref_free(&small_order[j]);
	ref_free(&ref_base);
	BN_free(ref_p);
	BN_free(ref_d);
	BN_free(ref_l);
	BN_CTX_free(bn);
	return 0;
}

/* ---- where the rules of OpenSSL and ours differ ---- */

/*
 * The y values, mod p, of the eight points of small order: 1 (the
 * identity), p - 1 (order 2), 0 (order 4), and the order-8 points' y8 and
 * p - y8. y8 is written out here (fuzz/fuzz_ed25519.c has the same
 * bytes); test_small_order_points checks it against the reference.
 */
/* clang-format off */
static const uint8_t y8_bytes[32] = {
	0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
	0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
	0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05,
};
/* clang-format on */

/*
 * Whether OpenSSL's rules and ours may give different verdicts for this
 * public key: its y is not reduced (y >= p: we refuse, OpenSSL reduces),
 * or its y mod p is that of a small-order point (we refuse the key,
 * OpenSSL checks the equation, which a forger can satisfy; this includes
 * x = 0 with the sign bit set). Nothing else: S < L is required by both,
 * and OpenSSL compares R's bytes with a canonical encoding, as we do.
 */
static int
rules_differ(const uint8_t pub[32])
{
	BIGNUM *y = ref_y_of(pub), *y8 = BN_lebin2bn(y8_bytes, 32, NULL);
	BIGNUM *m = BN_new();
	int differ;

	assert_true(y8 && m);
	differ = BN_cmp(y, ref_p) >= 0;
	BN_nnmod(y, y, ref_p, bn);
	differ |= BN_is_zero(y) || BN_is_one(y) || BN_cmp(y, y8) == 0;
	BN_sub(m, ref_p, y);
	differ |= BN_is_one(m) || BN_cmp(m, y8) == 0;
	BN_free(y);
	BN_free(y8);
	BN_free(m);
	return differ;
}

/* ---- RFC 8032 section 7.1 ---- */

static const char test1024_msg[] =
    "08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98"
    "fa6e264bf09efe12ee50f8f54e9f77b1e355f6c50544e23fb1433ddf73be84d8"
    "79de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d"
    "658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc"
    "1a858efcb8550ee3a5e1998bd177e93a7363c344fe6b199ee5d02e82d522c4fe"
    "ba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e"
    "06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbef"
    "efd75499da96bd68a8a97b928a8bbc103b6621fcde2beca1231d206be6cd9ec7"
    "aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1"
    "85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2"
    "d17ba70eb6248e594e1a2297acbbb39d502f1a8c6eb6f1ce22b3de1a1f40cc24"
    "554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270"
    "88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc"
    "2732e69485bbc9c90bfbd62481d9089beccf80cfe2df16a2cf65bd92dd597b07"
    "07e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba"
    "b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51a"
    "ddd3b75a2b1ae0784504df543af8969be3ea7082ff7fc9888c144da2af58429e"
    "c96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7"
    "51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c"
    "42f58c30c04aafdb038dda0847dd988dcda6f3bfd15c4b4c4525004aa06eeff8"
    "ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df"
    "f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08"
    "d78ff4ef5d63653a65040cf9bfd4aca7984a74d37145986780fc0b16ac451649"
    "de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4"
    "88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a3"
    "2ef5b52a1ecc820e308aa342721aac0943bf6686b64b2579376504ccc493d97e"
    "6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f"
    "b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b5"
    "0d334ba77c225bc307ba537152f3f1610e4eafe595f6d9d90d11faa933a15ef1"
    "369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d"
    "b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c"
    "0618983f8741c5ef68d3a101e8a3b8cac60c905c15fc910840b94c00a0b9d0";

static const struct rfc_vector {
	const char *name, *secret, *pub, *msg, *sig;
} rfc_vectors[] = {
	{ "TEST 1",
	    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
	    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
	    "",
	    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
	    "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b" },
	{ "TEST 2",
	    "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
	    "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
	    "72",
	    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
	    "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00" },
	{ "TEST 3",
	    "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
	    "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
	    "af82",
	    "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
	    "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a" },
	{ "TEST 1024",
	    "f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
	    "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
	    test1024_msg,
	    "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350"
	    "aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03" },
	{ "TEST SHA(abc)",
	    "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
	    "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
	    "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	    "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
	    "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
	    "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704" },
};

/*
 * Each vector verifies and its key passes the check; OpenSSL derives the
 * same public key and signature from the secret (so the transcription
 * here is right). Every single-bit flip of the signature and of the key,
 * and a flip in each message byte, is refused by both.
 */
static void
test_rfc8032_vectors(void **state)
{
	static uint8_t msg[1023];

	(void)state;
	for (size_t v = 0; v < sizeof rfc_vectors / sizeof rfc_vectors[0];
	     v++) {
		const struct rfc_vector *t = &rfc_vectors[v];
		uint8_t secret[32], pub[32], sig[64], got[64], opub[32];
		size_t len = strlen(t->msg) / 2;
		EVP_PKEY *k;

		hex(t->secret, secret, 32);
		hex(t->pub, pub, 32);
		hex(t->sig, sig, 64);
		hex(t->msg, msg, len);
		k = ossl_key(secret, opub);
		assert_memory_equal(opub, pub, 32);
		ossl_sign(k, msg, len, got);
		assert_memory_equal(got, sig, 64);
		EVP_PKEY_free(k);

		if (ed25519_verify(sig, msg, len, pub) != 0)
			fail_msg("%s does not verify", t->name);
		assert_int_equal(ed25519_pubkey_check(pub), 0);
		for (int bit = 0; bit < 512; bit++) {
			sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			if (ed25519_verify(sig, msg, len, pub) == 0 ||
			    ossl_verify(sig, msg, len, pub))
				fail_msg("%s with signature bit %d flipped is "
					 "accepted",
				    t->name, bit);
			sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		}
		for (int bit = 0; bit < 256; bit++) {
			pub[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			if (ed25519_verify(sig, msg, len, pub) == 0)
				fail_msg("%s with key bit %d flipped is "
					 "accepted",
				    t->name, bit);
			pub[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		}
		for (size_t i = 0; i < len; i++) {
			msg[i] ^= 0x40;
			assert_int_equal(ed25519_verify(sig, msg, len, pub),
			    -CELL_E_BADSIG);
			msg[i] ^= 0x40;
		}
		if (len > 0)
			assert_int_equal(ed25519_verify(sig, msg, len - 1, pub),
			    -CELL_E_BADSIG);
		assert_int_equal(ed25519_verify(sig, msg, len, pub), 0);
	}
}

/* ---- against OpenSSL on random inputs ---- */

/* A random key (secret from the generator) and a message of 0..300 bytes. */
static EVP_PKEY *
random_case(uint8_t pub[32], uint8_t *msg, size_t *len)
{
	uint8_t secret[32];

	rng_fill(secret, 32);
	*len = (size_t)(rng_next() % 301);
	rng_fill(msg, *len);
	return ossl_key(secret, pub);
}

/* 10,000 random keys and messages: OpenSSL signs, both accept. */
static void
test_differential_valid(void **state)
{
	uint8_t pub[32], sig[64], msg[300];
	size_t len;

	(void)state;
	rng_reset(1);
	for (int i = 0; i < DIFF_ROUNDS; i++) {
		EVP_PKEY *k = random_case(pub, msg, &len);
		int ours, theirs;

		ossl_sign(k, msg, len, sig);
		EVP_PKEY_free(k);
		ours = ed25519_verify(sig, msg, len, pub);
		theirs = ossl_verify(sig, msg, len, pub);
		if (ours != 0 || !theirs)
			fail_msg("case %d (seed %llu, %zu-byte message): ours "
				 "%d, OpenSSL %s",
			    i, (unsigned long long)seed, len, ours,
			    theirs ? "accepts" : "refuses");
		if (ed25519_pubkey_check(pub) != 0)
			fail_msg("case %d (seed %llu): key refused", i,
			    (unsigned long long)seed);
	}
	printf("# %d random signatures: both accept all\n", DIFF_ROUNDS);
}

/*
 * 10,000 valid signatures with one bit flipped in R, S, A or the message
 * (the part chosen at random, then the bit): identical verdicts. Keys for
 * which the rules differ are skipped, counted and printed: a flipped bit
 * of a random key lands there with probability about 2^-250.
 */
static void
test_differential_corrupted(void **state)
{
	static const char *const part_name[4] = { "R", "S", "A", "message" };
	uint8_t pub[32], sig[64], msg[300];
	size_t len;
	int count[4] = { 0 }, codes[32] = { 0 }, skipped = 0;

	(void)state;
	rng_reset(2);
	for (int i = 0; i < DIFF_ROUNDS; i++) {
		EVP_PKEY *k = random_case(pub, msg, &len);
		int part, bit, ours, theirs;

		ossl_sign(k, msg, len, sig);
		EVP_PKEY_free(k);
		do
			part = (int)(rng_next() % 4);
		while (part == 3 && len == 0);
		switch (part) {
		case 0:
		case 1:
			bit = (int)(rng_next() % 256) + 256 * part;
			sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			break;
		case 2:
			bit = (int)(rng_next() % 256);
			pub[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			break;
		default:
			bit = (int)(rng_next() % (8 * len));
			msg[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			break;
		}
		count[part]++;
		if (rules_differ(pub)) {
			skipped++;
			continue;
		}
		ours = ed25519_verify(sig, msg, len, pub);
		theirs = ossl_verify(sig, msg, len, pub);
		if ((ours == 0) != theirs)
			fail_msg(
			    "case %d (seed %llu): bit %d of %s flipped: ours "
			    "%d, OpenSSL %s",
			    i, (unsigned long long)seed, bit, part_name[part],
			    ours, theirs ? "accepts" : "refuses");
		if (ours == 0)
			fail_msg("case %d (seed %llu): bit %d of %s flipped is "
				 "accepted",
			    i, (unsigned long long)seed, bit, part_name[part]);
		codes[-ours < 32 ? -ours : 0]++;
	}
	printf("# %d corruptions (R %d, S %d, A %d, message %d): identical "
	       "verdicts; %d skipped where the rules differ\n",
	    DIFF_ROUNDS, count[0], count[1], count[2], count[3], skipped);
	printf("# our refusals: %d bad signature, %d S >= L, %d bad encoding, "
	       "%d weak key\n",
	    codes[CELL_E_BADSIG], codes[CELL_E_RANGE], codes[CELL_E_INVAL],
	    codes[CELL_E_WEAKKEY]);
	assert_int_equal(skipped, 0);
	/* The flips reached every check that can refuse them. */
	assert_true(codes[CELL_E_BADSIG] > 0 && codes[CELL_E_RANGE] > 0 &&
	    codes[CELL_E_INVAL] > 0);
}

/* ---- hand-built edge cases ---- */

/* A valid signature on a fixed message under a fixed key. */
static void
fixed_case(uint8_t pub[32], uint8_t sig[64])
{
	uint8_t secret[32];
	EVP_PKEY *k;

	memset(secret, 0x42, 32);
	k = ossl_key(secret, pub);
	ossl_sign(k, (const uint8_t *)"edge", 4, sig);
	EVP_PKEY_free(k);
	assert_int_equal(ed25519_verify(sig, (const uint8_t *)"edge", 4, pub),
	    0);
}

static void
bn_to_le32(uint8_t out[32], const BIGNUM *n)
{
	assert_int_equal(BN_bn2lebinpad(n, out, 32), 32);
}

/*
 * S must be below L (RFC 8032 section 5.1.7 step 1): S = L, L + 1,
 * 2^253, 2^253 - 1, 2^255 and 2^256 - 1 are refused with -CELL_E_RANGE,
 * and so is S + L for a valid S, the malleated signature that would
 * otherwise pass the equation. OpenSSL refuses each too. S = L - 1 gets
 * past the range check (the equation then fails).
 */
static void
test_s_range(void **state)
{
	const uint8_t *m = (const uint8_t *)"edge";
	uint8_t pub[32], sig[64], bad[64];
	BIGNUM *s = BN_new(), *v = BN_new();
	const char *what[7] = { "L", "L + 1", "2^253", "2^253 - 1", "2^255",
		"2^256 - 1", "S + L" };

	(void)state;
	assert_true(s && v);
	fixed_case(pub, sig);
	for (int i = 0; i < 7; i++) {
		BN_zero(s);
		if (i < 2) {
			BN_copy(s, ref_l);
			BN_add_word(s, (BN_ULONG)i);
		} else if (i < 4) {
			BN_set_bit(s, 253);
			BN_sub_word(s, (BN_ULONG)(i - 2));
		} else if (i == 4) {
			BN_set_bit(s, 255);
		} else if (i == 5) {
			BN_set_bit(s, 256);
			BN_sub_word(s, 1);
		} else {
			assert_non_null(BN_lebin2bn(sig + 32, 32, v));
			BN_add(s, v, ref_l);
		}
		memcpy(bad, sig, 32);
		bn_to_le32(bad + 32, s);
		if (ed25519_verify(bad, m, 4, pub) != -CELL_E_RANGE)
			fail_msg("S = %s: %d, not -CELL_E_RANGE", what[i],
			    ed25519_verify(bad, m, 4, pub));
		assert_false(ossl_verify(bad, m, 4, pub));
	}
	BN_copy(s, ref_l);
	BN_sub_word(s, 1);
	memcpy(bad, sig, 32);
	bn_to_le32(bad + 32, s);
	assert_int_equal(ed25519_verify(bad, m, 4, pub), -CELL_E_BADSIG);
	BN_free(s);
	BN_free(v);
}

/* An encoding of y (reduced or not: y < 2^255) with the given sign bit. */
static void
encode_y(uint8_t out[32], const BIGNUM *y, int sign)
{
	bn_to_le32(out, y);
	assert_int_equal(out[31] & 0x80, 0);
	if (sign)
		out[31] |= 0x80;
}

/*
 * R must be a canonical encoding: y = p + k for k = 0..18 (y >= p) with
 * either sign, and x = 0 with the sign set (y = 1 or p - 1), are refused
 * with -CELL_E_INVAL. A canonical R with no curve point behind it fails
 * the equation (-CELL_E_BADSIG). OpenSSL refuses all of these.
 */
static void
test_r_encoding(void **state)
{
	const uint8_t *m = (const uint8_t *)"edge";
	uint8_t pub[32], sig[64], bad[64];
	BIGNUM *y = BN_new();
	struct ref_point pt;
	int off_curve = 0;

	(void)state;
	assert_non_null(y);
	ref_new(&pt);
	fixed_case(pub, sig);
	memcpy(bad, sig, 64);
	for (int k = 0; k <= 18; k++) {
		for (int sign = 0; sign < 2; sign++) {
			BN_copy(y, ref_p);
			BN_add_word(y, (BN_ULONG)k);
			encode_y(bad, y, sign);
			if (ed25519_verify(bad, m, 4, pub) != -CELL_E_INVAL)
				fail_msg("R with y = p + %d, sign %d: %d", k,
				    sign, ed25519_verify(bad, m, 4, pub));
			assert_false(ossl_verify(bad, m, 4, pub));
		}
	}
	for (int minus = 0; minus < 2; minus++) {
		BN_one(y);
		if (minus)
			BN_sub(y, ref_p, y);
		encode_y(bad, y, 1);
		assert_int_equal(ed25519_verify(bad, m, 4, pub), -CELL_E_INVAL);
		assert_false(ossl_verify(bad, m, 4, pub));
		/* With the sign clear they are points: the equation decides. */
		encode_y(bad, y, 0);
		assert_int_equal(ed25519_verify(bad, m, 4, pub),
		    -CELL_E_BADSIG);
	}
	/* Canonical y values with no x: the equation fails. */
	for (unsigned long n = 2; n < 40; n++) {
		BN_set_word(y, n);
		encode_y(bad, y, 0);
		if (ref_decode(&pt, bad) == 0)
			continue;
		off_curve++;
		assert_int_equal(ed25519_verify(bad, m, 4, pub),
		    -CELL_E_BADSIG);
		assert_false(ossl_verify(bad, m, 4, pub));
	}
	assert_true(off_curve > 5);
	ref_free(&pt);
	BN_free(y);
}

/*
 * A forgery under a small-order key a: any S, R = encode([S]B - [t]a)
 * where t = k mod ord(a) is guessed and k = H(R || a || msg) then checked
 * (1 in ord(a) tries succeeds). OpenSSL's rule accepts it; ours must not.
 */
static void
forge_small_order(uint8_t sig[64], const uint8_t pub[32],
    const struct ref_point *a, unsigned order, const uint8_t *msg, size_t len)
{
	struct ref_point sb, ta, r;
	BIGNUM *s = BN_new(), *k;

	assert_non_null(s);
	ref_new(&sb);
	ref_new(&ta);
	ref_new(&r);
	for (int tries = 0;; tries++) {
		assert_true(tries < 200);
		ref_random_scalar(s);
		ref_mul(&sb, s, &ref_base);
		for (unsigned t = 0; t < order; t++) {
			ref_mul_word(&ta, t, a);
			ref_neg(&ta, &ta);
			ref_add(&r, &sb, &ta);
			ref_encode(sig, &r);
			k = ref_hash_mod_l(sig, pub, msg, len);
			if (BN_mod_word(k, order) == t) {
				BN_free(k);
				bn_to_le32(sig + 32, s);
				goto done;
			}
			BN_free(k);
		}
	}
done:
	ref_free(&sb);
	ref_free(&ta);
	ref_free(&r);
	BN_free(s);
}

/*
 * The eight points of small order (the identity, order 2, the two of
 * order 4, the four of order 8), each in its canonical encoding: the key
 * check refuses them with -CELL_E_WEAKKEY, and so does verify, given a
 * forgery that OpenSSL accepts (the documented difference). Their y
 * values are the set rules_differ() uses.
 */
static void
test_small_order_points(void **state)
{
	const uint8_t *m = (const uint8_t *)"small order";
	static const unsigned order_of[8] = { 1, 8, 4, 8, 2, 8, 4, 8 };
	uint8_t pub[32], sig[64], y8[32], ym8[32];
	BIGNUM *t = BN_new(), *y8n = BN_lebin2bn(y8_bytes, 32, NULL);
	int y8_seen = 0;

	(void)state;
	assert_true(t && y8n);
	BN_sub(t, ref_p, y8n);
	bn_to_le32(ym8, t);
	memcpy(y8, y8_bytes, 32);
	for (int j = 0; j < 8; j++) {
		const struct ref_point *a = &small_order[j];

		ref_encode(pub, a);
		if (ed25519_pubkey_check(pub) != -CELL_E_WEAKKEY)
			fail_msg("%u T8 (order %u): key check %d", j,
			    order_of[j], ed25519_pubkey_check(pub));
		assert_true(rules_differ(pub));
		forge_small_order(sig, pub, a, order_of[j], m, 11);
		assert_true(ossl_verify(sig, m, 11, pub));
		assert_int_equal(ed25519_verify(sig, m, 11, pub),
		    -CELL_E_WEAKKEY);
		if (order_of[j] == 8) {
			uint8_t yb[32];

			memcpy(yb, pub, 32);
			yb[31] &= 0x7f;
			assert_true(memcmp(yb, y8, 32) == 0 ||
			    memcmp(yb, ym8, 32) == 0);
			y8_seen |= memcmp(yb, y8, 32) == 0 ? 1 : 2;
		}
	}
	assert_int_equal(y8_seen, 3); /* both y8 and p - y8 occur */
	/* The identity, order 2 and order 4 are y = 1, p - 1 and 0. */
	ref_encode(pub, &small_order[0]);
	assert_int_equal(pub[0], 1);
	ref_encode(pub, &small_order[2]);
	assert_int_equal(pub[0] | pub[1] | (pub[31] & 0x7f), 0);
	BN_free(t);
	BN_free(y8n);
}

/*
 * Non-canonical public keys: y = p + k (k = 0..18) with either sign, and
 * x = 0 with the sign set, are refused by the key check and by verify
 * with -CELL_E_INVAL. Those that name a point of small order (y = p with
 * either sign, y = p + 1, and the two x = 0 ones) are also forged
 * against: OpenSSL, which reduces y and ignores the sign of 0, accepts
 * the forgery.
 */
static void
test_pubkey_encoding(void **state)
{
	const uint8_t *m = (const uint8_t *)"non-canonical";
	uint8_t pub[32], sig[64], good_pub[32], good_sig[64];
	BIGNUM *y = BN_new();
	struct ref_point a;
	int forged = 0, off_curve = 0;

	(void)state;
	assert_non_null(y);
	ref_new(&a);
	memset(sig, 0, 64);
	for (int k = 0; k <= 18; k++) {
		for (int sign = 0; sign < 2; sign++) {
			BN_copy(y, ref_p);
			BN_add_word(y, (BN_ULONG)k);
			encode_y(pub, y, sign);
			assert_true(rules_differ(pub));
			if (ed25519_pubkey_check(pub) != -CELL_E_INVAL)
				fail_msg("key y = p + %d, sign %d: %d", k, sign,
				    ed25519_pubkey_check(pub));
			assert_int_equal(ed25519_verify(sig, m, 13, pub),
			    -CELL_E_INVAL);
		}
	}
	/*
	 * y = p names (x, 0) of order 4, x = +-sqrt(-1) by the sign bit, and
	 * y = p + 1 the identity (sign clear): forged against as the point
	 * their reduced encoding names.
	 */
	for (int k = 0; k < 3; k++) {
		uint8_t reduced[32];

		BN_set_word(y, k < 2 ? 0 : 1);
		encode_y(reduced, y, k == 1);
		assert_int_equal(ref_decode(&a, reduced), 0);
		BN_add(y, y, ref_p);
		encode_y(pub, y, k == 1);
		forge_small_order(sig, pub, &a, k < 2 ? 4 : 1, m, 13);
		assert_true(ossl_verify(sig, m, 13, pub));
		assert_int_equal(ed25519_verify(sig, m, 13, pub),
		    -CELL_E_INVAL);
		forged++;
	}
	/* x = 0 with the sign bit: the identity and the order-2 point. */
	for (int j = 0; j < 8; j += 4) {
		ref_encode(pub, &small_order[j]);
		pub[31] |= 0x80;
		assert_true(rules_differ(pub));
		assert_int_equal(ed25519_pubkey_check(pub), -CELL_E_INVAL);
		forge_small_order(sig, pub, &small_order[j], j == 0 ? 1 : 2, m,
		    13);
		assert_true(ossl_verify(sig, m, 13, pub));
		assert_int_equal(ed25519_verify(sig, m, 13, pub),
		    -CELL_E_INVAL);
		forged++;
	}
	assert_int_equal(forged, 5);
	/* A y with no x on the curve: refused by both. */
	for (unsigned long n = 2; n < 40; n++) {
		BN_set_word(y, n);
		encode_y(pub, y, (int)(n & 1));
		if (ref_decode(&a, pub) == 0)
			continue;
		off_curve++;
		assert_false(rules_differ(pub));
		assert_int_equal(ed25519_pubkey_check(pub), -CELL_E_INVAL);
		fixed_case(good_pub, good_sig); /* valid under another key */
		assert_int_equal(ed25519_verify(good_sig,
				     (const uint8_t *)"edge", 4, pub),
		    -CELL_E_INVAL);
		assert_false(
		    ossl_verify(good_sig, (const uint8_t *)"edge", 4, pub));
	}
	assert_true(off_curve > 5);
	ref_free(&a);
	BN_free(y);
}

/*
 * Cofactorless, like OpenSSL: a mixed-order key A = [a]B + T8 (not of
 * small order, so accepted by the key check) signed honestly with a gives
 * [S]B - [k]A = R - [k]T8, which encodes to R only when 8 divides k. Both
 * verifiers accept exactly those, while the cofactored equation
 * [8][S]B = [8]R + [8][k]A holds for all of them (checked on the
 * reference): the two choices differ here, and only here can.
 */
static void
test_cofactorless(void **state)
{
	const uint8_t *m = (const uint8_t *)"mixed order";
	struct ref_point a, r, lhs, rhs, t;
	BIGNUM *sa = BN_new(), *sr = BN_new(), *k, *s = BN_new();
	uint8_t pub[32], sig[64];
	int accepted = 0, refused = 0;

	(void)state;
	assert_true(sa && sr && s);
	ref_new(&a);
	ref_new(&r);
	ref_new(&lhs);
	ref_new(&rhs);
	ref_new(&t);
	rng_reset(3);
	ref_random_scalar(sa);
	ref_mul(&a, sa, &ref_base);
	ref_add(&a, &a, &small_order[1]);
	ref_encode(pub, &a);
	assert_int_equal(ed25519_pubkey_check(pub), 0);
	assert_false(rules_differ(pub));
	for (int i = 0; accepted < 2 || refused < 2; i++) {
		int ours, theirs, want;

		assert_true(i < 200);
		ref_random_scalar(sr);
		ref_mul(&r, sr, &ref_base);
		ref_encode(sig, &r);
		k = ref_hash_mod_l(sig, pub, m, 11);
		BN_mod_mul(s, k, sa, ref_l, bn);
		BN_mod_add(s, s, sr, ref_l, bn);
		bn_to_le32(sig + 32, s);
		want = !BN_is_bit_set(k, 0) && !BN_is_bit_set(k, 1) &&
		    !BN_is_bit_set(k, 2);
		ours = ed25519_verify(sig, m, 11, pub);
		theirs = ossl_verify(sig, m, 11, pub);
		if ((ours == 0) != want || theirs != want)
			fail_msg("try %d: k mod 8 = %d: ours %d, OpenSSL %d", i,
			    (int)BN_mod_word(k, 8), ours, theirs);
		if (!want)
			assert_int_equal(ours, -CELL_E_BADSIG);
		/* The cofactored equation holds either way. */
		ref_mul(&lhs, s, &ref_base);
		ref_mul(&t, k, &a);
		ref_add(&rhs, &r, &t);
		ref_mul_word(&lhs, 8, &lhs);
		ref_mul_word(&rhs, 8, &rhs);
		assert_int_equal(BN_cmp(lhs.x, rhs.x), 0);
		assert_int_equal(BN_cmp(lhs.y, rhs.y), 0);
		BN_free(k);
		if (want)
			accepted++;
		else
			refused++;
	}
	ref_free(&a);
	ref_free(&r);
	ref_free(&lhs);
	ref_free(&rhs);
	ref_free(&t);
	BN_free(sa);
	BN_free(sr);
	BN_free(s);
}

/* ---- the internals, against BIGNUM ---- */

/* The value of a (possibly unreduced) field element. */
static BIGNUM *
fe_value(const struct fe *f)
{
	BIGNUM *v = BN_new(), *limb = BN_new();

	assert_true(v && limb);
	BN_zero(v);
	for (int i = 0; i < FE_LIMBS; i++) {
		BN_set_word(limb, (BN_ULONG)f->v[i]);
		BN_lshift(limb, limb, FE_LIMB_OFF(i));
		BN_add(v, v, limb);
	}
	BN_free(limb);
	return v;
}

/* Whether fe_tobytes(f) is the canonical encoding of want mod p. */
static int
fe_is(const struct fe *f, const BIGNUM *want)
{
	uint8_t got[32], exp[32];
	BIGNUM *w = BN_dup(want);

	assert_non_null(w);
	BN_nnmod(w, w, ref_p, bn);
	bn_to_le32(exp, w);
	BN_free(w);
	fe_tobytes(got, f);
	return memcmp(got, exp, 32) == 0;
}

/* Limbs: random below 2^bits each, or the largest below 2^bits. */
static void
fe_random(struct fe *f, int bits, int extreme)
{
	for (int i = 0; i < FE_LIMBS; i++)
		f->v[i] = extreme ? ((fe_limb)1 << bits) - 1 :
				    (fe_limb)(rng_next() >> (64 - bits));
}

/* A tight element: limbs at most their width (v[1] up to 2^w + 2^18). */
static void
fe_random_tight(struct fe *f, int extreme)
{
	for (int i = 0; i < FE_LIMBS; i++) {
		fe_limb max = ((fe_limb)1 << FE_LIMB_BITS(i)) - 1;

		if (i == 1)
			max += 1u << 18;
		f->v[i] = extreme ? max : (fe_limb)(rng_next() % (max + 1u));
	}
}

/*
 * fe_mul on limbs up to 2^FE_MUL_INPUT_BITS (its stated bound) and fe_sq, fe_add,
 * fe_sub, fe_neg on tight limbs, random and all at their maximum, against
 * BIGNUM; fe_tobytes on every value near p and 2^255; fe_invert and
 * fe_pow2523 against BN_mod_exp.
 */
static void
test_field(void **state)
{
	struct fe f, g, h;
	BIGNUM *a, *b, *want = BN_new(), *e = BN_new();

	(void)state;
	assert_true(want && e);
	rng_reset(4);
	for (int i = 0; i < 2000; i++) {
		int extreme = i < 4;

		fe_random(&f, FE_MUL_INPUT_BITS, extreme && (i & 1));
		fe_random(&g, FE_MUL_INPUT_BITS, extreme && (i & 2));
		a = fe_value(&f);
		b = fe_value(&g);
		fe_mul(&h, &f, &g);
		BN_mod_mul(want, a, b, ref_p, bn);
		if (!fe_is(&h, want))
			fail_msg("fe_mul, round %d (seed %llu)", i,
			    (unsigned long long)seed);
		BN_free(a);
		BN_free(b);

		fe_random_tight(&f, extreme && (i & 1));
		fe_random_tight(&g, extreme && (i & 2));
		a = fe_value(&f);
		b = fe_value(&g);
		fe_sq(&h, &f);
		BN_mod_sqr(want, a, ref_p, bn);
		assert_true(fe_is(&h, want));
		fe_add(&h, &f, &g);
		BN_mod_add(want, a, b, ref_p, bn);
		assert_true(fe_is(&h, want));
		fe_sub(&h, &f, &g);
		BN_mod_sub(want, a, b, ref_p, bn);
		assert_true(fe_is(&h, want));
		fe_neg(&h, &g);
		BN_mod_sub(want, ref_p, b, ref_p, bn);
		assert_true(fe_is(&h, want));
		/* Outputs are tight, so they chain. */
		fe_random_tight(&g, 1);
		for (int j = 0; j < FE_LIMBS; j++)
			assert_true(h.v[j] <= g.v[j]);
		if (i < 100) {
			fe_invert(&h, &f);
			BN_copy(e, ref_p);
			BN_sub_word(e, 2);
			BN_mod_exp(want, a, e, ref_p, bn);
			assert_true(fe_is(&h, want));
			fe_pow2523(&h, &f);
			BN_copy(e, ref_p);
			BN_sub_word(e, 5);
			BN_rshift(e, e, 3);
			BN_mod_exp(want, a, e, ref_p, bn);
			assert_true(fe_is(&h, want));
		}
		BN_free(a);
		BN_free(b);
	}
	/* fe_tobytes at p + k - 40 for k = 0..80 and at 2^255 + small. */
	for (int k = 0; k <= 80; k++) {
		uint8_t s[32];

		BN_copy(want, ref_p);
		BN_add_word(want, (BN_ULONG)k);
		BN_sub_word(want, 40);
		bn_to_le32(s, want);
		if (k >= 40 + 19)
			continue; /* 2^255 and up: not 255 bits */
		fe_frombytes(&f, s);
		if (!fe_is(&f, want))
			fail_msg("fe_tobytes at p + %d", k - 40);
	}
	fe_random_tight(&f, 1); /* 2^255 + 2^(18 + off(1)) - 1 */
	a = fe_value(&f);
	assert_true(fe_is(&f, a));
	BN_free(a);
	BN_free(want);
	BN_free(e);
}

/*
 * sc_reduce512 against BN_nnmod on random 512-bit values, multiples of L
 * and their neighbours, 2^512 - 1 and 0; sc_below_order at its edges.
 */
static void
test_scalars(void **state)
{
	uint8_t h[64], got[32], exp[32], s[32];
	BIGNUM *x = BN_new(), *r = BN_new();

	(void)state;
	assert_true(x && r);
	rng_reset(5);
	for (int i = 0; i < 3000; i++) {
		if (i == 0) {
			memset(h, 0xff, 64);
		} else if (i == 1) {
			memset(h, 0, 64);
		} else if (i < 40) {
			/* (small multiple of L) + {-1, 0, 1} */
			BN_set_word(x, (BN_ULONG)(rng_next() % 1000000 + 1));
			BN_mul(x, x, ref_l, bn);
			if (i % 3 == 0)
				BN_sub_word(x, 1);
			else if (i % 3 == 1)
				BN_add_word(x, 1);
			assert_int_equal(BN_bn2lebinpad(x, h, 64), 64);
		} else {
			rng_fill(h, 64);
		}
		assert_non_null(BN_lebin2bn(h, 64, x));
		BN_nnmod(r, x, ref_l, bn);
		bn_to_le32(exp, r);
		sc_reduce512(got, h);
		if (memcmp(got, exp, 32) != 0)
			fail_msg("sc_reduce512, round %d (seed %llu)", i,
			    (unsigned long long)seed);
	}
	bn_to_le32(s, ref_l);
	assert_false(sc_below_order(s));
	s[0]--;
	assert_true(sc_below_order(s));
	s[0] += 2;
	assert_false(sc_below_order(s));
	s[0]--;
	s[31] = 0x0f;
	assert_true(sc_below_order(s)); /* L - 2^252 */
	memset(s, 0xff, 32);
	assert_false(sc_below_order(s));
	memset(s, 0, 32);
	assert_true(sc_below_order(s));
	BN_free(x);
	BN_free(r);
}

/*
 * sc_wnaf: the digits add back up to the scalar, each is 0 or odd in
 * -15..15, and four zeros follow every non-zero digit; for random scalars
 * below 2^253 and for 0, 1, L - 1 and 2^253 - 1.
 */
static void
test_wnaf(void **state)
{
	uint8_t s[32];
	int8_t e[256];
	BIGNUM *want = BN_new(), *got = BN_new(), *term = BN_new();

	(void)state;
	assert_true(want && got && term);
	rng_reset(6);
	for (int i = 0; i < 2000; i++) {
		rng_fill(s, 32);
		s[31] &= 0x1f;
		if (i == 0)
			memset(s, 0, 32);
		if (i == 1) {
			memset(s, 0, 32);
			s[0] = 1;
		}
		if (i == 2) {
			BN_copy(want, ref_l);
			BN_sub_word(want, 1);
			bn_to_le32(s, want);
		}
		if (i == 3) {
			memset(s, 0xff, 32);
			s[31] = 0x1f;
		}
		assert_non_null(BN_lebin2bn(s, 32, want));
		sc_wnaf(e, s);
		BN_zero(got);
		for (int j = 255; j >= 0; j--) {
			BN_lshift1(got, got);
			BN_set_word(term, (BN_ULONG)(e[j] < 0 ? -e[j] : e[j]));
			if (e[j] < 0)
				BN_sub(got, got, term);
			else
				BN_add(got, got, term);
			if (e[j] != 0) {
				assert_true(e[j] % 2 != 0);
				assert_true(e[j] >= -15 && e[j] <= 15);
				for (int z = 1; z <= 4 && j + z < 256; z++)
					assert_int_equal(e[j + z], 0);
			}
		}
		if (BN_cmp(got, want) != 0)
			fail_msg("sc_wnaf, round %d (seed %llu)", i,
			    (unsigned long long)seed);
	}
	BN_free(want);
	BN_free(got);
	BN_free(term);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc8032_vectors),
		cmocka_unit_test(test_differential_valid),
		cmocka_unit_test(test_differential_corrupted),
		cmocka_unit_test(test_s_range),
		cmocka_unit_test(test_r_encoding),
		cmocka_unit_test(test_small_order_points),
		cmocka_unit_test(test_pubkey_encoding),
		cmocka_unit_test(test_cofactorless),
		cmocka_unit_test(test_field),
		cmocka_unit_test(test_scalars),
		cmocka_unit_test(test_wnaf),
	};
	const char *s = getenv("ED25519_TEST_SEED");

	if (s != NULL && *s != '\0')
		seed = strtoull(s, NULL, 0);
	printf("# ed25519 test seed %llu\n", (unsigned long long)seed);
	return cmocka_run_group_tests(tests, ref_setup, ref_teardown);
}
