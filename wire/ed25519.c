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
#include "fe25519.h"
#include "sc25519.h"
#include "sha512.h"

/* ---- constants (values in RFC 8032 section 5.1, little-endian) ---- */

/* d = -121665 / 121666 mod p */
/* clang-format off */
static const uint8_t d_bytes[32] = {
	0xa3, 0x78, 0x59, 0x13, 0xca, 0x4d, 0xeb, 0x75, 0xab, 0xd8, 0x41,
	0x41, 0x4d, 0x0a, 0x70, 0x00, 0x98, 0xe8, 0x79, 0x77, 0x79, 0x40,
	0xc7, 0x8c, 0x73, 0xfe, 0x6f, 0x2b, 0xee, 0x6c, 0x03, 0x52,
};
/* clang-format on */

/* sqrt(-1) = 2^((p - 1) / 4) mod p */
/* clang-format off */
static const uint8_t sqrtm1_bytes[32] = {
	0xb0, 0xa0, 0x0e, 0x4a, 0x27, 0x1b, 0xee, 0xc4, 0x78, 0xe4, 0x2f,
	0xad, 0x06, 0x18, 0x43, 0x2f, 0xa7, 0xd7, 0xfb, 0x3d, 0x99, 0x00,
	0x4d, 0x2b, 0x0b, 0xdf, 0xc1, 0x4f, 0x80, 0x24, 0x83, 0x2b,
};
/* clang-format on */

/* The base point B: y = 4/5, x the even root. */
/* clang-format off */
static const uint8_t base_x_bytes[32] = {
	0x1a, 0xd5, 0x25, 0x8f, 0x60, 0x2d, 0x56, 0xc9, 0xb2, 0xa7, 0x25,
	0x95, 0x60, 0xc7, 0x2c, 0x69, 0x5c, 0xdc, 0xd6, 0xfd, 0x31, 0xe2,
	0xa4, 0xc0, 0xfe, 0x53, 0x6e, 0xcd, 0xd3, 0x36, 0x69, 0x21,
};
/* clang-format on */
/* clang-format off */
static const uint8_t base_y_bytes[32] = {
	0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
	0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
	0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
};
/* clang-format on */

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
ge_add(struct ge *r, const struct ge *p, const struct ge_cached *q, int negate,
    int want_t)
{
	struct fe a, b, c, d, e, f, g, h, t;

	fe_sub(&t, &p->y, &p->x);
	fe_mul(&a, &t, negate ? &q->ypx : &q->ymx); /* (Y1 - X1)(Y2 - X2) */
	fe_add(&t, &p->y, &p->x);
	fe_mul(&b, &t, negate ? &q->ymx : &q->ypx); /* (Y1 + X1)(Y2 + X2) */
	fe_mul(&c, &p->t, &q->t2d);                 /* 2d T1 T2 */
	fe_mul(&d, &p->z, &q->z2);                  /* 2 Z1 Z2 */
	fe_sub(&e, &b, &a);
	if (negate) { /* C is -C: F = D + C, G = D - C */
		fe_add(&f, &d, &c);
		fe_sub(&g, &d, &c);
	} else {
		fe_sub(&f, &d, &c);
		fe_add(&g, &d, &c);
	}
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

	fe_sq(&a, &p->x); /* A = X^2 */
	fe_sq(&b, &p->y); /* B = Y^2 */
	fe_sq(&c, &p->z);
	fe_add(&c, &c, &c); /* C = 2 Z^2 */
	fe_add(&t, &p->x, &p->y);
	fe_sq(&t, &t);
	fe_sub(&e, &t, &a);
	fe_sub(&e, &e, &b); /* E = (X + Y)^2 - A - B */
	fe_sub(&g, &b, &a); /* G = -A + B */
	fe_sub(&f, &g, &c); /* F = G - C */
	fe_add(&h, &a, &b);
	fe_neg(&h, &h); /* H = -A - B */
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
	fe_sub(&u, &u, &p->z); /* u = y^2 - 1 */
	fe_add(&v, &v, &p->z); /* v = d y^2 + 1 */
	fe_sq(&v3, &v);
	fe_mul(&v3, &v3, &v); /* v^3 */
	fe_sq(&t, &v3);
	fe_mul(&t, &t, &v);
	fe_mul(&t, &t, &u); /* u v^7 */
	fe_pow2523(&t, &t);
	fe_mul(&t, &t, &v3);
	fe_mul(&p->x, &t, &u); /* u v^3 (u v^7)^((p-5)/8) */
	fe_sq(&vx2, &p->x);
	fe_mul(&vx2, &vx2, &v);
	if (!fe_equal(&vx2, &u)) {
		fe_neg(&t, &u);
		if (!fe_equal(&vx2, &t))
			return -CELL_E_INVAL; /* u / v is not a square */
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
