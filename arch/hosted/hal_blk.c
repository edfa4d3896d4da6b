/*
 * Hosted block storage: a file (--disk FILE), an anonymous in-memory
 * device, or none (--disk=none). Whole 512-byte blocks with pread/pwrite;
 * flush is fdatasync, so a put the KV store acknowledges is on the host's
 * disk. Errors come back as -CELL_E_IO, never as silent zeros. For the
 * fallback tests, writes can be made to fail from the Nth one on
 * (--disk-fail), as a worn-out or write-protected device would.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cellos/errors.h"
#include "disk.h"
#include "hal.h"
#include "hosted.h"

static int fd = -1;
static uint8_t *mem;
static uint64_t blocks;
static uint64_t dirty_lo = UINT64_MAX, dirty_hi; /* written range of mem */
static uint64_t fail_from; /* writes from this one on fail; 0: none do */
static uint64_t writes;    /* hal_blk_write calls since the power cycle */

int
hosted_blk_use_none(void)
{
	if (fd >= 0)
		close(fd);
	fd = -1;
	free(mem);
	mem = NULL;
	blocks = 0;
	return 0;
}

void
hosted_blk_fail_writes(uint64_t from)
{
	fail_from = from;
}

static int
put_memory(void *ctx, uint64_t lba, const uint8_t *block)
{
	(void)ctx;
	if (lba >= blocks)
		return -CELL_E_RANGE;
	memcpy(mem + lba * HAL_BLOCK_SIZE, block, HAL_BLOCK_SIZE);
	return 0;
}

static int
put_file(void *ctx, uint64_t lba, const uint8_t *block)
{
	int f = *(const int *)ctx;

	if (pwrite(f, block, HAL_BLOCK_SIZE, (off_t)(lba * HAL_BLOCK_SIZE)) !=
	    HAL_BLOCK_SIZE)
		return -CELL_E_IO;
	return 0;
}

/* The memory device is a proof disk whenever the layout fits it. */
static void
provision_memory(void)
{
	if (mem != NULL && blocks >= disk_blocks_needed() &&
	    hosted_proof_disk(put_memory, NULL) < 0) {
		fprintf(stderr,
		    "cellos-hosted: the proof disk does not fit the "
		    "memory device\n");
		exit(4);
	}
}

int
hosted_blk_open(const char *path)
{
	struct stat st;
	int f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (f < 0) {
		fprintf(stderr, "cellos-hosted: --disk %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	if (fstat(f, &st) != 0) {
		fprintf(stderr, "cellos-hosted: --disk %s: %s\n", path,
		    strerror(errno));
		close(f);
		return -1;
	}
	if (st.st_size == 0 &&
	    (ftruncate(f, (off_t)HOSTED_DISK_BLOCKS * HAL_BLOCK_SIZE) != 0 ||
		hosted_proof_disk(put_file, &f) < 0 || fsync(f) != 0)) {
		fprintf(stderr,
		    "cellos-hosted: --disk %s: cannot make it a "
		    "proof disk: %s\n",
		    path, strerror(errno));
		close(f);
		return -1;
	}
	if (st.st_size != 0 && st.st_size % HAL_BLOCK_SIZE != 0) {
		fprintf(stderr,
		    "cellos-hosted: --disk %s: %lld bytes is not a "
		    "whole number of %u-byte blocks\n",
		    path, (long long)st.st_size, HAL_BLOCK_SIZE);
		close(f);
		return -1;
	}
	if (fd >= 0)
		close(fd);
	fd = f;
	blocks = st.st_size ? (uint64_t)st.st_size / HAL_BLOCK_SIZE :
			      HOSTED_DISK_BLOCKS;
	return 0;
}

int
hosted_blk_use_memory(uint64_t count)
{
	uint8_t *m = calloc(count, HAL_BLOCK_SIZE);

	if (m == NULL) {
		fprintf(stderr,
		    "cellos-hosted: no memory for a %llu-block "
		    "device\n",
		    (unsigned long long)count);
		return -1;
	}
	free(mem);
	mem = m;
	blocks = count;
	provision_memory();
	return 0;
}

void
hosted_blk_power_cycle(void)
{
	/* Only what was written since the last cycle needs zeroing. */
	if (fd < 0 && mem != NULL && dirty_lo < dirty_hi) {
		memset(mem + dirty_lo * HAL_BLOCK_SIZE, 0,
		    (dirty_hi - dirty_lo) * HAL_BLOCK_SIZE);
		provision_memory();
	}
	dirty_lo = UINT64_MAX;
	dirty_hi = 0;
	writes = 0;
}

uint64_t
hal_blk_count(void)
{
	return blocks;
}

static int
in_range(uint64_t lba, uint32_t count)
{
	return count > 0 && lba < blocks && count <= blocks - lba;
}

/* Move whole blocks to or from the file, across short transfers and EINTR. */
static int
file_io(int write, uint64_t lba, void *buf, uint32_t count)
{
	size_t len = (size_t)count * HAL_BLOCK_SIZE, done = 0;
	off_t off = (off_t)(lba * HAL_BLOCK_SIZE);

	while (done < len) {
		ssize_t n = write ? pwrite(fd, (const uint8_t *)buf + done,
					len - done, off + (off_t)done) :
				    pread(fd, (uint8_t *)buf + done, len - done,
					off + (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -CELL_E_IO; /* an error, or the file shrank */
		done += (size_t)n;
	}
	return 0;
}

int
hal_blk_read(uint64_t lba, void *buf, uint32_t count)
{
	if (!in_range(lba, count))
		return -CELL_E_RANGE;
	if (fd >= 0)
		return file_io(0, lba, buf, count);
	memcpy(buf, mem + lba * HAL_BLOCK_SIZE, (size_t)count * HAL_BLOCK_SIZE);
	return 0;
}

int
hal_blk_write(uint64_t lba, const void *buf, uint32_t count)
{
	if (!in_range(lba, count))
		return -CELL_E_RANGE;
	if (fail_from != 0 && ++writes >= fail_from)
		return -CELL_E_IO;
	if (fd >= 0)
		return file_io(1, lba, (void *)(uintptr_t)buf, count);
	memcpy(mem + lba * HAL_BLOCK_SIZE, buf, (size_t)count * HAL_BLOCK_SIZE);
	if (lba < dirty_lo)
		dirty_lo = lba;
	if (lba + count > dirty_hi)
		dirty_hi = lba + count;
	return 0;
}

int
hal_blk_flush(void)
{
	if (blocks == 0)
		return -CELL_E_IO;
	if (fd >= 0 && fdatasync(fd) != 0)
		return -CELL_E_IO;
	return 0;
}
