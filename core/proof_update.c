/*
 * E7, the update proof: a fixed scenario on the disk's scratch area, which
 * is formatted first, so every boot of every disk on every target gives the
 * same values. The boot hands over the area and the inbox: on the machine's
 * block device, or (after a fallback the verdict reports) in RAM, with no
 * inbox. The scenario's key set is a fresh one in the scratch area, made
 * from the image's root key, as a new device's is.
 *   1. genome v1 (2000 bytes), the factory image, installed in strand A,
 *      booted once, confirmed;
 *   2. the package in the inbox's proof slot (v2, 3000 bytes, security
 *      counter 2, signed by the test root key and placed by the build) is
 *      decoded, checked against the key set (signature under a trusted key,
 *      counter, size) and its payload installed in strand B through write,
 *      read-back, hash and MAC checks, booted once (the trial) and
 *      confirmed; only then the key set's security counter is raised to 2
 *      and written;
 *   3. that package with a payload bit flipped (-CELL_E_BADHASH), with a
 *      signature bit flipped (-CELL_E_BADSIG), naming an unknown key
 *      (-CELL_E_NOENT), a package signed by a key nobody trusts
 *      (-CELL_E_BADSIG) and an older one (counter 1: -CELL_E_ROLLBACK) are
 *      refused, and the scratch area (strands, log, key set) is byte for
 *      byte what it was;
 *   4. v1 and v2 are refused by the updater's floor (anti-rollback), and
 *      so is a v3 that reaches the disk with a flipped bit;
 *   5. a good v3 that boots once and is never confirmed is reverted to B;
 *   6. the state read back from the disk is the state the updater holds.
 * old_sha and new_sha hash the preferred strand's image after steps 1 and 2,
 * as read back from the device (which must hold the image written, byte
 * for byte).
 */
#include <stdint.h>

#include "blk.h"
#include "byteorder.h"
#include "cellos/errors.h"
#include "cellos/package.h"
#include "cellos_root_key.h"
#include "crypto.h"
#include "disk.h"
#include "inbox.h"
#include "keystore.h"
#include "package_codec.h"
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
		rc = f->inner->write(f->inner->ctx, lba + 1,
		    src + HAL_BLOCK_SIZE, count - 1);
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
			return proof_fail(7,
			    "%s read back differs from the image "
			    "written at byte %u",
			    what, i);
	}
	return 0;
}

static const uint8_t root_pubkey[32] = CELLOS_ROOT_PUBKEY;
static uint8_t pkgbuf[INBOX_PACKAGE_BYTES];

uint64_t
proof_keystore_lba(const struct proof_media *m)
{
	return m->scratch.start + UPDATE_AREA_BLOCKS;
}

int
proof_keystore_format(const struct proof_media *m)
{
	static const uint8_t zero[HAL_BLOCK_SIZE];
	int rc;

	for (uint32_t i = 0; i < KEYSTORE_BLOCKS; i++) {
		if ((rc = blk_write(m->dev, proof_keystore_lba(m) + i, zero,
			 1)) < 0)
			return rc;
	}
	return blk_flush(m->dev);
}

/* The scratch area E7 writes: strands, log, key set. */
#define AREA_BLOCKS (UPDATE_AREA_BLOCKS + KEYSTORE_BLOCKS)
#define AREA_CHUNK  8 /* blocks read with one request */

static uint8_t area_buf[AREA_CHUNK * HAL_BLOCK_SIZE];

/*
 * The CRC32C of every block of the scratch area, to tell that refusals
 * wrote nothing: a changed block changes its CRC unless the change is a
 * multiple of the CRC's polynomial (never for a change within 32
 * consecutive bits). A check of the bytes, not of their authenticity, so
 * no SHA-256.
 */
static int
area_crcs(const struct proof_media *m, uint32_t crc[AREA_BLOCKS])
{
	int rc;

	for (uint32_t b = 0; b < AREA_BLOCKS; b += AREA_CHUNK) {
		uint32_t n =
		    AREA_BLOCKS - b < AREA_CHUNK ? AREA_BLOCKS - b : AREA_CHUNK;

		if ((rc = blk_read(m->dev, m->scratch.start + b, area_buf, n)) <
		    0)
			return rc;
		for (uint32_t i = 0; i < n; i++)
			crc[b + i] = crc32c(0, area_buf + i * HAL_BLOCK_SIZE,
			    HAL_BLOCK_SIZE);
	}
	return 0;
}

