/*
 * SHA-256, HMAC-SHA-256, HKDF-SHA-256, CRC32C and constant-time helpers for
 * the kernel; see crypto.h. Portable C, explicit big-/little-endian loads,
 * no unaligned access, nothing that depends on the target.
 */
#include <stddef.h>
#include <stdint.h>

#include "cellos/errors.h"
#include "crypto.h"

/*
 * SHA-256 with its rounds unrolled (faster, about 4 KiB more code) or as a
 * loop: a build may choose (the board builds choose the loop, see
 * cmake/CellosCommon.cmake's cellos_board_knobs).
 */
#ifndef CFG_SHA256_UNROLLED
#define CFG_SHA256_UNROLLED 1
#endif

/* ---- SHA-256 (FIPS 180-4 section 6.2) ---- */

/* clang-format off */
static const uint32_t K[64] = {
	0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu,
	0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u, 0xd807aa98u, 0x12835b01u,
	0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u,
	0xc19bf174u, 0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu,
	0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau, 0x983e5152u,
	0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u,
	0x06ca6351u, 0x14292967u, 0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu,
	0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
	0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u,
	0xd6990624u, 0xf40e3585u, 0x106aa070u, 0x19a4c116u, 0x1e376c08u,
	0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu,
	0x682e6ff3u, 0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u,
	0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};
/* clang-format on */

static uint32_t
rotr(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static uint32_t
load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void
store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/*
 * Process one 64-byte block into the state h. The rounds are unrolled eight
 * at a time with the working variables renamed instead of moved, and the
 * message schedule is kept as a rolling window of 16 words.
 */
#define S0(x)        (rotr((x), 2) ^ rotr((x), 13) ^ rotr((x), 22))
#define S1(x)        (rotr((x), 6) ^ rotr((x), 11) ^ rotr((x), 25))
#define s0(x)        (rotr((x), 7) ^ rotr((x), 18) ^ ((x) >> 3))
#define s1(x)        (rotr((x), 17) ^ rotr((x), 19) ^ ((x) >> 10))
#define CH(e, f, g)  (((e) & (f)) ^ (~(e) & (g)))
#define MAJ(a, b, c) (((a) & (b)) ^ ((a) & (c)) ^ ((b) & (c)))

/* Word t of the schedule (t >= 16), computed in place in the window w. */
/* clang-format off */
#define W(t)	(w[(t) & 15] += s1(w[((t) - 2) & 15]) + w[((t) - 7) & 15] + \
		    s0(w[((t) - 15) & 15]))
/* clang-format on */

#define ROUND(a, b, c, d, e, f, g, h, t, wt)                            \
	do {                                                            \
		uint32_t t1_ = (h) + S1(e) + CH(e, f, g) + K[t] + (wt); \
		(d) += t1_;                                             \
		(h) = t1_ + S0(a) + MAJ(a, b, c);                       \
	} while (0)

#define EIGHT(t, WT)                                                  \
	do {                                                          \
		ROUND(a, b, c, d, e, f, g, hh, (t) + 0, WT((t) + 0)); \
		ROUND(hh, a, b, c, d, e, f, g, (t) + 1, WT((t) + 1)); \
		ROUND(g, hh, a, b, c, d, e, f, (t) + 2, WT((t) + 2)); \
		ROUND(f, g, hh, a, b, c, d, e, (t) + 3, WT((t) + 3)); \
		ROUND(e, f, g, hh, a, b, c, d, (t) + 4, WT((t) + 4)); \
		ROUND(d, e, f, g, hh, a, b, c, (t) + 5, WT((t) + 5)); \
		ROUND(c, d, e, f, g, hh, a, b, (t) + 6, WT((t) + 6)); \
		ROUND(b, c, d, e, f, g, hh, a, (t) + 7, WT((t) + 7)); \
	} while (0)

#define WLOAD(t) (w[t])

