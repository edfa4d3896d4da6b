/*
 * PC block storage: the data disk is the machine's second disk (QEMU's
 * -drive if=ide,index=1), the first being the boot image. On a machine
 * with an AHCI controller holding an ATA disk on port 1 (q35, ICH9) the
 * AHCI driver (ahci.c) reaches it. Otherwise it is the legacy primary
 * slave (-machine pc): moved by bus-master DMA (ata_dma.c) when the PCI IDE
 * function is a bus master and the disk does DMA, else by ATA PIO
 * (ata_pio.c, which also IDENTIFYs the disk and flushes it for both). The
 * choice is made once, on the first call; a DMA error is an I/O error, not
 * a switch to PIO. The range checks live here so every driver sees only
 * requests that fit the disk.
 */
#include <stdint.h>

#include "cellos/errors.h"
#include "hal.h"
#include "x86.h"

enum driver { UNCHOSEN, AHCI, ATA_DMA, ATA_PIO };

static enum driver driver;
static uint64_t sectors;

/*
 * Pick the driver: AHCI when it has a data disk, else bus-master DMA when
 * it can be set up for the IDE disk, else ATA PIO.
 */
static void
choose(void)
{
	if ((sectors = ahci_blocks()) > 0) {
		driver = AHCI;
		return;
	}
	if ((sectors = ata_dma_blocks()) > 0) {
		driver = ATA_DMA;
		return;
	}
	driver = ATA_PIO;
	sectors = ata_pio_blocks();
}

/* The data disk's sectors, 0 when neither driver has one (hal.h). */
uint64_t
hal_blk_count(void)
{
	if (driver == UNCHOSEN)
		choose();
	return sectors;
}

/* 0 when [lba, lba + count) is a non-empty range on the disk. */
static int
check(uint64_t lba, uint32_t count)
{
	if (hal_blk_count() == 0)
		return -CELL_E_IO;
	if (count == 0 || lba >= sectors || count > sectors - lba)
		return -CELL_E_RANGE;
	return 0;
}

/* Read through the chosen driver: 0, -CELL_E_IO or -CELL_E_RANGE (hal.h). */
int
hal_blk_read(uint64_t lba, void *buf, uint32_t count)
{
	int rc;

	if ((rc = check(lba, count)) < 0)
		return rc;
	if (driver == AHCI)
		return ahci_read(lba, buf, count);
	if (driver == ATA_DMA)
		return ata_dma_read(lba, buf, count);
	return ata_pio_read(lba, buf, count);
}

/* Write through the chosen driver: 0, -CELL_E_IO or -CELL_E_RANGE (hal.h). */
int
hal_blk_write(uint64_t lba, const void *buf, uint32_t count)
{
	int rc;

	if ((rc = check(lba, count)) < 0)
		return rc;
	if (driver == AHCI)
		return ahci_write(lba, buf, count);
	if (driver == ATA_DMA)
		return ata_dma_write(lba, buf, count);
	return ata_pio_write(lba, buf, count);
}

/* Flush the chosen driver's disk (the IDE disk by PIO): 0 or -CELL_E_IO. */
int
hal_blk_flush(void)
{
	if (hal_blk_count() == 0)
		return -CELL_E_IO;
	if (driver == AHCI)
		return ahci_flush();
	return ata_pio_flush();
}
