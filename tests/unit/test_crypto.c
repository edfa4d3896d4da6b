/*
 * The kernel's crypto against published vectors (FIPS 180-4 examples,
 * RFC 4231, RFC 5869, the CRC32C check value and RFC 3720 B.4) and against
 * OpenSSL's libcrypto on random inputs of every length 0..4096. Random
 * inputs come from a seeded xorshift generator, not rand(), so a failure
 * reproduces on any libc; CRYPTO_TEST_SEED=<n> picks another seed, and every
 * failure message names the seed and the length.
 */
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cellos/errors.h"
#include "crypto.h"

/*
 * The board kernels build SHA-256 as a loop (CFG_SHA256_UNROLLED 0) and the
 * hosted core, which this program links, the unrolled form. So that the
 * boards' form is checked on the host too, tests/CMakeLists.txt compiles
 * wire/crypto.c a second time into this program, as the loop form and with
 * each external name given a loop_ prefix (crypto_loop_names.h); crypto.h
 * is read again under those names for the prototypes. A function added to
 * crypto.c needs a line in crypto_loop_names.h, or the link fails loudly.
 */
#include "crypto_loop_names.h"
#undef CELLOS_CRYPTO_H
#include "crypto.h"
#include "crypto_loop_unnames.h"
#include "testutil.h"

/* ---- helpers ---- */

static uint64_t seed = 0x4231; /* the seed the random tests start from */
static uint64_t rng;

/* Restart the generator at the test's seed. */
static void
rng_reset(void)
{
	rng = seed != 0 ? seed : 1;
}

/* xorshift64*: the next pseudo-random byte. */
static uint8_t
rng_byte(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint8_t)((rng * 0x2545F4914F6CDD1DULL) >> 56);
}

static void
rng_fill(uint8_t *p, size_t n)
{
	while (n-- > 0)
		*p++ = rng_byte();
}

/* Decode n bytes of hex text into out. */
static void
hex(const char *h, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v;

		assert_int_equal(sscanf(h + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

/* OpenSSL's SHA-256 of msg[0..n). */
static void
ossl_sha256(const void *msg, size_t n, uint8_t out[32])
{
	unsigned int len = 0;

	assert_int_equal(EVP_Digest(msg, n, out, &len, EVP_sha256(), NULL), 1);
	assert_int_equal(len, 32);
}

/* OpenSSL's HMAC-SHA-256. */
static void
ossl_hmac(const void *key, size_t klen, const void *msg, size_t n,
    uint8_t out[32])
{
	unsigned int len = 0;

	assert_non_null(HMAC(EVP_sha256(), key, (int)klen, msg, n, out, &len));
	assert_int_equal(len, 32);
}

/* OpenSSL's HKDF-SHA-256 (EVP_KDF "HKDF", extract then expand). */
static void
ossl_hkdf(const uint8_t *salt, size_t saltlen, const uint8_t *ikm,
    size_t ikmlen, const uint8_t *info, size_t infolen, uint8_t *out,
    size_t outlen)
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *kctx;
	OSSL_PARAM params[5], *p = params;

	assert_non_null(kdf);
	kctx = EVP_KDF_CTX_new(kdf);
	assert_non_null(kctx);
	*p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
	    (char *)"SHA256", 0);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
	    (void *)ikm, ikmlen);
	if (saltlen > 0)
		*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
		    (void *)salt, saltlen);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
	    (void *)info, infolen);
	*p = OSSL_PARAM_construct_end();
	assert_int_equal(EVP_KDF_derive(kctx, out, outlen, params), 1);
	EVP_KDF_CTX_free(kctx);
	EVP_KDF_free(kdf);
}

static int
all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != 0)
			return 0;
	return 1;
}

/* ---- SHA-256 ---- */

typedef void (*sha256_fn)(const void *, size_t, uint8_t *);

