/*
 * The signed update package (include/cellos/package.h, wire/package_codec):
 * a package laid out here byte by byte from the format's table and signed
 * by OpenSSL decodes to its fields and verifies; the encoder writes exactly
 * those bytes; every refusal of the decoder, with its own error, in the
 * documented order; round trips over many lengths; and packages made by
 * tools/cellos-sign (OpenSSL underneath) verify with the kernel's verifier,
 * while one flipped bit anywhere, in any header field, the payload or the
 * signature, is refused with the error that field calls for.
 *
 *   test_package CELLOS_SIGN KEYS_DIR
 */
#include <errno.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "cellos/package.h"
#include "keyset_codec.h"
#include "package_codec.h"
#include "sign_fixture.h"

static const char *sign_tool;
static const char *keys_dir;

/* The package of the format table, built by hand: header, payload, signature. */
static size_t
hand_package(uint8_t *out, EVP_PKEY *k, uint32_t key_id, uint32_t genome,
    uint32_t counter, const uint8_t *payload, uint32_t len)
{
	memset(out, 0, 64);
	out[0] = 0x43; /* "CPKG" */
	out[1] = 0x50;
	out[2] = 0x4B;
	out[3] = 0x47;
	out[4] = 1; /* format version 1, u16 */
	le32_store(out + 8, key_id);
	le32_store(out + 12, genome);
	le32_store(out + 16, counter);
	le32_store(out + 20, len);
	SHA256(payload, len, out + 24);
	memcpy(out + 64, payload, len);
	fixture_sign(k, out, 64 + (size_t)len, out + 64 + len);
	return 128 + (size_t)len;
}

static void
fill(uint8_t *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 131 + seed * 7 + (i >> 8));
}

static void
test_hand_built_package_decodes_and_verifies(void **state)
{
	uint8_t pub[32], other[32], buf[128 + 300], payload[300];
	EVP_PKEY *k = fixture_key(1, pub), *o = fixture_key(2, other);
	struct package p;
	size_t n;

	(void)state;
	fill(payload, sizeof payload, 1);
	n = hand_package(buf, k, 0x01020304, 77, 9, payload, sizeof payload);
	assert_int_equal(n, 428);
	assert_int_equal(package_decode(buf, n, 300, &p), 0);
	assert_int_equal(p.info.key_id, 0x01020304);
	assert_int_equal(p.info.genome_version, 77);
	assert_int_equal(p.info.security_counter, 9);
	assert_int_equal(p.payload_len, 300);
	assert_memory_equal(p.payload_sha256, buf + 24, 32);
	assert_ptr_equal(p.payload, buf + 64);
	assert_ptr_equal(p.signed_bytes, buf);
	assert_int_equal(p.signed_len, 364);
	assert_ptr_equal(p.signature, buf + 364);
	assert_int_equal(p.size, 428);
	assert_int_equal(package_verify(&p, pub), 0);
	assert_int_equal(package_verify(&p, other), -CELL_E_BADSIG);
	EVP_PKEY_free(k);
	EVP_PKEY_free(o);
}

static void
test_encoder_writes_the_hand_built_bytes(void **state)
{
	uint8_t pub[32], want[128 + 40], got[128 + 40 + 8], payload[40];
	EVP_PKEY *k = fixture_key(3, pub);
	struct package_info info = { 5, 6, 7 };
	struct signer s = fixture_signer(k);
	size_t n = 0;

	(void)state;
	fill(payload, sizeof payload, 2);
	hand_package(want, k, 5, 6, 7, payload, sizeof payload);
	/* Ed25519 is deterministic: the same key and bytes sign the same. */
	assert_int_equal(package_encode(got, sizeof got, &info, payload, 40, &s,
			     &n),
	    0);
	assert_int_equal(n, sizeof want);
	assert_memory_equal(got, want, sizeof want);
	assert_int_equal(package_size(40), 168);
	EVP_PKEY_free(k);
}

