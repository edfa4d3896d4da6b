/*
 * Ed25519 verification (RFC 8032): see ed25519.h, and docs/CRYPTO.md for
 * the acceptance rule. Written from RFC 8032 and the curve's equations:
 *
 *   field   GF(p), p = 2^255 - 19, in ten unsigned limbs of 26 and 25 bits
 *   curve   -x^2 + y^2 = 1 + d x^2 y^2, d = -121665/121666, in extended
 *           coordinates (X:Y:Z:T), x = X/Z, y = Y/Z, xy = T/Z (Hisil, Wong,
 *           Carter, Dawson, "Twisted Edwards curves revisited", 2008)
 *   scalars mod L = 2^252 + 27742317777372353535851937790883648493
 *
 * [S]B - [k]A is one double-scalar multiplication (Straus): both scalars
 * in width-5 non-adjacent form against tables of the odd multiples 1..15
 * of B and of A, sharing one chain of doublings.
 */
#include <stddef.h>
#include <stdint.h>

#include "cellos/errors.h"
#include "crypto.h"
#include "ed25519.h"
#include "sha512.h"

/* ---- the field GF(2^255 - 19) ---- */

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

/*
 * The field loops have fixed trip counts of ten or fewer. Unrolled, the
 * limb indices and the odd/even and wrap tests are constants, and verify
 * runs about three times as fast at -O2 (gcc does not unroll them by
 * itself there). Both gcc and clang take this pragma.
 */
#define UNROLL	_Pragma("GCC unroll 10")

#define MASK26	0x3ffffffu
#define MASK25	0x1ffffffu

/* Bits of limb i. */
#define LIMB_BITS(i)	(26u - ((unsigned)(i) & 1u))

static const uint8_t off_of[10] = {
	0, 26, 51, 77, 102, 128, 153, 179, 204, 230
};

static uint32_t
load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/*
 * Carry 64-bit column sums (each below 2^63) into a tight element. The
 * carry out of limb 9 is worth 2^255 = 19 mod p and goes back into limb 0,
 * whose own carry then goes once more into limb 1.
 */
static void
fe_carry64(struct fe *h, uint64_t c[10])
{
	UNROLL
	for (int i = 0; i < 9; i++) {
		c[i + 1] += c[i] >> LIMB_BITS(i);
		c[i] &= (1u << LIMB_BITS(i)) - 1;
	}
	c[0] += 19 * (c[9] >> 25);
	c[9] &= MASK25;
	c[1] += c[0] >> 26;
	c[0] &= MASK26;
	UNROLL
	for (int i = 0; i < 10; i++)
		h->v[i] = (uint32_t)c[i];
}

/* The same for 32-bit limbs below 2^31. */
static void
fe_carry(struct fe *h)
{
	UNROLL
	for (int i = 0; i < 9; i++) {
		h->v[i + 1] += h->v[i] >> LIMB_BITS(i);
		h->v[i] &= (1u << LIMB_BITS(i)) - 1;
	}
	h->v[0] += 19 * (h->v[9] >> 25);
	h->v[9] &= MASK25;
	h->v[1] += h->v[0] >> 26;
	h->v[0] &= MASK26;
}

static void
fe_set(struct fe *h, uint32_t small)
{
	h->v[0] = small;
	for (int i = 1; i < 10; i++)
		h->v[i] = 0;
}

/* The low 255 bits of s, little-endian (bit 255 is ignored). */
static void
fe_frombytes(struct fe *h, const uint8_t s[32])
{
	/* Limb i's bits lie within the 32-bit word at byte off(i) / 8. */
	for (int i = 0; i < 10; i++)
		h->v[i] = (load_le32(s + off_of[i] / 8) >> (off_of[i] % 8)) &
		    ((1u << LIMB_BITS(i)) - 1);
}

/*
 * The canonical little-endian encoding, 0 <= value < p, bit 255 clear. A
 * tight element is below 2p, so it is reduced by subtracting p at most
 * once: q = 1 exactly when value + 19 reaches 2^255, and value - q p is
 * value + 19 q with bit 255 dropped.
 */