#if CFG_SHA256_UNROLLED
static void
compress(uint32_t h[8], const uint8_t *block)
{
	uint32_t w[16];
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
	uint32_t e = h[4], f = h[5], g = h[6], hh = h[7];

	for (int t = 0; t < 16; t++)
		w[t] = load_be32(block + 4 * t);
	EIGHT(0, WLOAD);
	EIGHT(8, WLOAD);
	for (int t = 16; t < 64; t += 16) {
		EIGHT(t, W);
		EIGHT(t + 8, W);
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	h[5] += f;
	h[6] += g;
	h[7] += hh;
}
#else
/*
 * The same function in about a third of the code: the whole schedule
 * first, then a loop of eight rounds a turn with the working variables
 * renamed, not moved. (Moving them through an array each round, the old
 * form, made a block cost five times as long under QEMU's TCG, where every
 * memory access is a call: it was most of an x86 board boot.)
 */
static void
compress(uint32_t h[8], const uint8_t *block)
{
	uint32_t w[64];
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
	uint32_t e = h[4], f = h[5], g = h[6], hh = h[7];

	for (int t = 0; t < 16; t++)
		w[t] = load_be32(block + 4 * t);
	for (int t = 16; t < 64; t++)
		w[t] = s1(w[t - 2]) + w[t - 7] + s0(w[t - 15]) + w[t - 16];
	for (int t = 0; t < 64; t += 8)
		EIGHT(t, WLOAD);
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	h[5] += f;
	h[6] += g;
	h[7] += hh;
}
#endif

static void
portable_blocks(uint32_t h[8], const uint8_t *blocks, size_t nblocks)
{
	while (nblocks-- > 0) {
		compress(h, blocks);
		blocks += SHA256_BLOCK;
	}
}

/* Compressions so far, by any engine (crypto_sha256_compressions). */
static uint64_t compressions;

uint64_t
crypto_sha256_compressions(void)
{
	return compressions;
}

void
sha256_blocks_portable(uint32_t h[8], const uint8_t *blocks, size_t nblocks)
{
	compressions += nblocks;
	portable_blocks(h, blocks, nblocks);
}

/*
 * The engines in use. Initialised (not zero) so that the portable code runs
 * before any crypto_use_accel, even where BSS is not cleared (stage 2).
 * The names are NULL while the portable code runs.
 */
static struct {
	void (*sha256_blocks)(uint32_t h[8], const uint8_t *blocks,
	    size_t nblocks);
	uint32_t (*crc32c)(uint32_t crc, const void *data, size_t len);
	const char *sha256_name;
	const char *crc32c_name;
} engine = {
	portable_blocks,
	crc32c_portable,
	NULL,
	NULL,
};

/* Every compression but sha256_blocks_portable's goes through here. */
static void
run_blocks(uint32_t h[8], const uint8_t *blocks, size_t nblocks)
{
	compressions += nblocks;
	engine.sha256_blocks(h, blocks, nblocks);
}

void
crypto_use_accel(const struct crypto_accel *a)
{
	int sha = a != NULL && a->sha256_blocks != NULL;
	int crc = a != NULL && a->crc32c != NULL;

	engine.sha256_blocks = sha ? a->sha256_blocks : portable_blocks;
	engine.sha256_name = !sha  ? NULL :
	    a->sha256_name != NULL ? a->sha256_name :
				     "an accelerated engine";
	engine.crc32c = crc ? a->crc32c : crc32c_portable;
	engine.crc32c_name = !crc  ? NULL :
	    a->crc32c_name != NULL ? a->crc32c_name :
				     "an accelerated engine";
}

const char *
crypto_sha256_engine(void)
{
	return engine.sha256_name;
}

const char *
crypto_crc32c_engine(void)
{
	return engine.crc32c_name;
}

void
sha256_blocks(uint32_t h[8], const uint8_t *blocks, size_t nblocks)
{
	run_blocks(h, blocks, nblocks);
}

void
sha256_init(struct sha256_ctx *ctx)
{
	/* clang-format off */
	static const uint32_t iv[8] = {
		0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
		0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u,
	};
	/* clang-format on */

	for (int i = 0; i < 8; i++)
		ctx->h[i] = iv[i];
	ctx->bytes = 0;
	ctx->fill = 0;
}

void
sha256_update(struct sha256_ctx *ctx, const void *data, size_t len)
{
	const uint8_t *p = data;

	ctx->bytes += len;
	if (ctx->fill > 0) {
		while (len > 0 && ctx->fill < SHA256_BLOCK) {
			ctx->block[ctx->fill++] = *p++;
			len--;
		}
		if (ctx->fill < SHA256_BLOCK)
			return;
		run_blocks(ctx->h, ctx->block, 1);
		ctx->fill = 0;
	}
	if (len >= SHA256_BLOCK) {
		size_t n = len / SHA256_BLOCK;

		run_blocks(ctx->h, p, n);
		p += n * SHA256_BLOCK;
		len -= n * SHA256_BLOCK;
	}
	while (len > 0) {
		ctx->block[ctx->fill++] = *p++;
		len--;
	}
}

void
sha256_final(struct sha256_ctx *ctx, uint8_t out[SHA256_SIZE])
{
	uint64_t bits = ctx->bytes * 8;

	ctx->block[ctx->fill++] = 0x80;
	if (ctx->fill > SHA256_BLOCK - 8) {
		while (ctx->fill < SHA256_BLOCK)
			ctx->block[ctx->fill++] = 0;
		run_blocks(ctx->h, ctx->block, 1);
		ctx->fill = 0;
	}
	while (ctx->fill < SHA256_BLOCK - 8)
		ctx->block[ctx->fill++] = 0;
	for (int i = 0; i < 8; i++)
		ctx->block[SHA256_BLOCK - 1 - i] = (uint8_t)(bits >> (8 * i));
	run_blocks(ctx->h, ctx->block, 1);
	for (int i = 0; i < 8; i++)
		store_be32(out + 4 * i, ctx->h[i]);
	crypto_wipe(ctx, sizeof *ctx);
}

void
sha256(const void *data, size_t len, uint8_t out[SHA256_SIZE])
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, data, len);
	sha256_final(&ctx, out);
}