static void
test_encoder_refusals(void **state)
{
	uint8_t pub[32], out[256], payload[8] = { 1 };
	EVP_PKEY *k = fixture_key(4, pub);
	struct package_info info = { 0, 0, 0 };
	struct signer s = fixture_signer(k);
	struct signer fails = { fixture_failing_signer, NULL };
	struct signer none = { NULL, NULL };
	size_t n = 0;

	(void)state;
	assert_int_equal(package_encode(out, sizeof out, NULL, payload, 8, &s,
			     &n),
	    -CELL_E_INVAL);
	assert_int_equal(package_encode(out, sizeof out, &info, NULL, 8, &s,
			     &n),
	    -CELL_E_INVAL);
	assert_int_equal(package_encode(out, sizeof out, &info, payload, 8,
			     NULL, &n),
	    -CELL_E_INVAL);
	assert_int_equal(package_encode(out, sizeof out, &info, payload, 8,
			     &none, &n),
	    -CELL_E_INVAL);
	assert_int_equal(package_encode(out, sizeof out, &info, payload, 8, &s,
			     NULL),
	    -CELL_E_INVAL);
	assert_int_equal(package_encode(out, sizeof out, &info, payload, 0, &s,
			     &n),
	    -CELL_E_RANGE);
	assert_int_equal(package_encode(out, 135, &info, payload, 8, &s, &n),
	    -CELL_E_NOSPACE);
	assert_int_equal(package_encode(NULL, 1000, &info, payload, 8, &s, &n),
	    -CELL_E_NOSPACE);
	assert_int_equal(package_encode(out, sizeof out, &info, payload, 8,
			     &fails, &n),
	    -CELL_E_IO);
	assert_int_equal(n, 0);
	assert_int_equal(package_encode(out, 136, &info, payload, 8, &s, &n),
	    0);
	assert_int_equal(n, 136);
	assert_int_equal(package_size(0), 0);
	assert_true(package_size(UINT32_MAX) == 0 ||
	    package_size(UINT32_MAX) == (size_t)UINT32_MAX + 128);
	EVP_PKEY_free(k);
}

/* Decode must fail with want and leave *out exactly as it was. */
static void
refused(const uint8_t *buf, size_t size, uint32_t max, int want)
{
	struct package p, before;

	memset(&p, 0xA5, sizeof p);
	before = p;
	assert_int_equal(package_decode(buf, size, max, &p), want);
	assert_memory_equal(&p, &before, sizeof p);
}

static void
test_every_decoder_refusal(void **state)
{
	static uint8_t good[128 + 100], b[128 + 100 + 1];
	uint8_t pub[32], payload[100];
	EVP_PKEY *k = fixture_key(5, pub);
	size_t n;

	(void)state;
	fill(payload, sizeof payload, 3);
	n = hand_package(good, k, 1, 2, 3, payload, sizeof payload);
	assert_int_equal(package_decode(good, n, 100, NULL), 0);

	/* Shorter than the header, however short. */
	for (size_t s = 0; s < 64; s++)
		refused(good, s, 100, -CELL_E_TRUNCATED);
	refused(NULL, n, 100, -CELL_E_TRUNCATED);
	/* The magic, one byte at a time. */
	for (int i = 0; i < 4; i++) {
		memcpy(b, good, n);
		b[i] ^= 0x20;
		refused(b, n, 100, -CELL_E_MAGIC);
	}
	/* Versions 0, 2 and 0x0101. */
	memcpy(b, good, n);
	b[4] = 0;
	refused(b, n, 100, -CELL_E_VERSION);
	b[4] = 2;
	refused(b, n, 100, -CELL_E_VERSION);
	b[4] = 1;
	b[5] = 1;
	refused(b, n, 100, -CELL_E_VERSION);
	/* Each reserved byte: reserved_u16 at 6..7, reserved at 56..63. */
	for (int i = 6; i < 8; i++) {
		memcpy(b, good, n);
		b[i] = 0x80;
		refused(b, n, 100, -CELL_E_RESERVED);
	}
	for (int i = 56; i < 64; i++) {
		memcpy(b, good, n);
		b[i] = 1;
		refused(b, n, 100, -CELL_E_RESERVED);
	}
	/* payload_len 0. */
	memcpy(b, good, n);
	le32_store(b + 20, 0);
	refused(b, n, 100, -CELL_E_RANGE);
	/* Over the caller's maximum; exactly at it is fine. */
	refused(good, n, 99, -CELL_E_TOOLONG);
	refused(good, n, 0, -CELL_E_TOOLONG);
	assert_int_equal(package_decode(good, n, 100, NULL), 0);
	/* A length that would wrap a 32-bit size_t is simply too short here. */
	memcpy(b, good, n);
	le32_store(b + 20, UINT32_MAX);
	refused(b, n, UINT32_MAX, -CELL_E_TRUNCATED);
	le32_store(b + 20, UINT32_MAX - 63);
	refused(b, n, UINT32_MAX, -CELL_E_TRUNCATED);
	/* Cut anywhere after the header: in the payload or the signature. */
	for (size_t s = 64; s < n; s++)
		refused(good, s, 100, -CELL_E_TRUNCATED);
	/* One byte too many. */
	memcpy(b, good, n);
	b[n] = 0;
	refused(b, n + 1, 100, -CELL_E_LENGTH);
	/* payload_len one less than the payload: a byte is left over. */
	memcpy(b, good, n);
	le32_store(b + 20, 99);
	refused(b, n, 100, -CELL_E_LENGTH);
	/* The digest, and the payload under it. */
	memcpy(b, good, n);
	b[24 + 31] ^= 1;
	refused(b, n, 100, -CELL_E_BADHASH);
	memcpy(b, good, n);
	b[64 + 50] ^= 0x10;
	refused(b, n, 100, -CELL_E_BADHASH);

	/* The order: magic before version before reserved before length. */
	memcpy(b, good, n);
	b[0] = 0;
	b[4] = 9;
	b[6] = 1;
	le32_store(b + 20, 0);
	refused(b, n, 100, -CELL_E_MAGIC);
	memcpy(b, good, n);
	b[4] = 9;
	b[6] = 1;
	le32_store(b + 20, 0);
	refused(b, n, 100, -CELL_E_VERSION);
	memcpy(b, good, n);
	b[6] = 1;
	le32_store(b + 20, 0);
	refused(b, n, 100, -CELL_E_RESERVED);
	memcpy(b, good, n);
	le32_store(b + 20, 1000);
	refused(b, 70, 100, -CELL_E_TOOLONG);
	memcpy(b, good, n);
	b[70] ^= 1;
	refused(b, n - 1, 100, -CELL_E_TRUNCATED);
	EVP_PKEY_free(k);
}

