/*
 * Arithmetic in GF(2^255 - 19), the field of Curve25519, for Ed25519
 * verification (ed25519.c) and its tests: portable C whose every product
 * fits in 64 bits, so it runs on 32-bit targets too.
 */
#ifndef CELLOS_FE25519_H
#define CELLOS_FE25519_H

#include <stdint.h>

/*
 * An element is sum v[i] * 2^off(i) mod p with off(i) = ceil(25.5 i) =
 * 0, 26, 51, 77, 102, 128, 153, 179, 204, 230: limb i has 26 bits when i
 * is even and 25 when it is odd. Every function returns a "tight" element,
 * whose limbs are below 2^26 (odd limbs other than v[1] below 2^25, and
 * v[1] below 2^25 + 2^18). fe_mul and fe_sq accept limbs up to 2^27, so
 * every product below fits in 64 bits (the bound is worked out there).
 */
struct fe {
	uint32_t v[10];
};

/* Limb i's bits (26 or 25) and the power of two it starts at, off(i). */
/* clang-format off */
#define FE_LIMB_BITS(i)	(26u - ((unsigned)(i) & 1u))
#define FE_LIMB_OFF(i)	(((unsigned)(i) * 51u + 1u) / 2u)
/* clang-format on */

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
 * f - g as f + 2p - g: each limb of 2p (2^27 - 38, then 2^26 - 2 and
 * 2^27 - 2 alternately) is at least the same limb of a tight g, so no limb
 * goes below zero.
 */
void fe_sub(struct fe *h, const struct fe *f, const struct fe *g);

void fe_neg(struct fe *h, const struct fe *f);

/*
 * h = f g. Limbs i and j meet at weight 2^(off(i) + off(j)), which is
 * 2^off(i + j) times 2 when i and j are both odd (26 + 26 = 52 = 51 + 1,
 * and so on), and for i + j >= 10 another 2^255 = 19 mod p, landing in
 * limb i + j - 10. With limbs below 2^27 a term is below
 * 2^28 * 19 * 2^27 < 2^59.3 and a column of ten below 2^62.6.
 */
void fe_mul(struct fe *h, const struct fe *f, const struct fe *g);

/*
 * h = f^2: fe_mul's columns with each pair i < j taken once and doubled.
 * A term is below 4 * 2^27 * 19 * 2^27 < 2^60.3 (doubled, odd-odd, wrapped)
 * and a column has at most six.
 */
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
