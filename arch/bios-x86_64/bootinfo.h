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

/*
 * For stage2's C (cgf_check.c): the layout table stage1 leaves at 0x7C00 +
 * LAYOUT_OFF, the other low-memory areas stage2 uses, and the stage2 build
 * record (bootinfo.inc has the byte layout).
 */
#define LAYOUT_ADDR		(0x7C00ul + 0x1E0ul)
#define LT_KERNEL_SECTORS	16u
#define LT_KERNEL_BYTES		20u
#define LT_CGF_SECTORS		28u
#define PAGE_TABLES_ADDR	0x1000ul	/* PML4, PDPT, PD, PDPT (high) */
#define BOUNCE_ADDR		0x20000ul
#define CGF_ADDR		0x10000ul
#define S2F_CGF_VERIFY		1u
#define EXIT_BOOT_REFUSED	0x23u	/* bootinfo.inc; exit.h's board panic */

/*
 * The CGF gene directory (docs/BOOT-x86.md), GENEDIR_SIZE bytes after the
 * blob's 4096-byte header: where the kernel image and its embedded phenotype
 * are and the SHA-256 of each, all little-endian.
 */
#define GENEDIR_MAGIC		0x52494447u	/* "GDIR" */
#define GENEDIR_VERSION		1u
#define GENEDIR_SIZE		96u
#define GD_MAGIC		0	/* u32 */
#define GD_VERSION		4	/* u32 */
#define GD_KERNEL_BYTES		8	/* u32: bytes of the kernel image */
#define GD_PHENOTYPE_OFF	12	/* u32: offset inside the kernel image */
#define GD_PHENOTYPE_LEN	16	/* u32 */
#define GD_RESERVED		20	/* 12 zero bytes */
#define GD_KERNEL_SHA256	32	/* 32 bytes */
#define GD_PHENOTYPE_SHA256	64	/* 32 bytes */

/* Physical address p as the kernel sees it (low memory is identity-mapped). */
#define PHYS(p)			((void *)(uintptr_t)(p))

struct e820_entry {
	uint64_t base;
	uint64_t length;
	uint32_t type;		/* 1 usable, 2 reserved, 3 ACPI, 4 NVS, 5 bad */
	uint32_t ext;
};

_Static_assert(sizeof(struct e820_entry) == 24, "E820 entries are 24 bytes");

#endif
