/*
 * AHCI (Serial ATA AHCI 1.3.1) for the PC's data disk on machines whose
 * disks hang off a SATA controller (QEMU q35: the ICH9 at 00:1f.2). The
 * disk is the ATA device on port 1, where QEMU puts -drive if=ide,index=1
 * (port 0 holds the boot image and is never touched). The first PCI
 * function of class 01/06/01 whose port 1 answers with an ATA signature is
 * used; its registers are mapped uncached at their physical address.
 *
 * One command slot, polled: no interrupt is enabled at the HBA, the port
 * or the PCI function. Each command's data goes through a static bounce
 * buffer (BOUNCE_SECTORS at a time) that the PRDT describes in one entry
 * per physically contiguous piece. Every wait is bounded; a device error,
 * an HBA error, a short transfer or a timeout is -CELL_E_IO, after which
 * the port is stopped, its errors cleared and started again.
 */
#include <stddef.h>
#include <stdint.h>

#include "cellos/errors.h"
#include "cpu.h"
#include "hal.h"
#include "x86.h"

#define AHCI_CLASS 0x010601u /* mass storage, SATA, AHCI 1.0 */
#define DATA_PORT  1u        /* -drive if=ide,index=1 on q35 */

/* PCI configuration registers */
#define PCI_COMMAND  0x04
#define PCI_BAR5     0x24
#define CMD_MEMORY   (1u << 1)
#define CMD_MASTER   (1u << 2)
#define CMD_INTX_OFF (1u << 10)

/* HBA generic host control */
#define HBA_CAP  0x00
#define HBA_GHC  0x04
#define HBA_IS   0x08
#define HBA_PI   0x0C
#define HBA_CAP2 0x24
#define HBA_BOHC 0x28
#define CAP_NP   0x1Fu      /* ports - 1 */
#define CAP_SSS  (1u << 27) /* staggered spin-up: we set SUD */
#define CAP_S64A (1u << 31) /* 64-bit DMA addresses */
#define GHC_AE   (1u << 31)
#define CAP2_BOH (1u << 0) /* BIOS/OS handoff */
#define BOHC_BOS (1u << 0)
#define BOHC_OOS (1u << 1)
#define BOHC_BB  (1u << 4)

/* Port registers, at 0x100 + 0x80 * port */
#define PORT_BASE(n) (0x100u + 0x80u * (n))
#define PORT_SPAN    0x80u
#define PX_CLB       0x00
#define PX_CLBU      0x04
#define PX_FB        0x08
#define PX_FBU       0x0C
#define PX_IS        0x10
#define PX_IE        0x14
#define PX_CMD       0x18
#define PX_TFD       0x20
#define PX_SIG       0x24
#define PX_SSTS      0x28
#define PX_SERR      0x30
#define PX_CI        0x38
#define PXCMD_ST     (1u << 0)
#define PXCMD_SUD    (1u << 1)
#define PXCMD_FRE    (1u << 4)
#define PXCMD_FR     (1u << 14)
#define PXCMD_CR     (1u << 15)
#define PXIS_OFS     (1u << 24) /* overflow */
#define PXIS_INFS    (1u << 26) /* interface non-fatal */
#define PXIS_IFS     (1u << 27) /* interface fatal */
#define PXIS_HBDS    (1u << 28) /* host bus data */
#define PXIS_HBFS    (1u << 29) /* host bus fatal */
#define PXIS_TFES    (1u << 30) /* task file error */
#define PXIS_ERRORS \
	(PXIS_OFS | PXIS_INFS | PXIS_IFS | PXIS_HBDS | PXIS_HBFS | PXIS_TFES)
#define TFD_ERR    0x01u
#define TFD_DRQ    0x08u
#define TFD_DF     0x20u
#define TFD_BSY    0x80u
#define SSTS_DET   0x0Fu
#define DET_PHY_UP 3u /* device present, link established */
#define SIG_ATA    0x00000101u

/* ATA8-ACS commands */
#define ATA_READ_DMA_EXT    0x25
#define ATA_WRITE_DMA_EXT   0x35
#define ATA_FLUSH_CACHE_EXT 0xEA
#define ATA_IDENTIFY        0xEC
#define FIS_H2D             0x27
#define FIS_COMMAND         0x80 /* C: the FIS carries a command */
#define DEVICE_LBA          0x40