static void
fe_tobytes(uint8_t s[32], const struct fe *f)
{
	struct fe h;
	uint32_t q;
	uint64_t acc = 0;
	unsigned bits = 0, n = 0;

	for (int i = 0; i < 10; i++)	/* not "h = *f": no hidden memcpy */
		h.v[i] = f->v[i];
	fe_carry(&h);
	q = (h.v[0] + 19) >> 26;
	for (int i = 1; i < 10; i++)
		q = (h.v[i] + q) >> LIMB_BITS(i);
	h.v[0] += 19 * q;
	for (int i = 0; i < 9; i++) {
		h.v[i + 1] += h.v[i] >> LIMB_BITS(i);
		h.v[i] &= (1u << LIMB_BITS(i)) - 1;
	}
	h.v[9] &= MASK25;
	for (int i = 0; i < 10; i++) {
		acc |= (uint64_t)h.v[i] << bits;
		bits += LIMB_BITS(i);
		while (bits >= 8) {
			s[n++] = (uint8_t)acc;
			acc >>= 8;
			bits -= 8;
		}
	}
	s[n] = (uint8_t)acc;	/* n == 31: the last 7 bits */
}

static void
fe_add(struct fe *h, const struct fe *f, const struct fe *g)
{
	UNROLL
	for (int i = 0; i < 10; i++)
		h->v[i] = f->v[i] + g->v[i];
	fe_carry(h);
}

/*
 * f - g as f + 2p - g: each limb of 2p (2^27 - 38, then 2^26 - 2 and
 * 2^27 - 2 alternately) is at least the same limb of a tight g, so no limb
 * goes below zero.
 */
static void
fe_sub(struct fe *h, const struct fe *f, const struct fe *g)
{
	h->v[0] = f->v[0] + (2 * (MASK26 - 18)) - g->v[0];
	UNROLL
	for (int i = 1; i < 10; i++)
		h->v[i] = f->v[i] + 2 * ((1u << LIMB_BITS(i)) - 1) - g->v[i];
	fe_carry(h);
}

static void
fe_neg(struct fe *h, const struct fe *f)
{
	struct fe zero;

	fe_set(&zero, 0);
	fe_sub(h, &zero, f);
}

/*
 * h = f g. Limbs i and j meet at weight 2^(off(i) + off(j)), which is
 * 2^off(i + j) times 2 when i and j are both odd (26 + 26 = 52 = 51 + 1,
 * and so on), and for i + j >= 10 another 2^255 = 19 mod p, landing in
 * limb i + j - 10. With limbs below 2^27 a term is below
 * 2^28 * 19 * 2^27 < 2^59.3 and a column of ten below 2^62.6.
 */
static void
fe_mul(struct fe *h, const struct fe *f, const struct fe *g)
{
	uint32_t f2[10], g19[10];
	uint64_t c[10] = { 0 };

	UNROLL
	for (int i = 0; i < 10; i++) {
		f2[i] = f->v[i] << (i & 1);	/* odd limbs doubled */
		g19[i] = 19 * g->v[i];
	}
	UNROLL
	for (int i = 0; i < 10; i++) {
		UNROLL
		for (int j = 0; j < 10 - i; j++)
			c[i + j] += (uint64_t)((i & j & 1) ? f2[i] : f->v[i]) *
			    g->v[j];
		UNROLL
		for (int j = 10 - i; j < 10; j++)
			c[i + j - 10] += (uint64_t)((i & j & 1) ? f2[i] :
			    f->v[i]) * g19[j];
	}
	fe_carry64(h, c);
}

/*
 * h = f^2: fe_mul's columns with each pair i < j taken once and doubled.
 * A term is below 4 * 2^27 * 19 * 2^27 < 2^60.3 (doubled, odd-odd, wrapped)
 * and a column has at most six.
 */
