/*
 * The CPU's crypto engines (hal_crypto_accel: SHA-NI and SSE4.2 crc32 on an
 * x86_64 host) against three references each: SHA-256 against OpenSSL and
 * the portable C on every length 0..4096, and the compression alone on
 * many block counts, alignments and states; CRC32C against RFC 3720's
 * vectors, a bit-by-bit evaluation of the polynomial and the portable
 * table code on every length 0..4096 at every alignment 0..7. Then: the
 * boot installs the engines and says so, and the boot's self-test refuses
 * an engine that is wrong. On a CPU without an engine (or with
 * CELLOS_HOSTED_ACCEL=off) its tests are skipped, saying why.
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

#include "crypto.h"
#include "hal.h"
#include "hosted.h"
#include "proof_steps.h"
#include "testutil.h"

#define MAX_LEN 4096

static uint8_t msg[MAX_LEN + 64];
static uint64_t rng = 0x5EEDF00Du;

static uint64_t
next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void
fill_random(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(next_random() >> 24);
}

/* The engines of this CPU, or NULL; skips the test when it lacks `what`. */
static const struct crypto_accel *
engines_or_skip(int want_sha)
{
	const struct crypto_accel *a = hal_crypto_accel();

	if (a == NULL ||
	    (want_sha ? a->sha256_blocks == NULL : a->crc32c == NULL)) {
		print_message(
		    "SKIP: this CPU offers no %s engine (no %s in "
		    "CPUID, or CELLOS_HOSTED_ACCEL=off): only the portable "
		    "code runs here\n",
		    want_sha ? "SHA-256" : "CRC32C",
		    want_sha ? "SHA-NI" : "SSE4.2");
		skip();
	}
	return a;
}