/* A proof slot's package, refused with want. 0 or -1 after PROOF FAILURE. */
static int
expect_refused(const struct proof_media *m, const struct keyset *ks,
    uint32_t slot, int want, const char *what)
{
	struct package pkg;
	size_t len;
	int rc;

	if ((rc = inbox_read_package(m->dev, m->inbox, slot, pkgbuf, &len)) < 0)
		return proof_fail(7,
		    "the inbox's %s (block %llu) cannot be read "
		    "(%s)",
		    what, (unsigned long long)(m->inbox.start + slot),
		    cell_strerror(rc));
	return expect(inbox_decide(ks, pkgbuf, len, &pkg), want, what);
}

/*
 * Step 2 and 3 (see the top): the signed package, on u and the scratch key
 * set ks. 0, 1 when the inbox holds no usable proof package (a fallback:
 * the caller installs v2 unsigned), -1 after PROOF FAILURE.
 */
static int
install_package(const struct proof_media *m, struct updater *u,
    struct keystore *ks, uint32_t *new_sha)
{
	struct keyset next;
	struct package pkg;
	uint32_t len, counter, before[AREA_BLOCKS], after[AREA_BLOCKS];
	size_t size;
	int rc;

	rc = inbox_read_package(m->dev, m->inbox, INBOX_PROOF_PACKAGE, pkgbuf,
	    &size);
	if (rc == 0)
		rc = inbox_decide(&ks->ks, pkgbuf, size, &pkg);
	if (rc < 0) {
		proof_fallback(7,
		    "disk: the inbox's proof package (block %llu) "
		    "is %s (%s); E7 installs v2 without it",
		    (unsigned long long)(m->inbox.start + INBOX_PROOF_PACKAGE),
		    rc == -CELL_E_NOENT ? "missing" : "refused",
		    cell_strerror(rc));
		return 1;
	}
	len = make_genome(2, 3000);
	if (pkg.payload_len != len || pkg.info.genome_version != 2 ||
	    pkg.info.security_counter != 2)
		return proof_fail(7,
		    "the proof package holds v%u (%u bytes, "
		    "counter %u), expected v2 (3000 bytes, counter 2)",
		    pkg.info.genome_version, pkg.payload_len,
		    pkg.info.security_counter);
	for (uint32_t i = 0; i < len; i++) {
		if (pkg.payload[i] != genome[i])
			return proof_fail(7,
			    "the proof package's payload differs "
			    "from genome v2 at byte %u",
			    i);
	}
	counter = pkg.info.security_counter;
	if (expect(update_install(u, pkg.payload, pkg.payload_len,
		       pkg.info.genome_version),
		0, "installing the signed v2") ||
	    expect(update_boot(u), 1, "booting v2 in trial") ||
	    expect(update_confirm(u), 0, "confirming v2"))
		return -1;
	next = ks->ks;
	if (expect(keyset_raise_counter(&next, counter), 0,
		"raising the security counter") ||
	    expect(keystore_write(ks, &next), 0, "writing the key set"))
		return -1;
	if (expect(update_strand_sha(u, 1, new_sha, readback), 0,
		"reading v2 back") ||
	    expect_image(len, "v2"))
		return -1;