static void
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
	fe_carry64(h, c);
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

	fe_sq(&z2, z);			/* z^2 */
	fe_sqn(&a, &z2, 2);		/* z^8 */
	fe_mul(&z9, &a, z);		/* z^9 */
	fe_mul(z11, &z9, &z2);		/* z^11 */
	fe_sq(&a, z11);			/* z^22 */
	fe_mul(&a, &a, &z9);		/* z^31 = z^(2^5 - 1) */
	fe_sqn(&b, &a, 5);
	fe_mul(&a, &b, &a);		/* 2^10 - 1 */
	fe_sqn(&b, &a, 10);
	fe_mul(&b, &b, &a);		/* 2^20 - 1 */
	fe_sqn(&c, &b, 20);
	fe_mul(&b, &c, &b);		/* 2^40 - 1 */
	fe_sqn(&b, &b, 10);
	fe_mul(&a, &b, &a);		/* 2^50 - 1 */
	fe_sqn(&b, &a, 50);
	fe_mul(&b, &b, &a);		/* 2^100 - 1 */
	fe_sqn(&c, &b, 100);
	fe_mul(&b, &c, &b);		/* 2^200 - 1 */
	fe_sqn(&b, &b, 50);
	fe_mul(h, &b, &a);		/* 2^250 - 1 */
}

/* h = 1/z = z^(p - 2), p - 2 = 2^255 - 21 = (2^250 - 1) 2^5 + 11 (0 -> 0). */
static void
fe_invert(struct fe *h, const struct fe *z)
{
	struct fe t, z11;

	fe_pow2_250_1(&t, &z11, z);
	fe_sqn(&t, &t, 5);
	fe_mul(h, &t, &z11);
}

/* h = z^((p - 5) / 8) = z^(2^252 - 3) = (z^(2^250 - 1))^4 z. */
static void
fe_pow2523(struct fe *h, const struct fe *z)
{
	struct fe t, z11;

	fe_pow2_250_1(&t, &z11, z);
	fe_sqn(&t, &t, 2);
	fe_mul(h, &t, z);
}

static int
fe_iszero(const struct fe *f)
{
	uint8_t s[32];
	uint8_t any = 0;

	fe_tobytes(s, f);
	for (int i = 0; i < 32; i++)
		any |= s[i];
	return any == 0;
}

static int
fe_equal(const struct fe *f, const struct fe *g)
{
	struct fe d;

	fe_sub(&d, f, g);
	return fe_iszero(&d);
}

/* The "sign" of RFC 8032 section 5.1.2: the low bit of the canonical value. */
static int
fe_isodd(const struct fe *f)
{
	uint8_t s[32];

	fe_tobytes(s, f);
	return s[0] & 1;
}

/* ---- constants (values in RFC 8032 section 5.1, little-endian) ---- */

/* d = -121665 / 121666 mod p */
static const uint8_t d_bytes[32] = {
	0xa3, 0x78, 0x59, 0x13, 0xca, 0x4d, 0xeb, 0x75, 0xab, 0xd8, 0x41,
	0x41, 0x4d, 0x0a, 0x70, 0x00, 0x98, 0xe8, 0x79, 0x77, 0x79, 0x40,
	0xc7, 0x8c, 0x73, 0xfe, 0x6f, 0x2b, 0xee, 0x6c, 0x03, 0x52,
};

/* sqrt(-1) = 2^((p - 1) / 4) mod p */
static const uint8_t sqrtm1_bytes[32] = {
	0xb0, 0xa0, 0x0e, 0x4a, 0x27, 0x1b, 0xee, 0xc4, 0x78, 0xe4, 0x2f,
	0xad, 0x06, 0x18, 0x43, 0x2f, 0xa7, 0xd7, 0xfb, 0x3d, 0x99, 0x00,
	0x4d, 0x2b, 0x0b, 0xdf, 0xc1, 0x4f, 0x80, 0x24, 0x83, 0x2b,
};

