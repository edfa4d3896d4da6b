/*
 * Trust: the device secret, and the MAC key derived from it (HKDF-SHA-256)
 * for the active signing key of the device's key set, which signs and
 * checks parcels: MAC16 = HMAC-SHA-256 truncated to 16 bytes. The secret
 * is never in the image: the boot reads it from the disk's provisioned
 * slot (or the machine hands it over) and gives it to trust_set_secret.
 * Until then the keys derive from an all-zero secret, which proves nothing,
 * and trust_has_secret() says so.
 */
#ifndef CELLOS_TRUST_H
#define CELLOS_TRUST_H

#include <stddef.h>
#include <stdint.h>

#include "cellos/errors.h"
#include "parcel_codec.h"

#define TRUST_SECRET_SIZE 32

/* Back to the state of a cold boot: no secret, key 0 at version 0. */
void trust_reset(void);

/* Take the device secret (copied; the caller wipes its own copy). */
void trust_set_secret(const uint8_t secret[TRUST_SECRET_SIZE]);

/* 1 once trust_set_secret was called since trust_reset. */
int trust_has_secret(void);

/* The active key id and the key version its MAC key was derived for. */
uint32_t trust_active_key(void);
uint32_t trust_key_version(void);

/*
 * Derive the MAC key for key id at key version: after a rotation, the key
 * set's active id and its statement version (docs/SECURITY.md).
 */
void trust_use_key(uint32_t id, uint32_t version);

/* MAC16 of msg under the active MAC key. */
void trust_mac16(const void *msg, size_t len, uint8_t tag[PARCEL_MAC_SIZE]);

/*
 * A 32-byte key for another purpose (storage records, the key set, ...),
 * derived from the device secret with HKDF-SHA-256 and the label as info.
 * The caller wipes it.
 */
void trust_derive(const char *label, uint8_t key[32]);

/* The parcel codec's MAC hook bound to the active key. */
const struct parcel_mac *trust_parcel_mac(void);

#endif