/* Command header DW0 */
#define HDR_CFL_H2D     5u /* a 20-byte H2D FIS, in dwords */
#define HDR_WRITE       (1u << 6)
#define HDR_PRDTL_SHIFT 16

/* Bounds, in milliseconds (deadline.c): time, not a count of polls. */
#define STOP_MS       1000u /* the spec allows CR/FR 500 ms */
#define READY_MS      5000u
#define COMMAND_MS    30000u /* a flush is the host's fdatasync */
#define HANDOFF_LOOPS 100000u

#define BOUNCE_SECTORS 16u
#define BOUNCE_BYTES   (BOUNCE_SECTORS * HAL_BLOCK_SIZE)
#define PRDS           4u  /* the bounce buffer spans <= 3 pages */
#define SLOTS          32u /* a command list has 32 headers */

struct cmd_header {
	uint32_t dw0;   /* CFL, W, PRDTL */
	uint32_t prdbc; /* bytes transferred, written by the HBA */
	uint32_t ctba;  /* command table, 128-byte aligned */
	uint32_t ctbau;
	uint32_t reserved[4];
};

struct prd {
	uint32_t dba; /* data, word aligned */
	uint32_t dbau;
	uint32_t reserved;
	uint32_t dbc; /* bytes - 1, bit 0 set */
};

struct cmd_table {
	uint8_t cfis[64];
	uint8_t acmd[16];
	uint8_t reserved[48];
	struct prd prdt[PRDS];
};

_Static_assert(sizeof(struct cmd_header) == 32, "AHCI command header");
_Static_assert(sizeof(struct prd) == 16, "AHCI PRD entry");
_Static_assert(offsetof(struct cmd_table, prdt) == 0x80, "AHCI command table");
_Static_assert(sizeof(struct cmd_table) <= 256, "the table fits its alignment");

static volatile struct cmd_header cmd_list[SLOTS]
    __attribute__((aligned(1024)));
static volatile uint8_t received_fis[256] __attribute__((aligned(256)));
static volatile struct cmd_table table __attribute__((aligned(256)));
static uint8_t bounce[BOUNCE_BYTES] __attribute__((aligned(64)));

static struct {
	int probed;
	int broken; /* a recovery failed: every command fails */
	volatile uint8_t *hba;
	volatile uint8_t *port;
	uint32_t cap;
	uint64_t table_pa;
	uint64_t sectors;
} ahci;

/* Read the HBA's generic register at offset reg. */
static uint32_t
hba_read(unsigned reg)
{
	return *(volatile uint32_t *)(ahci.hba + reg);
}

/* Write the HBA's generic register at offset reg. */
static void
hba_write(unsigned reg, uint32_t v)
{
	*(volatile uint32_t *)(ahci.hba + reg) = v;
}

/* Read register reg of the data port. */
static uint32_t
port_read(unsigned reg)
{
	return *(volatile uint32_t *)(ahci.port + reg);
}

/* Write register reg of the data port. */
static void
port_write(unsigned reg, uint32_t v)
{
	*(volatile uint32_t *)(ahci.port + reg) = v;
}

/* Wait for the bits of mask to clear in port register reg. 0 or -CELL_E_IO. */
static int
port_wait_clear(unsigned reg, uint32_t mask, uint32_t ms)
{
	uint64_t deadline = x86_deadline(ms);

	for (;;) {
		if ((port_read(reg) & mask) == 0)
			return 0;
		if (x86_deadline_passed(deadline))
			return -CELL_E_IO;
	}
}

/*
 * The physical address of the static object at va, which must be
 * physically contiguous over len bytes and reachable by the HBA (below
 * 4 GiB unless it has 64-bit addressing). 0 or -CELL_E_IO.
 */
static int
dma_address(const volatile void *va, uint64_t len, uint64_t *pa)
{
	uint64_t run;

	if (x86_virt_to_phys(va, pa, &run) < 0 || run < len)
		return -CELL_E_IO;
	if (!(ahci.cap & CAP_S64A) && *pa + len > (1ull << 32))
		return -CELL_E_IO;
	return 0;
}

