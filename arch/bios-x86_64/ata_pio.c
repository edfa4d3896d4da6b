/*
 * ATA PIO on the second IDE disk (primary bus, slave; QEMU's -drive
 * if=ide,index=1 on -machine pc), LBA48, polled with interrupts off at the
 * drive. IDENTIFY says how big the disk is; every wait is bounded, and an
 * error bit, a timeout or a missing disk comes back as -CELL_E_IO.
 * hal_blk.c uses it when there is no AHCI data disk and bus-master DMA
 * (ata_dma.c) cannot be set up; ata_dma.c shares its IDENTIFY, its command
 * sequence and its waits, and FLUSH CACHE EXT is always issued here.
 */
#include <stdint.h>

#include "cellos/errors.h"
#include "cpu.h"
#include "hal.h"
#include "x86.h"

#define ATA_DATA    0x1F0
#define ATA_ERROR   0x1F1
#define ATA_COUNT   0x1F2
#define ATA_LBA0    0x1F3
#define ATA_LBA1    0x1F4
#define ATA_LBA2    0x1F5
#define ATA_DRIVE   0x1F6
#define ATA_STATUS  0x1F7 /* read: status, write: command */
#define ATA_CONTROL 0x3F6 /* write: device control, read: alt status */

#define ST_ERR 0x01
#define ST_DRQ 0x08
#define ST_DF  0x20
#define ST_BSY 0x80

#define CMD_READ_EXT  0x24
#define CMD_WRITE_EXT 0x34
#define CMD_FLUSH_EXT 0xEA
#define CMD_IDENTIFY  0xEC

#define SLAVE   0x10
#define WAIT_MS 30000u /* deadline.c; a flush is the host's fdatasync */

static int probed;
static uint64_t sectors;
static int dma_capable; /* IDENTIFY word 49 bit 8 */

/* Four reads of the alternate status: the 400 ns the drive needs. */
static void
settle(void)
{
	for (int i = 0; i < 4; i++)
		(void)inb(ATA_CONTROL);
}

/* Wait for BSY to clear; then, if want_drq, for DRQ. 0 or -CELL_E_IO. */
int
ata_pio_wait(int want_drq)
{
	for (uint64_t deadline = x86_deadline(WAIT_MS);
	     !x86_deadline_passed(deadline);) {
		uint8_t st = inb(ATA_STATUS);

		if (st == 0xFF)
			return -CELL_E_IO; /* floating bus: no drive */
		if (st & ST_BSY)
			continue;
		if (st & (ST_ERR | ST_DF))
			return -CELL_E_IO;
		if (!want_drq || (st & ST_DRQ))
			return 0;
	}
	return -CELL_E_IO;
}

/* IDENTIFY the primary slave; sets sectors when it is an LBA48 ATA disk. */
static void
probe(void)
{
	uint16_t id[256];

	probed = 1;
	outb(ATA_CONTROL, 0x02); /* nIEN: we poll */
	outb(ATA_DRIVE, 0xA0 | SLAVE);
	settle();
	outb(ATA_COUNT, 0);
	outb(ATA_LBA0, 0);
	outb(ATA_LBA1, 0);
	outb(ATA_LBA2, 0);
	outb(ATA_STATUS, CMD_IDENTIFY);
	if (inb(ATA_STATUS) == 0 || inb(ATA_STATUS) == 0xFF)
		return; /* no device, or no bus */
	for (uint64_t deadline = x86_deadline(WAIT_MS);
	     !x86_deadline_passed(deadline) && (inb(ATA_STATUS) & ST_BSY);)
		;
	if (inb(ATA_LBA1) != 0 || inb(ATA_LBA2) != 0)
		return; /* ATAPI or SATA: not ours */
	if (ata_pio_wait(1) < 0)
		return;
	for (int i = 0; i < 256; i++)
		id[i] = inw(ATA_DATA);
	if (!(id[83] & (1u << 10)))
		return; /* no LBA48 */
	sectors = (uint64_t)id[100] | (uint64_t)id[101] << 16 |
	    (uint64_t)id[102] << 32 | (uint64_t)id[103] << 48;
	dma_capable = (id[49] & (1u << 8)) != 0;
}

/* Sectors on the primary slave, 0 when there is none. Probes once. */
uint64_t
ata_pio_blocks(void)
{
	if (!probed)
		probe();
	return sectors;
}

/* Whether the disk ata_pio_blocks found says it supports DMA. */
int
ata_pio_dma_capable(void)
{
	return ata_pio_blocks() > 0 && dma_capable;
}

/*
 * Select the primary slave and issue the LBA48 command cmd for count
 * sectors at lba (count 0 means 65,536; the drive must not be busy).
 */
void
ata_pio_command(uint8_t cmd, uint64_t lba, uint32_t count)
{
	outb(ATA_DRIVE, 0x40 | SLAVE); /* LBA mode */
	settle();
	outb(ATA_COUNT, (uint8_t)(count >> 8));
	outb(ATA_LBA0, (uint8_t)(lba >> 24));
	outb(ATA_LBA1, (uint8_t)(lba >> 32));
	outb(ATA_LBA2, (uint8_t)(lba >> 40));
	outb(ATA_COUNT, (uint8_t)count);
	outb(ATA_LBA0, (uint8_t)lba);
	outb(ATA_LBA1, (uint8_t)(lba >> 8));
	outb(ATA_LBA2, (uint8_t)(lba >> 16));
	outb(ATA_STATUS, cmd);
}

/* Move count sectors at lba (checked by the caller), 256 per command. */
static int
transfer(int write, uint64_t lba, uint8_t *buf, uint32_t count)
{
	while (count > 0) {
		uint32_t n = count > 256 ? 256 : count;
		int rc;

		if ((rc = ata_pio_wait(0)) < 0)
			return rc;
		ata_pio_command(write ? CMD_WRITE_EXT : CMD_READ_EXT, lba, n);
		for (uint32_t s = 0; s < n; s++) {
			if ((rc = ata_pio_wait(1)) < 0)
				return rc;
			if (write)
				outsw(ATA_DATA, buf, HAL_BLOCK_SIZE / 2);
			else
				insw(ATA_DATA, buf, HAL_BLOCK_SIZE / 2);
			buf += HAL_BLOCK_SIZE;
		}
		if ((rc = ata_pio_wait(0)) < 0)
			return rc;
		lba += n;
		count -= n;
	}
	return 0;
}

/* Read count sectors at lba into buf. 0 or -CELL_E_IO. Thread only. */
int
ata_pio_read(uint64_t lba, void *buf, uint32_t count)
{
	return transfer(0, lba, buf, count);
}

/* Write count sectors at lba from buf. 0 or -CELL_E_IO. Thread only. */
int
ata_pio_write(uint64_t lba, const void *buf, uint32_t count)
{
	return transfer(1, lba, (uint8_t *)(uintptr_t)buf, count);
}

/* FLUSH CACHE EXT. 0 or -CELL_E_IO. Thread only. */
int
ata_pio_flush(void)
{
	outb(ATA_DRIVE, 0x40 | SLAVE);
	settle();
	outb(ATA_STATUS, CMD_FLUSH_EXT);
	return ata_pio_wait(0);
}
