/*
 * The CGF check stage2 runs in long mode before it enters the kernel
 * (CONTRACT.md section 2): the 4096-byte header's CRC32C (computed with its
 * own CRC field zeroed), the gene directory's bounds, and the directory's
 * SHA-256 against the digest disk-pack recorded in stage2 at build time.
 * Built for stage2 (small code model, 0x8000), with the kernel's own crypto.
 */
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

#define CGF_HEADER	4096u

enum cgf_result {
	CGF_OK = 0,
	CGF_BAD_CRC = 1,
	CGF_BAD_BOUNDS = 2,
	CGF_BAD_DIGEST = 3
};

int cgf_check(uint8_t *blob, uint32_t len, const uint8_t digest[32]);

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

int
cgf_check(uint8_t *blob, uint32_t len, const uint8_t digest[32])
{
	uint8_t saved[4], sha[32];
	uint32_t crc, off, dlen;

	if (len < CGF_HEADER)
		return CGF_BAD_BOUNDS;
	for (int i = 0; i < 4; i++) {
		saved[i] = blob[i];
		blob[i] = 0;
	}
	crc = crc32c(0, blob, CGF_HEADER);
	for (int i = 0; i < 4; i++)
		blob[i] = saved[i];
	if (crc != le32(blob))
		return CGF_BAD_CRC;
	off = le32(blob + 4);
	dlen = le32(blob + 8);
	if (off < CGF_HEADER || off > len || dlen > len - off)
		return CGF_BAD_BOUNDS;
	sha256(blob + off, dlen, sha);
	return ct_equal(sha, digest, 32) ? CGF_OK : CGF_BAD_DIGEST;
}