/* Stop the command list, then FIS receive (spec 10.1.2). 0 or -CELL_E_IO. */
static int
port_stop(void)
{
	uint32_t cmd = port_read(PX_CMD);

	if (cmd & (PXCMD_ST | PXCMD_CR)) {
		port_write(PX_CMD, cmd & ~PXCMD_ST);
		if (port_wait_clear(PX_CMD, PXCMD_CR, STOP_MS) < 0)
			return -CELL_E_IO;
	}
	cmd = port_read(PX_CMD);
	if (cmd & (PXCMD_FRE | PXCMD_FR)) {
		port_write(PX_CMD, cmd & ~PXCMD_FRE);
		if (port_wait_clear(PX_CMD, PXCMD_FR, STOP_MS) < 0)
			return -CELL_E_IO;
	}
	return 0;
}

/* Clear the port's error and interrupt status (both write-one-to-clear). */
static void
port_clear_status(void)
{
	port_write(PX_SERR, 0xFFFFFFFFu);
	port_write(PX_IS, 0xFFFFFFFFu);
	hba_write(HBA_IS, 1u << DATA_PORT);
}

/* Start the command list once BSY and DRQ are clear. 0 or -CELL_E_IO. */
static int
port_start(void)
{
	if (port_wait_clear(PX_TFD, TFD_BSY | TFD_DRQ, READY_MS) < 0)
		return -CELL_E_IO;
	port_write(PX_CMD, port_read(PX_CMD) | PXCMD_ST);
	return 0;
}

/*
 * After a failed command: stop the port, clear its errors, start it again
 * (spec 6.2.2). A port that does not come back is marked broken. Returns
 * -CELL_E_IO, the failed command's result.
 */
static int
recover(void)
{
	if (port_stop() < 0) {
		ahci.broken = 1;
		return -CELL_E_IO;
	}
	port_clear_status();
	port_write(PX_CMD, port_read(PX_CMD) | PXCMD_FRE);
	if (port_start() < 0)
		ahci.broken = 1;
	return -CELL_E_IO;
}

/*
 * Describe [va, va + len) of the bounce buffer in the PRDT, one entry per
 * physically contiguous piece. Returns the number of entries or -CELL_E_IO.
 */
static int
prdt_fill(const uint8_t *va, uint32_t len)
{
	unsigned n = 0;

	while (len > 0) {
		uint64_t pa, run;

		if (n == PRDS || x86_virt_to_phys(va, &pa, &run) < 0)
			return -CELL_E_IO;
		if (run > len)
			run = len;
		if (!(ahci.cap & CAP_S64A) && pa + run > (1ull << 32))
			return -CELL_E_IO;
		table.prdt[n].dba = (uint32_t)pa;
		table.prdt[n].dbau = (uint32_t)(pa >> 32);
		table.prdt[n].reserved = 0;
		table.prdt[n].dbc = (uint32_t)run - 1;
		n++;
		va += run;
		len -= (uint32_t)run;
	}
	return (int)n;
}

/*
 * Run one command in slot 0 and wait for it: an LBA48 H2D register FIS with
 * command, lba and count, moving bytes (0 for none) through the bounce
 * buffer, from memory when write. 0, or -CELL_E_IO for a device or HBA
 * error, a short transfer or a timeout (the port is then recovered).
 */
