/*
 * E7, the update proof: a fixed scenario on the disk's scratch area, which
 * is formatted first, so every boot of every disk on every target gives the
 * same values. The boot hands over the area: on the machine's block device,
 * or (after a fallback the verdict reports) in RAM.
 *   1. genome v1 (2000 bytes) installed in strand A, booted once, confirmed;
 *   2. v2 (3000 bytes) installed in strand B through write, read-back,
 *      hash and MAC checks, booted once, confirmed;
 *   3. v1 again and v2 again are refused (anti-rollback), and so is a v3
 *      that reaches the disk with a flipped bit (its read-back fails);
 *   4. a good v3 that boots once and is never confirmed is reverted to B;
 *   5. the state read back from the disk is the state the updater holds.
 * old_sha and new_sha hash the preferred strand's image after steps 1 and 2,
 * as read back from the device (which must hold the image written, byte
 * for byte).
 */
#include <stdint.h>

#include "blk.h"
#include "cellos/errors.h"
#include "crypto.h"
#include "disk.h"
#include "parcel_codec.h"
#include "proof.h"
#include "proof_steps.h"
#include "update.h"

static uint8_t genome[STRAND_BYTES];

/*
 * Genome image of version v: a xorshift32 stream seeded with
 * 0x9E3779B9 ^ (v * 0x85EBCA6B), four bytes (little-endian) per step. Its
 * content is arbitrary; what E7 proves is how it travels to the disk.
 */
static uint32_t
make_genome(uint32_t version, uint32_t len)
{
	uint32_t x = 0x9E3779B9u ^ (version * 0x85EBCA6Bu);

	for (uint32_t off = 0; off < len; off += 4) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		for (uint32_t i = 0; i < 4 && off + i < len; i++)
			genome[off + i] = (uint8_t)(x >> (8 * i));
	}
	return len;
}

/* A device that flips one bit of the first block written into the strand at lba. */
struct flipper {
	const struct blkdev *inner;
	uint64_t lba;
	int armed;
};

static int
flip_read(void *ctx, uint64_t lba, void *buf, uint32_t count)
{
	struct flipper *f = ctx;

	return f->inner->read(f->inner->ctx, lba, buf, count);
}

static int
flip_write(void *ctx, uint64_t lba, const void *buf, uint32_t count)
{
	static uint8_t block[HAL_BLOCK_SIZE];
	struct flipper *f = ctx;
	const uint8_t *src = buf;
	int rc;

	if (!f->armed || lba < f->lba || lba >= f->lba + STRAND_BLOCKS)
		return f->inner->write(f->inner->ctx, lba, buf, count);
	for (unsigned i = 0; i < HAL_BLOCK_SIZE; i++)
		block[i] = src[i];
	block[100] ^= 0x10;
	f->armed = 0;
	if ((rc = f->inner->write(f->inner->ctx, lba, block, 1)) < 0)
		return rc;
	if (count > 1)
		rc = f->inner->write(f->inner->ctx, lba + 1, src + HAL_BLOCK_SIZE,
		    count - 1);
	return rc;
}

static int
flip_flush(void *ctx)
{
	struct flipper *f = ctx;

	return f->inner->flush(f->inner->ctx);
}

static int
expect(int got, int want, const char *what)
{
	if (got == want)
		return 0;
	return proof_fail(7, "%s gave %d (%s), expected %d", what, got,
	    cell_strerror(got), want);
}

static uint8_t readback[STRAND_BYTES];

/* The strand read back must hold the image written, byte for byte. */
static int
expect_image(uint32_t len, const char *what)
{
	for (uint32_t i = 0; i < len; i++) {
		if (readback[i] != genome[i])
			return proof_fail(7, "%s read back differs from the image "
			    "written at byte %u", what, i);
	}
	return 0;
}

int
proof_e7_update(const struct blkdev *dev, struct region area)
{
	static struct updater u, again;
	struct flipper flip;
	struct blkdev flipdev;
	uint32_t old_sha, new_sha, len;
	int rc;

	if ((rc = update_format(dev, area)) < 0 ||
	    (rc = update_open(&u, dev, area)) < 0)
		return proof_fail(7, "the scratch area cannot be formatted (%s)",
		    cell_strerror(rc));

	len = make_genome(1, 2000);
	if (expect(update_install(&u, genome, len, 1), 0, "installing v1") ||
	    expect(update_boot(&u), 0, "booting v1") ||
	    expect(update_confirm(&u), 0, "confirming v1") ||
	    expect(update_strand_sha(&u, 0, &old_sha, readback), 0,
	    "reading v1 back") || expect_image(len, "v1"))
		return -1;

	len = make_genome(2, 3000);
	if (expect(update_install(&u, genome, len, 2), 0, "installing v2") ||
	    expect(update_boot(&u), 1, "booting v2") ||
	    expect(update_confirm(&u), 0, "confirming v2") ||
	    expect(update_strand_sha(&u, 1, &new_sha, readback), 0,
	    "reading v2 back") || expect_image(len, "v2"))
		return -1;

	len = make_genome(1, 2000);
	if (expect(update_install(&u, genome, len, 1), -CELL_E_ROLLBACK,
	    "reinstalling v1") ||
	    expect(update_install(&u, genome, len, 2), -CELL_E_ROLLBACK,
	    "reinstalling v2"))
		return -1;

	/* v3 goes to strand A; a bit flips on its way to the disk. */
	flip = (struct flipper){ dev, area.start, 1 };
	flipdev = (struct blkdev){ dev->blocks, flip_read, flip_write,
	    flip_flush, &flip };
	u.dev = &flipdev;
	len = make_genome(3, 1500);
	rc = update_install(&u, genome, len, 3);
	u.dev = dev;
	if (expect(rc, -CELL_E_BADHASH, "installing a v3 corrupted on disk"))
		return -1;
	if (u.st.preferred != 1 || u.st.strand[0].valid)
		return proof_fail(7, "a failed install moved the preference to "
		    "strand %u", u.st.preferred);

	if (expect(update_install(&u, genome, len, 3), 0, "installing v3") ||
	    expect(update_boot(&u), 0, "booting v3 once") ||
	    expect(update_boot(&u), 1, "booting v3 unconfirmed"))
		return -1;
	if (u.st.preferred != 1 || u.st.pending || u.st.floor != 2)
		return proof_fail(7, "after the revert: preferred %u pending %u "
		    "floor %u, expected 1 0 2", u.st.preferred, u.st.pending,
		    u.st.floor);

	if ((rc = update_open(&again, dev, area)) < 0 ||
	    again.st.seq != u.st.seq || again.st.preferred != u.st.preferred ||
	    again.st.floor != u.st.floor)
		return proof_fail(7, "the state read back from the device is not "
		    "the state written");

	return proof_emit(PROOF_E7, (const struct proof_field[]){
	    { "old_sha", old_sha }, { "new_sha", new_sha } }, 2);
}