/* The FIPS 180-4 / NIST examples through the one-shot function f. */
static void
check_fips_examples(sha256_fn f)
{
	static const struct {
		const char *msg, *digest;
	} cases[] = {
		{ "abc",
		    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "",
		    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
		{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
		  "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	};
	static char million[1000000];
	uint8_t want[32], got[32];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		hex(cases[i].digest, want, 32);
		f(cases[i].msg, strlen(cases[i].msg), got);
		assert_memory_equal(got, want, 32);
	}
	memset(million, 'a', sizeof million);
	hex("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
	    want, 32);
	f(million, sizeof million, got);
	assert_memory_equal(got, want, 32);
}

static void
test_sha256_fips_examples(void **state)
{
	static char million[1000000];
	struct sha256_ctx c;
	uint8_t want[32], got[32];
	size_t off, step;

	(void)state;
	check_fips_examples(sha256);
	/* The 448- and 896-bit messages are 56 and 112 bytes long. */
	assert_int_equal(strlen("abcdbcdecdefdefgefghfghighijhijkijkljklmklmn"
				"lmnomnopnopq") *
		8,
	    448);
	/* One million 'a' again, fed in uneven pieces of 1..127 bytes. */
	memset(million, 'a', sizeof million);
	hex("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
	    want, 32);
	sha256_init(&c);
	for (off = 0, step = 1; off < sizeof million;
	     off += step, step = step % 127 + 1) {
		if (step > sizeof million - off)
			step = sizeof million - off;
		sha256_update(&c, million + off, step);
	}
	sha256_final(&c, got);
	assert_memory_equal(got, want, 32);
}

static void
test_sha256_incremental_at_every_split(void **state)
{
	uint8_t msg[200], whole[32], parts[32];
	struct sha256_ctx c;

	(void)state;
	for (size_t i = 0; i < sizeof msg; i++)
		msg[i] = (uint8_t)(i * 37 + 5);
	ossl_sha256(msg, sizeof msg, whole);
	for (size_t split = 0; split <= sizeof msg; split++) {
		sha256_init(&c);
		sha256_update(&c, msg, split);
		sha256_update(&c, msg + split, sizeof msg - split);
		sha256_final(&c, parts);
		if (memcmp(parts, whole, 32) != 0)
			fail_msg("SHA-256 split at %zu of %zu differs", split,
			    sizeof msg);
		/* Three pieces: split, then the rest at a second point. */
		for (size_t second = split; second <= sizeof msg;
		     second += 13) {
			sha256_init(&c);
			sha256_update(&c, msg, split);
			sha256_update(&c, msg + split, second - split);
			sha256_update(&c, msg + second, sizeof msg - second);
			sha256_final(&c, parts);
			if (memcmp(parts, whole, 32) != 0)
				fail_msg("SHA-256 split at %zu and %zu differs",
				    split, second);
		}
	}
	/* One byte at a time, with empty updates in between. */
	sha256_init(&c);
	for (size_t i = 0; i < sizeof msg; i++) {
		sha256_update(&c, msg + i, 1);
		sha256_update(&c, NULL, 0);
	}
	sha256_final(&c, parts);
	assert_memory_equal(parts, whole, 32);
}

/*
 * A copy of a context taken mid-stream is an independent context (obs.c
 * takes a running digest this way), and final wipes the context.
 */
static void
test_sha256_context_copy_and_wipe(void **state)
{
	uint8_t msg[300], want[32], got[32];
	struct sha256_ctx c, copy;

	(void)state;
	rng_reset();
	rng_fill(msg, sizeof msg);
	for (size_t cut = 0; cut <= sizeof msg; cut += 7) {
		sha256_init(&c);
		sha256_update(&c, msg, cut);
		copy = c;
		sha256_final(&copy, got);
		ossl_sha256(msg, cut, want);
		assert_memory_equal(got, want, 32);
		assert_true(all_zero(&copy, sizeof copy));
		sha256_update(&c, msg + cut, sizeof msg - cut);
		sha256_final(&c, got);
		ossl_sha256(msg, sizeof msg, want);
		assert_memory_equal(got, want, 32);
		assert_true(all_zero(&c, sizeof c));
	}
}

/*
 * sha256_le32 is how each proof value is formed: the digest's first four
 * bytes read little-endian, checked against OpenSSL's digest bytes.
 */
static void
test_sha256_le32(void **state)
{
	uint8_t msg[512], d[32];

	(void)state;
	/* SHA-256("abc") begins ba 78 16 bf. */
	assert_int_equal(sha256_le32("abc", 3), 0xbf1678bau);
	assert_int_equal(sha256_le32("", 0), 0x42c4b0e3u);
	rng_reset();
	rng_fill(msg, sizeof msg);
	for (size_t n = 0; n <= sizeof msg; n++) {
		uint32_t want;

		ossl_sha256(msg, n, d);
		want = (uint32_t)d[0] | (uint32_t)d[1] << 8 |
		    (uint32_t)d[2] << 16 | (uint32_t)d[3] << 24;
		if (sha256_le32(msg, n) != want)
			fail_msg(
			    "sha256_le32 differs at length %zu (seed %llu)", n,
			    (unsigned long long)seed);
	}
}

/* ---- HMAC-SHA-256 ---- */

struct hmac_case {
	const char *key_hex, *data_hex, *mac_hex;
	size_t mac_len;
};

static void
test_hmac_rfc4231(void **state)
{
	/* RFC 4231 test cases 1..7 (case 5: 128-bit truncation). */
	static char key_131[2 * 131 + 1],
	    data7[] =
		"This is a test using a larger than block-size key and a larger "
		"than block-size data. The key needs to be hashed before being "
		"used by the HMAC algorithm.";
	uint8_t key[200], data[200], want[32], got[32];
	const struct hmac_case cases[] = {
		{ "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
		    "4869205468657265",
		    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
		    32 },
		{ "4a656665",
		    "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
		    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
		    32 },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		    "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
		    "dddddddddddddddddddddddddddddddddddd",
		    "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
		    32 },
		{ "0102030405060708090a0b0c0d0e0f10111213141516171819",
		    "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
		    "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
		    "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
		    32 },
		{ "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c",
		    "546573742057697468205472756e636174696f6e",
		    "a3b6167473100ee06e0c796c2955552b", 16 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t klen = strlen(cases[i].key_hex) / 2;
		size_t dlen = strlen(cases[i].data_hex) / 2;

		hex(cases[i].key_hex, key, klen);
		hex(cases[i].data_hex, data, dlen);
		hex(cases[i].mac_hex, want, cases[i].mac_len);
		hmac_sha256(key, klen, data, dlen, got);
		if (memcmp(got, want, cases[i].mac_len) != 0)
			fail_msg("RFC 4231 test case %zu differs", i + 1);
	}
	/* Cases 6 and 7: a 131-byte key of 0xaa (hashed first). */
	for (int i = 0; i < 131; i++)
		memcpy(key_131 + 2 * i, "aa", 2);
	hex(key_131, key, 131);
	hex("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
	    want, 32);
	hmac_sha256(key, 131,
	    "Test Using Larger Than Block-Size Key - Hash Key "
	    "First",
	    54, got);
	assert_memory_equal(got, want, 32);
	hex("9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
	    want, 32);
	assert_int_equal(strlen(data7), 152);
	hmac_sha256(key, 131, data7, strlen(data7), got);
	assert_memory_equal(got, want, 32);
}

/*
 * Incremental HMAC at every split, for keys shorter than, equal to and longer
 * than the block; a context copied after init (the cached key blocks of
 * trust.c and update.c) gives the same tag; final wipes the context.
 */
static void
test_hmac_incremental_and_copy(void **state)
{
	static const size_t klens[] = { 0, 1, 20, 32, 63, 64, 65, 131, 200 };
	uint8_t key[200], msg[200], want[32], got[32];
	struct hmac_sha256_ctx base, c;

	(void)state;
	rng_reset();
	rng_fill(key, sizeof key);
	rng_fill(msg, sizeof msg);
	for (size_t k = 0; k < sizeof klens / sizeof klens[0]; k++) {
		size_t klen = klens[k];

		ossl_hmac(key, klen, msg, sizeof msg, want);
		hmac_sha256_init(&base, key, klen);
		for (size_t split = 0; split <= sizeof msg; split++) {
			c = base;
			hmac_sha256_update(&c, msg, split);
			hmac_sha256_update(&c, msg + split, sizeof msg - split);
			hmac_sha256_final(&c, got);
			if (memcmp(got, want, 32) != 0)
				fail_msg("HMAC key %zu split at %zu differs",
				    klen, split);
			assert_true(all_zero(&c, sizeof c));
		}
		hmac_sha256_final(&base, got);
		ossl_hmac(key, klen, msg, 0, want);
		assert_memory_equal(got, want, 32);
	}
}

/* ---- HKDF-SHA-256 ---- */

static void
test_hkdf_rfc5869(void **state)
{
	uint8_t ikm[80], salt[80], info[80], okm[82], want[82], prk[32];
	uint8_t big[255 * 32 + 1];

	(void)state;
	/* Test case 1 */
	hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", ikm, 22);
	hex("000102030405060708090a0b0c", salt, 13);
	hex("f0f1f2f3f4f5f6f7f8f9", info, 10);
	hex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
	    want, 32);
	hkdf_sha256_extract(salt, 13, ikm, 22, prk);
	assert_memory_equal(prk, want, 32);
	hex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
	    "34007208d5b887185865",
	    want, 42);
	assert_int_equal(hkdf_sha256_expand(prk, info, 10, okm, 42), 0);
	assert_memory_equal(okm, want, 42);
	memset(okm, 0, sizeof okm);
	assert_int_equal(hkdf_sha256(salt, 13, ikm, 22, info, 10, okm, 42), 0);
	assert_memory_equal(okm, want, 42);

	/* Test case 2: 80-byte inputs, 82-byte output */
	for (int i = 0; i < 80; i++) {
		ikm[i] = (uint8_t)i;
		salt[i] = (uint8_t)(0x60 + i);
		info[i] = (uint8_t)(0xb0 + i);
	}
	hex("06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
	    want, 32);
	hkdf_sha256_extract(salt, 80, ikm, 80, prk);
	assert_memory_equal(prk, want, 32);
	hex("b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
	    "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
	    "cc30c58179ec3e87c14c01d5c1f3434f1d87",
	    want, 82);
	assert_int_equal(hkdf_sha256_expand(prk, info, 80, okm, 82), 0);
	assert_memory_equal(okm, want, 82);
	memset(okm, 0, sizeof okm);
	assert_int_equal(hkdf_sha256(salt, 80, ikm, 80, info, 80, okm, 82), 0);
	assert_memory_equal(okm, want, 82);

	/* Test case 3: no salt, no info */
	hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", ikm, 22);
	hex("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
	    want, 32);
	hkdf_sha256_extract(NULL, 0, ikm, 22, prk);
	assert_memory_equal(prk, want, 32);
	hex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
	    "9d201395faa4b61a96c8",
	    want, 42);
	assert_int_equal(hkdf_sha256_expand(prk, NULL, 0, okm, 42), 0);
	assert_memory_equal(okm, want, 42);
	memset(okm, 0, sizeof okm);
	assert_int_equal(hkdf_sha256(NULL, 0, ikm, 22, NULL, 0, okm, 42), 0);
	assert_memory_equal(okm, want, 42);

	/* More than 255 blocks is refused, and nothing is written. */
	memset(big, 0xA5, sizeof big);
	assert_int_equal(hkdf_sha256_expand(prk, NULL, 0, big, sizeof big),
	    -CELL_E_INVAL);
	assert_int_equal(hkdf_sha256(NULL, 0, ikm, 22, NULL, 0, big,
			     sizeof big),
	    -CELL_E_INVAL);
	for (size_t i = 0; i < sizeof big; i++)
		assert_int_equal(big[i], 0xA5);
	/* Exactly 255 blocks is allowed; no output at all is a no-op. */
	assert_int_equal(hkdf_sha256(NULL, 0, ikm, 22, NULL, 0, big, 255 * 32),
	    0);
	assert_int_equal(big[255 * 32], 0xA5);
	assert_int_equal(hkdf_sha256_expand(prk, NULL, 0, NULL, 0), 0);
}