static int
run(uint8_t command, uint64_t lba, uint32_t count, int write, uint32_t bytes)
{
	volatile struct cmd_header *h = &cmd_list[0];
	volatile uint8_t *fis = table.cfis;
	uint32_t is;
	int prds = 0;

	if (ahci.broken)
		return -CELL_E_IO;
	if (port_wait_clear(PX_TFD, TFD_BSY | TFD_DRQ, READY_MS) < 0 ||
	    (port_read(PX_CI) & 1u))
		return recover();
	if (bytes > 0 && (prds = prdt_fill(bounce, bytes)) < 0)
		return -CELL_E_IO;
	for (unsigned i = 0; i < sizeof table.cfis; i++)
		fis[i] = 0;
	fis[0] = FIS_H2D;
	fis[1] = FIS_COMMAND;
	fis[2] = command;
	fis[4] = (uint8_t)lba;
	fis[5] = (uint8_t)(lba >> 8);
	fis[6] = (uint8_t)(lba >> 16);
	fis[7] = command == ATA_IDENTIFY ? 0 : DEVICE_LBA;
	fis[8] = (uint8_t)(lba >> 24);
	fis[9] = (uint8_t)(lba >> 32);
	fis[10] = (uint8_t)(lba >> 40);
	fis[12] = (uint8_t)count;
	fis[13] = (uint8_t)(count >> 8);
	h->dw0 = HDR_CFL_H2D | (write ? HDR_WRITE : 0) |
	    (uint32_t)prds << HDR_PRDTL_SHIFT;
	h->prdbc = 0;
	h->ctba = (uint32_t)ahci.table_pa;
	h->ctbau = (uint32_t)(ahci.table_pa >> 32);
	port_write(PX_IS, 0xFFFFFFFFu);
	compiler_barrier(); /* the bounce buffer is written */
	port_write(PX_CI, 1u);
	for (uint64_t deadline = x86_deadline(COMMAND_MS);;) {
		if (x86_deadline_passed(deadline))
			return recover();
		if (port_read(PX_IS) & PXIS_ERRORS)
			return recover();
		if (!(port_read(PX_CI) & 1u))
			break;
	}
	compiler_barrier(); /* the bounce buffer is read after it */
	is = port_read(PX_IS);
	if ((is & PXIS_ERRORS) || (port_read(PX_TFD) & (TFD_ERR | TFD_DF)) ||
	    h->prdbc != bytes)
		return recover();
	port_write(PX_IS, is);
	hba_write(HBA_IS, 1u << DATA_PORT);
	return 0;
}

/* Take the HBA from the BIOS when it supports the handoff (spec 10.6). */
static void
bios_handoff(void)
{
	if (!(hba_read(HBA_CAP2) & CAP2_BOH))
		return;
	hba_write(HBA_BOHC, hba_read(HBA_BOHC) | BOHC_OOS);
	for (uint32_t i = 0; i < HANDOFF_LOOPS; i++) {
		if (!(hba_read(HBA_BOHC) & BOHC_BOS))
			break;
	}
	for (uint32_t i = 0; i < 20 * HANDOFF_LOOPS; i++) {
		if (!(hba_read(HBA_BOHC) & BOHC_BB))
			break;
	}
}

/*
 * Own port DATA_PORT: stop it, give it our command list and FIS area,
 * clear its status, start FIS receive and then the command list. 0, or
 * -CELL_E_IO when it does not stop or start, or holds no ATA device.
 */
static int
port_setup(void)
{
	uint64_t clb, fb;
	uint32_t cmd;

	if (dma_address(cmd_list, sizeof cmd_list, &clb) < 0 ||
	    dma_address(received_fis, sizeof received_fis, &fb) < 0 ||
	    dma_address(&table, sizeof table, &ahci.table_pa) < 0)
		return -CELL_E_IO;
	if (port_stop() < 0)
		return -CELL_E_IO;
	for (unsigned i = 0; i < SLOTS; i++)
		cmd_list[i].dw0 = 0;
	port_write(PX_CLB, (uint32_t)clb);
	port_write(PX_CLBU, (uint32_t)(clb >> 32));
	port_write(PX_FB, (uint32_t)fb);
	port_write(PX_FBU, (uint32_t)(fb >> 32));
	port_write(PX_IE, 0);
	port_clear_status();
	cmd = port_read(PX_CMD) | PXCMD_FRE;
	if (ahci.cap & CAP_SSS)
		cmd |= PXCMD_SUD;
	port_write(PX_CMD, cmd);
	/* The signature comes with the device's first D2H FIS. */
	(void)port_wait_clear(PX_TFD, TFD_BSY | TFD_DRQ, READY_MS);
	if ((port_read(PX_SSTS) & SSTS_DET) != DET_PHY_UP ||
	    port_read(PX_SIG) != SIG_ATA) {
		(void)port_stop();
		return -CELL_E_IO;
	}
	return port_start();
}

/*
 * IDENTIFY DEVICE: the sector count when the disk has LBA48 and 512-byte
 * logical sectors, else 0.
 */
