/*
 * Bus-master IDE DMA for the data disk of ata_pio.c (the primary slave of
 * the legacy primary channel; QEMU's -drive if=ide,index=1 on -machine pc),
 * through the bus-master interface of the PCI IDE function (the
 * "Programming Interface for Bus Master IDE Controller", Rev 1.0, as the
 * PIIX3/PIIX4 implement it) with READ DMA EXT and WRITE DMA EXT (ATA8-ACS).
 * Under QEMU's TCG, PIO costs an emulated port access per 16-bit word; a
 * DMA command costs a dozen, whatever its length.
 *
 * Setup, once: the first PCI function of class 01/01 (IDE) whose primary
 * channel is in compatibility mode (prog-if bit 0 clear: it owns 0x1F0, the
 * ports ata_pio.c drives) must say it is a bus master (prog-if bit 7) and
 * have an I/O BAR4, the bus-master base (primary channel at +0: command,
 * +2: status, +4: PRD table address). I/O decoding and bus mastering are
 * turned on in its PCI command register. ata_pio.c's IDENTIFY must have
 * found the disk and say it supports DMA. Any of that missing: no DMA, and
 * hal_blk.c uses ATA PIO as before. The drive's transfer mode is left as
 * the firmware set it (QEMU needs none set).
 *
 * A command: the data goes through a static bounce buffer in BSS
 * (BOUNCE_SECTORS at a time), which a static PRD table describes, one entry
 * per physically contiguous piece that does not cross a 64 KiB boundary,
 * all below 4 GiB (physical addresses from the page tables, as ahci.c takes
 * its own). Polled, with nIEN set at the drive as ata_pio.c leaves it: the
 * drive then never raises INTRQ, so the bus-master Interrupt bit, which
 * latches INTRQ's rising edge, never sets, and a command is done when the
 * drive has dropped BSY and DRQ and the controller its Active bit. Every
 * wait is bounded (deadline.c). The bus-master Error bit, ERR or DF, a
 * drive still asking for data when the PRDs ran out, a controller still
 * active after the drive finished (PRDs longer than the command), or a
 * timeout is -CELL_E_IO, never retried through PIO; the engine is then
 * stopped and, if the drive is stuck, the channel soft-reset.
 */
#include <stdint.h>

#include "cellos/errors.h"
#include "cpu.h"
#include "hal.h"
#include "x86.h"

#define IDE_CLASS             0x010100u /* mass storage, IDE */
#define IDE_CLASS_MASK        0xFFFF00u /* any programming interface */
#define PROGIF_PRIMARY_NATIVE 0x01u
#define PROGIF_BUS_MASTER     0x80u

/* PCI configuration registers */
#define PCI_COMMAND 0x04
#define PCI_CLASS   0x08
#define PCI_BAR4    0x20
#define CMD_IO      (1u << 0)
#define CMD_MASTER  (1u << 2)

/* Bus-master registers of the primary channel, from BAR4 */
#define BM_COMMAND  0x0
#define BM_STATUS   0x2
#define BM_PRD      0x4
#define BMC_START   0x01u
#define BMC_READ    0x08u /* the controller writes memory: a device read */
#define BMS_ACTIVE  0x01u
#define BMS_ERROR   0x02u /* write one to clear */
#define BMS_INTR    0x04u /* write one to clear */
#define BMS_CAPABLE 0x60u /* drive 0/1 DMA capable: the firmware's, kept */

/* The primary channel's task file (ata_pio.c issues the commands). */
#define ATA_STATUS  0x1F7
#define ATA_CONTROL 0x3F6 /* write: device control, read: alt status */
#define CTL_NIEN    0x02u
#define CTL_SRST    0x04u
#define ST_ERR      0x01u
#define ST_DRQ      0x08u
#define ST_DF       0x20u
#define ST_BSY      0x80u

#define CMD_READ_DMA_EXT  0x25
#define CMD_WRITE_DMA_EXT 0x35

#define WAIT_MS  30000u /* as ata_pio.c: deadline.c */
#define GRACE_MS 10u    /* drive done, controller still active: a bad PRD */