	/* Refusals: each decided on the device's rule, none writes. */
	if ((rc = area_crcs(m, before)) < 0)
		return proof_fail(7, "the scratch area cannot be read (%s)",
		    cell_strerror(rc));
	rc = inbox_read_package(m->dev, m->inbox, INBOX_PROOF_PACKAGE, pkgbuf,
	    &size);
	if (rc < 0)
		return proof_fail(7, "the proof package cannot be read again");
	pkgbuf[PACKAGE_HDR_SIZE + 1000] ^= 0x08;
	if (expect(inbox_decide(&ks->ks, pkgbuf, size, &pkg), -CELL_E_BADHASH,
		"the package with a payload bit flipped"))
		return -1;
	pkgbuf[PACKAGE_HDR_SIZE + 1000] ^= 0x08;
	pkgbuf[size - 32] ^= 0x01; /* S's lowest bit: S stays below L */
	if (expect(inbox_decide(&ks->ks, pkgbuf, size, &pkg), -CELL_E_BADSIG,
		"the package with a signature bit flipped"))
		return -1;
	pkgbuf[size - 32] ^= 0x01;
	le32_store(pkgbuf + PACKAGE_OFF_KEY_ID, 7);
	if (expect(inbox_decide(&ks->ks, pkgbuf, size, &pkg), -CELL_E_NOENT,
		"the package naming key id 7"))
		return -1;
	if (expect_refused(m, &ks->ks, INBOX_PROOF_FOREIGN, -CELL_E_BADSIG,
		"package signed by an untrusted key") ||
	    expect_refused(m, &ks->ks, INBOX_PROOF_OLDER, -CELL_E_ROLLBACK,
		"older package (counter 1)"))
		return -1;
	if ((rc = area_crcs(m, after)) < 0)
		return proof_fail(7,
		    "the scratch area cannot be read again (%s)",
		    cell_strerror(rc));
	for (uint32_t b = 0; b < AREA_BLOCKS; b++) {
		if (after[b] != before[b])
			return proof_fail(7,
			    "a refused package changed block %llu of the "
			    "scratch area",
			    (unsigned long long)(m->scratch.start + b));
	}
	if (ks->ks.security_counter != 2)
		return proof_fail(7,
		    "the security counter is %u after the "
		    "refusals, expected 2",
		    ks->ks.security_counter);
	return 0;
}

int
proof_e7_update(const struct proof_media *m)
{
	static struct updater u, again;
	static struct keystore ks;
	const struct blkdev *dev = m->dev;
	struct region area = m->scratch;
	struct flipper flip;
	struct blkdev flipdev;
	uint32_t old_sha, new_sha, len;
	int rc;

	if ((rc = update_format(dev, area)) < 0 ||
	    (rc = proof_keystore_format(m)) < 0 ||
	    (rc = update_open(&u, dev, area)) < 0)
		return proof_fail(7,
		    "the scratch area cannot be formatted (%s)",
		    cell_strerror(rc));
	if ((rc = keystore_open(&ks, dev, proof_keystore_lba(m),
		 CELLOS_ROOT_KEY_ID, root_pubkey)) < 0 ||
	    ks.state != KEYSTORE_CREATED)
		return proof_fail(7,
		    "the scratch key set was not created from "
		    "the root key (%s)",
		    cell_strerror(rc));

	len = make_genome(1, 2000);
	if (expect(update_install(&u, genome, len, 1), 0, "installing v1") ||
	    expect(update_boot(&u), 0, "booting v1") ||
	    expect(update_confirm(&u), 0, "confirming v1") ||
	    expect(update_strand_sha(&u, 0, &old_sha, readback), 0,
		"reading v1 back") ||
	    expect_image(len, "v1"))
		return -1;

	rc = m->inbox.blocks > 0 ? install_package(m, &u, &ks, &new_sha) : 1;
	if (rc < 0)
		return -1;
	if (rc > 0) {
		/* No inbox (the boot fell back already) or no proof package. */
		len = make_genome(2, 3000);
		if (expect(update_install(&u, genome, len, 2), 0,
			"installing v2") ||
		    expect(update_boot(&u), 1, "booting v2") ||
		    expect(update_confirm(&u), 0, "confirming v2") ||
		    expect(update_strand_sha(&u, 1, &new_sha, readback), 0,
			"reading v2 back") ||
		    expect_image(len, "v2"))
			return -1;
	}
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
		return proof_fail(7,
		    "a failed install moved the preference to "
		    "strand %u",
		    u.st.preferred);

	if (expect(update_install(&u, genome, len, 3), 0, "installing v3") ||
	    expect(update_boot(&u), 0, "booting v3 once") ||
	    expect(update_boot(&u), 1, "booting v3 unconfirmed"))
		return -1;
	if (u.st.preferred != 1 || u.st.pending || u.st.floor != 2)
		return proof_fail(7,
		    "after the revert: preferred %u pending %u "
		    "floor %u, expected 1 0 2",
		    u.st.preferred, u.st.pending, u.st.floor);

	if ((rc = update_open(&again, dev, area)) < 0 ||
	    again.st.seq != u.st.seq || again.st.preferred != u.st.preferred ||
	    again.st.floor != u.st.floor)
		return proof_fail(7,
		    "the state read back from the device is not "
		    "the state written");

	return proof_emit(PROOF_E7,
	    (const struct proof_field[]){ { "old_sha", old_sha },
		{ "new_sha", new_sha } },
	    2);
}