static void
test_round_trip_many_lengths(void **state)
{
	static uint8_t payload[5000], buf[5000 + 128];
	uint8_t pub[32], digest[32];
	EVP_PKEY *k = fixture_key(6, pub);
	struct signer s = fixture_signer(k);
	struct package p;

	(void)state;
	fill(payload, sizeof payload, 4);
	for (uint32_t len = 1; len <= sizeof payload;
	     len += len < 300 ? 1 : 211) {
		struct package_info info = { len, len * 3, len ^ 0xFFFF };
		size_t n = 0;

		assert_int_equal(package_encode(buf, sizeof buf, &info, payload,
				     len, &s, &n),
		    0);
		assert_int_equal(n, len + 128);
		assert_int_equal(package_decode(buf, n, len, &p), 0);
		assert_int_equal(p.info.key_id, len);
		assert_int_equal(p.info.genome_version, len * 3);
		assert_int_equal(p.info.security_counter, len ^ 0xFFFF);
		assert_int_equal(p.payload_len, len);
		assert_memory_equal(p.payload, payload, len);
		SHA256(payload, len, digest);
		assert_memory_equal(p.payload_sha256, digest, 32);
		assert_int_equal(package_verify(&p, pub), 0);
	}
	EVP_PKEY_free(k);
}

/* ---- packages from tools/cellos-sign ---- */

