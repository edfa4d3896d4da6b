/*
 * The kernel's crypto against published vectors (FIPS 180-4 examples,
 * RFC 4231, RFC 5869, the CRC32C check value and RFC 3720 B.4) and against
 * OpenSSL's libcrypto on random inputs of every length 0..4096.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>

#include "cellos/errors.h"
#include "crypto.h"

static void
hex(const char *h, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		sscanf(h + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
}

static void
expect_sha(const void *msg, size_t len, const char *digest_hex)
{
	uint8_t want[32], got[32];

	hex(digest_hex, want, 32);
	sha256(msg, len, got);
	assert_memory_equal(got, want, 32);
}

static void
test_sha256_fips_examples(void **state)
{
	static char million[1000000];

	(void)state;
	expect_sha("abc", 3,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	expect_sha("", 0,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	expect_sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	expect_sha("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", 112,
	    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
	memset(million, 'a', sizeof million);
	expect_sha(million, sizeof million,
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void
test_sha256_incremental_at_every_split(void **state)
{
	uint8_t msg[200], whole[32], parts[32];
	struct sha256_ctx c;

	(void)state;
	for (size_t i = 0; i < sizeof msg; i++)
		msg[i] = (uint8_t)(i * 37 + 5);
	sha256(msg, sizeof msg, whole);
	for (size_t split = 0; split <= sizeof msg; split++) {
		sha256_init(&c);
		sha256_update(&c, msg, split);
		sha256_update(&c, msg + split, sizeof msg - split);
		sha256_final(&c, parts);
		assert_memory_equal(parts, whole, 32);
	}
	assert_int_equal(sha256_le32("abc", 3), 0xbf1678ba);	/* ba 78 16 bf, LE */
}

struct hmac_case {
	const char *key_hex, *data_hex, *mac_hex;
	size_t mac_len;
};

static void
test_hmac_rfc4231(void **state)
{
	/* RFC 4231 test cases 1..7 (case 5: 128-bit truncation). */
	static char key_131[2 * 131 + 1], data7[] =
	    "This is a test using a larger than block-size key and a larger "
	    "than block-size data. The key needs to be hashed before being "
	    "used by the HMAC algorithm.";
	uint8_t key[200], data[200], want[32], got[32];
	const struct hmac_case cases[] = {
		{ "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
		  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", 32 },
		{ "4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
		  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", 32 },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		  "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
		  "dddddddddddddddddddddddddddddddddddd",
		  "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe", 32 },
		{ "0102030405060708090a0b0c0d0e0f10111213141516171819",
		  "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
		  "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
		  "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b", 32 },
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
		assert_memory_equal(got, want, cases[i].mac_len);
	}
	/* Cases 6 and 7: a 131-byte key of 0xaa (hashed first). */
	for (int i = 0; i < 131; i++)
		memcpy(key_131 + 2 * i, "aa", 2);
	hex(key_131, key, 131);
	hex("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
	    want, 32);
	hmac_sha256(key, 131, "Test Using Larger Than Block-Size Key - Hash Key "
	    "First", 54, got);
	assert_memory_equal(got, want, 32);
	hex("9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
	    want, 32);
	hmac_sha256(key, 131, data7, strlen(data7), got);
	assert_memory_equal(got, want, 32);
}

static void
test_hkdf_rfc5869(void **state)
{
	uint8_t ikm[80], salt[80], info[80], okm[82], want[82];
	uint8_t big[255 * 32 + 1];

	(void)state;
	/* Test case 1 */
	hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", ikm, 22);
	hex("000102030405060708090a0b0c", salt, 13);
	hex("f0f1f2f3f4f5f6f7f8f9", info, 10);
	hex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
	    "34007208d5b887185865", want, 42);
	assert_int_equal(hkdf_sha256(salt, 13, ikm, 22, info, 10, okm, 42), 0);
	assert_memory_equal(okm, want, 42);
	/* Test case 2: 80-byte inputs, 82-byte output */
	for (int i = 0; i < 80; i++) {
		ikm[i] = (uint8_t)i;
		salt[i] = (uint8_t)(0x60 + i);
		info[i] = (uint8_t)(0xb0 + i);
	}
	hex("b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
	    "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
	    "cc30c58179ec3e87c14c01d5c1f3434f1d87", want, 82);
	assert_int_equal(hkdf_sha256(salt, 80, ikm, 80, info, 80, okm, 82), 0);
	assert_memory_equal(okm, want, 82);
	/* Test case 3: no salt, no info */
	hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", ikm, 22);
	hex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
	    "9d201395faa4b61a96c8", want, 42);
	assert_int_equal(hkdf_sha256(NULL, 0, ikm, 22, NULL, 0, okm, 42), 0);
	assert_memory_equal(okm, want, 42);
	/* More than 255 blocks is refused. */
	assert_int_equal(hkdf_sha256(NULL, 0, ikm, 22, NULL, 0, big, sizeof big),
	    -CELL_E_INVAL);
	assert_int_equal(hkdf_sha256(NULL, 0, ikm, 22, NULL, 0, big, 255 * 32), 0);
}

