/*
 * The boot ABI between stage2 and the kernel, mirrored from bootinfo.inc:
 * where stage2 leaves the E820 map and the handoff, and the exit codes the
 * board uses (QEMU's isa-debug-exit turns a written v into status 2v+1).
 */
#ifndef CELLOS_X86_BOOTINFO_H
#define CELLOS_X86_BOOTINFO_H

#include <stdint.h>

#define E820_COUNT_ADDR		0x5000ul
#define E820_ENTRIES_ADDR	0x5008ul
#define E820_MAX		128u
#define HANDOFF_ADDR		0x6000ul
#define KERNEL_PHYS		0x100000ul
#define KERNEL_VIRT		0xFFFFFFFF80100000ul

/* Physical address p as the kernel sees it (low memory is identity-mapped). */
#define PHYS(p)			((void *)(uintptr_t)(p))

struct e820_entry {
	uint64_t base;
	uint64_t length;
	uint32_t type;		/* 1 usable, 2 reserved, 3 ACPI, 4 NVS, 5 bad */
	uint32_t ext;
};

_Static_assert(sizeof(struct e820_entry) == 24, "E820 entries are 24 bytes");

/* Exit statuses besides the kernel's own 0 (proof) and 1 (proof failure). */
#define X86_EXIT_PANIC		2
#define X86_EXIT_EXCEPTION	3

#endif