uint32_t
sha256_final_le32(struct sha256_ctx *ctx)
{
	uint8_t d[SHA256_SIZE];

	sha256_final(ctx, d);
	return (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 |
	    (uint32_t)d[3] << 24;
}

uint32_t
sha256_le32(const void *data, size_t len)
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, data, len);
	return sha256_final_le32(&ctx);
}

/* ---- HMAC-SHA-256 (RFC 2104) ---- */

void
hmac_sha256_init(struct hmac_sha256_ctx *ctx, const void *key, size_t keylen)
{
	uint8_t k[SHA256_BLOCK] = { 0 };
	uint8_t pad[SHA256_BLOCK];
	const uint8_t *kp = key;

	if (keylen > SHA256_BLOCK) {
		sha256(key, keylen, k);
	} else {
		for (size_t i = 0; i < keylen; i++)
			k[i] = kp[i];
	}
	for (size_t i = 0; i < SHA256_BLOCK; i++)
		pad[i] = k[i] ^ 0x36;
	sha256_init(&ctx->inner);
	sha256_update(&ctx->inner, pad, SHA256_BLOCK);
	for (size_t i = 0; i < SHA256_BLOCK; i++)
		pad[i] = k[i] ^ 0x5c;
	sha256_init(&ctx->outer);
	sha256_update(&ctx->outer, pad, SHA256_BLOCK);
	crypto_wipe(k, sizeof k);
	crypto_wipe(pad, sizeof pad);
}

void
hmac_sha256_update(struct hmac_sha256_ctx *ctx, const void *data, size_t len)
{
	sha256_update(&ctx->inner, data, len);
}

void
hmac_sha256_final(struct hmac_sha256_ctx *ctx, uint8_t out[SHA256_SIZE])
{
	uint8_t inner[SHA256_SIZE];

	sha256_final(&ctx->inner, inner);
	sha256_update(&ctx->outer, inner, sizeof inner);
	sha256_final(&ctx->outer, out);
	crypto_wipe(inner, sizeof inner);
	crypto_wipe(ctx, sizeof *ctx);
}

void
hmac_sha256(const void *key, size_t keylen, const void *msg, size_t len,
    uint8_t out[SHA256_SIZE])
{
	struct hmac_sha256_ctx ctx;

	hmac_sha256_init(&ctx, key, keylen);
	hmac_sha256_update(&ctx, msg, len);
	hmac_sha256_final(&ctx, out);
}

/* ---- HKDF-SHA-256 (RFC 5869) ---- */

void
hkdf_sha256_extract(const void *salt, size_t saltlen, const void *ikm,
    size_t ikmlen, uint8_t prk[SHA256_SIZE])
{
	static const uint8_t zeros[SHA256_SIZE];

	if (saltlen == 0)
		hmac_sha256(zeros, sizeof zeros, ikm, ikmlen, prk);
	else
		hmac_sha256(salt, saltlen, ikm, ikmlen, prk);
}

int
hkdf_sha256_expand(const uint8_t prk[SHA256_SIZE], const void *info,
    size_t infolen, uint8_t *out, size_t outlen)
{
	uint8_t t[SHA256_SIZE];
	size_t done = 0;
	uint8_t counter = 1;

	if (outlen > 255 * SHA256_SIZE)
		return -CELL_E_INVAL;
	while (done < outlen) {
		struct hmac_sha256_ctx ctx;
		size_t n;

		hmac_sha256_init(&ctx, prk, SHA256_SIZE);
		if (counter > 1)
			hmac_sha256_update(&ctx, t, sizeof t);
		hmac_sha256_update(&ctx, info, infolen);
		hmac_sha256_update(&ctx, &counter, 1);
		hmac_sha256_final(&ctx, t);
		n = outlen - done < SHA256_SIZE ? outlen - done : SHA256_SIZE;
		for (size_t i = 0; i < n; i++)
			out[done + i] = t[i];
		done += n;
		counter++;
	}
	crypto_wipe(t, sizeof t);
	return 0;
}

