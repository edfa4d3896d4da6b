/*
 * SHA-256 blocks with the x86 SHA extensions and CRC32C with SSE4.2's
 * crc32 (sha_x86.h). One source for the hosted target (64- or 32-bit) and
 * the PC board: inline assembly on a 16-byte vector type of our own, so it
 * needs no intrinsics header (gcc's pulls in <stdlib.h>, which a
 * freestanding board build does not have) and reads the same under gcc and
 * clang.
 *
 * This file is compiled with the XMM registers allowed (the board kernel is
 * otherwise -mgeneral-regs-only, see CMakeLists.txt here): only the two
 * engines below touch them, and only when called, which the boot does only
 * after the CPU said it has the instructions (hal_crypto_accel).
 *
 * The SHA extensions keep the eight working variables in two registers,
 * ABEF and CDGH (A in the highest lane); SHA256RNDS2 runs two rounds with
 * the two low lanes of its implicit xmm0 operand (W[t] + K[t]); SHA256MSG1
 * and SHA256MSG2 compute the message schedule four words at a time:
 *   W[t..t+3] = MSG2(MSG1(W[t-16..t-13], W[t-12..t-9]) + W[t-7..t-4],
 *                    W[t-4..t-1])
 * (Intel SDM vol. 2, SHA256RNDS2, SHA256MSG1, SHA256MSG2.)
 */
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "sha_x86.h"

typedef uint32_t v4u __attribute__((vector_size(16)));

/*
 * FIPS 180-4 section 4.2.2. A copy of its own on purpose, not wire/crypto.c's:
 * the self-test cross-checks this engine against the portable one, and a
 * wrong constant in either must show as a disagreement (tests/mutations 27).
 */