/* The base point B: y = 4/5, x the even root. */
static const uint8_t base_x_bytes[32] = {
	0x1a, 0xd5, 0x25, 0x8f, 0x60, 0x2d, 0x56, 0xc9, 0xb2, 0xa7, 0x25,
	0x95, 0x60, 0xc7, 0x2c, 0x69, 0x5c, 0xdc, 0xd6, 0xfd, 0x31, 0xe2,
	0xa4, 0xc0, 0xfe, 0x53, 0x6e, 0xcd, 0xd3, 0x36, 0x69, 0x21,
};
static const uint8_t base_y_bytes[32] = {
	0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
	0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
	0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
};

/* The group order L. */
static const uint8_t order_bytes[32] = {
	0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
	0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
};

/* ---- the curve ---- */

/* A point in extended coordinates. */
struct ge {
	struct fe x, y, z, t;
};

/* A point ready to be added: Y + X, Y - X, 2Z, 2dT. */
struct ge_cached {
	struct fe ypx, ymx, z2, t2d;
};

static void
ge_identity(struct ge *p)
{
	fe_set(&p->x, 0);
	fe_set(&p->y, 1);
	fe_set(&p->z, 1);
	fe_set(&p->t, 0);
}

static void
ge_to_cached(struct ge_cached *c, const struct ge *p, const struct fe *d2)
{
	fe_add(&c->ypx, &p->y, &p->x);
	fe_sub(&c->ymx, &p->y, &p->x);
	fe_add(&c->z2, &p->z, &p->z);
	fe_mul(&c->t2d, &p->t, d2);
}

/*
 * r = p + q, or p - q when negate is set (-q = (-x, y): Y + X and Y - X
 * swap, and 2dT changes sign). The unified addition for a = -1 ("add-2008-
 * hwcd-3"): complete on this curve, since d is not a square, so it also
 * doubles and adds the identity. 8 multiplications, 7 without T.
 */
static void
ge_add(struct ge *r, const struct ge *p, const struct ge_cached *q,
    int negate, int want_t)
{
	struct fe a, b, c, d, e, f, g, h, t;

	fe_sub(&t, &p->y, &p->x);
	fe_mul(&a, &t, negate ? &q->ypx : &q->ymx);	/* (Y1 - X1)(Y2 - X2) */
	fe_add(&t, &p->y, &p->x);
	fe_mul(&b, &t, negate ? &q->ymx : &q->ypx);	/* (Y1 + X1)(Y2 + X2) */
	fe_mul(&c, &p->t, &q->t2d);			/* 2d T1 T2 */
	if (negate)
		fe_neg(&c, &c);
	fe_mul(&d, &p->z, &q->z2);			/* 2 Z1 Z2 */
	fe_sub(&e, &b, &a);
	fe_sub(&f, &d, &c);
	fe_add(&g, &d, &c);
	fe_add(&h, &b, &a);
	fe_mul(&r->x, &e, &f);
	fe_mul(&r->y, &g, &h);
	fe_mul(&r->z, &f, &g);
	if (want_t)
		fe_mul(&r->t, &e, &h);
}

/*
 * r = 2p ("dbl-2008-hwcd" with a = -1), from X, Y, Z only: 4 squarings
 * and 3 multiplications, a fourth for T when want_t is set.
 */
static void
ge_dbl(struct ge *r, const struct ge *p, int want_t)
{
	struct fe a, b, c, e, f, g, h, t;

	fe_sq(&a, &p->x);			/* A = X^2 */
	fe_sq(&b, &p->y);			/* B = Y^2 */
	fe_sq(&c, &p->z);
	fe_add(&c, &c, &c);			/* C = 2 Z^2 */
	fe_add(&t, &p->x, &p->y);
	fe_sq(&t, &t);
	fe_sub(&e, &t, &a);
	fe_sub(&e, &e, &b);			/* E = (X + Y)^2 - A - B */
	fe_sub(&g, &b, &a);			/* G = -A + B */
	fe_sub(&f, &g, &c);			/* F = G - C */
	fe_add(&h, &a, &b);
	fe_neg(&h, &h);				/* H = -A - B */
	fe_mul(&r->x, &e, &f);
	fe_mul(&r->y, &g, &h);
	fe_mul(&r->z, &f, &g);
	if (want_t)
		fe_mul(&r->t, &e, &h);
}

