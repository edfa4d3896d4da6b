/*
 * The disk layout: a superblock in block 0, a copy of it in block
 * DISK_BACKUP_LBA, and three regions. The E7 scratch area is formatted at
 * every boot; the genome area holds the real strands; the KV area the
 * persistent store. disk_open says what it found (enum disk_state): a
 * blank device is formatted, a damaged superblock is rebuilt from its
 * intact copy, and a device that holds something else is left alone.
 */
#ifndef CELLOS_DISK_H
#define CELLOS_DISK_H

#include <stdint.h>

#include "blk.h"
#include "cellos/errors.h"

#define DISK_MAGIC_LO	0x4C4C4543u	/* "CELL" */
#define DISK_MAGIC_HI	0x4B534944u	/* "DISK" */
#define DISK_LAYOUT	1u
#define DISK_BACKUP_LBA	8u		/* the superblock's copy */

struct region {
	uint64_t start, blocks;
};

enum disk_state {
	DISK_CLEAN = 0,		/* both superblocks as this layout writes them */
	DISK_FORMATTED,		/* the device was blank: superblocks written */
	DISK_RESIZED,		/* a valid superblock for another device size:
				 * rewritten for this one (the regions do not
				 * move) */
	DISK_REPAIRED		/* one superblock was damaged (or missing) and
				 * was rewritten from the other */
};

struct disk {
	const struct blkdev *dev;
	struct region scratch, genome, kv;
	enum disk_state state;
	uint64_t old_blocks;	/* DISK_RESIZED: the size it was written for */
	uint64_t damaged_lba;	/* DISK_REPAIRED: the block that was rebuilt */
};

/* Blocks a device needs for this layout. */
uint64_t disk_blocks_needed(void);

/*
 * Open dev: read both superblocks and decide (enum disk_state), writing and
 * flushing what needs writing. 0; -CELL_E_NOSPACE (device too small);
 * -CELL_E_MAGIC (block 0 and its copy hold neither a cell_os superblock
 * nor zeros: not our disk, and nothing was written); -CELL_E_IO.
 */
int disk_open(struct disk *d, const struct blkdev *dev);

#endif
