/* Internals of the QEMU virt board shared between its files. */
#ifndef CELLOS_ARM64_H
#define CELLOS_ARM64_H

#include <stdint.h>

#include "fdt.h"

/* Where QEMU virt's PL011 is, for the refusal when the device tree cannot be read. */
#define VIRT_UART_FALLBACK 0x09000000ul

/* What the device tree said (or the fallbacks), for the HAL files. */
extern struct fdt_info board;

/* Why the kernel cannot drive this machine, or NULL (hal_machine_unsupported). */
extern const char *arm64_unsupported;

void pl011_init(uint64_t base);

/* GIC and timer (hal_irq.c). */
void gic_init(uint64_t dist, uint64_t cpu);
void gic_handle_irq(void);

/* The frame vectors.S builds. */
struct arm64_frame {
	uint64_t x[31];
	uint64_t sp, elr, spsr, esr, pad;
};

_Static_assert(sizeof(struct arm64_frame) == 36 * 8,
    "frame layout of vectors.S");

void arm64_trap(struct arm64_frame *f, uint64_t kind);

static inline void
mmio_write32(uint64_t addr, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)addr = v;
}

static inline uint32_t
mmio_read32(uint64_t addr)
{
	return *(volatile uint32_t *)(uintptr_t)addr;
}

#define read_sysreg(name)                                      \
	__extension__({                                        \
		uint64_t v_;                                   \
		__asm__ volatile("mrs %0, " #name : "=r"(v_)); \
		v_;                                            \
	})

#define write_sysreg(name, v) \
	__asm__ volatile("msr " #name ", %0" : : "r"((uint64_t)(v)) : "memory")

#endif
