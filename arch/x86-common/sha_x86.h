/*
 * The x86 engines for wire/crypto.h's acceleration hook, shared by the
 * hosted target (an x86 process, 64- or 32-bit) and the PC board: SHA-256
 * blocks with the SHA extensions ("SHA-NI") and CRC32C with SSE4.2's
 * crc32. Whether the CPU has them is the caller's probe (CPUID, with
 * x86_sha_usable and x86_crc_usable below); this file only computes.
 */
#ifndef CELLOS_SHA_X86_H
#define CELLOS_SHA_X86_H

#include <stddef.h>
#include <stdint.h>

struct crypto_accel;

/* CPUID.1:ECX bits: SSSE3, SSE4.1, SSE4.2 (crc32). */
#define X86_CPUID1_ECX_SSSE3  (1u << 9)
#define X86_CPUID1_ECX_SSE4_1 (1u << 19)
#define X86_CPUID1_ECX_SSE4_2 (1u << 20)
/* CPUID.(7,0):EBX bit 29: the SHA extensions. */
#define X86_CPUID7_EBX_SHA (1u << 29)

/*
 * Whether the SHA-256 engine can run on a CPU with these CPUID words: the
 * SHA extensions and the SSSE3/SSE4.1 shuffles it uses around them.
 */
static inline int
x86_sha_usable(uint32_t cpuid1_ecx, uint32_t cpuid7_ebx)
{
	return (cpuid7_ebx & X86_CPUID7_EBX_SHA) != 0 &&
	    (cpuid1_ecx & X86_CPUID1_ECX_SSSE3) != 0 &&
	    (cpuid1_ecx & X86_CPUID1_ECX_SSE4_1) != 0;
}

static inline int
x86_crc_usable(uint32_t cpuid1_ecx)
{
	return (cpuid1_ecx & X86_CPUID1_ECX_SSE4_2) != 0;
}

/*
 * FIPS 180-4's compression of nblocks consecutive 64-byte blocks into h,
 * with SHA256RNDS2/MSG1/MSG2. Any alignment. Needs the SHA extensions and
 * SSE4.1, and the XMM registers enabled (CR4.OSFXSR on a board).
 */
void x86_sha256_blocks(uint32_t h[8], const uint8_t *blocks, size_t nblocks);

/* crc32c() of wire/crypto.h with the crc32 instruction. Needs SSE4.2. */
uint32_t x86_crc32c(uint32_t crc, const void *data, size_t len);

/*
 * The table for crypto_use_accel with the engines the CPU has (sha, crc:
 * the x86_*_usable answers), or NULL when it has neither.
 */
const struct crypto_accel *x86_crypto_accel(int sha, int crc);

#endif