/* Whether y (the low 255 bits of s) is at least p = 2^255 - 19. */
static int
y_not_reduced(const uint8_t s[32])
{
	if ((s[31] & 0x7f) != 0x7f || s[0] < 0xed)
		return 0;
	for (int i = 1; i < 31; i++)
		if (s[i] != 0xff)
			return 0;
	return 1;
}

/*
 * Whether s is the canonical encoding of some point's y with a sign bit
 * the point can have, judged from the bytes alone: y < p, and x = 0
 * (y = 1 or y = p - 1, the points with y^2 = 1) only with the sign clear.
 */
static int
encoding_canonical(const uint8_t s[32])
{
	int one = s[0] == 0x01, minus_one = s[0] == 0xec;

	if (y_not_reduced(s))
		return 0;
	if ((s[31] & 0x80) == 0)
		return 1;
	for (int i = 1; i < 31; i++) {
		one &= s[i] == 0;
		minus_one &= s[i] == 0xff;
	}
	one &= s[31] == 0x80;
	minus_one &= s[31] == 0xff;
	return !one && !minus_one;
}

/*
 * Decode a point (RFC 8032 section 5.1.3) strictly: 0 or -CELL_E_INVAL for
 * a non-canonical encoding or a y with no x on the curve. From the curve
 * equation x^2 = u / v, u = y^2 - 1, v = d y^2 + 1; the candidate root
 * x = u v^3 (u v^7)^((p - 5) / 8) squares to +-u/v when u/v is a square.
 */
static int
ge_frombytes(struct ge *p, const uint8_t s[32], const struct fe *d)
{
	struct fe u, v, v3, vx2, t, sqrtm1;
	int sign = s[31] >> 7;

	if (!encoding_canonical(s))
		return -CELL_E_INVAL;
	fe_frombytes(&p->y, s);
	fe_set(&p->z, 1);
	fe_sq(&u, &p->y);
	fe_mul(&v, &u, d);
	fe_sub(&u, &u, &p->z);			/* u = y^2 - 1 */
	fe_add(&v, &v, &p->z);			/* v = d y^2 + 1 */
	fe_sq(&v3, &v);
	fe_mul(&v3, &v3, &v);			/* v^3 */
	fe_sq(&t, &v3);
	fe_mul(&t, &t, &v);
	fe_mul(&t, &t, &u);			/* u v^7 */
	fe_pow2523(&t, &t);
	fe_mul(&t, &t, &v3);
	fe_mul(&p->x, &t, &u);			/* u v^3 (u v^7)^((p-5)/8) */
	fe_sq(&vx2, &p->x);
	fe_mul(&vx2, &vx2, &v);
	if (!fe_equal(&vx2, &u)) {
		fe_neg(&t, &u);
		if (!fe_equal(&vx2, &t))
			return -CELL_E_INVAL;	/* u / v is not a square */
		fe_frombytes(&sqrtm1, sqrtm1_bytes);
		fe_mul(&p->x, &p->x, &sqrtm1);
	}
	/* x = 0 with the sign set was refused above, from the bytes. */
	if (fe_isodd(&p->x) != sign)
		fe_neg(&p->x, &p->x);
	fe_mul(&p->t, &p->x, &p->y);
	return 0;
}

/* The encoding of p (RFC 8032 section 5.1.2): y, and x's sign in bit 255. */
static void
ge_tobytes(uint8_t s[32], const struct ge *p)
{
	struct fe zi, x, y;

	fe_invert(&zi, &p->z);
	fe_mul(&x, &p->x, &zi);
	fe_mul(&y, &p->y, &zi);
	fe_tobytes(s, &y);
	s[31] |= (uint8_t)(fe_isodd(&x) << 7);
}

