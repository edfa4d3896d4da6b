/*
 * The trusted key set (include/cellos/keyset.h): its on-device record, the
 * checks that decide which keys a package or a rotation statement may be
 * signed by, and the rotation itself. The record is authenticated with
 * HMAC-SHA-256 under a key the caller derives from the device secret, so
 * this layer holds no key of its own.
 *
 * Every function that changes a key set changes it only when it succeeds:
 * it checks everything first, builds the new set apart and copies it over.
 */
#ifndef CELLOS_KEYSET_CODEC_H
#define CELLOS_KEYSET_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "cellos/errors.h"
#include "cellos/keyset.h"
#include "package_codec.h"
#include "rotation_codec.h"

/* A key set; keys[0..count) sorted by id, keys[count - 1] the active key. */
struct keyset {
	uint32_t count;
	uint32_t statement_version;
	uint32_t security_counter;
	keyset_entry_t keys[KEYSET_KEYS_MAX];
};

/*
 * The key set a device starts with: the one root key the image carries,
 * active, statement version 0, security counter 0. 0, or -CELL_E_INVAL
 * (NULL) or ed25519_pubkey_check's error for root_pub.
 */
int keyset_init(struct keyset *ks, uint32_t root_id,
    const uint8_t root_pub[KEYSET_PUBKEY_SIZE]);

/*
 * Whether ks keeps the key set's rules: 0, or, in the order checked,
 * -CELL_E_INVAL (NULL), -CELL_E_RANGE (count 0 or over KEYSET_KEYS_MAX),
 * -CELL_E_RESERVED (a key past count not all zero), -CELL_E_FLAGS (a flag
 * other than KEYSET_F_REVOKED), -CELL_E_RANGE (ids not strictly
 * increasing), -CELL_E_REVOKED (the active key is revoked), -CELL_E_EXISTS
 * (a public key listed twice), the error of ed25519_pubkey_check for a key.
 * keyset_decode checks all of it; keyset_encode and keyset_rotate check
 * all but the curve (their set's keys were checked on the way in: by
 * keyset_init, keyset_decode or rotation_decode; and ed25519_verify checks
 * its key again).
 */
int keyset_check(const struct keyset *ks);

/*
 * Encode ks into out[0..cap) and authenticate it under mac_key. Returns
 * KEYSET_RECORD_SIZE, or keyset_check's error but the curve's,
 * -CELL_E_INVAL (NULL key), -CELL_E_NOSPACE.
 */
int keyset_encode(const struct keyset *ks,
    const uint8_t mac_key[KEYSET_MAC_KEY_SIZE], uint8_t *out, size_t cap);

/*
 * Decode exactly one record filling buf[0..size). Errors, in the order
 * they are checked: -CELL_E_INVAL (NULL key), -CELL_E_TRUNCATED (shorter
 * than KEYSET_RECORD_SIZE), -CELL_E_MAGIC, -CELL_E_VERSION, -CELL_E_LENGTH
 * (bytes left over), -CELL_E_BADMAC (the MAC does not verify under
 * mac_key), then keyset_check's errors. On error *out is left untouched.
 */
int keyset_decode(const uint8_t *buf, size_t size,
    const uint8_t mac_key[KEYSET_MAC_KEY_SIZE], struct keyset *out);

/* The active key: the one that signs the next rotation statement. */
const keyset_entry_t *keyset_active(const struct keyset *ks);

/*
 * The key with this id, if it may sign: 0 and *key, or -CELL_E_NOENT (no
 * such key in the set) or -CELL_E_REVOKED.
 */
int keyset_lookup(const struct keyset *ks, uint32_t id,
    const keyset_entry_t **key);

/*
 * Whether the device may install pkg (decoded by package_decode): 0, or,
 * in the order checked, -CELL_E_INVAL (NULL), keyset_lookup's error for its
 * key id, -CELL_E_ROLLBACK (its security counter is below the set's: an
 * older package is refused without a verification), package_verify's
 * error under that key. The key id and the counter are
 * read from the signed bytes, not from pkg->info, so what is decided on is
 * what was signed.
 */
int keyset_check_package(const struct keyset *ks, const struct package *pkg);

/*
 * Apply the statement r (decoded by rotation_decode) to ks. The fields
 * applied are decoded again from r->body, the bytes the signature covers,
 * not taken from r->info. Checked in this order: -CELL_E_INVAL (NULL),
 * keyset_check's error but the curve's, rotation_decode's error for r's
 * bytes, the
 * signature under the active key (rotation_verify's error),
 * -CELL_E_ROLLBACK (statement_version not above the set's),
 * -CELL_E_EXISTS (new_key_id already in the set), -CELL_E_RANGE (new_key_id
 * not above the active key's id), -CELL_E_EXISTS (new_pubkey already in
 * the set), -CELL_E_NOSPACE (the set is full and no key in it is revoked,
 * counting the one this statement revokes).
 * Then: revoke_id is revoked if it is in the set (an id that is not is
 * untrusted already); when the set is full, the revoked key with the
 * lowest id leaves it; the new key is added, active, and the set takes the
 * statement's version.
 */
int keyset_rotate(struct keyset *ks, const struct rotation *r);

/*
 * Raise the set's security counter to counter (after a confirmed update).
 * 0, or -CELL_E_ROLLBACK when counter is below it (equal is a no-op).
 */
int keyset_raise_counter(struct keyset *ks, uint32_t counter);

#endif
