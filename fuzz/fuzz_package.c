/*
 * The update package decoder and the key set's package check on any bytes.
 * The input is decoded as it is, and again with its payload digest fixed
 * up (when its header and length allow), so the fuzzer also reaches what
 * lies behind the digest: the signature check under the test keys. The
 * seeds (fuzz/corpus/package/) are packages made by
 *   cellos-sign sign --key keys/TEST-ONLY-{root,next}.pem --test-key ...
 * Properties, any failure an abort():
 *   - a package that decodes fills the buffer exactly (payload_len + 128),
 *     its digest is its payload's, it is refused under a maximum one
 *     byte smaller, and it re-encodes to the same bytes (the signature
 *     copied);
 *   - the key set {root id 0, next id 1} accepts it exactly when its key
 *     id is one of those and the signature verifies under that key; other
 *     ids are unknown; a security counter below the set's is refused only
 *     once the signature verifies.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "byteorder.h"
#include "cellos/package.h"
#include "crypto.h"
#include "keyset_codec.h"
#include "package_codec.h"
#include "test_keys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define INPUT_MAX 65536u

/* The signer of a re-encoding: the signature the input already has. */
static int
copy_signature(void *ctx, const uint8_t *msg, size_t len, uint8_t sig[64])
{
	(void)msg;
	(void)len;
	memcpy(sig, ctx, 64);
	return 0;
}

static void
check(const uint8_t *data, size_t size)
{
	static uint8_t again[INPUT_MAX + PACKAGE_OVERHEAD];
	static struct keyset ks;
	static int ready;
	uint8_t digest[SHA256_SIZE];
	struct package p;
	struct signer s;
	size_t n = 0;
	int rc, want;

	if (!ready) {
		if (keyset_init(&ks, 0, fuzz_test_root_pub) != 0)
			abort();
		ks.keys[1].id = 1;
		memcpy(ks.keys[1].pubkey, fuzz_test_next_pub, 32);
		ks.count = 2;
		if (keyset_check(&ks) != 0)
			abort();
		ready = 1;
	}
	(void)package_decode(data, size, 64, &p);
	if (package_decode(data, size, UINT32_MAX, &p) != 0)
		return;
	if (p.size != size ||
	    (size_t)p.payload_len + PACKAGE_OVERHEAD != size ||
	    p.payload != data + PACKAGE_HDR_SIZE ||
	    p.signature != data + size - PACKAGE_SIG_SIZE)
		abort();
	sha256(p.payload, p.payload_len, digest);
	if (memcmp(digest, p.payload_sha256, SHA256_SIZE) != 0)
		abort();
	if (package_decode(data, size, p.payload_len - 1, NULL) !=
		-CELL_E_TOOLONG ||
	    package_decode(data, size, p.payload_len, NULL))
		abort();
	s = (struct signer){ copy_signature, (void *)p.signature };
	if (size > sizeof again ||
	    package_encode(again, sizeof again, &p.info, p.payload,
		p.payload_len, &s, &n) != 0 ||
	    n != size || memcmp(again, data, size) != 0)
		abort();

	ks.security_counter = 0;
	if (p.info.key_id == 0)
		want = package_verify(&p, fuzz_test_root_pub);
	else if (p.info.key_id == 1)
		want = package_verify(&p, fuzz_test_next_pub);
	else
		want = -CELL_E_NOENT;
	if ((rc = keyset_check_package(&ks, &p)) != want)
		abort();
	if (rc == 0 && p.info.security_counter < UINT32_MAX) {
		ks.security_counter = p.info.security_counter + 1;
		if (keyset_check_package(&ks, &p) != -CELL_E_ROLLBACK)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t fixed[INPUT_MAX + PACKAGE_OVERHEAD];
	uint32_t len;

	if (size > sizeof fixed)
		return 0;
	check(data, size);
	/* The same bytes with the digest their payload needs. */
	if (size < PACKAGE_HDR_SIZE)
		return 0;
	len = le32_load(data + PACKAGE_OFF_PAYLOAD_LEN);
	if (len > size - PACKAGE_HDR_SIZE)
		return 0;
	memcpy(fixed, data, size);
	sha256(fixed + PACKAGE_HDR_SIZE, len,
	    fixed + PACKAGE_OFF_PAYLOAD_SHA256);
	check(fixed, size);
	return 0;
}