/* HKDF against OpenSSL's HKDF on random salts, inputs, infos and lengths. */
static void
test_hkdf_against_openssl(void **state)
{
	static uint8_t ours[255 * 32], theirs[255 * 32];
	uint8_t salt[100], ikm[100], info[100];

	(void)state;
	rng_reset();
	for (int round = 0; round < 300; round++) {
		size_t saltlen = rng_byte() % sizeof salt;
		size_t ikmlen = 1 + rng_byte() % (sizeof ikm - 1);
		size_t infolen = rng_byte() % sizeof info;
		size_t outlen = round < 256 ?
		    (size_t)round :
		    255 * 32 - (size_t)(rng_byte() % 64);

		rng_fill(salt, saltlen);
		rng_fill(ikm, ikmlen);
		rng_fill(info, infolen);
		assert_int_equal(hkdf_sha256(salt, saltlen, ikm, ikmlen, info,
				     infolen, ours, outlen),
		    0);
		if (outlen == 0)
			continue;
		ossl_hkdf(salt, saltlen, ikm, ikmlen, info, infolen, theirs,
		    outlen);
		if (memcmp(ours, theirs, outlen) != 0)
			fail_msg(
			    "HKDF differs from OpenSSL in round %d: salt %zu, "
			    "ikm %zu, info %zu, out %zu (seed %llu)",
			    round, saltlen, ikmlen, infolen, outlen,
			    (unsigned long long)seed);
	}
}

