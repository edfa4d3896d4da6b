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

#define INBOX_PACKAGE_BYTES	(INBOX_PACKAGE_BLOCKS * HAL_BLOCK_SIZE)

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

#endif
