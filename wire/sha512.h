/*
 * SHA-512 (FIPS 180-4 section 6.4), the hash inside Ed25519 (RFC 8032).
 * Freestanding: no libc, no heap, no mutable globals; 64-bit words are
 * plain uint64_t (a 32-bit target's compiler splits them), loaded and
 * stored big-endian a byte at a time, so results are the same everywhere.
 */
#ifndef CELLOS_SHA512_H
#define CELLOS_SHA512_H

#include <stddef.h>
#include <stdint.h>

#define SHA512_SIZE  64u
#define SHA512_BLOCK 128u

struct sha512_ctx {
	uint64_t h[8];
	uint64_t bytes;              /* message length so far */
	uint8_t block[SHA512_BLOCK]; /* a partial block */
	uint32_t fill;               /* bytes in block */
};

/* Start a hash. */
void sha512_init(struct sha512_ctx *ctx);
/* Add len bytes (data may be NULL when len is 0). */
void sha512_update(struct sha512_ctx *ctx, const void *data, size_t len);
/* Finish: write the 64-byte digest and wipe ctx; initialise it to reuse. */
void sha512_final(struct sha512_ctx *ctx, uint8_t out[SHA512_SIZE]);
/* One-shot SHA-512. */
void sha512(const void *data, size_t len, uint8_t out[SHA512_SIZE]);

#endif