int
hkdf_sha256(const void *salt, size_t saltlen, const void *ikm, size_t ikmlen,
    const void *info, size_t infolen, uint8_t *out, size_t outlen)
{
	uint8_t prk[SHA256_SIZE];
	int rc;

	if (outlen > 255 * SHA256_SIZE)
		return -CELL_E_INVAL;
	hkdf_sha256_extract(salt, saltlen, ikm, ikmlen, prk);
	rc = hkdf_sha256_expand(prk, info, infolen, out, outlen);
	crypto_wipe(prk, sizeof prk);
	return rc;
}

/* ---- CRC32C ---- */

/* crc32c_table[i]: i run through 8 steps of the reflected polynomial 0x82F63B78. */
/* clang-format off */
static const uint32_t crc32c_table[256] = {
	0x00000000u, 0xF26B8303u, 0xE13B70F7u, 0x1350F3F4u,
	0xC79A971Fu, 0x35F1141Cu, 0x26A1E7E8u, 0xD4CA64EBu,
	0x8AD958CFu, 0x78B2DBCCu, 0x6BE22838u, 0x9989AB3Bu,
	0x4D43CFD0u, 0xBF284CD3u, 0xAC78BF27u, 0x5E133C24u,
	0x105EC76Fu, 0xE235446Cu, 0xF165B798u, 0x030E349Bu,
	0xD7C45070u, 0x25AFD373u, 0x36FF2087u, 0xC494A384u,
	0x9A879FA0u, 0x68EC1CA3u, 0x7BBCEF57u, 0x89D76C54u,
	0x5D1D08BFu, 0xAF768BBCu, 0xBC267848u, 0x4E4DFB4Bu,
	0x20BD8EDEu, 0xD2D60DDDu, 0xC186FE29u, 0x33ED7D2Au,
	0xE72719C1u, 0x154C9AC2u, 0x061C6936u, 0xF477EA35u,
	0xAA64D611u, 0x580F5512u, 0x4B5FA6E6u, 0xB93425E5u,
	0x6DFE410Eu, 0x9F95C20Du, 0x8CC531F9u, 0x7EAEB2FAu,
	0x30E349B1u, 0xC288CAB2u, 0xD1D83946u, 0x23B3BA45u,
	0xF779DEAEu, 0x05125DADu, 0x1642AE59u, 0xE4292D5Au,
	0xBA3A117Eu, 0x4851927Du, 0x5B016189u, 0xA96AE28Au,
	0x7DA08661u, 0x8FCB0562u, 0x9C9BF696u, 0x6EF07595u,
	0x417B1DBCu, 0xB3109EBFu, 0xA0406D4Bu, 0x522BEE48u,
	0x86E18AA3u, 0x748A09A0u, 0x67DAFA54u, 0x95B17957u,
	0xCBA24573u, 0x39C9C670u, 0x2A993584u, 0xD8F2B687u,
	0x0C38D26Cu, 0xFE53516Fu, 0xED03A29Bu, 0x1F682198u,
	0x5125DAD3u, 0xA34E59D0u, 0xB01EAA24u, 0x42752927u,
	0x96BF4DCCu, 0x64D4CECFu, 0x77843D3Bu, 0x85EFBE38u,
	0xDBFC821Cu, 0x2997011Fu, 0x3AC7F2EBu, 0xC8AC71E8u,
	0x1C661503u, 0xEE0D9600u, 0xFD5D65F4u, 0x0F36E6F7u,
	0x61C69362u, 0x93AD1061u, 0x80FDE395u, 0x72966096u,
	0xA65C047Du, 0x5437877Eu, 0x4767748Au, 0xB50CF789u,
	0xEB1FCBADu, 0x197448AEu, 0x0A24BB5Au, 0xF84F3859u,
	0x2C855CB2u, 0xDEEEDFB1u, 0xCDBE2C45u, 0x3FD5AF46u,
	0x7198540Du, 0x83F3D70Eu, 0x90A324FAu, 0x62C8A7F9u,
	0xB602C312u, 0x44694011u, 0x5739B3E5u, 0xA55230E6u,
	0xFB410CC2u, 0x092A8FC1u, 0x1A7A7C35u, 0xE811FF36u,
	0x3CDB9BDDu, 0xCEB018DEu, 0xDDE0EB2Au, 0x2F8B6829u,
	0x82F63B78u, 0x709DB87Bu, 0x63CD4B8Fu, 0x91A6C88Cu,
	0x456CAC67u, 0xB7072F64u, 0xA457DC90u, 0x563C5F93u,
	0x082F63B7u, 0xFA44E0B4u, 0xE9141340u, 0x1B7F9043u,
	0xCFB5F4A8u, 0x3DDE77ABu, 0x2E8E845Fu, 0xDCE5075Cu,
	0x92A8FC17u, 0x60C37F14u, 0x73938CE0u, 0x81F80FE3u,
	0x55326B08u, 0xA759E80Bu, 0xB4091BFFu, 0x466298FCu,
	0x1871A4D8u, 0xEA1A27DBu, 0xF94AD42Fu, 0x0B21572Cu,
	0xDFEB33C7u, 0x2D80B0C4u, 0x3ED04330u, 0xCCBBC033u,
	0xA24BB5A6u, 0x502036A5u, 0x4370C551u, 0xB11B4652u,
	0x65D122B9u, 0x97BAA1BAu, 0x84EA524Eu, 0x7681D14Du,
	0x2892ED69u, 0xDAF96E6Au, 0xC9A99D9Eu, 0x3BC21E9Du,
	0xEF087A76u, 0x1D63F975u, 0x0E330A81u, 0xFC588982u,
	0xB21572C9u, 0x407EF1CAu, 0x532E023Eu, 0xA145813Du,
	0x758FE5D6u, 0x87E466D5u, 0x94B49521u, 0x66DF1622u,
	0x38CC2A06u, 0xCAA7A905u, 0xD9F75AF1u, 0x2B9CD9F2u,
	0xFF56BD19u, 0x0D3D3E1Au, 0x1E6DCDEEu, 0xEC064EEDu,
	0xC38D26C4u, 0x31E6A5C7u, 0x22B65633u, 0xD0DDD530u,
	0x0417B1DBu, 0xF67C32D8u, 0xE52CC12Cu, 0x1747422Fu,
	0x49547E0Bu, 0xBB3FFD08u, 0xA86F0EFCu, 0x5A048DFFu,
	0x8ECEE914u, 0x7CA56A17u, 0x6FF599E3u, 0x9D9E1AE0u,
	0xD3D3E1ABu, 0x21B862A8u, 0x32E8915Cu, 0xC083125Fu,
	0x144976B4u, 0xE622F5B7u, 0xF5720643u, 0x07198540u,
	0x590AB964u, 0xAB613A67u, 0xB831C993u, 0x4A5A4A90u,
	0x9E902E7Bu, 0x6CFBAD78u, 0x7FAB5E8Cu, 0x8DC0DD8Fu,
	0xE330A81Au, 0x115B2B19u, 0x020BD8EDu, 0xF0605BEEu,
	0x24AA3F05u, 0xD6C1BC06u, 0xC5914FF2u, 0x37FACCF1u,
	0x69E9F0D5u, 0x9B8273D6u, 0x88D28022u, 0x7AB90321u,
	0xAE7367CAu, 0x5C18E4C9u, 0x4F48173Du, 0xBD23943Eu,
	0xF36E6F75u, 0x0105EC76u, 0x12551F82u, 0xE03E9C81u,
	0x34F4F86Au, 0xC69F7B69u, 0xD5CF889Du, 0x27A40B9Eu,
	0x79B737BAu, 0x8BDCB4B9u, 0x988C474Du, 0x6AE7C44Eu,
	0xBE2DA0A5u, 0x4C4623A6u, 0x5F16D052u, 0xAD7D5351u,

};
/* clang-format on */

uint32_t
crc32c_portable(uint32_t crc, const void *data, size_t len)
{
	const uint8_t *p = data;

	crc = ~crc;
	while (len-- > 0)
		crc = crc32c_table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
	return ~crc;
}

uint32_t
crc32c(uint32_t crc, const void *data, size_t len)
{
	return engine.crc32c(crc, data, len);
}

/* ---- constant time ---- */

int
ct_equal(const void *a, const void *b, size_t n)
{
	const volatile uint8_t *p = a, *q = b;
	uint8_t diff = 0;

	for (size_t i = 0; i < n; i++)
		diff |= (uint8_t)(p[i] ^ q[i]);
	return diff == 0;
}

void
crypto_wipe(void *p, size_t n)
{
	volatile uint8_t *v = p;

	while (n-- > 0)
		*v++ = 0;
}
