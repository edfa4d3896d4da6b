/*
 * The dual-strand genome updater. An update area holds two strands (A, B)
 * and a log of state records. Records are written forward-only: each goes
 * into the next slot of the log (round-robin, never the slot of the record
 * it supersedes) and carries the whole state, so the newest record that
 * checks out (magic, CRC32C, MAC) is the state. Each strand's trailer
 * (version, length, SHA-256 of the image, MAC with the device key) lives in
 * the records.
 *
 * An update writes the inactive strand, flushes, reads it back and checks
 * length, hash and MAC, and only then appends the record that prefers it,
 * marked pending. At the next boot a pending strand is tried once
 * (update_boot marks the attempt); if the boot after that finds it still
 * unconfirmed, it goes back to the other strand, when that one verifies
 * (with nothing to go back to, the only strand keeps booting). A version not above the
 * highest confirmed one is refused (the anti-rollback counter).
 */
#ifndef CELLOS_UPDATE_H
#define CELLOS_UPDATE_H

#include <stddef.h>
#include <stdint.h>

#include "blk.h"
#include "cellos/errors.h"
#include "config.h"
#include "disk.h"

#define UPDATE_STRANDS 2
#define STRAND_BYTES   (STRAND_BLOCKS * HAL_BLOCK_SIZE) /* largest image */
/* Blocks an update area needs: the two strands, then the record log. */
#define UPDATE_AREA_BLOCKS (2 * STRAND_BLOCKS + UPDATE_LOG_SLOTS)
#define STRAND_NONE        0xFFFFFFFFu

struct trailer {
	uint32_t valid; /* 0: the strand holds nothing trusted */
	uint32_t version;
	uint32_t length; /* image bytes */
	uint8_t sha256[32];
	uint8_t mac[32]; /* HMAC-SHA-256(device key, version||length||sha256) */
};

struct update_state {
	uint64_t seq;       /* of the newest record, 0 when none */
	uint32_t preferred; /* strand index, or STRAND_NONE */
	uint32_t pending;   /* the preferred strand is not confirmed yet */
	uint32_t attempted; /* ... and has been booted once */
	uint32_t floor;     /* highest confirmed version */
	struct trailer strand[UPDATE_STRANDS];
};

struct updater {
	const struct blkdev *dev;
	struct region area;
	struct update_state st;
};

/*
 * Erase the record log of the area (every slot zeroed, flushed): an area
 * with no strands. 0 or a negative CELL_E_* code.
 */
int update_format(const struct blkdev *dev, struct region area);

/* Read the newest valid record of the area into u. 0 or -CELL_E_*. */
int update_open(struct updater *u, const struct blkdev *dev,
    struct region area);

/*
 * Install image as the next genome, of version. 0, or -CELL_E_ROLLBACK
 * (version not above the floor), -CELL_E_LENGTH (empty or over
 * STRAND_BLOCKS), -CELL_E_BADHASH (what was read back differs),
 * -CELL_E_BADMAC, -CELL_E_IO. Nothing changes the preference on failure.
 */
int update_install(struct updater *u, const void *image, uint32_t len,
    uint32_t version);

/*
 * The boot-time decision: revert a pending strand that was already tried
 * once, mark a pending one as tried, and fall back when the preferred
 * strand does not verify. Returns the strand to boot (0, 1) or
 * -CELL_E_NOENT when no strand verifies.
 */
int update_boot(struct updater *u);

/* The booted genome works: confirm the pending strand, raise the floor. */
int update_confirm(struct updater *u);

/*
 * Read strand s and check its length, hash and MAC against its trailer:
 * 0, -CELL_E_NOENT (no trailer), -CELL_E_BADHASH, -CELL_E_BADMAC, -CELL_E_IO.
 * With out, the verified image is copied there (STRAND_BLOCKS blocks).
 */
int update_verify(struct updater *u, uint32_t s, uint8_t *out);

/*
 * Read strand s back and verify it (update_verify); then *sha is
 * sha256_le32 over its image, and the image is copied to out unless NULL.
 */
int update_strand_sha(struct updater *u, uint32_t s, uint32_t *sha,
    uint8_t *out);

/* Forget the cached device-key state (cell_reset). */
void update_reset(void);

/* The device key the trailers and records are MACed with (32 bytes). */
void update_device_key(uint8_t key[32]);

/*
 * Decode a state record block. 0, or -CELL_E_MAGIC, -CELL_E_VERSION,
 * -CELL_E_CRC, -CELL_E_BADMAC, -CELL_E_RANGE (a field out of range). For the
 * tests and the fuzzers.
 */
int update_record_decode(const uint8_t block[HAL_BLOCK_SIZE],
    struct update_state *out);

/* Encode st as a record block (the inverse of update_record_decode). */
void update_record_encode(const struct update_state *st,
    uint8_t block[HAL_BLOCK_SIZE]);

#endif