/* ---- CRC32C ---- */

static void
test_crc32c_vectors(void **state)
{
	/* RFC 3720 B.4: an iSCSI SCSI Read (10) command PDU. */
	/* clang-format off */
	static const uint8_t read_pdu[48] = {
		0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x04, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18, 0x28,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00,
	};
	/* clang-format on */
	uint8_t buf[32];

	(void)state;
	assert_int_equal(crc32c(0, "123456789", 9), 0xE3069283u);
	assert_int_equal(crc32c(0, NULL, 0), 0);
	memset(buf, 0, 32);
	assert_int_equal(crc32c(0, buf, 32), 0x8A9136AAu);
	memset(buf, 0xFF, 32);
	assert_int_equal(crc32c(0, buf, 32), 0x62A8AB43u);
	for (int i = 0; i < 32; i++)
		buf[i] = (uint8_t)i;
	assert_int_equal(crc32c(0, buf, 32), 0x46DD794Eu);
	for (int i = 0; i < 32; i++)
		buf[i] = (uint8_t)(31 - i);
	assert_int_equal(crc32c(0, buf, 32), 0x113FDB5Cu);
	assert_int_equal(crc32c(0, read_pdu, sizeof read_pdu), 0xD9963A56u);
}

/* The table against the bitwise definition, and chaining at every split. */
static void
test_crc32c_random_and_chaining(void **state)
{
	static uint8_t rnd[4096];
	uint32_t whole, c;

	(void)state;
	rng_reset();
	rng_fill(rnd, sizeof rnd);
	for (size_t n = 0; n <= sizeof rnd; n++)
		if (crc32c(0, rnd, n) != crc32c_bitwise(rnd, n))
			fail_msg(
			    "CRC32C differs from the bitwise form at length "
			    "%zu (seed %llu)",
			    n, (unsigned long long)seed);
	whole = crc32c(0, rnd, 300);
	for (size_t split = 0; split <= 300; split++)
		if (crc32c(crc32c(0, rnd, split), rnd + split, 300 - split) !=
		    whole)
			fail_msg("CRC32C chained at %zu of 300 differs", split);
	c = 0;
	for (size_t i = 0; i < 300; i++)
		c = crc32c(c, rnd + i, 1);
	assert_int_equal(c, whole);
	/* An empty piece leaves any running value as it was. */
	assert_int_equal(crc32c(whole, rnd, 0), whole);
}

