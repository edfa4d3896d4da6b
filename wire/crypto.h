/*
 * The kernel's cryptography: SHA-256 (FIPS 180-4), HMAC-SHA-256 (RFC 2104),
 * HKDF-SHA-256 (RFC 5869), CRC32C (Castagnoli) and a constant-time compare.
 * Freestanding: no libc, no heap; explicit byte order, so results are the
 * same on every target. The one mutable state is which engine computes
 * SHA-256 blocks and CRC32C (crypto_use_accel), set once at boot.
 */
#ifndef CELLOS_CRYPTO_H
#define CELLOS_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_SIZE  32u
#define SHA256_BLOCK 64u

struct sha256_ctx {
	uint32_t h[8];
	uint64_t bytes;              /* message length so far */
	uint8_t block[SHA256_BLOCK]; /* a partial block */
	uint32_t fill;               /* bytes in block */
};

/* Start a hash. */
void sha256_init(struct sha256_ctx *ctx);
/* Add len bytes. */
void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len);
/* Finish: write the 32-byte digest; ctx must be initialised again to reuse. */
void sha256_final(struct sha256_ctx *ctx, uint8_t out[SHA256_SIZE]);
/* One-shot SHA-256. */
void sha256(const void *data, size_t len, uint8_t out[SHA256_SIZE]);
/*
 * The first four bytes of SHA-256(data), read little-endian: how every
 * proof value of CONTRACT.md section 3 is formed.
 */
uint32_t sha256_le32(const void *data, size_t len);

/*
 * Finish ctx and return the first four bytes of its digest, read
 * little-endian: the 32-bit value every proof line prints.
 */
uint32_t sha256_final_le32(struct sha256_ctx *ctx);

struct hmac_sha256_ctx {
	struct sha256_ctx inner;
	struct sha256_ctx outer; /* already fed with key ^ opad */
};

/* Start an HMAC under key[0..keylen); a key over 64 bytes is hashed first. */
void hmac_sha256_init(struct hmac_sha256_ctx *ctx, const void *key,
    size_t keylen);
void hmac_sha256_update(struct hmac_sha256_ctx *ctx, const void *data,
    size_t len);
/* Finish: write the 32-byte tag and wipe ctx. */
void hmac_sha256_final(struct hmac_sha256_ctx *ctx, uint8_t out[SHA256_SIZE]);
/* One-shot HMAC-SHA-256. */
void hmac_sha256(const void *key, size_t keylen, const void *msg, size_t len,
    uint8_t out[SHA256_SIZE]);

/* HKDF-Extract: prk = HMAC(salt, ikm); an empty salt means 32 zero bytes. */
void hkdf_sha256_extract(const void *salt, size_t saltlen, const void *ikm,
    size_t ikmlen, uint8_t prk[SHA256_SIZE]);
/* HKDF-Expand: 0, or -CELL_E_INVAL when outlen > 255 * 32. */
int hkdf_sha256_expand(const uint8_t prk[SHA256_SIZE], const void *info,
    size_t infolen, uint8_t *out, size_t outlen);
/* Extract then expand. 0 or -CELL_E_INVAL. */
int hkdf_sha256(const void *salt, size_t saltlen, const void *ikm,
    size_t ikmlen, const void *info, size_t infolen, uint8_t *out,
    size_t outlen);

/*
 * CRC32C (polynomial 0x1EDC6F41, reflected, init and final xor ~0).
 * crc32c(0, p, n) is the standard value; crc32c(crc32c(0, a, n), b, m) is
 * the CRC of a followed by b.
 */
uint32_t crc32c(uint32_t crc, const void *data, size_t len);

/*
 * Faster engines a machine may offer for the two inner loops (the CPU's
 * SHA-256 and CRC32C instructions: core/hal.h's hal_crypto_accel). Each
 * function must compute exactly what its portable counterpart below does,
 * for every input, alignment and length; a NULL member keeps the portable
 * code for that primitive. They may use vector registers that interrupt
 * entry does not save, so they run only where no interrupt handler hashes.
 */
struct crypto_accel {
	const char *sha256_name; /* e.g. "SHA-NI"; NULL with no engine */
	void (*sha256_blocks)(uint32_t h[8], const uint8_t *blocks,
	    size_t nblocks);
	const char *crc32c_name;
	uint32_t (*crc32c)(uint32_t crc, const void *data, size_t len);
};

/*
 * From now on compute SHA-256 blocks and CRC32C with a's engines (its NULL
 * members, or a NULL a, mean the portable code). Call it where nothing is
 * hashing: at boot, before the self-tests. Before any call, the portable
 * code runs (stage 2 and the host tools never call it).
 */
void crypto_use_accel(const struct crypto_accel *a);

/*
 * The name of the engine in use for SHA-256 blocks and for CRC32C, or NULL
 * while the portable code runs.
 */
const char *crypto_sha256_engine(void);
const char *crypto_crc32c_engine(void);

/*
 * The SHA-256 compression of nblocks consecutive 64-byte blocks into h, by
 * the engine in use (what sha256_update runs): for the self-tests.
 */
void sha256_blocks(uint32_t h[8], const uint8_t *blocks, size_t nblocks);

/*
 * SHA-256 compressions so far in this process or image, by any engine and
 * by sha256_blocks_portable: a plain counter for the benchmarks (bench
 * boots reads it around each boot step); nothing in the kernel reads it.
 * It wraps only after 2^64 blocks.
 */
uint64_t crypto_sha256_compressions(void);

/*
 * The portable code, whatever crypto_use_accel chose: the reference every
 * engine is checked against. sha256_blocks_portable runs the FIPS 180-4
 * compression over nblocks consecutive 64-byte blocks into h (big-endian
 * message words, no padding); crc32c_portable is crc32c by its table.
 */
void sha256_blocks_portable(uint32_t h[8], const uint8_t *blocks,
    size_t nblocks);
uint32_t crc32c_portable(uint32_t crc, const void *data, size_t len);

/* Constant time (no early exit): 1 if a and b are equal over n bytes. */
int ct_equal(const void *a, const void *b, size_t n);

/* Overwrite n bytes with zeros in a way the compiler may not remove. */
void crypto_wipe(void *p, size_t n);

#endif