static uint64_t
identify(void)
{
	uint16_t id[256];
	uint64_t n;

	if (run(ATA_IDENTIFY, 0, 0, 0, HAL_BLOCK_SIZE) < 0)
		return 0;
	for (unsigned i = 0; i < 256; i++)
		id[i] = (uint16_t)(bounce[2 * i] | bounce[2 * i + 1] << 8);
	if (!(id[83] & (1u << 10)))
		return 0; /* no LBA48 */
	if ((id[106] & 0xC000u) == 0x4000u && (id[106] & (1u << 12)) &&
	    ((uint32_t)id[117] | (uint32_t)id[118] << 16) != HAL_BLOCK_SIZE / 2)
		return 0; /* sectors are not 512 bytes */
	n = (uint64_t)id[100] | (uint64_t)id[101] << 16 |
	    (uint64_t)id[102] << 32 | (uint64_t)id[103] << 48;
	return n;
}

/*
 * Try the AHCI function at bdf: turn on its memory decoding and bus
 * mastering (interrupts off), map its registers, enable AHCI mode with
 * interrupts off, and set up and IDENTIFY the disk on DATA_PORT. Sets
 * ahci.sectors and returns 0, or -CELL_E_NOENT when it has no usable disk.
 */
static int
controller_try(unsigned bdf)
{
	uint32_t bar = pci_read32(bdf, PCI_BAR5);
	uint32_t command = pci_read32(bdf, PCI_COMMAND) & 0xFFFFu;
	volatile void *regs;

	if ((bar & 0x1u) || (bar & 0x6u) != 0 || (bar & ~0xFu) == 0)
		return -CELL_E_NOENT; /* I/O, 64-bit or unassigned BAR */
	pci_write32(bdf, PCI_COMMAND,
	    command | CMD_MEMORY | CMD_MASTER | CMD_INTX_OFF);
	if (x86_map_mmio(bar & ~0xFu, PORT_BASE(DATA_PORT) + PORT_SPAN, &regs) <
	    0)
		return -CELL_E_NOENT;
	ahci.hba = regs;
	ahci.port = ahci.hba + PORT_BASE(DATA_PORT);
	bios_handoff();
	hba_write(HBA_GHC, GHC_AE); /* AHCI mode; IE and HR clear */
	ahci.cap = hba_read(HBA_CAP);
	if ((ahci.cap & CAP_NP) < DATA_PORT ||
	    !(hba_read(HBA_PI) & (1u << DATA_PORT)))
		return -CELL_E_NOENT;
	if ((port_read(PX_SSTS) & SSTS_DET) != DET_PHY_UP)
		return -CELL_E_NOENT;
	ahci.broken = 0;
	if (port_setup() < 0)
		return -CELL_E_NOENT;
	if ((ahci.sectors = identify()) == 0)
		return -CELL_E_NOENT;
	return 0;
}

/* Find the first AHCI function with a data disk (see the top of the file). */
static void
probe(void)
{
	unsigned bdf;

	ahci.probed = 1;
	for (unsigned from = 0; pci_find_class(AHCI_CLASS, from, &bdf) == 0;
	     from = bdf + 1) {
		if (controller_try(bdf) == 0)
			return;
	}
	ahci.sectors = 0;
	ahci.port = NULL;
}

/* Sectors on the AHCI data disk, 0 when there is none. Probes once. */
uint64_t
ahci_blocks(void)
{
	if (!ahci.probed)
		probe();
	return ahci.sectors;
}

/* n sectors at lba between the disk and the bounce buffer. */
static int
move(int write, uint64_t lba, uint32_t n)
{
	if (!write)
		return run(ATA_READ_DMA_EXT, lba, n, 0, n * HAL_BLOCK_SIZE);
	return run(ATA_WRITE_DMA_EXT, lba, n, 1, n * HAL_BLOCK_SIZE);
}

/* Read count sectors at lba into buf. 0 or -CELL_E_IO. Thread only. */
int
ahci_read(uint64_t lba, void *buf, uint32_t count)
{
	return x86_bounce_transfer(0, lba, buf, count, bounce, BOUNCE_SECTORS,
	    move);
}

/* Write count sectors at lba from buf. 0 or -CELL_E_IO. Thread only. */
int
ahci_write(uint64_t lba, const void *buf, uint32_t count)
{
	return x86_bounce_transfer(1, lba, (void *)(uintptr_t)buf, count,
	    bounce, BOUNCE_SECTORS, move);
}

/* FLUSH CACHE EXT: every completed write is on the medium. 0 or -CELL_E_IO. */
int
ahci_flush(void)
{
	return run(ATA_FLUSH_CACHE_EXT, 0, 0, 0, 0);
}
