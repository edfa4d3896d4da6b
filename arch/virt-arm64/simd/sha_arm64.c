/*
 * SHA-256 blocks with the ARMv8 SHA2 instructions and CRC32C with the
 * CRC32 instructions (sha_arm64.h), through the ACLE intrinsics.
 *
 * SIMD and interrupts. This is the only file of the kernel compiled with
 * the FP/SIMD registers allowed (CMakeLists.txt here; everything else is
 * -mgeneral-regs-only), so the vector registers hold nothing but the state
 * of a hash in progress here. The exception vectors (vectors.S) save the
 * general registers only, which is enough because no interrupt handler
 * reaches this code (core/hal.h: handlers never hash) and nothing else
 * uses the vector registers: an interrupt that arrives in the middle of a
 * block returns to it with v0..v31 as they were. start.S opens FP/SIMD at
 * EL1 (CPACR_EL1.FPEN = 3) before any C runs; hal_crypto_accel checks it.
 *
 * Alignment. The MMU is off, so data accesses are Device memory and must
 * be aligned to their element size: the state is loaded as 32-bit words
 * from its 4-byte aligned array, the message as bytes (LD1 {.16B}), and
 * the CRC's 8-byte loads only from 8-aligned addresses.
 */
#include <arm_acle.h>
#include <arm_neon.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "sha_arm64.h"

/*
 * FIPS 180-4 section 4.2.2. A copy of its own on purpose, not wire/crypto.c's:
 * the self-test cross-checks this engine against the portable one, and a
 * wrong constant in either must show as a disagreement (tests/mutations 27).
 */
/* clang-format off */
static const uint32_t K[64] = {
	0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu,
	0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u, 0xd807aa98u, 0x12835b01u,
	0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u,
	0xc19bf174u, 0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu,
	0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau, 0x983e5152u,
	0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u,
	0x06ca6351u, 0x14292967u, 0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu,
	0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
	0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u,
	0xd6990624u, 0xf40e3585u, 0x106aa070u, 0x19a4c116u, 0x1e376c08u,
	0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu,
	0x682e6ff3u, 0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u,
	0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};
/* clang-format on */

/*
 * Four message words, big-endian in memory, as lanes 0..3. LD1 {.16B}
 * needs only byte alignment, but under -mstrict-align gcc splits
 * vld1q_u8 of an unaligned pointer into sixteen byte loads: hence the asm.
 */
static inline uint32x4_t
load_words(const uint8_t *p)
{
	uint8x16_t v;

	__asm__("ld1 {%0.16b}, [%1]"
		: "=w"(v)
		: "r"(p), "m"(*(const uint8_t(*)[16])p));
	return vreinterpretq_u32_u8(vrev32q_u8(v));
}

/*
 * Four rounds with w = W[t..t+3]: SHA256H gives the new a..d from the old
 * a..d and e..h, SHA256H2 the new e..h from the old e..h and the old a..d.
 */
#define FOUR(t, w)                                                 \
	do {                                                       \
		uint32x4_t wk_ = vaddq_u32((w), vld1q_u32(&K[t])); \
		uint32x4_t abcd_ = abcd;                           \
		abcd = vsha256hq_u32(abcd, efgh, wk_);             \
		efgh = vsha256h2q_u32(efgh, abcd_, wk_);           \
	} while (0)

/* W[t..t+3] into m0 from m0..m3 = W[t-16..t-1], four words each. */
#define NEXT(m0, m1, m2, m3) \
	((m0) = vsha256su1q_u32(vsha256su0q_u32((m0), (m1)), (m2), (m3)))

void
arm64_sha256_blocks(uint32_t h[8], const uint8_t *blocks, size_t nblocks)
{
	uint32x4_t abcd = vld1q_u32(h), efgh = vld1q_u32(h + 4);

	for (; nblocks > 0; nblocks--, blocks += 64) {
		uint32x4_t abcd0 = abcd, efgh0 = efgh;
		uint32x4_t m0 = load_words(blocks),
			   m1 = load_words(blocks + 16);
		uint32x4_t m2 = load_words(blocks + 32),
			   m3 = load_words(blocks + 48);

		for (int t = 0; t < 48; t += 16) {
			FOUR(t, m0);
			NEXT(m0, m1, m2, m3);
			FOUR(t + 4, m1);
			NEXT(m1, m2, m3, m0);
			FOUR(t + 8, m2);
			NEXT(m2, m3, m0, m1);
			FOUR(t + 12, m3);
			NEXT(m3, m0, m1, m2);
		}
		FOUR(48, m0);
		FOUR(52, m1);
		FOUR(56, m2);
		FOUR(60, m3);
		abcd = vaddq_u32(abcd, abcd0);
		efgh = vaddq_u32(efgh, efgh0);
	}
	vst1q_u32(h, abcd);
	vst1q_u32(h + 4, efgh);
}

/*
 * The CRC32C instructions keep the CRC register as the table loop of
 * wire/crypto.c does (reflected, no inversion), so the inversions are
 * ours. Eight bytes at a time once the pointer is aligned, bytes around.
 */
uint32_t
arm64_crc32c(uint32_t crc, const void *data, size_t len)
{
	const uint8_t *p = data;

	crc = ~crc;
	while (len > 0 && ((uintptr_t)p & 7) != 0) {
		crc = __crc32cb(crc, *p++);
		len--;
	}
	for (; len >= 8; len -= 8, p += 8)
		crc = __crc32cd(crc,
		    *(const uint64_t *)__builtin_assume_aligned(p, 8));
	while (len > 0) {
		crc = __crc32cb(crc, *p++);
		len--;
	}
	return ~crc;
}

static const struct crypto_accel both = {
	"ARMv8 SHA2",
	arm64_sha256_blocks,
	"ARMv8 CRC32",
	arm64_crc32c,
};
static const struct crypto_accel sha_only = {
	"ARMv8 SHA2",
	arm64_sha256_blocks,
	NULL,
	NULL,
};
static const struct crypto_accel crc_only = {
	NULL,
	NULL,
	"ARMv8 CRC32",
	arm64_crc32c,
};

const struct crypto_accel *
arm64_crypto_accel(int sha2, int crc32)
{
	if (sha2)
		return crc32 ? &both : &sha_only;
	return crc32 ? &crc_only : NULL;
}
