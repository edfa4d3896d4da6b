/*
 * Ed25519 signature verification (RFC 8032 section 5.1.7), strict and
 * cofactorless; docs/CRYPTO.md says exactly what is accepted and why.
 * Freestanding: no libc, no heap, no mutable globals; only 32x32->64-bit
 * multiplies, so 32-bit targets run the same code. Verification handles
 * public data only and so is not constant-time.
 */
#ifndef CELLOS_ED25519_H
#define CELLOS_ED25519_H

#include <stddef.h>
#include <stdint.h>

#define ED25519_PUBKEY_SIZE 32u
#define ED25519_SIG_SIZE    64u

/*
 * Whether pub is a public key a signature may be checked against: the
 * canonical encoding of a curve point whose order does not divide 8.
 * 0, -CELL_E_INVAL (y >= p, x = 0 with the sign bit set, or no curve point
 * has this y) or -CELL_E_WEAKKEY (a point of order 1, 2, 4 or 8).
 */
int ed25519_pubkey_check(const uint8_t pub[ED25519_PUBKEY_SIZE]);

/*
 * Verify the signature sig = R || S of msg[0..len) under pub (msg may be
 * NULL when len is 0). 0 when [S]B - [k]A encodes to exactly the bytes R,
 * k = SHA-512(R || A || msg) mod L. Otherwise, checked in this order:
 * -CELL_E_RANGE (S >= L), -CELL_E_INVAL (R is not a canonical encoding:
 * y >= p, or x = 0 with the sign bit set), the error of
 * ed25519_pubkey_check for pub, and -CELL_E_BADSIG (the equation fails,
 * which includes an R that is no curve point).
 */
int ed25519_verify(const uint8_t sig[ED25519_SIG_SIZE], const uint8_t *msg,
    size_t len, const uint8_t pub[ED25519_PUBKEY_SIZE]);

#endif
