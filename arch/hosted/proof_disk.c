/*
 * The proof disk: what a disk holds before its first proof boot, the same
 * on every target. The memory device (the default), a --disk file that
 * cellos-hosted creates, and a disk `cellos-provision proof` makes (the
 * boards' fresh disks, through tools/qemu-run) all get it:
 *   - the documented TEST device secret (keys/TEST-ONLY-device-secret,
 *     public: a device provisioned with it protects nothing) in the secret
 *     slot, and
 *   - in the inbox's proof slots, the package, the two packages E7 must
 *     refuse and the rotation statement E9 applies, which the build signs
 *     with cellos-sign (deterministic Ed25519: the same bytes everywhere).
 * The bytes are in the build (proof_disk_data.S), not in the kernel.
 */
#include <stdint.h>
#include <string.h>

#include "cellos/errors.h"
#include "disk.h"
#include "hal.h"
#include "hosted.h"

extern const uint8_t hosted_test_secret[], hosted_test_secret_end[];
extern const uint8_t hosted_proof_package[], hosted_proof_package_end[];
extern const uint8_t hosted_proof_older[], hosted_proof_older_end[];
extern const uint8_t hosted_proof_foreign[], hosted_proof_foreign_end[];
extern const uint8_t hosted_proof_rotation[], hosted_proof_rotation_end[];

/* Put bytes [p, end) into the blocks from lba on, zero-padded. */
static int
put_bytes(int (*put)(void *, uint64_t, const uint8_t *), void *ctx,
    uint64_t lba, const uint8_t *p, const uint8_t *end, uint32_t max_blocks)
{
	uint8_t block[HAL_BLOCK_SIZE];
	size_t len = (size_t)(end - p);
	int rc;

	if (len > (size_t)max_blocks * HAL_BLOCK_SIZE)
		return -CELL_E_TOOLONG;
	for (size_t off = 0; off < len; off += HAL_BLOCK_SIZE) {
		size_t n =
		    len - off < HAL_BLOCK_SIZE ? len - off : HAL_BLOCK_SIZE;

		memset(block, 0, sizeof block);
		memcpy(block, p + off, n);
		if ((rc = put(ctx, lba + off / HAL_BLOCK_SIZE, block)) < 0)
			return rc;
	}
	return 0;
}

int
hosted_proof_disk(int (*put)(void *ctx, uint64_t lba, const uint8_t *block),
    void *ctx)
{
	uint8_t block[HAL_BLOCK_SIZE];
	struct disk d;
	uint64_t in;
	int rc;

	if (hosted_test_secret_end - hosted_test_secret != DISK_SECRET_SIZE)
		return -CELL_E_LENGTH;
	disk_regions(&d);
	in = d.inbox.start;
	disk_secret_encode(hosted_test_secret, block);
	if ((rc = put(ctx, DISK_SECRET_LBA, block)) < 0 ||
	    (rc = put_bytes(put, ctx, in + INBOX_PROOF_PACKAGE,
		 hosted_proof_package, hosted_proof_package_end,
		 INBOX_PACKAGE_BLOCKS)) < 0 ||
	    (rc = put_bytes(put, ctx, in + INBOX_PROOF_OLDER,
		 hosted_proof_older, hosted_proof_older_end,
		 INBOX_PACKAGE_BLOCKS)) < 0 ||
	    (rc = put_bytes(put, ctx, in + INBOX_PROOF_FOREIGN,
		 hosted_proof_foreign, hosted_proof_foreign_end,
		 INBOX_PACKAGE_BLOCKS)) < 0 ||
	    (rc = put_bytes(put, ctx, in + INBOX_PROOF_ROTATION,
		 hosted_proof_rotation, hosted_proof_rotation_end, 1)) < 0)
		return rc;
	return 0;
}
