/*
 * The key-rotation statement codec (include/cellos/rotation.h). Decoding
 * checks every field, the new public key included, and names the first
 * one that is wrong; verifying checks the signature under the key the
 * caller trusts as root. Whether the statement may follow the device's
 * key set (version, ids, room) is keyset_rotate's decision
 * (keyset_codec.h). Encoding is for the host tool, the tests and the
 * fuzzers; the signature comes from a signer hook.
 */
#ifndef CELLOS_ROTATION_CODEC_H
#define CELLOS_ROTATION_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "cellos/errors.h"
#include "cellos/rotation.h"
#include "ed25519.h"
#include "signer.h"

/* What the signer of a statement chooses. */
struct rotation_info {
	uint32_t statement_version;
	uint32_t new_key_id;
	int revokes;        /* 1: revoke revoke_id too */
	uint32_t revoke_id; /* 0 unless revokes */
	uint8_t new_pubkey[ROTATION_PUBKEY_SIZE];
};

/* A decoded statement: its fields and a copy of the signed bytes. */
struct rotation {
	struct rotation_info info;
	uint8_t body[ROTATION_BODY_SIZE]; /* what the signature covers */
	uint8_t signature[ROTATION_SIG_SIZE];
};

/*
 * Whether info could be a statement: 0, or, in the order checked,
 * -CELL_E_INVAL (NULL), -CELL_E_RESERVED (revoke_id not 0 without
 * revokes), -CELL_E_RANGE (statement_version 0; revokes and revoke_id >=
 * new_key_id: a statement revokes only older keys), the error of
 * ed25519_pubkey_check for new_pubkey (-CELL_E_INVAL, -CELL_E_WEAKKEY).
 */
int rotation_info_check(const struct rotation_info *info);

/*
 * Encode a statement into out[0..cap), signed by signer. Returns
 * ROTATION_SIZE, or -CELL_E_INVAL (NULL signer), an error of
 * rotation_info_check, -CELL_E_NOSPACE, or the signer's error.
 */
int rotation_encode(uint8_t *out, size_t cap, const struct rotation_info *info,
    const struct signer *signer);

/*
 * Decode exactly one statement filling buf[0..size). Errors, in the order
 * they are checked:
 *   -CELL_E_TRUNCATED  shorter than ROTATION_SIZE
 *   -CELL_E_MAGIC      magic is not ROTATION_MAGIC
 *   -CELL_E_VERSION    format_version is not ROTATION_FORMAT_VERSION
 *   -CELL_E_LENGTH     bytes left over after the signature
 *   -CELL_E_FLAGS      a flag bit other than ROTATION_F_REVOKE
 *   -CELL_E_RESERVED   a reserved byte is not zero, or revoke_id is not
 *                      zero without ROTATION_F_REVOKE
 *   -CELL_E_RANGE      statement_version is 0, or revoke_id >= new_key_id
 *   -CELL_E_INVAL, -CELL_E_WEAKKEY   new_pubkey (ed25519_pubkey_check)
 * The signature is not checked (rotation_verify). On error *out is left
 * untouched.
 */
int rotation_decode(const uint8_t *buf, size_t size, struct rotation *out);

/*
 * Verify the signature of a decoded statement under pub: 0 or
 * ed25519_verify's error.
 */
int rotation_verify(const struct rotation *r,
    const uint8_t pub[ED25519_PUBKEY_SIZE]);

#endif