/* Whether p has an order dividing 8, that is [8]p is the identity. */
static int
ge_small_order(const struct ge *p)
{
	struct ge q;

	ge_dbl(&q, p, 0);
	ge_dbl(&q, &q, 0);
	ge_dbl(&q, &q, 0);
	/*
	 * x = 0 leaves the identity (0, 1) and (0, -1); [8]p = (0, -1) would
	 * make p of order 16, and the group (order 8L, L an odd prime) has
	 * none, so x = 0 means the identity.
	 */
	return fe_iszero(&q.x);
}

/* ---- scalars mod L ---- */

/* Whether the 256-bit little-endian s is below L. */
static int
sc_below_order(const uint8_t s[32])
{
	for (int i = 31; i >= 0; i--) {
		if (s[i] != order_bytes[i])
			return s[i] < order_bytes[i];
	}
	return 0;
}

/*
 * out = h mod L for a 512-bit little-endian h, a byte at a time from the
 * top: r = (256 r + byte) mod L. With r < L, x = 256 r + byte is below
 * 2^261; q = floor(x / 2^252) < 2^9, and x - q L = (x mod 2^252) - q c
 * with c = L - 2^252 < 2^125 lies in (-L, 2^252), so adding L once when it
 * is negative gives the remainder.
 */
static void
sc_reduce512(uint8_t out[32], const uint8_t h[64])
{
	static const uint32_t c[4] = {
		0x5cf5d3edu, 0x5812631au, 0xa2f79cd6u, 0x14def9deu,
	};
	uint32_t r[8] = { 0 }, l[8];

	for (int i = 0; i < 8; i++)
		l[i] = load_le32(order_bytes + 4 * i);
	for (int byte = 63; byte >= 0; byte--) {
		uint32_t top = r[7] >> 24, q, borrow = 0;
		uint64_t carry = 0;

		for (int i = 7; i > 0; i--)
			r[i] = r[i] << 8 | r[i - 1] >> 24;
		r[0] = r[0] << 8 | h[byte];
		q = top << 4 | r[7] >> 28;
		r[7] &= 0x0fffffffu;
		for (int i = 0; i < 8; i++) {
			uint64_t m = (i < 4 ? (uint64_t)q * c[i] : 0) + carry;
			uint64_t diff = (uint64_t)r[i] - (uint32_t)m - borrow;

			carry = m >> 32;
			r[i] = (uint32_t)diff;
			borrow = (uint32_t)(diff >> 63);
		}
		if (borrow) {
			carry = 0;
			for (int i = 0; i < 8; i++) {
				carry += (uint64_t)r[i] + l[i];
				r[i] = (uint32_t)carry;
				carry >>= 32;
			}
		}
	}
	for (int i = 0; i < 32; i++)
		out[i] = (uint8_t)(r[i / 4] >> (8 * (i % 4)));
}

/*
 * The width-5 non-adjacent form of a scalar s < 2^253: digits e[i], each 0
 * or odd in -15..15, with s = sum e[i] 2^i and at least four zeros after
 * every non-zero digit. While n is odd, the digit is n mod 32 taken in
 * -15..15 and subtracted, so n is then a multiple of 32; n stays below
 * 2^253 + 16 and fits in eight words.
 */
static void
sc_wnaf(int8_t e[256], const uint8_t s[32])
{
	uint32_t n[8];

	for (int i = 0; i < 8; i++)
		n[i] = load_le32(s + 4 * i);
	for (int i = 0; i < 256; i++) {
		int digit = 0;

		if (n[0] & 1) {
			digit = (int)(n[0] & 31);
			if (digit > 16)
				digit -= 32;
			if (digit > 0) {
				n[0] -= (uint32_t)digit;	/* no borrow */
			} else {
				uint64_t carry = (uint64_t)(uint32_t)-digit;

				for (int w = 0; w < 8 && carry != 0; w++) {
					carry += n[w];
					n[w] = (uint32_t)carry;
					carry >>= 32;
				}
			}
		}
		e[i] = (int8_t)digit;
		for (int w = 0; w < 7; w++)
			n[w] = n[w] >> 1 | n[w + 1] << 31;
		n[7] >>= 1;
	}
}

