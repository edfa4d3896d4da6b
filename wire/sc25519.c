/* Scalars mod L; see sc25519.h. */
#include <stdint.h>

#include "byteorder.h"
#include "sc25519.h"

/* The group order L. */
/* clang-format off */
static const uint8_t order_bytes[32] = {
	0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
	0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
};
/* clang-format on */

/* Whether the 256-bit little-endian s is below L. */
int
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
void
sc_reduce512(uint8_t out[32], const uint8_t h[64])
{
	static const uint32_t c[4] = {
		0x5cf5d3edu,
		0x5812631au,
		0xa2f79cd6u,
		0x14def9deu,
	};
	uint32_t r[8] = { 0 }, l[8];

	for (int i = 0; i < 8; i++)
		l[i] = le32_load(order_bytes + 4 * i);
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
 * every non-zero digit. Bit by bit from the bottom: where n has a one at
 * bit i, the digit is n's five bits from i taken in -15..15 and subtracted
 * at weight 2^i, which clears those five bits (a negative digit carries a
 * one into bit i + 5), so the next four digits are zero and the scan goes
 * on at i + 5. For s below 2^253 a carry never passes bit 254, so n (nine
 * words, the ninth for the windows that read past bit 255) is zero when
 * the scan ends.
 */
void
sc_wnaf(int8_t e[256], const uint8_t s[32])
{
	uint32_t n[9];

	for (int i = 0; i < 8; i++)
		n[i] = le32_load(s + 4 * i);
	n[8] = 0;
	for (int i = 0; i < 256; i++)
		e[i] = 0;
	for (unsigned i = 0; i < 256;) {
		unsigned w = i / 32, b = i % 32;
		uint32_t bits = n[w] >> b;
		int digit;

		if (b > 27) /* the window spans two words */
			bits |= n[w + 1] << (32 - b);
		if ((bits & 1) == 0) {
			i++;
			continue;
		}
		digit = (int)(bits & 31);
		if (digit > 16)
			digit -= 32;
		e[i] = (int8_t)digit;
		n[w] &= ~(31u << b);
		if (b > 27)
			n[w + 1] &= ~(31u >> (32 - b));
		if (digit < 0) {
			unsigned at = i + 5;
			uint64_t carry = 1ull << (at % 32);

			for (unsigned k = at / 32; k < 9 && carry != 0; k++) {
				carry += n[k];
				n[k] = (uint32_t)carry;
				carry >>= 32;
			}
		}
		i += 5;
	}
}

/* ---- verification ---- */