#define BOUNCE_SECTORS 32u
#define BOUNCE_BYTES   (BOUNCE_SECTORS * HAL_BLOCK_SIZE)
#define PRDS           4u /* 16 KiB crosses at most one 64 KiB boundary */
#define PRD_EOT        (1u << 31)
#define PRD_SPAN       0x10000u /* a region stays inside one 64 KiB block */

struct prd {
	uint32_t addr;  /* physical, even */
	uint32_t count; /* bytes in bits 15..0 (0: 64 KiB), EOT in bit 31 */
};

_Static_assert(sizeof(struct prd) == 8, "bus-master PRD entry");
_Static_assert(BOUNCE_BYTES <= PRD_SPAN * (PRDS - 1), "PRDs for the bounce");

/* Aligned to its size, so the table cannot cross a 64 KiB boundary. */
static volatile struct prd prd_table[PRDS]
    __attribute__((aligned(sizeof(struct prd) * PRDS)));
static uint8_t bounce[BOUNCE_BYTES] __attribute__((aligned(64)));

static struct {
	int probed;
	uint16_t base; /* bus-master I/O base, 0: no DMA */
	uint32_t prd_pa;
	uint64_t sectors;
} dma;

/*
 * Describe the first bytes of the bounce buffer in the PRD table: one
 * entry per physically contiguous piece, split at 64 KiB boundaries, each
 * below 4 GiB. 0 or -CELL_E_IO.
 */
static int
prd_fill(uint32_t bytes)
{
	const uint8_t *va = bounce;
	unsigned n = 0;

	while (bytes > 0) {
		uint64_t pa, run;

		if (n == PRDS || x86_virt_to_phys(va, &pa, &run) < 0)
			return -CELL_E_IO;
		if (run > bytes)
			run = bytes;
		if (run > PRD_SPAN - (pa & (PRD_SPAN - 1)))
			run = PRD_SPAN - (pa & (PRD_SPAN - 1));
		if ((pa & 1) || pa + run > (1ull << 32))
			return -CELL_E_IO;
		prd_table[n].addr = (uint32_t)pa;
		prd_table[n].count = (uint32_t)run & 0xFFFFu;
		n++;
		va += run;
		bytes -= (uint32_t)run;
	}
	if (n == 0)
		return -CELL_E_IO;
	prd_table[n - 1].count |= PRD_EOT;
	return 0;
}

/* Stop the engine (Start clear) and clear Error and Interrupt. */
static void
engine_stop(uint8_t direction)
{
	uint8_t st;

	outb(dma.base + BM_COMMAND, direction);
	st = inb(dma.base + BM_STATUS);
	outb(dma.base + BM_STATUS,
	    (uint8_t)((st & BMS_CAPABLE) | BMS_ERROR | BMS_INTR));
}

/*
 * After a failed command: when the drive is still busy or asking for data,
 * soft-reset the channel (SRST, then nIEN alone) and wait for it. The
 * failed command's -CELL_E_IO is returned.
 */
static int
recover(void)
{
	uint8_t st = inb(ATA_CONTROL);

	if (!(st & (ST_BSY | ST_DRQ)))
		return -CELL_E_IO;
	outb(ATA_CONTROL, CTL_SRST | CTL_NIEN);
	for (int i = 0; i < 8; i++)
		(void)inb(ATA_CONTROL); /* SRST must be held 5 us */
	outb(ATA_CONTROL, CTL_NIEN);
	(void)ata_pio_wait(0);
	return -CELL_E_IO;
}

/* Wait for the started command to finish. 0 or -CELL_E_IO. */
static int
wait_done(void)
{
	uint64_t deadline = x86_deadline(WAIT_MS), grace = 0;

	for (int i = 0; i < 4; i++)
		(void)inb(ATA_CONTROL); /* the drive's 400 ns */
	for (;;) {
		uint8_t bm = inb(dma.base + BM_STATUS);
		uint8_t st = inb(ATA_STATUS);

		if (st == 0xFF || (bm & BMS_ERROR))
			return -CELL_E_IO;
		if (!(st & ST_BSY)) {
			if (st & (ST_ERR | ST_DF))
				return -CELL_E_IO;
			if (!(bm & BMS_ACTIVE))
				return (st & ST_DRQ) ? -CELL_E_IO : 0;
			if (!(st & ST_DRQ)) {
				if (grace == 0)
					grace = x86_deadline(GRACE_MS);
				else if (x86_deadline_passed(grace))
					return -CELL_E_IO;
			}
		}
		if (x86_deadline_passed(deadline))
			return -CELL_E_IO;
	}
}

