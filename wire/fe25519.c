/* Arithmetic in GF(2^255 - 19); see fe25519.h. */
#include <stdint.h>

#include "byteorder.h"
#include "fe25519.h"

/*
 * The field loops have fixed trip counts of ten or fewer. Unrolled, the
 * limb indices and the odd/even and wrap tests are constants, and verify
 * runs about three times as fast at -O2 (gcc does not unroll them by
 * itself there). Both gcc and clang take this pragma.
 */
#define UNROLL _Pragma("GCC unroll 10")

/* Limb i's mask: its low FE_LIMB_BITS(i) bits. */
#define LIMB_MASK(i) ((((fe_limb)1) << FE_LIMB_BITS(i)) - 1)
#define TOP          (FE_LIMBS - 1)

/*
 * Carry the limbs of a sum or difference of tight elements (each below
 * four times its width's range) into a tight element. The carry
 * out of the top limb is worth 2^255 = 19 mod p and goes back into limb 0,
 * whose own carry then goes once more into limb 1.
 */
static void
fe_carry(struct fe *h)
{
	UNROLL
	for (int i = 0; i < TOP; i++) {
		h->v[i + 1] += h->v[i] >> FE_LIMB_BITS(i);
		h->v[i] &= LIMB_MASK(i);
	}
	h->v[0] += 19 * (h->v[TOP] >> FE_LIMB_BITS(TOP));
	h->v[TOP] &= LIMB_MASK(TOP);
	h->v[1] += h->v[0] >> FE_LIMB_BITS(0);
	h->v[0] &= LIMB_MASK(0);
}

#if FE_LIMBS == 5

__extension__ typedef unsigned __int128 fe_wide;

/*
 * Carry 128-bit column sums (each below 2^115) into a tight element. Each
 * carry is below 2^64; the top limb's, worth 19 times itself in limb 0, is
 * multiplied out in 128 bits, and limb 0 then carries below 2^18 into limb
 * 1. Always inlined: as a call, the sums went through memory and the carry
 * cost as much as the products.
 */
static inline __attribute__((always_inline)) void
fe_carry_wide(struct fe *h, fe_wide c[5])
{
	fe_wide c0;

	UNROLL
	for (int i = 0; i < 4; i++) {
		c[i + 1] += (uint64_t)(c[i] >> 51);
		h->v[i] = (uint64_t)c[i] & LIMB_MASK(i);
	}
	h->v[4] = (uint64_t)c[4] & LIMB_MASK(4);
	c0 = (fe_wide)(uint64_t)(c[4] >> 51) * 19 + h->v[0];
	h->v[0] = (uint64_t)c0 & LIMB_MASK(0);
	h->v[1] += (uint64_t)(c0 >> 51);
}

/*
 * h = f g. Limbs i and j meet at weight 2^(51 (i + j)), and for i + j >= 5
 * another 2^255 = 19 mod p lands the product in limb i + j - 5. With limbs
 * below 2^54, 19 g[j] is below 2^58.3, a term below 2^112.3 and a column
 * of five below 2^114.7.
 */
void
fe_mul(struct fe *h, const struct fe *f, const struct fe *g)
{
	uint64_t g19[5];
	fe_wide c[5] = { 0 };

	UNROLL
	for (int i = 0; i < 5; i++)
		g19[i] = 19 * g->v[i];
	UNROLL
	for (int i = 0; i < 5; i++) {
		UNROLL
		for (int j = 0; j < 5 - i; j++)
			c[i + j] += (fe_wide)f->v[i] * g->v[j];
		UNROLL
		for (int j = 5 - i; j < 5; j++)
			c[i + j - 5] += (fe_wide)f->v[i] * g19[j];
	}
	fe_carry_wide(h, c);
}

/*
 * h = f^2: fe_mul's columns with each pair i < j taken once and doubled.
 * A term is below 2 * 2^54 * 19 * 2^54 < 2^113.3 and a column has at most
 * three.
 */
void
fe_sq(struct fe *h, const struct fe *f)
{
	uint64_t f19[5];
	fe_wide c[5] = { 0 };

	UNROLL
	for (int i = 0; i < 5; i++)
		f19[i] = 19 * f->v[i];
	UNROLL
	for (int i = 0; i < 5; i++) {
		UNROLL
		for (int j = i; j < 5; j++) {
			uint64_t a = f->v[i] << (i != j);

			if (i + j < 5)
				c[i + j] += (fe_wide)a * f->v[j];
			else
				c[i + j - 5] += (fe_wide)a * f19[j];
		}
	}
	fe_carry_wide(h, c);
}

/* The low 255 bits of s: limb i from the 64-bit word holding its bits. */
void
fe_frombytes(struct fe *h, const uint8_t s[32])
{
	for (unsigned i = 0; i < 5; i++) {
		unsigned at = FE_LIMB_OFF(i) / 8 > 24 ? 24 : FE_LIMB_OFF(i) / 8;

		h->v[i] = (le64_load(s + at) >> (FE_LIMB_OFF(i) - 8 * at)) &
		    LIMB_MASK(i);
	}
}