/* Run argv with stdout and stderr to /dev/null; its exit status. */
static int
run(char *const argv[])
{
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (pid == 0) {
		if (freopen("/dev/null", "w", stdout) == NULL ||
		    freopen("/dev/null", "w", stderr) == NULL)
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static uint8_t *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	b = malloc((size_t)n + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return b;
}

/* The public key of a PEM private key, read by OpenSSL (not by the tool). */
static void
pem_public(const char *path, uint8_t pub[32])
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *k;
	size_t n = 32;

	assert_non_null(f);
	k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	assert_non_null(k);
	assert_int_equal(EVP_PKEY_get_base_id(k), EVP_PKEY_ED25519);
	assert_int_equal(EVP_PKEY_get_raw_public_key(k, pub, &n), 1);
	assert_int_equal(n, 32);
	EVP_PKEY_free(k);
}

struct tool_package {
	char dir[64];
	uint8_t genome[257];
	uint8_t *bytes;
	size_t size;
	uint8_t pub[32];
};

/* cellos-sign sign with the test root key, id 0, version 41, counter 7. */
static void
tool_package(struct tool_package *t)
{
	char key[4096], in[128], out[128];
	FILE *f;

	snprintf(t->dir, sizeof t->dir, "%s", "/tmp/test_package.XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(key, sizeof key, "%s/TEST-ONLY-root.pem", keys_dir);
	snprintf(in, sizeof in, "%s/genome", t->dir);
	snprintf(out, sizeof out, "%s/genome.pkg", t->dir);
	fill(t->genome, sizeof t->genome, 5);
	f = fopen(in, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(t->genome, 1, sizeof t->genome, f),
	    sizeof t->genome);
	fclose(f);
	{
		char *argv[] = { (char *)sign_tool, "sign", "--key", key,
			"--key-id", "0", "--version", "41", "--counter", "7",
			"--in", in, "-o", out, "--test-key", NULL };

		assert_int_equal(run(argv), 0);
	}
	t->bytes = slurp(out, &t->size);
	pem_public(key, t->pub);
	unlink(in);
	unlink(out);
	rmdir(t->dir);
}

static void
test_cellos_sign_packages_verify_in_the_kernel(void **state)
{
	struct tool_package t;
	struct package p;
	struct keyset ks;
	uint8_t digest[32];

	(void)state;
	tool_package(&t);
	assert_int_equal(t.size, 128 + sizeof t.genome);
	assert_int_equal(package_decode(t.bytes, t.size, sizeof t.genome, &p),
	    0);
	assert_int_equal(p.info.key_id, 0);
	assert_int_equal(p.info.genome_version, 41);
	assert_int_equal(p.info.security_counter, 7);
	assert_int_equal(p.payload_len, sizeof t.genome);
	assert_memory_equal(p.payload, t.genome, sizeof t.genome);
	SHA256(t.genome, sizeof t.genome, digest);
	assert_memory_equal(p.payload_sha256, digest, 32);
	assert_int_equal(package_verify(&p, t.pub), 0);
	/* And as the device decides: key id 0 is the test root, counter 7. */
	assert_int_equal(keyset_init(&ks, 0, t.pub), 0);
	assert_int_equal(keyset_check_package(&ks, &p), 0);
	assert_int_equal(keyset_raise_counter(&ks, 7), 0);
	assert_int_equal(keyset_check_package(&ks, &p), 0);
	assert_int_equal(keyset_raise_counter(&ks, 8), 0);
	assert_int_equal(keyset_check_package(&ks, &p), -CELL_E_ROLLBACK);
	free(t.bytes);
}

/*
 * The error one flipped bit at byte i, bit b of a package with a payload
 * of len (decoded with max_payload len) must get, from the field it hits.
 * pkg is the damaged package (for the signature's rules).
 */
static int
expected_flip_error(const uint8_t *pkg, size_t i, unsigned b, uint32_t len)
{
	if (i < 4)
		return -CELL_E_MAGIC;
	if (i < 6)
		return -CELL_E_VERSION;
	if (i < 8)
		return -CELL_E_RESERVED;
	if (i < 12)
		return -CELL_E_NOENT; /* key id 0 -> another id */
	if (i < 20)
		return -CELL_E_BADSIG; /* genome version, counter: signed */
	if (i < 24) {
		uint32_t flipped = len ^ (1u << (8 * (i - 20) + b));

		return flipped > len ? -CELL_E_TOOLONG : -CELL_E_LENGTH;
	}
	if (i < 56)
		return -CELL_E_BADHASH;
	if (i < 64)
		return -CELL_E_RESERVED;
	if (i < 64 + len)
		return -CELL_E_BADHASH;
	return fixture_expected_sig_error(pkg + 64 + len);
}

static void
test_one_flipped_bit_anywhere_is_refused(void **state)
{
	struct tool_package t;
	struct keyset ks;
	uint8_t *b;
	unsigned counts[5] = { 0 };

	(void)state;
	tool_package(&t);
	assert_int_equal(keyset_init(&ks, 0, t.pub), 0);
	b = malloc(t.size);
	assert_non_null(b);
	for (size_t i = 0; i < t.size; i++) {
		for (unsigned bit = 0; bit < 8; bit++) {
			uint32_t len = sizeof t.genome;
			struct package p;
			int want, got;

			memcpy(b, t.bytes, t.size);
			b[i] ^= (uint8_t)(1u << bit);
			want = expected_flip_error(b, i, bit, len);
			got = package_decode(b, t.size, len, &p);
			if (got == 0)
				got = keyset_check_package(&ks, &p);
			if (got != want)
				fail_msg(
				    "byte %zu bit %u: got %d (%s), want %d "
				    "(%s)",
				    i, bit, got, cell_strerror(got), want,
				    cell_strerror(want));
			counts[i < 64                  ? 0 :
				i < 64 + len           ? 1 :
				want == -CELL_E_BADSIG ? 2 :
				want == -CELL_E_RANGE  ? 3 :
							 4]++;
		}
	}
	/* Every bit was tried: header, payload, and both halves of the signature. */
	assert_int_equal(counts[0], 64 * 8);
	assert_int_equal(counts[1], sizeof t.genome * 8);
	assert_int_equal(counts[2] + counts[3] + counts[4], 64 * 8);
	assert_true(counts[3] > 0); /* some flips of S's top bits reach L */
	free(b);
	free(t.bytes);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand_built_package_decodes_and_verifies),
		cmocka_unit_test(test_encoder_writes_the_hand_built_bytes),
		cmocka_unit_test(test_encoder_refusals),
		cmocka_unit_test(test_every_decoder_refusal),
		cmocka_unit_test(test_round_trip_many_lengths),
		cmocka_unit_test(
		    test_cellos_sign_packages_verify_in_the_kernel),
		cmocka_unit_test(test_one_flipped_bit_anywhere_is_refused),
	};

	if (argc != 3) {
		fprintf(stderr, "usage: %s CELLOS_SIGN KEYS_DIR\n", argv[0]);
		return 2;
	}
	sign_tool = argv[1];
	keys_dir = argv[2];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