/*
 * One DMA command: count (1..BOUNCE_SECTORS) sectors at lba between the
 * drive and the bounce buffer, into memory unless write. 0 or -CELL_E_IO.
 */
static int
run(int write, uint64_t lba, uint32_t count)
{
	uint8_t direction = write ? 0 : BMC_READ;
	int rc;

	if (prd_fill(count * HAL_BLOCK_SIZE) < 0)
		return -CELL_E_IO;
	if (ata_pio_wait(0) < 0 || (inb(ATA_STATUS) & ST_DRQ))
		return recover();
	engine_stop(direction);
	outl(dma.base + BM_PRD, dma.prd_pa);
	compiler_barrier(); /* the bounce buffer and PRDs are written */
	ata_pio_command(write ? CMD_WRITE_DMA_EXT : CMD_READ_DMA_EXT, lba,
	    count);
	outb(dma.base + BM_COMMAND, direction | BMC_START);
	rc = wait_done();
	outb(dma.base + BM_COMMAND, direction);
	compiler_barrier(); /* the bounce buffer is read after it */
	if (inb(dma.base + BM_STATUS) & BMS_ERROR)
		rc = -CELL_E_IO;
	engine_stop(direction);
	return rc < 0 ? recover() : 0;
}

/*
 * Find the IDE function (see the top of the file), turn on its I/O
 * decoding and bus mastering, and take the PRD table's address. 0, or
 * -CELL_E_NOENT when DMA cannot be used.
 */
static int
controller_setup(void)
{
	uint64_t pa, span;
	uint32_t progif, bar;
	unsigned bdf;

	for (unsigned from = 0;; from = bdf + 1) {
		if (pci_find_class_masked(IDE_CLASS, IDE_CLASS_MASK, from,
			&bdf) < 0)
			return -CELL_E_NOENT;
		progif = (pci_read32(bdf, PCI_CLASS) >> 8) & 0xFFu;
		if (!(progif & PROGIF_PRIMARY_NATIVE))
			break; /* this one decodes 0x1F0 */
	}
	bar = pci_read32(bdf, PCI_BAR4);
	if (!(progif & PROGIF_BUS_MASTER) || !(bar & 1u) ||
	    (bar & 0xFFFCu) == 0 || (bar & 0xFFFF0000u) != 0)
		return -CELL_E_NOENT; /* no bus master, or no I/O BAR4 */
	if (x86_virt_to_phys(prd_table, &pa, &span) < 0 ||
	    span < sizeof prd_table || pa + sizeof prd_table > (1ull << 32))
		return -CELL_E_NOENT;
	pci_write32(bdf, PCI_COMMAND,
	    (pci_read32(bdf, PCI_COMMAND) & 0xFFFFu) | CMD_IO | CMD_MASTER);
	dma.base = (uint16_t)(bar & 0xFFFCu);
	dma.prd_pa = (uint32_t)pa;
	engine_stop(0);
	return 0;
}

/* Sectors on the disk when DMA reaches it, else 0. Sets up once. */
uint64_t
ata_dma_blocks(void)
{
	if (!dma.probed) {
		dma.probed = 1;
		if (ata_pio_dma_capable() && controller_setup() == 0)
			dma.sectors = ata_pio_blocks();
	}
	return dma.sectors;
}

/* Read count sectors at lba into buf. 0 or -CELL_E_IO. Thread only. */
int
ata_dma_read(uint64_t lba, void *buf, uint32_t count)
{
	return x86_bounce_transfer(0, lba, buf, count, bounce, BOUNCE_SECTORS,
	    run);
}

/* Write count sectors at lba from buf. 0 or -CELL_E_IO. Thread only. */
int
ata_dma_write(uint64_t lba, const void *buf, uint32_t count)
{
	return x86_bounce_transfer(1, lba, (void *)(uintptr_t)buf, count,
	    bounce, BOUNCE_SECTORS, run);
}