/* clang-format off */
static const uint32_t K[64] __attribute__((aligned(16))) = {
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

/* PSHUFB control that reverses the bytes of each 32-bit lane. */
/* clang-format off */
static const uint8_t bswap32_lanes[16] __attribute__((aligned(16))) = {
	3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12,
};
/* clang-format on */

/* Unaligned 16-byte load and store (the compiler emits movdqu). */
static inline v4u
load16(const void *p)
{
	v4u v;

	__builtin_memcpy(&v, p, sizeof v);
	return v;
}

static inline void
store16(void *p, v4u v)
{
	__builtin_memcpy(p, &v, sizeof v);
}

/*
 * The instructions, one inline function each. PSHUFD/PALIGNR/PBLENDW take
 * their selector as an immediate, hence the macros.
 */
#define PSHUFD(v, imm)                                                      \
	__extension__({                                                     \
		v4u r_;                                                     \
		__asm__("pshufd %2, %1, %0" : "=x"(r_) : "x"(v), "i"(imm)); \
		r_;                                                         \
	})
/* (hi:lo) >> 8 * bytes, the low 16 bytes. */
#define PALIGNR(hi, lo, bytes)                  \
	__extension__({                         \
		v4u r_ = (hi);                  \
		__asm__("palignr %2, %1, %0"    \
			: "+x"(r_)              \
			: "x"(lo), "i"(bytes)); \
		r_;                             \
	})
/* The 16-bit lanes of b whose bit is set in imm, the rest from a. */
#define PBLENDW(a, b, imm)                                                   \
	__extension__({                                                      \
		v4u r_ = (a);                                                \
		__asm__("pblendw %2, %1, %0" : "+x"(r_) : "x"(b), "i"(imm)); \
		r_;                                                          \
	})

static inline v4u
bswap_lanes(v4u v, v4u control)
{
	__asm__("pshufb %1, %0" : "+x"(v) : "x"(control));
	return v;
}

/* Two rounds: cdgh and abef are the state, wk's two low lanes W + K. */
static inline v4u
rounds2(v4u cdgh, v4u abef, v4u wk)
{
	register v4u k0 __asm__("xmm0") = wk;

	__asm__("sha256rnds2 %2, %1, %0" : "+x"(cdgh) : "x"(abef), "x"(k0));
	return cdgh; /* the new ABEF */
}

static inline v4u
msg1(v4u a, v4u b)
{
	__asm__("sha256msg1 %1, %0" : "+x"(a) : "x"(b));
	return a;
}

static inline v4u
msg2(v4u a, v4u b)
{
	__asm__("sha256msg2 %1, %0" : "+x"(a) : "x"(b));
	return a;
}

/* Four rounds from w = W[t..t+3]. */
#define FOUR(t, w)                                             \
	do {                                                   \
		v4u wk_ = (w) + load16(&K[t]);                 \
		cdgh = rounds2(cdgh, abef, wk_);               \
		abef = rounds2(abef, cdgh, PSHUFD(wk_, 0x0E)); \
	} while (0)

/* W[t..t+3] into m0 from m0..m3 = W[t-16..t-1], four words each. */
#define NEXT(m0, m1, m2, m3) \
	((m0) = msg2(msg1((m0), (m1)) + PALIGNR((m3), (m2), 4), (m3)))

void
x86_sha256_blocks(uint32_t h[8], const uint8_t *blocks, size_t nblocks)
{
	v4u control = load16(bswap32_lanes);
	v4u abcd = load16(h), efgh = load16(h + 4), abef, cdgh;

	/* [a b c d], [e f g h] (low lane first) to ABEF and CDGH. */
	abcd = PSHUFD(abcd, 0xB1);        /* b a d c */
	efgh = PSHUFD(efgh, 0x1B);        /* h g f e */
	abef = PALIGNR(abcd, efgh, 8);    /* f e b a */
	cdgh = PBLENDW(efgh, abcd, 0xF0); /* h g d c */

	for (; nblocks > 0; nblocks--, blocks += SHA256_BLOCK) {
		v4u abef0 = abef, cdgh0 = cdgh;
		v4u m0 = bswap_lanes(load16(blocks), control);
		v4u m1 = bswap_lanes(load16(blocks + 16), control);
		v4u m2 = bswap_lanes(load16(blocks + 32), control);
		v4u m3 = bswap_lanes(load16(blocks + 48), control);

		FOUR(0, m0);
		FOUR(4, m1);
		FOUR(8, m2);
		FOUR(12, m3);
		for (int t = 16; t < 64; t += 16) {
			NEXT(m0, m1, m2, m3);
			FOUR(t, m0);
			NEXT(m1, m2, m3, m0);
			FOUR(t + 4, m1);
			NEXT(m2, m3, m0, m1);
			FOUR(t + 8, m2);
			NEXT(m3, m0, m1, m2);
			FOUR(t + 12, m3);
		}
		abef += abef0;
		cdgh += cdgh0;
	}

	/* Back to [a b c d], [e f g h]. */
	abef = PSHUFD(abef, 0x1B);              /* a b e f */
	cdgh = PSHUFD(cdgh, 0xB1);              /* g h c d */
	store16(h, PBLENDW(abef, cdgh, 0xF0));  /* a b c d */
	store16(h + 4, PALIGNR(cdgh, abef, 8)); /* e f g h */
}

/*
 * One word of the message into the CRC register: eight bytes with crc32q
 * in 64-bit mode, four with crc32l in a 32-bit process (hosted-32).
 */
#if defined(__x86_64__)
typedef uint64_t crc_word;

static inline uint32_t
crc_step_word(uint32_t c, crc_word v)
{
	uint64_t c64 = c;

	__asm__("crc32q %1, %0" : "+r"(c64) : "rm"(v));
	return (uint32_t)c64;
}
#else
typedef uint32_t crc_word;

static inline uint32_t
crc_step_word(uint32_t c, crc_word v)
{
	__asm__("crc32l %1, %0" : "+r"(c) : "rm"(v));
	return c;
}
#endif

static inline uint32_t
crc_step_byte(uint32_t c, uint8_t b)
{
	__asm__("crc32b %1, %0" : "+r"(c) : "rm"(b));
	return c;
}

/*
 * The crc32 instruction keeps the CRC register as the table loop of
 * wire/crypto.c does (reflected, no inversion), so the inversions are
 * ours. A word at a time once the pointer is aligned, bytes around.
 */
uint32_t
x86_crc32c(uint32_t crc, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t c = ~crc;

	for (; len > 0 && ((uintptr_t)p & (sizeof(crc_word) - 1)) != 0; len--)
		c = crc_step_byte(c, *p++);
	for (; len >= sizeof(crc_word); len -= sizeof(crc_word)) {
		crc_word v;

		__builtin_memcpy(&v, p, sizeof v);
		c = crc_step_word(c, v);
		p += sizeof(crc_word);
	}
	for (; len > 0; len--)
		c = crc_step_byte(c, *p++);
	return ~c;
}

static const struct crypto_accel both = {
	"SHA-NI",
	x86_sha256_blocks,
	"SSE4.2 crc32",
	x86_crc32c,
};
static const struct crypto_accel sha_only = {
	"SHA-NI",
	x86_sha256_blocks,
	NULL,
	NULL,
};
static const struct crypto_accel crc_only = {
	NULL,
	NULL,
	"SSE4.2 crc32",
	x86_crc32c,
};

const struct crypto_accel *
x86_crypto_accel(int sha, int crc)
{
	if (sha)
		return crc ? &both : &sha_only;
	return crc ? &crc_only : NULL;
}