/* ---- verification ---- */

/* tab[i] = (2i + 1) p for i = 0..7, ready to be added. */
static void
ge_odd_multiples(struct ge_cached tab[8], const struct ge *p,
    const struct fe *d2)
{
	struct ge p2, acc;
	struct ge_cached c2;

	ge_dbl(&p2, p, 1);
	ge_to_cached(&c2, &p2, d2);
	ge_to_cached(&tab[0], p, d2);
	ge_add(&acc, p, &c2, 0, 1);
	ge_to_cached(&tab[1], &acc, d2);
	for (int i = 2; i < 8; i++) {
		ge_add(&acc, &acc, &c2, 0, 1);
		ge_to_cached(&tab[i], &acc, d2);
	}
}

/* Add (or subtract, when neg is set) digit * tab's point into r. */
static void
ge_add_digit(struct ge *r, const struct ge_cached tab[8], int digit, int neg,
    int want_t)
{
	if (digit > 0)
		ge_add(r, r, &tab[digit / 2], neg, want_t);
	else if (digit < 0)
		ge_add(r, r, &tab[-digit / 2], !neg, want_t);
}

/* r = [s]B - [k]A (Straus: one chain of doublings for both). */
static void
ge_double_scalarmult(struct ge *r, const uint8_t s[32], const uint8_t k[32],
    const struct ge *a, const struct fe *d2)
{
	struct ge_cached tab_b[8], tab_a[8];
	struct ge base;
	int8_t es[256], ek[256];
	int i;

	fe_frombytes(&base.x, base_x_bytes);
	fe_frombytes(&base.y, base_y_bytes);
	fe_set(&base.z, 1);
	fe_mul(&base.t, &base.x, &base.y);
	ge_odd_multiples(tab_b, &base, d2);
	ge_odd_multiples(tab_a, a, d2);
	sc_wnaf(es, s);
	sc_wnaf(ek, k);
	ge_identity(r);
	for (i = 255; i >= 0 && es[i] == 0 && ek[i] == 0; i--)
		;
	for (; i >= 0; i--) {
		ge_dbl(r, r, es[i] != 0 || ek[i] != 0);
		ge_add_digit(r, tab_b, es[i], 0, ek[i] != 0);
		ge_add_digit(r, tab_a, ek[i], 1, 0);
	}
}

int
ed25519_pubkey_check(const uint8_t pub[ED25519_PUBKEY_SIZE])
{
	struct ge a;
	struct fe d;
	int rc;

	fe_frombytes(&d, d_bytes);
	rc = ge_frombytes(&a, pub, &d);
	if (rc < 0)
		return rc;
	return ge_small_order(&a) ? -CELL_E_WEAKKEY : 0;
}

int
ed25519_verify(const uint8_t sig[ED25519_SIG_SIZE], const uint8_t *msg,
    size_t len, const uint8_t pub[ED25519_PUBKEY_SIZE])
{
	struct sha512_ctx hctx;
	struct ge a, r;
	struct fe d, d2;
	uint8_t h[SHA512_SIZE], k[32], check[32];
	int rc;

	if (!sc_below_order(sig + 32))
		return -CELL_E_RANGE;
	if (!encoding_canonical(sig))
		return -CELL_E_INVAL;
	fe_frombytes(&d, d_bytes);
	rc = ge_frombytes(&a, pub, &d);
	if (rc < 0)
		return rc;
	if (ge_small_order(&a))
		return -CELL_E_WEAKKEY;
	fe_add(&d2, &d, &d);

	sha512_init(&hctx);
	sha512_update(&hctx, sig, 32);
	sha512_update(&hctx, pub, 32);
	sha512_update(&hctx, msg, len);
	sha512_final(&hctx, h);
	sc_reduce512(k, h);

	ge_double_scalarmult(&r, sig + 32, k, &a, &d2);
	ge_tobytes(check, &r);
	return ct_equal(check, sig, 32) ? 0 : -CELL_E_BADSIG;
}