#else /* FE_LIMBS == 10 */

/*
 * Carry 64-bit column sums (each below 2^63) into a tight element, as
 * fe_carry does.
 */
static void
fe_carry_wide(struct fe *h, uint64_t c[10])
{
	UNROLL
	for (int i = 0; i < 9; i++) {
		c[i + 1] += c[i] >> FE_LIMB_BITS(i);
		c[i] &= LIMB_MASK(i);
	}
	c[0] += 19 * (c[9] >> 25);
	c[9] &= LIMB_MASK(9);
	c[1] += c[0] >> 26;
	c[0] &= LIMB_MASK(0);
	UNROLL
	for (int i = 0; i < 10; i++)
		h->v[i] = (uint32_t)c[i];
}

/*
 * h = f g. Limbs i and j meet at weight 2^(off(i) + off(j)), which is
 * 2^off(i + j) times 2 when i and j are both odd (26 + 26 = 52 = 51 + 1,
 * and so on), and for i + j >= 10 another 2^255 = 19 mod p, landing in
 * limb i + j - 10. With limbs below 2^27 a term is below
 * 2^28 * 19 * 2^27 < 2^59.3 and a column of ten below 2^62.6.
 */
void
fe_mul(struct fe *h, const struct fe *f, const struct fe *g)
{
	uint32_t f2[10], g19[10];
	uint64_t c[10] = { 0 };

	UNROLL
	for (int i = 0; i < 10; i++) {
		f2[i] = f->v[i] << (i & 1); /* odd limbs doubled */
		g19[i] = 19 * g->v[i];
	}
	UNROLL
	for (int i = 0; i < 10; i++) {
		UNROLL
		for (int j = 0; j < 10 - i; j++)
			c[i + j] +=
			    (uint64_t)((i & j & 1) ? f2[i] : f->v[i]) * g->v[j];
		UNROLL
		for (int j = 10 - i; j < 10; j++)
			c[i + j - 10] +=
			    (uint64_t)((i & j & 1) ? f2[i] : f->v[i]) * g19[j];
	}
	fe_carry_wide(h, c);
}

/*
 * h = f^2: fe_mul's columns with each pair i < j taken once and doubled.
 * A term is below 4 * 2^27 * 19 * 2^27 < 2^60.3 (doubled, odd-odd, wrapped)
 * and a column has at most six.
 */
void
fe_sq(struct fe *h, const struct fe *f)
{
	uint32_t f19[10];
	uint64_t c[10] = { 0 };

	UNROLL
	for (int i = 0; i < 10; i++)
		f19[i] = 19 * f->v[i];
	UNROLL
	for (int i = 0; i < 10; i++) {
		UNROLL
		for (int j = i; j < 10; j++) {
			/* 2 for the pair (i, j) and (j, i), 2 for odd-odd. */
			uint32_t a = f->v[i] << ((i != j) + (i & j & 1));

			if (i + j < 10)
				c[i + j] += (uint64_t)a * f->v[j];
			else
				c[i + j - 10] += (uint64_t)a * f19[j];
		}
	}
	fe_carry_wide(h, c);
}

/*
 * The low 255 bits of s: limb i's bits lie within the 32-bit word at byte
 * off(i) / 8.
 */
void
fe_frombytes(struct fe *h, const uint8_t s[32])
{
	for (unsigned i = 0; i < 10; i++)
		h->v[i] = (le32_load(s + FE_LIMB_OFF(i) / 8) >>
			      (FE_LIMB_OFF(i) % 8)) &
		    LIMB_MASK(i);
}

#endif

void
fe_set(struct fe *h, uint32_t small)
{
	h->v[0] = small;
	for (int i = 1; i < FE_LIMBS; i++)
		h->v[i] = 0;
}

/*
 * The canonical little-endian encoding, 0 <= value < p, bit 255 clear. A
 * tight element is below 2p, so it is reduced by subtracting p at most
 * once: q = 1 exactly when value + 19 reaches 2^255, and value - q p is
 * value + 19 q with bit 255 dropped.
 */
void
fe_tobytes(uint8_t s[32], const struct fe *f)
{
	struct fe h;
	fe_limb q;
	uint64_t acc = 0;
	unsigned bits = 0, n = 0;

	for (int i = 0; i < FE_LIMBS; i++) /* not "h = *f": no hidden memcpy */
		h.v[i] = f->v[i];
	fe_carry(&h);
	q = (h.v[0] + 19) >> FE_LIMB_BITS(0);
	for (int i = 1; i < FE_LIMBS; i++)
		q = (h.v[i] + q) >> FE_LIMB_BITS(i);
	h.v[0] += 19 * q;
	for (int i = 0; i < TOP; i++) {
		h.v[i + 1] += h.v[i] >> FE_LIMB_BITS(i);
		h.v[i] &= LIMB_MASK(i);
	}
	h.v[TOP] &= LIMB_MASK(TOP);
	/* At most 7 bits wait in acc, so a limb of 51 bits still fits. */
	for (int i = 0; i < FE_LIMBS; i++) {
		acc |= (uint64_t)h.v[i] << bits;
		bits += FE_LIMB_BITS(i);
		while (bits >= 8) {
			s[n++] = (uint8_t)acc;
			acc >>= 8;
			bits -= 8;
		}
	}
	s[n] = (uint8_t)acc; /* n == 31: the last 7 bits */
}

