/*
 * The disk's inbox (core/disk.h: slot offsets): the packages and rotation
 * statements the host leaves for the kernel. Reading a slot reads only the
 * blocks its content needs (a package's length is in its header), so the
 * rest of a slot is never looked at; decoding and deciding are the
 * caller's (package_decode, keyset_check_package, rotation_decode,
 * keyset_rotate).
 */
#ifndef CELLOS_INBOX_H
#define CELLOS_INBOX_H

#include <stddef.h>
#include <stdint.h>

#include "blk.h"
#include "cellos/errors.h"
#include "disk.h"
#include "keystore.h"
#include "package_codec.h"
#include "update.h"

#define INBOX_PACKAGE_BYTES (INBOX_PACKAGE_BLOCKS * HAL_BLOCK_SIZE)

/*
 * Read the package in the slot at offset slot of inbox into buf
 * (INBOX_PACKAGE_BYTES): *len is what its header says it is (header,
 * payload, signature), cut at the slot's size when it says more, so
 * package_decode names what is wrong. 0; -CELL_E_NOENT (the slot is
 * blank); -CELL_E_IO.
 */
int inbox_read_package(const struct blkdev *dev, struct region inbox,
    uint32_t slot, uint8_t buf[INBOX_PACKAGE_BYTES], size_t *len);

/* Read a statement slot (one block). 0, -CELL_E_NOENT (blank), -CELL_E_IO. */
int inbox_read_statement(const struct blkdev *dev, struct region inbox,
    uint32_t slot, uint8_t block[HAL_BLOCK_SIZE]);

/* Zero blocks blocks of the slot at offset slot, and flush. 0 or -CELL_E_IO. */
int inbox_clear(const struct blkdev *dev, struct region inbox, uint32_t slot,
    uint32_t blocks);

/*
 * Decode a package and decide as the device does (package_decode with a
 * strand's size, then keyset_check_package under ks): 0, or the refusal.
 */
int inbox_decide(const struct keyset *ks, const uint8_t *bytes, size_t len,
    struct package *pkg);

/*
 * The device's update step at boot, on the genome updater u and the
 * device's key set k:
 *   1. a rotation statement in the rotation slot is applied when the
 *      active key signed it (keyset_rotate) and the key set written, or
 *      refused with its reason; the slot is cleared either way;
 *   2. a trial the last boot started and did not confirm reverts to the
 *      other strand (update_boot);
 *   3. a package in the update slot is installed into the inactive strand
 *      when inbox_decide accepts it (its security counter is the strand's
 *      version: the updater also wants it above the confirmed one), or
 *      refused with its reason, the strands and the key set untouched; the
 *      slot is cleared either way;
 *   4. update_boot: a newly installed strand is marked tried: this boot is
 *      its trial.
 * Each outcome is a "#I update:" or "#W update:" line. 0, or an I/O error
 * (the caller falls back).
 */
int inbox_process(const struct blkdev *dev, struct region inbox,
    struct updater *u, struct keystore *k);

/*
 * The trial boot's proof succeeded: confirm the strand (update_confirm)
 * and only then raise the key set's security counter to its version and
 * write the key set. With no trial, a counter left below the confirmed
 * floor (a cut between those two writes) is raised to it. 0 or an error.
 */
int inbox_confirm(struct updater *u, struct keystore *k);

#endif
