/*
 * Arithmetic in GF(2^255 - 19), the field of Curve25519, for Ed25519
 * verification (ed25519.c) and its tests: portable C, with 128-bit
 * products where the compiler has them and 64-bit ones elsewhere, so it
 * runs on 32-bit targets too.
 */
#ifndef CELLOS_FE25519_H
#define CELLOS_FE25519_H

#include <stdint.h>

/*
 * Two representations, chosen by what the compiler can multiply, with the
 * same functions and the same contract:
 *
 *  - with 128-bit integers (every 64-bit target: hosted, the PC, virt and
 *    UEFI boards), five unsigned 64-bit limbs of 51 bits, off(i) = 51 i,
 *    whose 64 x 64 -> 128-bit products make fe_mul 25 multiplications;
 *  - otherwise (the Cortex-M board, the 32-bit hosted build), ten unsigned
 *    32-bit limbs, off(i) = ceil(25.5 i) = 0, 26, 51, 77, 102, 128, 153,
 *    179, 204, 230: limb i has 26 bits when i is even and 25 when it is
 *    odd, and fe_mul is 100 multiplications of 32 x 32 -> 64 bits.
 *
 * An element is sum v[i] * 2^off(i) mod p. Every function returns a
 * "tight" element, whose limbs are below 2^FE_LIMB_BITS(i) except v[1],
 * below 2^FE_LIMB_BITS(1) + 2^18. fe_mul and fe_sq accept limbs up to
 * 2^FE_MUL_INPUT_BITS (27 or 54), so every product and column sum fits
 * (the bounds are worked out in fe25519.c). CELLOS_FE25519_LIMBS32 forces
 * the ten-limb form on a 64-bit machine.
 */
#if defined(__SIZEOF_INT128__) && !defined(CELLOS_FE25519_LIMBS32)
#define FE_LIMBS 5
typedef uint64_t fe_limb;
/* clang-format off */
#define FE_LIMB_BITS(i)		51u
#define FE_LIMB_OFF(i)		(51u * (unsigned)(i))
#define FE_MUL_INPUT_BITS	54
/* clang-format on */
#else
#define FE_LIMBS 10
typedef uint32_t fe_limb;
/* clang-format off */
#define FE_LIMB_BITS(i)		(26u - ((unsigned)(i) & 1u))
#define FE_LIMB_OFF(i)		(((unsigned)(i) * 51u + 1u) / 2u)
#define FE_MUL_INPUT_BITS	27
/* clang-format on */
#endif

struct fe {
	fe_limb v[FE_LIMBS];
};

/* h = small (below 2^25). */
void fe_set(struct fe *h, uint32_t small);

/* The low 255 bits of s, little-endian (bit 255 is ignored). */
void fe_frombytes(struct fe *h, const uint8_t s[32]);

/*
 * The canonical little-endian encoding, 0 <= value < p, bit 255 clear. A
 * tight element is below 2p, so it is reduced by subtracting p at most
 * once: q = 1 exactly when value + 19 reaches 2^255, and value - q p is
 * value + 19 q with bit 255 dropped.
 */
void fe_tobytes(uint8_t s[32], const struct fe *f);

void fe_add(struct fe *h, const struct fe *f, const struct fe *g);

/*
 * f - g as f + 2p - g, for tight f and g: each limb of 2p is at least
 * the same limb of a tight g, so no limb goes below zero.
 */
void fe_sub(struct fe *h, const struct fe *f, const struct fe *g);

void fe_neg(struct fe *h, const struct fe *f);

/* h = f g, for limbs up to 2^FE_MUL_INPUT_BITS. */
void fe_mul(struct fe *h, const struct fe *f, const struct fe *g);

/* h = f^2, for limbs up to 2^FE_MUL_INPUT_BITS. */
void fe_sq(struct fe *h, const struct fe *f);

/* h = 1/z = z^(p - 2), p - 2 = 2^255 - 21 = (2^250 - 1) 2^5 + 11 (0 -> 0). */
void fe_invert(struct fe *h, const struct fe *z);

/* h = z^((p - 5) / 8) = z^(2^252 - 3) = (z^(2^250 - 1))^4 z. */
void fe_pow2523(struct fe *h, const struct fe *z);

int fe_iszero(const struct fe *f);

int fe_equal(const struct fe *f, const struct fe *g);

/* The "sign" of RFC 8032 section 5.1.2: the low bit of the canonical value. */
int fe_isodd(const struct fe *f);

#endif
