/*
 * The disk layout: a superblock in block 0, a copy of it in block
 * DISK_BACKUP_LBA, the provisioned device secret in DISK_SECRET_LBA, the
 * trusted key set in two blocks written alternately (DISK_KEYSET_LBA and
 * the block after it), and four regions. The E7 scratch area is formatted
 * at every boot; the genome area holds the real strands; the KV area the
 * persistent store; the inbox the packages and rotation statements the
 * host leaves for the kernel (and, in its proof slots, the ones the E7 and
 * E9 proofs read). disk_open says what it found (enum disk_state): a
 * blank device is formatted, a damaged superblock is rebuilt from its
 * intact copy, and a device that holds something else is left alone.
 * docs/STORAGE.md has the table.
 */
#ifndef CELLOS_DISK_H
#define CELLOS_DISK_H

#include <stdint.h>

#include "blk.h"
#include "cellos/errors.h"

#define DISK_MAGIC_LO   0x4C4C4543u /* "CELL" */
#define DISK_MAGIC_HI   0x4B534944u /* "DISK" */
#define DISK_LAYOUT     2u
#define DISK_BACKUP_LBA 8u /* the superblock's copy */
#define DISK_SECRET_LBA 1u /* the device secret (provisioned) */
#define DISK_KEYSET_LBA 2u /* key set copies: blocks 2 and 3 */

/* The device secret slot (block DISK_SECRET_LBA), little-endian:
 *   0 u32 magic "CSEC"  4 u32 format 1  8 secret[32]
 *   40 u32 CRC32C of bytes 0..39; the rest of the block zero. */
#define DISK_SECRET_MAGIC  0x43455343u /* bytes 43 53 45 43: "CSEC" */
#define DISK_SECRET_FORMAT 1u
#define DISK_SECRET_SIZE   32u

/*
 * The inbox (DISK_INBOX_BLOCKS from the inbox region's start): slots, each
 * a package (up to INBOX_PACKAGE_BLOCKS blocks, zero-padded) or a rotation
 * statement (one block), blank (first block zero) when empty. The host
 * fills the update and rotation slots (./cellos update); the kernel
 * processes and clears them at boot. The proof slots hold what the build
 * placed for E7 and E9; the kernel only reads them.
 */
#define INBOX_PACKAGE_BLOCKS 16u /* 8 KiB: a package of STRAND_BYTES fits */
#define INBOX_UPDATE         0u  /* slot offsets in blocks */
#define INBOX_ROTATION       16u
#define INBOX_PROOF_PACKAGE  24u /* E7: the update it installs */
#define INBOX_PROOF_OLDER    40u /* E7: a lower security counter */
#define INBOX_PROOF_FOREIGN  56u /* E7: signed by a key nobody trusts */
#define INBOX_PROOF_ROTATION 72u /* E9: key 0 -> key 1 */

struct region {
	uint64_t start, blocks;
};

enum disk_state {
	DISK_CLEAN = 0, /* both superblocks as this layout writes them */
	DISK_FORMATTED, /* the device was blank: superblocks written */
	/*
	 * a valid superblock for another device size: rewritten for this one
	 * (the regions do not move)
	 */
	DISK_RESIZED,
	/*
	 * one superblock was damaged (or missing) and was rewritten from the
	 * other
	 */
	DISK_REPAIRED
};

struct disk {
	const struct blkdev *dev;
	struct region scratch, genome, kv, inbox;
	enum disk_state state;
	uint64_t old_blocks;  /* DISK_RESIZED: the size it was written for */
	uint64_t damaged_lba; /* DISK_REPAIRED: the block that was rebuilt */
};

/* Fill d's regions as this layout places them (disk_open does). */
void disk_regions(struct disk *d);

/* Blocks a device needs for this layout. */
uint64_t disk_blocks_needed(void);

/*
 * Open dev: read both superblocks and decide (enum disk_state), writing and
 * flushing what needs writing. 0; -CELL_E_NOSPACE (device too small);
 * -CELL_E_MAGIC (block 0 and its copy hold neither a cell_os superblock
 * nor zeros: not our disk, and nothing was written); -CELL_E_IO.
 */
int disk_open(struct disk *d, const struct blkdev *dev);

/* Encode the secret slot holding secret (one block). */
void disk_secret_encode(const uint8_t secret[DISK_SECRET_SIZE],
    uint8_t block[HAL_BLOCK_SIZE]);

/*
 * Decode the secret slot. 0 and secret; -CELL_E_NOENT (a blank block:
 * never provisioned), -CELL_E_MAGIC, -CELL_E_VERSION, -CELL_E_CRC,
 * -CELL_E_RESERVED (bytes after the CRC not zero), -CELL_E_WEAKKEY (an
 * all-zero secret).
 */
int disk_secret_decode(const uint8_t block[HAL_BLOCK_SIZE],
    uint8_t secret[DISK_SECRET_SIZE]);

/* Read and decode d's secret slot: disk_secret_decode's result or -CELL_E_IO. */
int disk_read_secret(const struct disk *d, uint8_t secret[DISK_SECRET_SIZE]);

#endif