static void
hex(char *out, const uint8_t *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

/* ---- SHA-256 ---- */

static void
test_sha256_every_length(void **state)
{
	const struct crypto_accel *a = engines_or_skip(1);
	uint8_t ours[32], portable[32], openssl[32];
	unsigned olen;

	(void)state;
	fill_random(msg, sizeof msg);
	for (size_t len = 0; len <= MAX_LEN; len++) {
		struct sha256_ctx ctx;

		crypto_use_accel(a);
		/* In two pieces, so partial blocks meet the engine too. */
		sha256_init(&ctx);
		sha256_update(&ctx, msg, len / 3);
		sha256_update(&ctx, msg + len / 3, len - len / 3);
		sha256_final(&ctx, ours);
		crypto_use_accel(NULL);
		sha256(msg, len, portable);
		assert_int_equal(EVP_Digest(msg, len, openssl, &olen,
				     EVP_sha256(), NULL),
		    1);
		if (memcmp(ours, openssl, 32) != 0 ||
		    memcmp(portable, openssl, 32) != 0) {
			char x[65], y[65], z[65];

			hex(x, ours, 32);
			hex(y, portable, 32);
			hex(z, openssl, 32);
			fail_msg(
			    "SHA-256 of %zu bytes: %s gives %s, the portable "
			    "code %s, OpenSSL %s",
			    len, a->sha256_name, x, y, z);
		}
	}
	crypto_use_accel(NULL);
}

/* The compression alone: 1..9 blocks, every offset 0..15, random states. */
static void
test_sha256_blocks_any_alignment(void **state)
{
	const struct crypto_accel *a = engines_or_skip(1);

	(void)state;
	for (unsigned round = 0; round < 200; round++) {
		size_t n = 1 + round % 9, off = round % 16;
		uint32_t fast[8], ref[8];

		fill_random(msg, n * 64 + off);
		for (int i = 0; i < 8; i++)
			fast[i] = ref[i] = (uint32_t)next_random();
		a->sha256_blocks(fast, msg + off, n);
		sha256_blocks_portable(ref, msg + off, n);
		for (int i = 0; i < 8; i++) {
			if (fast[i] != ref[i])
				fail_msg(
				    "%zu block(s) at offset %zu, round %u: "
				    "h[%d] is %08x, the portable code's %08x",
				    n, off, round, i, fast[i], ref[i]);
		}
	}
}

/* ---- CRC32C ---- */

/* One byte into the reflected CRC register, bit by bit (0x82F63B78). */
static uint32_t
crc_step_bitwise(uint32_t reg, uint8_t b)
{
	reg ^= b;
	for (int k = 0; k < 8; k++)
		reg = (reg >> 1) ^ (0x82F63B78u & (0u - (reg & 1)));
	return reg;
}

static void
test_crc32c_rfc3720(void **state)
{
	const struct crypto_accel *a = engines_or_skip(0);
	/* RFC 3720 appendix B.4: an iSCSI read command PDU. */
	/* clang-format off */
	static const uint8_t pdu[48] = {
		0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00,
		0x00, 0x18, 0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	/* clang-format on */
	uint8_t zeros[32], ones[32], up[32], down[32];

	(void)state;
	for (int i = 0; i < 32; i++) {
		zeros[i] = 0;
		ones[i] = 0xFF;
		up[i] = (uint8_t)i;
		down[i] = (uint8_t)(31 - i);
	}
	assert_int_equal(a->crc32c(0, "123456789", 9), 0xE3069283u);
	assert_int_equal(a->crc32c(0, zeros, 32), 0x8A9136AAu);
	assert_int_equal(a->crc32c(0, ones, 32), 0x62A8AB43u);
	assert_int_equal(a->crc32c(0, up, 32), 0x46DD794Eu);
	assert_int_equal(a->crc32c(0, down, 32), 0x113FDB5Cu);
	assert_int_equal(a->crc32c(0, pdu, 48), 0xD9963A56u);
	assert_int_equal(a->crc32c(0x12345678u, msg, 0), 0x12345678u);
}

/*
 * Every prefix 0..4096 of a random buffer, at every start offset 0..7,
 * against the bitwise register carried along the same bytes and against
 * the portable code; and in two pieces, chained.
 */
static void
test_crc32c_every_length_and_alignment(void **state)
{
	const struct crypto_accel *a = engines_or_skip(0);

	(void)state;
	fill_random(msg, sizeof msg);
	for (size_t off = 0; off < 8; off++) {
		uint32_t reg = 0xFFFFFFFFu;

		for (size_t len = 0; len <= MAX_LEN; len++) {
			const uint8_t *p = msg + off;
			uint32_t want = ~reg, got = a->crc32c(0, p, len);
			uint32_t chained = a->crc32c(a->crc32c(0, p, len / 2),
			    p + len / 2, len - len / 2);

			if (got != want || chained != want ||
			    crc32c_portable(0, p, len) != want)
				fail_msg(
				    "CRC32C of %zu bytes at offset %zu: %s "
				    "gives %08x (chained %08x), the portable code "
				    "%08x, the polynomial %08x",
				    len, off, a->crc32c_name, got, chained,
				    crc32c_portable(0, p, len), want);
			if (len < MAX_LEN)
				reg = crc_step_bitwise(reg, p[len]);
		}
	}
}

/* ---- the boot ---- */

/* A boot installs this CPU's engines before its self-tests and says so. */
static void
test_boot_uses_the_engines(void **state)
{
	const struct crypto_accel *a = engines_or_skip(1);
	struct capture c;
	char want[128], *out;
	int rc;

	(void)state;
	crypto_use_accel(NULL);
	hosted_irq_configure(HOSTED_TIME_VIRTUAL, NULL, NULL, 0);
	assert_int_equal(hosted_blk_use_memory(HOSTED_DISK_BLOCKS), 0);
	hosted_use_default_phenotype();
	capture_begin(&c);
	rc = hosted_boot_once(128ull << 20);
	out = capture_end(&c);
	assert_int_equal(rc, 0);
	assert_string_equal(crypto_sha256_engine(), a->sha256_name);
	snprintf(want, sizeof want,
	    "#I crypto: SHA-256 by %s, CRC32C by %s: "
	    "self-tests passed\n",
	    a->sha256_name,
	    a->crc32c_name != NULL ? a->crc32c_name : "the portable C");
	if (strstr(out, want) == NULL)
		fail_msg("the boot did not say \"%.*s\"", (int)strlen(want) - 1,
		    want);
	assert_non_null(strstr(out, "\nFULL PROOF SUCCESS\n"));
	free(out);
	crypto_use_accel(NULL);
}

/* Engines that are wrong on a few inputs only, as a broken one might be. */
static void
sha_wrong_on_two_blocks(uint32_t h[8], const uint8_t *blocks, size_t n)
{
	sha256_blocks_portable(h, blocks, n);
	if (n == 2)
		h[7] ^= 0x100;
}

static uint32_t
crc_wrong_at_13(uint32_t crc, const void *data, size_t len)
{
	return crc32c_portable(crc, data, len) ^ (len == 13 ? 1u : 0u);
}

static void
expect_selftest_refuses(const struct crypto_accel *bad, const char *want)
{
	struct capture c;
	char *out;
	int rc;

	crypto_use_accel(bad);
	capture_begin(&c);
	rc = selftest_run();
	out = capture_end(&c);
	crypto_use_accel(NULL);
	assert_int_equal(rc, -1);
	if (strstr(out, want) == NULL)
		fail_msg("expected \"%s\" from the self-test, got:\n%s", want,
		    out);
	free(out);
}

static void
test_selftest_refuses_a_wrong_engine(void **state)
{
	static const struct crypto_accel bad_sha = {
		"wrong-sha",
		sha_wrong_on_two_blocks,
		NULL,
		NULL,
	};
	static const struct crypto_accel bad_crc = {
		NULL,
		NULL,
		"wrong-crc",
		crc_wrong_at_13,
	};

	(void)state;
	expect_selftest_refuses(&bad_sha,
	    "PROOF FAILURE: E2 self-test SHA-256: "
	    "wrong-sha gives h[7]=");
	expect_selftest_refuses(&bad_crc,
	    "PROOF FAILURE: E2 self-test CRC32C: "
	    "wrong-crc gives");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_every_length),
		cmocka_unit_test(test_sha256_blocks_any_alignment),
		cmocka_unit_test(test_crc32c_rfc3720),
		cmocka_unit_test(test_crc32c_every_length_and_alignment),
		cmocka_unit_test(test_boot_uses_the_engines),
		cmocka_unit_test(test_selftest_refuses_a_wrong_engine),
	};

	hosted_console_to(1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
