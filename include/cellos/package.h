/*
 * Signed update package (docs/SECURITY.md). Little-endian, no padding,
 * pinned:
 *
 *   header     64 bytes, package_header_t
 *   payload    payload_len bytes (the genome)
 *   signature  64 bytes: Ed25519 (RFC 8032) R || S over header and payload,
 *              bytes [0, 64 + payload_len), by the key the header names
 *
 * A reader checks every field before it uses any: the magic, the format
 * version, that the reserved fields are zero, the payload length against
 * its own maximum and the buffer, the payload's SHA-256 against the header;
 * then the signature under the key with the header's key id, and the
 * security counter against the one it stores (anti-rollback). The magic
 * also separates the signed messages a key can make: a rotation statement
 * (rotation.h) starts with another one, so no signed statement reads as a
 * package or the other way round.
 */
#ifndef CELLOS_PACKAGE_H
#define CELLOS_PACKAGE_H

#include <stddef.h>
#include <stdint.h>

#define PACKAGE_MAGIC          0x474B5043u /* bytes 43 50 4B 47: "CPKG" */
#define PACKAGE_FORMAT_VERSION 1u
#define PACKAGE_HDR_SIZE       64u
#define PACKAGE_SIG_SIZE       64u
#define PACKAGE_DIGEST_SIZE    32u
/* Bytes a package adds around its payload. */
#define PACKAGE_OVERHEAD (PACKAGE_HDR_SIZE + PACKAGE_SIG_SIZE)

/* Header field offsets. */
#define PACKAGE_OFF_MAGIC            0
#define PACKAGE_OFF_FORMAT_VERSION   4
#define PACKAGE_OFF_RESERVED_U16     6
#define PACKAGE_OFF_KEY_ID           8
#define PACKAGE_OFF_GENOME_VERSION   12
#define PACKAGE_OFF_SECURITY_COUNTER 16
#define PACKAGE_OFF_PAYLOAD_LEN      20
#define PACKAGE_OFF_PAYLOAD_SHA256   24
#define PACKAGE_OFF_RESERVED         56
#define PACKAGE_RESERVED_SIZE        8u

/* The header as it lies in the file: 64 bytes, every field naturally aligned. */
typedef struct package_header {
	uint32_t magic;          /* PACKAGE_MAGIC */
	uint16_t format_version; /* PACKAGE_FORMAT_VERSION */
	uint16_t reserved_u16;   /* 0 */
	uint32_t key_id;         /* the signing key's id (docs/SECURITY.md) */
	uint32_t genome_version; /* the genome's own version; informational */
	uint32_t
	    security_counter; /* anti-rollback: refused below the stored one */
	uint32_t payload_len; /* >= 1 */
	uint8_t payload_sha256[PACKAGE_DIGEST_SIZE];
	uint8_t reserved[PACKAGE_RESERVED_SIZE]; /* 0 */
} package_header_t;

_Static_assert(sizeof(package_header_t) == PACKAGE_HDR_SIZE,
    "package_header_t is 64 bytes");
_Static_assert(offsetof(package_header_t, magic) == PACKAGE_OFF_MAGIC,
    "magic @0");
_Static_assert(offsetof(package_header_t, format_version) ==
	PACKAGE_OFF_FORMAT_VERSION,
    "format_version @4");
_Static_assert(offsetof(package_header_t, reserved_u16) ==
	PACKAGE_OFF_RESERVED_U16,
    "reserved_u16 @6");
_Static_assert(offsetof(package_header_t, key_id) == PACKAGE_OFF_KEY_ID,
    "key_id @8");
_Static_assert(offsetof(package_header_t, genome_version) ==
	PACKAGE_OFF_GENOME_VERSION,
    "genome_version @12");
_Static_assert(offsetof(package_header_t, security_counter) ==
	PACKAGE_OFF_SECURITY_COUNTER,
    "security_counter @16");
_Static_assert(offsetof(package_header_t, payload_len) ==
	PACKAGE_OFF_PAYLOAD_LEN,
    "payload_len @20");
_Static_assert(offsetof(package_header_t, payload_sha256) ==
	PACKAGE_OFF_PAYLOAD_SHA256,
    "payload_sha256 @24");
_Static_assert(offsetof(package_header_t, reserved) == PACKAGE_OFF_RESERVED,
    "reserved @56");

#endif
