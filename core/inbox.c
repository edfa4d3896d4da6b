/* The disk's inbox; see inbox.h. */
#include <stddef.h>
#include <stdint.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "cellos/package.h"
#include "cellos/rotation.h"
#include "inbox.h"
#include "kprint.h"
#include "rotation_codec.h"

int
inbox_read_package(const struct blkdev *dev, struct region inbox, uint32_t slot,
    uint8_t buf[INBOX_PACKAGE_BYTES], size_t *len)
{
	uint32_t payload, blocks;
	uint64_t total;
	int rc;

	if ((rc = blk_read(dev, inbox.start + slot, buf, 1)) < 0)
		return rc;
	if (blk_blank(buf, HAL_BLOCK_SIZE))
		return -CELL_E_NOENT;
	payload = le32_load(buf + PACKAGE_OFF_PAYLOAD_LEN);
	total = (uint64_t)payload + PACKAGE_OVERHEAD;
	if (total > INBOX_PACKAGE_BYTES)
		total = INBOX_PACKAGE_BYTES;
	blocks = (uint32_t)((total + HAL_BLOCK_SIZE - 1) / HAL_BLOCK_SIZE);
	if (blocks > 1 &&
	    (rc = blk_read(dev, inbox.start + slot + 1, buf + HAL_BLOCK_SIZE,
		 blocks - 1)) < 0)
		return rc;
	*len = (size_t)total;
	return 0;
}

int
inbox_read_statement(const struct blkdev *dev, struct region inbox,
    uint32_t slot, uint8_t block[HAL_BLOCK_SIZE])
{
	int rc;

	if ((rc = blk_read(dev, inbox.start + slot, block, 1)) < 0)
		return rc;
	return blk_blank(block, HAL_BLOCK_SIZE) ? -CELL_E_NOENT : 0;
}

int
inbox_clear(const struct blkdev *dev, struct region inbox, uint32_t slot,
    uint32_t blocks)
{
	static const uint8_t zero[HAL_BLOCK_SIZE];
	int rc;

	for (uint32_t i = 0; i < blocks; i++) {
		if ((rc = blk_write(dev, inbox.start + slot + i, zero, 1)) < 0)
			return rc;
	}
	return blk_flush(dev);
}

/* Decode the bytes and decide as the device does: 0 or the refusal. */
int
inbox_decide(const struct keyset *ks, const uint8_t *bytes, size_t len,
    struct package *pkg)
{
	int rc = package_decode(bytes, len, STRAND_BYTES, pkg);

	return rc < 0 ? rc : keyset_check_package(ks, pkg);
}

static uint8_t flow_buf[INBOX_PACKAGE_BYTES];

/* The rotation slot: apply what the active key signed, then clear it. */
static int
process_rotation(const struct blkdev *dev, struct region inbox,
    struct keystore *k)
{
	uint8_t block[HAL_BLOCK_SIZE];
	struct keyset next = k->ks;
	struct rotation r;
	int rc = inbox_read_statement(dev, inbox, INBOX_ROTATION, block);

	if (rc == -CELL_E_NOENT)
		return 0;
	if (rc < 0)
		return rc;
	if ((rc = rotation_decode(block, ROTATION_SIZE, &r)) == 0)
		rc = keyset_rotate(&next, &r);
	if (rc < 0) {
		kprintf("#W update: the rotation statement in the inbox is "
			"refused (%s); the key set is unchanged\n",
		    cell_strerror(rc));
	} else {
		int w = keystore_write(k, &next);

		if (w < 0)
			return w;
		kprintf("#I update: rotation statement v%u applied: key %u is "
			"the active key\n",
		    next.statement_version, keyset_active(&next)->id);
	}
	return inbox_clear(dev, inbox, INBOX_ROTATION, 1);
}

/* The update slot: install what a trusted key signed, then clear it. */
static int
process_package(const struct blkdev *dev, struct region inbox,
    struct updater *u, const struct keystore *k)
{
	struct package pkg;
	size_t len;
	int rc = inbox_read_package(dev, inbox, INBOX_UPDATE, flow_buf, &len);

	if (rc == -CELL_E_NOENT)
		return 0;
	if (rc < 0)
		return rc;
	if ((rc = inbox_decide(&k->ks, flow_buf, len, &pkg)) < 0) {
		kprintf("#W update: the package in the inbox is refused (%s); "
			"the strands and the key set are unchanged\n",
		    cell_strerror(rc));
	} else if ((rc = update_install(u, pkg.payload, pkg.payload_len,
			pkg.info.security_counter)) < 0) {
		if (rc == -CELL_E_IO)
			return rc;
		kprintf("#W update: the package in the inbox (key %u, genome "
			"v%u, counter %u) is not installed (%s)\n",
		    pkg.info.key_id, pkg.info.genome_version,
		    pkg.info.security_counter, cell_strerror(rc));
	} else {
		kprintf("#I update: package (key %u, genome v%u, counter %u) "
			"installed in strand %c: this boot is its trial\n",
		    pkg.info.key_id, pkg.info.genome_version,
		    pkg.info.security_counter, 'A' + (int)u->st.preferred);
	}
	return inbox_clear(dev, inbox, INBOX_UPDATE, INBOX_PACKAGE_BLOCKS);
}

int
inbox_process(const struct blkdev *dev, struct region inbox, struct updater *u,
    struct keystore *k)
{
	uint32_t was = u->st.preferred, pending = u->st.pending;
	int rc;

	if ((rc = process_rotation(dev, inbox, k)) < 0)
		return rc;
	/* A trial the last boot did not confirm goes back first. */
	if (pending && u->st.attempted) {
		if ((rc = update_boot(u)) < 0 && rc != -CELL_E_NOENT)
			return rc;
		if (u->st.preferred != was)
			kprintf("#W update: the trial of strand %c was never "
				"confirmed: back to strand %c\n",
			    'A' + (int)was, 'A' + (int)u->st.preferred);
	}
	if ((rc = process_package(dev, inbox, u, k)) < 0)
		return rc;
	rc = update_boot(u);
	return rc == -CELL_E_NOENT ? 0 : rc < 0 ? rc : 0;
}

int
inbox_confirm(struct updater *u, struct keystore *k)
{
	struct keyset next = k->ks;
	uint32_t counter;
	int rc;

	if (!u->st.pending) {
		/*
		 * A power cut between the confirm and the key set's write left
		 * the counter below the confirmed floor: catch it up.
		 */
		if (k->ks.security_counter >= u->st.floor)
			return 0;
		counter = u->st.floor;
	} else if (!u->st.attempted) {
		return 0;
	} else {
		counter = u->st.strand[u->st.preferred].version;
		if ((rc = update_confirm(u)) < 0)
			return rc;
	}
	/* Only a confirmed trial raises the counter. */
	if ((rc = keyset_raise_counter(&next, counter)) < 0)
		return rc;
	if ((rc = keystore_write(k, &next)) < 0)
		return rc;
	kprintf("#I update: the trial of strand %c is confirmed: security "
		"counter %u\n",
	    'A' + (int)u->st.preferred, counter);
	return 0;
}
