/*
 * The disk layout: a superblock in block 0 and three regions. The E7
 * scratch area is formatted at every boot; the genome area holds the real
 * strands; the KV area the persistent store. A device without a valid
 * superblock is formatted (and the console says so).
 */
#ifndef CELLOS_DISK_H
#define CELLOS_DISK_H

#include <stdint.h>

#include "blk.h"

#define DISK_MAGIC_LO	0x4C4C4543u	/* "CELL" */
#define DISK_MAGIC_HI	0x4B534944u	/* "DISK" */
#define DISK_LAYOUT	1u

struct region {
	uint64_t start, blocks;
};

struct disk {
	const struct blkdev *dev;
	struct region scratch, genome, kv;
	int formatted;		/* 1 when disk_open wrote a new superblock */
};

/* Blocks a device needs for this layout. */
uint64_t disk_blocks_needed(void);

/*
 * Open dev: read and check the superblock (magic, layout, CRC32C, regions
 * on the device), or write a fresh one. 0, -CELL_E_NOSPACE (device too
 * small), -CELL_E_IO.
 */
int disk_open(struct disk *d, const struct blkdev *dev);

#endif
