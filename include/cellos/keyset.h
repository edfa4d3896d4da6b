/*
 * The trusted key set as the device stores it (docs/SECURITY.md).
 * Little-endian, no padding, pinned, 368 bytes (one 512-byte block holds it):
 *
 *   header   16 bytes, keyset_header_t
 *   keys     KEYSET_KEYS_MAX x keyset_entry_t (40 bytes each); the first
 *            count are in use, sorted by strictly increasing id, the rest
 *            are all zero
 *   mac      32 bytes: HMAC-SHA-256 over bytes [0, 336) under the device's
 *            key-set key (derived from the device secret)
 *
 * The last key in use (the highest id) is the active key: it signs the next
 * rotation statement, and it is never revoked. A key with KEYSET_F_REVOKED
 * stays listed so that a package it signed is refused as revoked rather
 * than unknown, until the set needs its slot. statement_version is the
 * version of the last rotation statement accepted (0: none yet);
 * security_counter is the lowest security counter a package may carry.
 */
#ifndef CELLOS_KEYSET_H
#define CELLOS_KEYSET_H

#include <stddef.h>
#include <stdint.h>

#define KEYSET_MAGIC          0x53594B43u /* bytes 43 4B 59 53: "CKYS" */
#define KEYSET_FORMAT_VERSION 1u
#define KEYSET_KEYS_MAX       8u
#define KEYSET_HDR_SIZE       16u
#define KEYSET_ENTRY_SIZE     40u
#define KEYSET_PUBKEY_SIZE    32u
#define KEYSET_MAC_SIZE       32u
#define KEYSET_MAC_KEY_SIZE   32u
#define KEYSET_OFF_KEYS       KEYSET_HDR_SIZE
#define KEYSET_OFF_MAC        (KEYSET_HDR_SIZE + KEYSET_KEYS_MAX * KEYSET_ENTRY_SIZE)
#define KEYSET_RECORD_SIZE    (KEYSET_OFF_MAC + KEYSET_MAC_SIZE)

#define KEYSET_F_REVOKED   0x1u
#define KEYSET_FLAGS_KNOWN KEYSET_F_REVOKED

#define KEYSET_OFF_MAGIC             0
#define KEYSET_OFF_FORMAT_VERSION    4
#define KEYSET_OFF_COUNT             6
#define KEYSET_OFF_STATEMENT_VERSION 8
#define KEYSET_OFF_SECURITY_COUNTER  12

#define KEYSET_ENTRY_OFF_ID     0
#define KEYSET_ENTRY_OFF_FLAGS  4
#define KEYSET_ENTRY_OFF_PUBKEY 8

typedef struct keyset_header {
	uint32_t magic;             /* KEYSET_MAGIC */
	uint16_t format_version;    /* KEYSET_FORMAT_VERSION */
	uint16_t count;             /* keys in use, 1..KEYSET_KEYS_MAX */
	uint32_t statement_version; /* last rotation statement accepted */
	uint32_t security_counter;  /* lowest counter a package may carry */
} keyset_header_t;

typedef struct keyset_entry {
	uint32_t id;
	uint32_t flags;                     /* KEYSET_F_* */
	uint8_t pubkey[KEYSET_PUBKEY_SIZE]; /* Ed25519, RFC 8032 encoding */
} keyset_entry_t;

_Static_assert(sizeof(keyset_header_t) == KEYSET_HDR_SIZE,
    "keyset_header_t is 16 bytes");
_Static_assert(offsetof(keyset_header_t, format_version) ==
	KEYSET_OFF_FORMAT_VERSION,
    "format_version @4");
_Static_assert(offsetof(keyset_header_t, count) == KEYSET_OFF_COUNT,
    "count @6");
_Static_assert(offsetof(keyset_header_t, statement_version) ==
	KEYSET_OFF_STATEMENT_VERSION,
    "statement_version @8");
_Static_assert(offsetof(keyset_header_t, security_counter) ==
	KEYSET_OFF_SECURITY_COUNTER,
    "security_counter @12");
_Static_assert(sizeof(keyset_entry_t) == KEYSET_ENTRY_SIZE,
    "keyset_entry_t is 40 bytes");
_Static_assert(offsetof(keyset_entry_t, flags) == KEYSET_ENTRY_OFF_FLAGS,
    "flags @4");
_Static_assert(offsetof(keyset_entry_t, pubkey) == KEYSET_ENTRY_OFF_PUBKEY,
    "pubkey @8");
_Static_assert(KEYSET_RECORD_SIZE == 368, "the key set record is 368 bytes");

#endif
