/*
 * Scalars modulo L, the order of Ed25519's base point, for verification
 * (ed25519.c) and its tests: 256- and 512-bit little-endian byte strings.
 */
#ifndef CELLOS_SC25519_H
#define CELLOS_SC25519_H

#include <stdint.h>

/* Whether the 256-bit little-endian s is below L. */
int sc_below_order(const uint8_t s[32]);

/*
 * out = h mod L for a 512-bit little-endian h, a byte at a time from the
 * top: r = (256 r + byte) mod L. With r < L, x = 256 r + byte is below
 * 2^261; q = floor(x / 2^252) < 2^9, and x - q L = (x mod 2^252) - q c
 * with c = L - 2^252 < 2^125 lies in (-L, 2^252), so adding L once when it
 * is negative gives the remainder.
 */
void sc_reduce512(uint8_t out[32], const uint8_t h[64]);

/*
 * The width-5 non-adjacent form of a scalar s < 2^253: digits e[i], each 0
 * or odd in -15..15, with s = sum e[i] 2^i and at least four zeros after
 * every non-zero digit.
 */
void sc_wnaf(int8_t e[256], const uint8_t s[32]);

#endif
