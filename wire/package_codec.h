/*
 * The signed update package codec (include/cellos/package.h). Decoding
 * checks the structure and the payload digest, and names the first field
 * that is wrong with a specific error, never a partial result; verifying
 * checks the Ed25519 signature under a public key the caller chose (the
 * key set's lookup by key id and the anti-rollback check are
 * keyset_check_package, keyset_codec.h). Encoding is for the host tool,
 * the tests and the fuzzers; the signature comes from a signer hook.
 */
#ifndef CELLOS_PACKAGE_CODEC_H
#define CELLOS_PACKAGE_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "cellos/errors.h"
#include "cellos/package.h"
#include "ed25519.h"
#include "signer.h"

/* What the signer of a package chooses. */
struct package_info {
	uint32_t key_id;
	uint32_t genome_version;
	uint32_t security_counter;
};

/* A decoded package; the pointers point into the decoded buffer. */
struct package {
	struct package_info info;
	uint32_t payload_len;
	uint8_t payload_sha256[PACKAGE_DIGEST_SIZE];
	const uint8_t *payload;
	const uint8_t *signed_bytes; /* header and payload: what is signed */
	size_t signed_len;           /* PACKAGE_HDR_SIZE + payload_len */
	const uint8_t *signature;    /* ED25519_SIG_SIZE bytes */
	size_t size;                 /* the whole package */
};

/*
 * Bytes of a package with a payload of len, or 0 when len is 0 or the size
 * does not fit a size_t (a 32-bit target and a payload near 4 GiB).
 */
size_t package_size(uint32_t len);

/*
 * Encode a package of payload[0..len) into out[0..cap), signed by signer.
 * Returns 0 and the package size in *size, or -CELL_E_INVAL (NULL info,
 * payload, signer or size), -CELL_E_RANGE (len is 0), -CELL_E_NOSPACE
 * (cap is short), or the signer's error. Nothing is promised about out
 * on error.
 */
int package_encode(uint8_t *out, size_t cap, const struct package_info *info,
    const void *payload, uint32_t len, const struct signer *signer,
    size_t *size);

/*
 * Decode exactly one package filling buf[0..size), whose payload may be at
 * most max_payload bytes. Errors, in the order they are checked:
 *   -CELL_E_TRUNCATED  shorter than the header
 *   -CELL_E_MAGIC      magic is not PACKAGE_MAGIC
 *   -CELL_E_VERSION    format_version is not PACKAGE_FORMAT_VERSION
 *   -CELL_E_RESERVED   reserved_u16 or a reserved byte is not zero
 *   -CELL_E_RANGE      payload_len is 0
 *   -CELL_E_TOOLONG    payload_len is over max_payload
 *   -CELL_E_TRUNCATED  shorter than header + payload_len + signature
 *   -CELL_E_LENGTH     bytes left over after the signature
 *   -CELL_E_BADHASH    SHA-256 of the payload is not payload_sha256
 * The signature is not checked (package_verify). On error *out is left
 * untouched.
 */
int package_decode(const uint8_t *buf, size_t size, uint32_t max_payload,
    struct package *out);

/*
 * Verify the signature of a decoded package under pub: 0, or
 * ed25519_verify's error (-CELL_E_RANGE: S >= L, -CELL_E_INVAL: R or pub
 * not canonical, -CELL_E_WEAKKEY: pub of small order, -CELL_E_BADSIG).
 */
int package_verify(const struct package *pkg,
    const uint8_t pub[ED25519_PUBKEY_SIZE]);

#endif