/* ---- against OpenSSL ---- */

/*
 * Every length 0..4096, and HMAC keys of every length 0..200 along the way,
 * through the sha256 and hmac_sha256 given (the hosted or the loop form).
 */
static void
check_against_openssl(const char *form, sha256_fn sha,
    void (*mac)(const void *, size_t, const void *, size_t, uint8_t *))
{
	static uint8_t msg[4096], key[200];
	uint8_t ours[32], theirs[32];

	rng_reset();
	rng_fill(msg, sizeof msg);
	rng_fill(key, sizeof key);
	for (size_t n = 0; n <= sizeof msg; n++) {
		size_t klen = n % 201;

		sha(msg, n, ours);
		ossl_sha256(msg, n, theirs);
		if (memcmp(ours, theirs, 32) != 0)
			fail_msg(
			    "%s SHA-256 differs from OpenSSL at length %zu "
			    "(seed %llu)",
			    form, n, (unsigned long long)seed);
		mac(key, klen, msg, n, ours);
		ossl_hmac(key, klen, msg, n, theirs);
		if (memcmp(ours, theirs, 32) != 0)
			fail_msg(
			    "%s HMAC differs from OpenSSL at length %zu, key "
			    "%zu (seed %llu)",
			    form, n, klen, (unsigned long long)seed);
	}
}

