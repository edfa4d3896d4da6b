/*
 * The virt board's engines for wire/crypto.h's acceleration hook: SHA-256
 * blocks with the ARMv8 SHA2 instructions and CRC32C with the CRC32 ones.
 * Whether the CPU has them is hal_crypto_accel's probe (ID_AA64ISAR0_EL1).
 */
#ifndef CELLOS_SHA_ARM64_H
#define CELLOS_SHA_ARM64_H

#include <stddef.h>
#include <stdint.h>

struct crypto_accel;

/* ID_AA64ISAR0_EL1 fields: SHA2 bits 15:12, CRC32 bits 19:16 (0 = none). */
#define ISAR0_SHA2(isar0)  (((isar0) >> 12) & 0xF)
#define ISAR0_CRC32(isar0) (((isar0) >> 16) & 0xF)

/*
 * FIPS 180-4's compression of nblocks consecutive 64-byte blocks into h
 * (SHA256H, SHA256H2, SHA256SU0, SHA256SU1). Any alignment of blocks; h
 * 4-byte aligned. Needs FEAT_SHA256 and CPACR_EL1.FPEN open.
 */
void arm64_sha256_blocks(uint32_t h[8], const uint8_t *blocks, size_t nblocks);

/* crc32c() of wire/crypto.h with CRC32CB/CRC32CX. Needs FEAT_CRC32. */
uint32_t arm64_crc32c(uint32_t crc, const void *data, size_t len);

/*
 * The table for crypto_use_accel with the engines the CPU has, or NULL
 * when it has neither.
 */
const struct crypto_accel *arm64_crypto_accel(int sha2, int crc32);

#endif
