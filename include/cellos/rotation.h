/*
 * Key-rotation statement (docs/SECURITY.md). Little-endian, no padding,
 * pinned, 128 bytes:
 *
 *   statement  64 bytes, rotation_statement_t
 *   signature  64 bytes: Ed25519 (RFC 8032) R || S over bytes [0, 64), by
 *              the key that is active in the device's key set (its root)
 *
 * A statement introduces one key, new_key_id with new_pubkey, which becomes
 * the active key (the one that signs the next statement); with
 * ROTATION_F_REVOKE it also revokes the older key revoke_id (often the
 * signer itself). statement_version starts at 1 and must exceed the version
 * of the last statement the key set accepted; new_key_id must exceed every
 * id the set has held, so an id never names two keys.
 */
#ifndef CELLOS_ROTATION_H
#define CELLOS_ROTATION_H

#include <stddef.h>
#include <stdint.h>

#define ROTATION_MAGIC          0x544F5243u /* bytes 43 52 4F 54: "CROT" */
#define ROTATION_FORMAT_VERSION 1u
#define ROTATION_BODY_SIZE      64u
#define ROTATION_SIG_SIZE       64u
#define ROTATION_SIZE           (ROTATION_BODY_SIZE + ROTATION_SIG_SIZE)
#define ROTATION_PUBKEY_SIZE    32u

#define ROTATION_F_REVOKE    0x1u /* revoke_id names a key to revoke */
#define ROTATION_FLAGS_KNOWN ROTATION_F_REVOKE

#define ROTATION_OFF_MAGIC             0
#define ROTATION_OFF_FORMAT_VERSION    4
#define ROTATION_OFF_FLAGS             6
#define ROTATION_OFF_STATEMENT_VERSION 8
#define ROTATION_OFF_NEW_KEY_ID        12
#define ROTATION_OFF_REVOKE_ID         16
#define ROTATION_OFF_NEW_PUBKEY        20
#define ROTATION_OFF_RESERVED          52
#define ROTATION_RESERVED_SIZE         12u

/* The signed part as it lies in the file: 64 bytes, naturally aligned. */
typedef struct rotation_statement {
	uint32_t magic;             /* ROTATION_MAGIC */
	uint16_t format_version;    /* ROTATION_FORMAT_VERSION */
	uint16_t flags;             /* ROTATION_F_* */
	uint32_t statement_version; /* >= 1, strictly increasing */
	uint32_t new_key_id;
	uint32_t revoke_id; /* < new_key_id; 0 without ROTATION_F_REVOKE */
	uint8_t
	    new_pubkey[ROTATION_PUBKEY_SIZE]; /* Ed25519, RFC 8032 encoding */
	uint8_t reserved[ROTATION_RESERVED_SIZE]; /* 0 */
} rotation_statement_t;

_Static_assert(sizeof(rotation_statement_t) == ROTATION_BODY_SIZE,
    "rotation_statement_t is 64 bytes");
_Static_assert(offsetof(rotation_statement_t, magic) == ROTATION_OFF_MAGIC,
    "magic @0");
_Static_assert(offsetof(rotation_statement_t, format_version) ==
	ROTATION_OFF_FORMAT_VERSION,
    "format_version @4");
_Static_assert(offsetof(rotation_statement_t, flags) == ROTATION_OFF_FLAGS,
    "flags @6");
_Static_assert(offsetof(rotation_statement_t, statement_version) ==
	ROTATION_OFF_STATEMENT_VERSION,
    "statement_version @8");
_Static_assert(offsetof(rotation_statement_t, new_key_id) ==
	ROTATION_OFF_NEW_KEY_ID,
    "new_key_id @12");
_Static_assert(offsetof(rotation_statement_t, revoke_id) ==
	ROTATION_OFF_REVOKE_ID,
    "revoke_id @16");
_Static_assert(offsetof(rotation_statement_t, new_pubkey) ==
	ROTATION_OFF_NEW_PUBKEY,
    "new_pubkey @20");
_Static_assert(offsetof(rotation_statement_t, reserved) ==
	ROTATION_OFF_RESERVED,
    "reserved @52");

#endif
