/*
 * Trust: up to TRUST_KEYS root keys, one of them active, and the MAC key
 * derived from it (HKDF-SHA-256) that signs and checks parcels: MAC16 =
 * HMAC-SHA-256 truncated to 16 bytes. Rotation moves to the next root key
 * and bumps the key version, so every rotation yields a fresh MAC key.
 */
#ifndef CELLOS_TRUST_H
#define CELLOS_TRUST_H

#include <stddef.h>
#include <stdint.h>

#include "cellos/errors.h"
#include "parcel_codec.h"

/* Back to the state of a cold boot: key 0 active, version 0. */
void trust_reset(void);

/* The active root key id (0..TRUST_KEYS-1) and the key version. */
uint32_t trust_active_key(void);
uint32_t trust_key_version(void);

/* Make id the active key and bump the version. 0 or -CELL_E_RANGE. */
int trust_activate(uint32_t id);

/* Rotate to the next root key (wrapping) and bump the version. */
void trust_rotate(void);

/* MAC16 of msg under the active MAC key. */
void trust_mac16(const void *msg, size_t len, uint8_t tag[PARCEL_MAC_SIZE]);

/*
 * A 32-byte key for another purpose (storage records, ...), derived from the
 * device secret with HKDF-SHA-256 and the label as info. The caller wipes it.
 */
void trust_derive(const char *label, uint8_t key[32]);

/* The parcel codec's MAC hook bound to the active key. */
const struct parcel_mac *trust_parcel_mac(void);

#endif
