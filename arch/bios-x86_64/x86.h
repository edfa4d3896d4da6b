/* Internals of the PC BIOS board shared between its files. */
#ifndef CELLOS_X86_H
#define CELLOS_X86_H

#include <stdint.h>

#include "cellos/handoff.h"

/* Set up COM1 if it answers; returns 1 when it does. */
int x86_console_init(void);

/* Fill the probed parts of the handoff from CPUID, E820 and the chipset. */
void x86_probe(handoff_t *h, int com1);

/* Load the GDT and IDT (exception and IRQ vectors). */
void x86_idt_init(void);

/* Remap and mask the 8259 PICs (every line masked). */
void x86_pic_init(void);

/* The register frame isr.S builds before calling x86_isr. */
struct x86_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(sizeof(struct x86_frame) == 22 * 8, "frame layout of isr.S");

/* Called by isr.S for every vector. */
void x86_isr(struct x86_frame *f);

/* IRQ dispatch for vectors at or above 32 (hal_irq.c). */
void x86_irq(uint64_t vector);

/* Page tables (paging.c): kernel address to physical, device registers. */
int x86_virt_to_phys(const volatile void *va, uint64_t *pa, uint64_t *run);
int x86_map_mmio(uint64_t pa, uint64_t len, volatile void **va);

/*
 * PCI configuration space, type 1 (pci.c). A function is named by
 * bdf = bus << 8 | device << 3 | function.
 */
/* clang-format off */
#define PCI_BDF_FUNCTION(bdf)	((bdf) & 7u)
/* clang-format on */
uint32_t pci_read32(unsigned bdf, unsigned reg);
void pci_write32(unsigned bdf, unsigned reg, uint32_t v);
int pci_find_class(uint32_t class_code, unsigned from, unsigned *bdf);
int pci_find_class_masked(uint32_t class_code, uint32_t mask, unsigned from,
    unsigned *bdf);

/*
 * deadline.c: the TSC value ms milliseconds from now, and whether it has
 * passed; the polled drivers' timeouts. The first call measures the TSC.
 */
uint64_t x86_deadline(uint32_t ms);
int x86_deadline_passed(uint64_t deadline);

/*
 * The disk drivers behind hal_blk.c: each probes once (its first call),
 * then reports the sectors of its data disk (0: none) and moves sectors.
 * hal_blk.c checks lba and count against the disk before it calls them.
 */
uint64_t ahci_blocks(void);
int ahci_read(uint64_t lba, void *buf, uint32_t count);
int ahci_write(uint64_t lba, const void *buf, uint32_t count);
int ahci_flush(void);
uint64_t ata_pio_blocks(void);
int ata_pio_read(uint64_t lba, void *buf, uint32_t count);
int ata_pio_write(uint64_t lba, const void *buf, uint32_t count);
int ata_pio_flush(void);
uint64_t ata_dma_blocks(void);
int ata_dma_read(uint64_t lba, void *buf, uint32_t count);
int ata_dma_write(uint64_t lba, const void *buf, uint32_t count);

/*
 * bounce.c, for the DMA drivers (ahci.c, ata_dma.c): count sectors at lba
 * between buf and the disk through bounce (max sectors), move(write, lba,
 * n) moving n of them between the disk and bounce; the caller's bytes are
 * copied into bounce before a write and out of it after a read. 0 or
 * move's error. buf is only read when write is set.
 */
int x86_bounce_transfer(int write, uint64_t lba, void *buf, uint32_t count,
    uint8_t *bounce, uint32_t max, int (*move)(int, uint64_t, uint32_t));

/*
 * What ata_dma.c shares of ata_pio.c: whether IDENTIFY said the disk does
 * DMA, an LBA48 command to the primary slave (count 0: 65,536 sectors),
 * and the wait for BSY to clear (then, if want_drq, for DRQ): 0 or
 * -CELL_E_IO.
 */
int ata_pio_dma_capable(void);
void ata_pio_command(uint8_t cmd, uint64_t lba, uint32_t count);
int ata_pio_wait(int want_drq);

/* Vectors */
#define VEC_PIC_BASE 0x20 /* IRQ0..15 -> 0x20..0x2F */
#define VEC_SOFT     0x81 /* the software line: int $0x81 */

#endif
