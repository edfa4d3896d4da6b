/*
 * MCU storage: the MPS2 board has no flash controller QEMU emulates, so
 * its block device is a host file reached through semihosting file I/O,
 * the way embedded test rigs attach host storage. The semihosting command
 * line (QEMU -semihosting-config arg=...) names it: "disk=PATH"; without
 * one there is no disk (hal_blk_count 0). The file is opened "r+b" (it
 * must exist; it is never created or truncated), its size in whole
 * 512-byte blocks is the device (SYS_FLEN), each transfer is SYS_SEEK
 * then SYS_READ or SYS_WRITE straight into or out of the caller's buffer.
 *
 * The barrier: QEMU carries out each SYS_WRITE as a write(2) to the host
 * file before the call returns, and neither the kernel nor QEMU buffers
 * anything, so every write that returned 0 is in the host's file and
 * survives the machine stopping at any point (QEMU killed, the power-cut
 * model of docs/STORAGE.md). hal_blk_flush has nothing to push; it checks
 * that the file is still there at its size (SYS_FLEN), so a disk that
 * vanished or shrank fails the barrier instead of passing it. It is not
 * an fsync: a crash of the host itself is outside this model.
 */
#include <stdint.h>

#include "cellos/errors.h"
#include "hal.h"
#include "kprint.h"
#include "mcu.h"

#define SYS_OPEN     0x01
#define SYS_WRITE    0x05
#define SYS_READ     0x06
#define SYS_SEEK     0x0A
#define SYS_FLEN     0x0C
#define SYS_ERRNO    0x13
#define OPEN_RPLUS_B 3 /* ISO C fopen mode "r+b" */
#define PATH_MAX_LEN 200
#define BLOCKS_MAX     \
	(0x7FFFFFFFu / \
	    HAL_BLOCK_SIZE) /* SYS_SEEK takes a signed 32-bit offset */

static int32_t handle = -1;
static uint32_t blocks;
static int32_t opened_len;
static char path[PATH_MAX_LEN + 1];
static int open_errno = -1; /* the host's errno when SYS_OPEN failed */

/* The value of the first "disk=" word of cmdline into path; its length or 0. */
static uint32_t
disk_arg(const char *cmdline)
{
	const char *p = cmdline;

	while (*p != '\0') {
		while (*p == ' ')
			p++;
		if (p[0] == 'd' && p[1] == 'i' && p[2] == 's' && p[3] == 'k' &&
		    p[4] == '=') {
			uint32_t n = 0;

			for (p += 5; *p != '\0' && *p != ' '; p++) {
				if (n == PATH_MAX_LEN) {
					path[0] = '\0'; /* too long: no disk */
					return 0;
				}
				path[n++] = *p;
			}
			path[n] = '\0';
			return n;
		}
		while (*p != '\0' && *p != ' ')
			p++;
	}
	return 0;
}

static int32_t
file_length(void)
{
	uint32_t arg[1] = { (uint32_t)handle };

	return (int32_t)mcu_semihost(SYS_FLEN, arg);
}

void
mcu_blk_init(const char *cmdline)
{
	uint32_t len, arg[3];
	int32_t flen;

	handle = -1;
	blocks = 0;
	path[0] = '\0';
	if ((len = disk_arg(cmdline)) == 0)
		return;
	arg[0] = (uint32_t)(uintptr_t)path;
	arg[1] = OPEN_RPLUS_B;
	arg[2] = len;
	handle = (int32_t)mcu_semihost(SYS_OPEN, arg);
	if (handle < 0) {
		open_errno = (int)mcu_semihost(SYS_ERRNO, 0);
		return;
	}
	flen = file_length();
	if (flen < 0) {
		open_errno = (int)mcu_semihost(SYS_ERRNO, 0);
		handle = -1;
		return;
	}
	opened_len = flen;
	blocks = (uint32_t)flen / HAL_BLOCK_SIZE;
	if (blocks > BLOCKS_MAX)
		blocks = BLOCKS_MAX;
}

void
mcu_blk_describe(void)
{
	if (path[0] == '\0')
		kprintf("#I mcu: no disk (the semihosting command line names "
			"none)\n");
	else if (handle < 0)
		kprintf("#I mcu: disk %s: the host cannot open it (errno %d)\n",
		    path, open_errno);
	else
		kprintf("#I mcu: disk %s: %u blocks, a host file through "
			"semihosting\n",
		    path, blocks);
}

uint64_t
hal_blk_count(void)
{
	return blocks;
}

static int
transfer(int write, uint64_t lba, uint8_t *buf, uint32_t count)
{
	uint32_t seek[2], io[3];

	if (blocks == 0)
		return -CELL_E_IO;
	if (count == 0 || lba >= blocks || count > blocks - lba)
		return -CELL_E_RANGE;
	seek[0] = (uint32_t)handle;
	seek[1] = (uint32_t)lba * HAL_BLOCK_SIZE;
	if ((int32_t)mcu_semihost(SYS_SEEK, seek) != 0)
		return -CELL_E_IO;
	io[0] = (uint32_t)handle;
	io[1] = (uint32_t)(uintptr_t)buf;
	io[2] = count * HAL_BLOCK_SIZE;
	/* Both return the bytes left untransferred: 0 is all of them. */
	if (mcu_semihost(write ? SYS_WRITE : SYS_READ, io) != 0)
		return -CELL_E_IO;
	return 0;
}

int
hal_blk_read(uint64_t lba, void *buf, uint32_t count)
{
	return transfer(0, lba, buf, count);
}

int
hal_blk_write(uint64_t lba, const void *buf, uint32_t count)
{
	return transfer(1, lba, (uint8_t *)(uintptr_t)buf, count);
}

int
hal_blk_flush(void)
{
	if (blocks == 0)
		return -CELL_E_IO;
	return file_length() == opened_len ? 0 : -CELL_E_IO;
}