static void
test_against_openssl(void **state)
{
	(void)state;
	check_against_openssl("hosted", sha256, hmac_sha256);
}

/* The boards' form of SHA-256 (the loop): vectors and OpenSSL. */
static void
test_loop_form(void **state)
{
	(void)state;
	check_fips_examples(loop_sha256);
	check_against_openssl("loop", loop_sha256, loop_hmac_sha256);
	assert_int_equal(loop_sha256_le32("abc", 3), 0xbf1678bau);
}

/* ---- constant-time compare and wipe ---- */

static void
test_ct_equal(void **state)
{
	uint8_t a[40], b[40];

	(void)state;
	rng_reset();
	rng_fill(a, sizeof a);
	memcpy(b, a, sizeof b);
	assert_int_equal(ct_equal(a, b, sizeof a), 1);
	assert_int_equal(ct_equal(a, b, 0), 1);
	assert_int_equal(ct_equal(NULL, NULL, 0), 1);
	for (size_t i = 0; i < sizeof a; i++) {
		for (int bit = 0; bit < 8; bit++) {
			b[i] ^= (uint8_t)(1u << bit);
			if (ct_equal(a, b, sizeof a) != 0)
				fail_msg("byte %zu bit %d differs but compares "
					 "equal",
				    i, bit);
			/* A difference just past n is not looked at. */
			assert_int_equal(ct_equal(a, b, i), 1);
			b[i] ^= (uint8_t)(1u << bit);
		}
		b[i] ^= 0xFF;
		assert_int_equal(ct_equal(a, b, sizeof a), 0);
		b[i] ^= 0xFF;
	}
}

static void
test_crypto_wipe(void **state)
{
	uint8_t buf[100];

	(void)state;
	memset(buf, 0xA5, sizeof buf);
	crypto_wipe(buf + 10, 80);
	assert_int_equal(buf[9], 0xA5);
	assert_true(all_zero(buf + 10, 80));
	assert_int_equal(buf[90], 0xA5);
	crypto_wipe(NULL, 0);
}

/*
 * The compression counter (for bench boots) counts every block once, by
 * any path. Expected counts from FIPS 180-4's padding: a message of n bytes
 * takes floor((n + 8) / 64) + 1 blocks; HMAC with a key of at most 64
 * bytes adds one block for each of its two key blocks, and its outer hash
 * is the 64-byte key block plus the 32-byte inner digest (two blocks).
 */
static void
test_compression_counter(void **state)
{
	static uint8_t msg[300];
	uint8_t out[32];
	uint32_t h[8] = { 0 };
	uint64_t c;

	(void)state;
	for (size_t n = 0; n <= sizeof msg; n++) {
		c = crypto_sha256_compressions();
		sha256(msg, n, out);
		assert_int_equal(crypto_sha256_compressions() - c,
		    (n + 8) / 64 + 1);
	}
	c = crypto_sha256_compressions();
	hmac_sha256("key", 3, msg, 100, out);
	assert_int_equal(crypto_sha256_compressions() - c,
	    (64 + 100 + 8) / 64 + 1 + 2);
	c = crypto_sha256_compressions();
	sha256_blocks_portable(h, msg, 3);
	sha256_blocks(h, msg, 2);
	assert_int_equal(crypto_sha256_compressions() - c, 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_fips_examples),
		cmocka_unit_test(test_sha256_incremental_at_every_split),
		cmocka_unit_test(test_sha256_context_copy_and_wipe),
		cmocka_unit_test(test_sha256_le32),
		cmocka_unit_test(test_hmac_rfc4231),
		cmocka_unit_test(test_hmac_incremental_and_copy),
		cmocka_unit_test(test_hkdf_rfc5869),
		cmocka_unit_test(test_hkdf_against_openssl),
		cmocka_unit_test(test_crc32c_vectors),
		cmocka_unit_test(test_crc32c_random_and_chaining),
		cmocka_unit_test(test_against_openssl),
		cmocka_unit_test(test_loop_form),
		cmocka_unit_test(test_ct_equal),
		cmocka_unit_test(test_crypto_wipe),
		cmocka_unit_test(test_compression_counter),
	};
	const char *s = getenv("CRYPTO_TEST_SEED");

	if (s != NULL && *s != '\0')
		seed = strtoull(s, NULL, 0);
	printf("# crypto test seed %llu\n", (unsigned long long)seed);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