void
fe_add(struct fe *h, const struct fe *f, const struct fe *g)
{
	UNROLL
	for (int i = 0; i < FE_LIMBS; i++)
		h->v[i] = f->v[i] + g->v[i];
	fe_carry(h);
}

/*
 * f - g as f + 2p - g: limb 0 of 2p is 2 (2^w - 19) and every other limb
 * 2 (2^w - 1), w its width (2^27 - 38, then 2^26 - 2 and 2^27 - 2
 * alternately with ten limbs; 2^52 - 38, then 2^52 - 2 with five). Each is
 * at least the same limb of a tight g, so no limb goes below zero.
 */
void
fe_sub(struct fe *h, const struct fe *f, const struct fe *g)
{
	h->v[0] = f->v[0] + 2 * (LIMB_MASK(0) - 18) - g->v[0];
	UNROLL
	for (int i = 1; i < FE_LIMBS; i++)
		h->v[i] = f->v[i] + 2 * LIMB_MASK(i) - g->v[i];
	fe_carry(h);
}

void
fe_neg(struct fe *h, const struct fe *f)
{
	struct fe zero;

	fe_set(&zero, 0);
	fe_sub(h, &zero, f);
}

/* h = f^(2^n), n >= 1. */
static void
fe_sqn(struct fe *h, const struct fe *f, int n)
{
	fe_sq(h, f);
	while (--n > 0)
		fe_sq(h, h);
}

/*
 * The two exponentiations share their start: z^(2^250 - 1), built from
 * z^(2^a - 1) and z^(2^b - 1) as (z^(2^a - 1))^(2^b) z^(2^b - 1) =
 * z^(2^(a + b) - 1) along 1, 2, 4, 5, 10, 20, 40, 50, 100, 200, 250.
 * z11 gets z^11 (the inverse needs it).
 */
static void
fe_pow2_250_1(struct fe *h, struct fe *z11, const struct fe *z)
{
	struct fe z2, z9, a, b, c;

	fe_sq(&z2, z);         /* z^2 */
	fe_sqn(&a, &z2, 2);    /* z^8 */
	fe_mul(&z9, &a, z);    /* z^9 */
	fe_mul(z11, &z9, &z2); /* z^11 */
	fe_sq(&a, z11);        /* z^22 */
	fe_mul(&a, &a, &z9);   /* z^31 = z^(2^5 - 1) */
	fe_sqn(&b, &a, 5);
	fe_mul(&a, &b, &a); /* 2^10 - 1 */
	fe_sqn(&b, &a, 10);
	fe_mul(&b, &b, &a); /* 2^20 - 1 */
	fe_sqn(&c, &b, 20);
	fe_mul(&b, &c, &b); /* 2^40 - 1 */
	fe_sqn(&b, &b, 10);
	fe_mul(&a, &b, &a); /* 2^50 - 1 */
	fe_sqn(&b, &a, 50);
	fe_mul(&b, &b, &a); /* 2^100 - 1 */
	fe_sqn(&c, &b, 100);
	fe_mul(&b, &c, &b); /* 2^200 - 1 */
	fe_sqn(&b, &b, 50);
	fe_mul(h, &b, &a); /* 2^250 - 1 */
}

/* h = 1/z = z^(p - 2), p - 2 = 2^255 - 21 = (2^250 - 1) 2^5 + 11 (0 -> 0). */
void
fe_invert(struct fe *h, const struct fe *z)
{
	struct fe t, z11;

	fe_pow2_250_1(&t, &z11, z);
	fe_sqn(&t, &t, 5);
	fe_mul(h, &t, &z11);
}

/* h = z^((p - 5) / 8) = z^(2^252 - 3) = (z^(2^250 - 1))^4 z. */
void
fe_pow2523(struct fe *h, const struct fe *z)
{
	struct fe t, z11;

	fe_pow2_250_1(&t, &z11, z);
	fe_sqn(&t, &t, 2);
	fe_mul(h, &t, z);
}

int
fe_iszero(const struct fe *f)
{
	uint8_t s[32];
	uint8_t any = 0;

	fe_tobytes(s, f);
	for (int i = 0; i < 32; i++)
		any |= s[i];
	return any == 0;
}

int
fe_equal(const struct fe *f, const struct fe *g)
{
	struct fe d;

	fe_sub(&d, f, g);
	return fe_iszero(&d);
}

/* The "sign" of RFC 8032 section 5.1.2: the low bit of the canonical value. */
int
fe_isodd(const struct fe *f)
{
	uint8_t s[32];

	fe_tobytes(s, f);
	return s[0] & 1;
}