static uint32_t
crc32c_bitwise(const uint8_t *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int b = 0; b < 8; b++)
			c = (c >> 1) ^ (0x82F63B78u & (0u - (c & 1)));
	}
	return ~c;
}

static void
test_crc32c_vectors(void **state)
{
	static const uint8_t read_pdu[48] = {
		0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x04, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18, 0x28,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00,
	};
	uint8_t buf[32], rnd[1000];

	(void)state;
	assert_int_equal(crc32c(0, "123456789", 9), 0xE3069283u);
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
	srand(7);
	for (size_t i = 0; i < sizeof rnd; i++)
		rnd[i] = (uint8_t)rand();
	for (size_t n = 0; n <= sizeof rnd; n += 37) {
		assert_int_equal(crc32c(0, rnd, n), crc32c_bitwise(rnd, n));
		assert_int_equal(crc32c(crc32c(0, rnd, n / 3), rnd + n / 3,
		    n - n / 3), crc32c(0, rnd, n));
	}
}

/* Every length 0..4096 and a spread of key lengths, against OpenSSL. */
static void
test_against_openssl(void **state)
{
	static uint8_t msg[4096], key[200];
	uint8_t ours[32], theirs[32];
	unsigned int len;

	(void)state;
	srand(4231);
	for (size_t i = 0; i < sizeof msg; i++)
		msg[i] = (uint8_t)rand();
	for (size_t i = 0; i < sizeof key; i++)
		key[i] = (uint8_t)rand();
	for (size_t n = 0; n <= sizeof msg; n++) {
		size_t klen = n % 201;

		sha256(msg, n, ours);
		EVP_Digest(msg, n, theirs, &len, EVP_sha256(), NULL);
		if (memcmp(ours, theirs, 32) != 0)
			fail_msg("SHA-256 differs from OpenSSL at length %zu (seed 4231)", n);
		hmac_sha256(key, klen, msg, n, ours);
		HMAC(EVP_sha256(), key, (int)klen, msg, n, theirs, &len);
		if (memcmp(ours, theirs, 32) != 0)
			fail_msg("HMAC differs from OpenSSL at length %zu, key %zu", n,
			    klen);
	}
}

static void
test_ct_equal(void **state)
{
	uint8_t a[40], b[40];

	(void)state;
	memset(a, 0x5A, sizeof a);
	memcpy(b, a, sizeof b);
	assert_true(ct_equal(a, b, sizeof a));
	assert_true(ct_equal(a, b, 0));
	for (size_t i = 0; i < sizeof a; i++) {
		b[i] ^= 1;
		assert_false(ct_equal(a, b, sizeof a));
		b[i] ^= 1;
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_fips_examples),
		cmocka_unit_test(test_sha256_incremental_at_every_split),
		cmocka_unit_test(test_hmac_rfc4231),
		cmocka_unit_test(test_hkdf_rfc5869),
		cmocka_unit_test(test_crc32c_vectors),
		cmocka_unit_test(test_against_openssl),
		cmocka_unit_test(test_ct_equal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
