/*
 * SHA-512 (core/sha512.c) against the FIPS 180-4 / NIST examples and
 * against OpenSSL's EVP_sha512 on every length 0..1024 and on random
 * chunkings. Random data comes from a seeded xorshift generator, so a
 * failure reproduces on any libc; SHA512_TEST_SEED=<n> picks another seed,
 * and every failure message names the seed and the length.
 */
#include <openssl/evp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sha512.h"

static uint64_t seed = 0x5125; /* the seed the random tests start from */
static uint64_t rng;

static void
rng_reset(void)
{
	rng = seed != 0 ? seed : 1;
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
	for (size_t i = 0; i < n; i++) {
		unsigned v;

		assert_int_equal(sscanf(h + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static void
ossl_sha512(const void *msg, size_t n, uint8_t out[64])
{
	unsigned int len = 0;

	assert_int_equal(EVP_Digest(msg, n, out, &len, EVP_sha512(), NULL), 1);
	assert_int_equal(len, 64);
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

/*
 * FIPS 180-4 examples (NIST CSRC "SHA512.pdf"): "abc" (one block), the
 * empty message, the 448-bit message (one block) and the 896-bit message
 * (two blocks: 112 bytes leave no room for the 16-byte length), then one
 * million 'a' in one piece and in uneven pieces of 1..127 bytes.
 */
static void
test_sha512_fips_examples(void **state)
{
	static const struct {
		const char *msg, *digest;
	} cases[] = {
		{ "abc",
		    "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
		    "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f" },
		{ "",
		    "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
		    "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		    "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335"
		    "96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445" },
		{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
		  "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		    "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
		    "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909" },
	};
	static char million[1000000];
	struct sha512_ctx c;
	uint8_t want[64], got[64];
	size_t off, step;

	(void)state;
	assert_int_equal(strlen(cases[3].msg) * 8, 896);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		hex(cases[i].digest, want, 64);
		sha512(cases[i].msg, strlen(cases[i].msg), got);
		if (memcmp(got, want, 64) != 0)
			fail_msg("SHA-512 of \"%s\" differs from FIPS 180-4",
			    cases[i].msg);
	}
	memset(million, 'a', sizeof million);
	hex("e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
	    "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b",
	    want, 64);
	sha512(million, sizeof million, got);
	assert_memory_equal(got, want, 64);
	sha512_init(&c);
	for (off = 0, step = 1; off < sizeof million;
	     off += step, step = step % 127 + 1) {
		if (step > sizeof million - off)
			step = sizeof million - off;
		sha512_update(&c, million + off, step);
	}
	sha512_final(&c, got);
	assert_memory_equal(got, want, 64);
}

/*
 * Every length 0..1024 of random data, one-shot and through a context,
 * against OpenSSL: covers each padding case (lengths 111, 112, 127, 128
 * and their multiples of a block are where the length field moves to a
 * block of its own).
 */
static void
test_sha512_every_length(void **state)
{
	static uint8_t msg[1024];
	uint8_t want[64], got[64];
	struct sha512_ctx c;

	(void)state;
	rng_reset();
	rng_fill(msg, sizeof msg);
	for (size_t n = 0; n <= sizeof msg; n++) {
		ossl_sha512(msg, n, want);
		sha512(msg, n, got);
		if (memcmp(got, want, 64) != 0)
			fail_msg("SHA-512 of %zu bytes differs from OpenSSL "
				 "(seed %llu)",
			    n, (unsigned long long)seed);
		sha512_init(&c);
		sha512_update(&c, msg, n);
		sha512_final(&c, got);
		assert_memory_equal(got, want, 64);
	}
}

/*
 * Random messages of 0..4096 bytes fed in random pieces of 0..300 bytes
 * (empty pieces included), and two-piece splits at every offset of a
 * 300-byte message, against OpenSSL's one-shot digest.
 */
static void
test_sha512_random_chunking(void **state)
{
	static uint8_t msg[4096];
	uint8_t want[64], got[64];
	struct sha512_ctx c;

	(void)state;
	rng_reset();
	for (int round = 0; round < 400; round++) {
		size_t n = (size_t)(rng_next() % (sizeof msg + 1)), off = 0;
		int pieces = 0;

		rng_fill(msg, n);
		ossl_sha512(msg, n, want);
		sha512_init(&c);
		while (off < n) {
			size_t step = (size_t)(rng_next() % 301);

			if (step > n - off)
				step = n - off;
			sha512_update(&c, msg + off, step);
			off += step;
			pieces++;
		}
		sha512_final(&c, got);
		if (memcmp(got, want, 64) != 0)
			fail_msg("SHA-512 of %zu bytes in %d random pieces "
				 "differs (round %d, seed %llu)",
			    n, pieces, round, (unsigned long long)seed);
	}
	rng_fill(msg, 300);
	ossl_sha512(msg, 300, want);
	for (size_t split = 0; split <= 300; split++) {
		sha512_init(&c);
		sha512_update(&c, msg, split);
		sha512_update(&c, NULL, 0);
		sha512_update(&c, msg + split, 300 - split);
		sha512_final(&c, got);
		if (memcmp(got, want, 64) != 0)
			fail_msg("SHA-512 split at %zu of 300 differs", split);
	}
}

/* A context copied mid-stream is independent; final wipes the context. */
static void
test_sha512_copy_and_wipe(void **state)
{
	uint8_t msg[300], want[64], got[64];
	struct sha512_ctx c, copy;

	(void)state;
	rng_reset();
	rng_fill(msg, sizeof msg);
	for (size_t cut = 0; cut <= sizeof msg; cut += 11) {
		sha512_init(&c);
		sha512_update(&c, msg, cut);
		copy = c;
		sha512_final(&copy, got);
		ossl_sha512(msg, cut, want);
		assert_memory_equal(got, want, 64);
		assert_true(all_zero(&copy, sizeof copy));
		sha512_update(&c, msg + cut, sizeof msg - cut);
		sha512_final(&c, got);
		ossl_sha512(msg, sizeof msg, want);
		assert_memory_equal(got, want, 64);
		assert_true(all_zero(&c, sizeof c));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha512_fips_examples),
		cmocka_unit_test(test_sha512_every_length),
		cmocka_unit_test(test_sha512_random_chunking),
		cmocka_unit_test(test_sha512_copy_and_wipe),
	};
	const char *s = getenv("SHA512_TEST_SEED");

	if (s != NULL && *s != '\0')
		seed = strtoull(s, NULL, 0);
	printf("# sha512 test seed %llu\n", (unsigned long long)seed);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
