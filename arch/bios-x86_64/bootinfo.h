/*
 * The boot ABI of the PC BIOS board, written down once: the disk layout
 * and the two records tools/disk-pack writes (the layout table in sector
 * 0 and stage2's build record), the CGF blob and its gene directory that
 * stage2 checks, where stage1 and stage2 put things in low memory, and the
 * exit code of a refused boot (QEMU's isa-debug-exit turns a written v
 * into status 2v+1). docs/BOOT-x86.md describes them.
 *
 * Every C side reads this file: the kernel, stage2's checks (cgf_check.c)
 * and disk-pack. NASM reads the part between the two asm markers below as
 * bootinfo.inc, which the build writes from it (bootinfo-inc.cmake): there,
 * each line is a #define of a name to a value that C and, once its integer
 * suffixes are dropped, NASM both read, with an optional comment, or a
 * comment or a blank line; anything else stops the build.
 */
#ifndef CELLOS_X86_BOOTINFO_H
#define CELLOS_X86_BOOTINFO_H

#include <stdint.h>

/* @asm-begin */
/* The disk, in 512-byte sectors: stage1, stage2, the kernel, the CGF blob. */
#define SECTOR_BYTES       512u
#define STAGE2_LBA         1u
#define STAGE2_MAX_SECTORS 48u /* 24 KiB, up to 0xE000 */
#define KERNEL_LBA         64u

/* The layout table inside sector 0, written by tools/disk-pack. */
#define LAYOUT_OFF   0x1E0u
#define LAYOUT_MAGIC 0x544C4543u /* "CELT" */
#define LAYOUT_ADDR  (0x7C00ul + LAYOUT_OFF)
/* Its fields, offsets from LAYOUT_OFF (LT_LAYOUT in bootinfo.h: sizes). */
#define LT_MAGIC          0u
#define LT_STAGE2_LBA     4u
#define LT_STAGE2_SECTORS 8u /* u16 */
#define LT_KERNEL_LBA     12u
#define LT_KERNEL_SECTORS 16u
#define LT_KERNEL_BYTES   20u
#define LT_CGF_LBA        24u /* 0: no CGF blob */
#define LT_CGF_SECTORS    28u /* u16 */
#define LT_SIZE           30u /* up to the boot signature */

/* stage2's build record at STAGE2_RECORD_OFF, patched in by disk-pack. */
#define STAGE2_RECORD_OFF   4u
#define STAGE2_RECORD_MAGIC 0x52423253u /* bytes 53 32 42 52, "S2BR" */
#define S2R_MAGIC           0u
#define S2R_FLAGS           4u  /* S2F_CGF_VERIFY: stage2 checks a CGF blob */
#define S2R_MEMSZ           8u  /* the kernel's memory size from KERNEL_PHYS */
#define S2R_RESERVED        12u /* 0 */
#define S2R_DIGEST          16u /* SHA-256 of the CGF gene directory */
#define S2R_SIZE            48u
#define S2F_CGF_VERIFY      1u

/* Low memory (all physical, all identity-mapped while the kernel runs). */
#define STAGE2_ADDR       0x8000ul
#define PML4_ADDR         0x1000ul
#define PDPT_LOW_ADDR     0x2000ul
#define PD_ADDR           0x3000ul
#define PDPT_HIGH_ADDR    0x4000ul
#define PAGE_TABLES_ADDR  PML4_ADDR /* PML4, PDPT, PD, PDPT (high) */
#define E820_COUNT_ADDR   0x5000ul  /* u32 count, then 24-byte entries */
#define E820_ENTRIES_ADDR 0x5008ul
#define E820_MAX          128u
#define HANDOFF_ADDR      0x6000ul /* handoff_t, 168 bytes */
#define BOUNCE_SEG        0x2000u  /* kernel read to 0x20000 first */
#define BOUNCE_ADDR       0x20000ul
#define BOUNCE_MAX        0x7C000u  /* up to 0x9C000, below the EBDA */
#define CGF_ADDR          0x10000ul /* the CGF blob is read here */
#define CGF_MAX_SECTORS   128u      /* 64 KiB */
#define CGF_SEG           0x1000u
#define KERNEL_PHYS       0x100000ul
#define KERNEL_VIRT       0xFFFFFFFF80100000ul
#define MAPPED_TOP        (1ul << 30) /* stage2 maps the first GiB */

/*
 * stage2's BSS (NOLOAD, zeroed by stage2.asm) and then its stack, in pages
 * that hold no code: under QEMU's TCG every store to a page it has
 * translated code from takes the slow path of its self-modifying-code
 * check, which made stage2's SHA-256 and Ed25519 about 35 ms slower with
 * the stack below stage1 at 0x7C00. The lowest STAGE2_STACK_GUARD bytes
 * above the BSS are painted before the checks and must be intact after.
 */
#define STAGE2_BSS_ADDR    0xE000ul  /* right after stage2's largest image */
#define STAGE2_STACK_TOP   0x10000ul /* up to the CGF blob */
#define STAGE2_STACK_SEG   (STAGE2_BSS_ADDR >> 4) /* real mode: SS */
#define STAGE2_STACK_GUARD 256u

/*
 * What every stage1/stage2 refusal writes to isa-debug-exit: the panic
 * status of include/cellos/exit.h, CELL_EXIT_BOARD_BASE | CELL_EXIT_PANIC
 * (QEMU exits 2 * 0x23 + 1 = 71). cgf_check.c asserts the two agree.
 */
#define EXIT_BOOT_REFUSED 0x23u
/* @asm-end */

#include "layout.h"

/*
 * The records as layout tables (wire/layout.h) over the offsets above:
 * the layout table, stage2's build record, the CGF header and the gene
 * directory. Their shapes check at compile time that the fields tile each
 * record at those offsets; disk-pack encodes and cgf_check.c reads by them.
 */
/* clang-format off */
#define LT_LAYOUT(X, a)							\
	X(a, u32, magic,		LT_MAGIC)			\
	X(a, u32, stage2_lba,		LT_STAGE2_LBA)			\
	X(a, u16, stage2_sectors,	LT_STAGE2_SECTORS)		\
	X(a, u16, reserved,		10)	/* 0 */			\
	X(a, u32, kernel_lba,		LT_KERNEL_LBA)			\
	X(a, u32, kernel_sectors,	LT_KERNEL_SECTORS)		\
	X(a, u32, kernel_bytes,		LT_KERNEL_BYTES)		\
	X(a, u32, cgf_lba,		LT_CGF_LBA)			\
	X(a, u16, cgf_sectors,		LT_CGF_SECTORS)
/* clang-format on */
LAYOUT_SHAPE(boot_layout_table, LT_LAYOUT, LT_SIZE);
_Static_assert(LAYOUT_OFF + LT_SIZE == 510, "the table ends at the 55 AA");

/* clang-format off */
#define S2R_LAYOUT(X, a)						\
	X(a, u32, magic,	S2R_MAGIC)				\
	X(a, u32, flags,	S2R_FLAGS)				\
	X(a, u32, memsz,	S2R_MEMSZ)				\
	X(a, u32, reserved,	S2R_RESERVED)				\
	X(a, b32, digest,	S2R_DIGEST)
/* clang-format on */
LAYOUT_SHAPE(stage2_record_layout, S2R_LAYOUT, S2R_SIZE);

/*
 * The CGF blob (CONTRACT.md section 2): a CGF_HEADER_SIZE-byte header whose
 * CRC32C covers it with the crc field zeroed, then the gene directory.
 */
#define CGF_HEADER_SIZE     4096u
#define CGF_OFF_CRC         0u
#define CGF_OFF_GENEDIR_OFF 4u
#define CGF_OFF_GENEDIR_LEN 8u
/* clang-format off */
#define CGF_LAYOUT(X, a)						\
	X(a, u32, crc,		CGF_OFF_CRC)				\
	X(a, u32, genedir_off,	CGF_OFF_GENEDIR_OFF)			\
	X(a, u32, genedir_len,	CGF_OFF_GENEDIR_LEN)
/* clang-format on */
LAYOUT_SHAPE(cgf_header_layout, CGF_LAYOUT, 12); /* then zeros */

/*
 * The CGF gene directory (docs/BOOT-x86.md), GENEDIR_SIZE bytes after the
 * blob's header: where the kernel image and its embedded phenotype are and
 * the SHA-256 of each, all little-endian.
 */
#define GENEDIR_MAGIC       0x52494447u /* "GDIR" */
#define GENEDIR_VERSION     1u
#define GENEDIR_SIZE        96u
#define GD_MAGIC            0  /* u32 */
#define GD_VERSION          4  /* u32 */
#define GD_KERNEL_BYTES     8  /* u32: bytes of the kernel image */
#define GD_PHENOTYPE_OFF    12 /* u32: offset inside the kernel image */
#define GD_PHENOTYPE_LEN    16 /* u32 */
#define GD_RESERVED         20 /* 12 zero bytes */
#define GD_KERNEL_SHA256    32 /* 32 bytes */
#define GD_PHENOTYPE_SHA256 64 /* 32 bytes */
#define LAYOUT_SIZE_zero12  12
/* clang-format off */
#define GD_LAYOUT(X, a)							\
	X(a, u32, magic,		GD_MAGIC)			\
	X(a, u32, version,		GD_VERSION)			\
	X(a, u32, kernel_bytes,		GD_KERNEL_BYTES)		\
	X(a, u32, phenotype_off,	GD_PHENOTYPE_OFF)		\
	X(a, u32, phenotype_len,	GD_PHENOTYPE_LEN)		\
	X(a, zero12, reserved,		GD_RESERVED)			\
	X(a, b32, kernel_sha256,	GD_KERNEL_SHA256)		\
	X(a, b32, phenotype_sha256,	GD_PHENOTYPE_SHA256)
/* clang-format on */
LAYOUT_SHAPE(genedir_layout, GD_LAYOUT, GENEDIR_SIZE);

/*
 * The boot signature block (docs/BOOT-x86.md, "Verified boot"): BOOTSIG_SIZE
 * bytes right after the gene directory inside the CGF blob, written by
 * `cellos-sign sign-image`. Its Ed25519 signature covers the gene
 * directory (which holds the SHA-256 of the kernel image and of its
 * phenotype) followed by the block's first BS_SIGNATURE bytes, so the key
 * id is signed too. stage2 verifies it under the root public key built
 * into it (cellos_root_key.h) before it copies the kernel. The magic
 * differs from every other signed format's (CPKG, CROT, the phenotype's
 * signature section), so no signature of one passes for another.
 */
#define BOOTSIG_MAGIC      0x47495342u /* bytes 42 53 49 47, "BSIG" */
#define BOOTSIG_VERSION    1u
#define BOOTSIG_SIZE       128u
#define BS_MAGIC           0  /* u32 */
#define BS_VERSION         4  /* u16 */
#define BS_RESERVED16      6  /* u16, 0 */
#define BS_KEY_ID          8  /* u32: the id of the signing key */
#define BS_RESERVED        12 /* 52 zero bytes */
#define BS_SIGNATURE       64 /* 64 bytes: Ed25519 R || S */
#define LAYOUT_SIZE_zero52 52
#define LAYOUT_SIZE_b64    64
#define BS_LAYOUT(X, a)                      \
	X(a, u32, magic, BS_MAGIC)           \
	X(a, u16, version, BS_VERSION)       \
	X(a, u16, reserved16, BS_RESERVED16) \
	X(a, u32, key_id, BS_KEY_ID)         \
	X(a, zero52, reserved, BS_RESERVED)  \
	X(a, b64, signature, BS_SIGNATURE)
LAYOUT_SHAPE(bootsig_layout, BS_LAYOUT, BOOTSIG_SIZE);
/* The signed message: the gene directory, then the block up to its signature. */
#define BOOTSIG_MSG_SIZE (GENEDIR_SIZE + BS_SIGNATURE)
/* The CGF blob's bytes: header, gene directory, signature block. */
#define CGF_BLOB_BYTES (CGF_HEADER_SIZE + GENEDIR_SIZE + BOOTSIG_SIZE)

/* Physical address p as the kernel sees it (low memory is identity-mapped). */
#define PHYS(p) ((void *)(uintptr_t)(p))

struct e820_entry {
	uint64_t base;
	uint64_t length;
	uint32_t type; /* 1 usable, 2 reserved, 3 ACPI, 4 NVS, 5 bad */
	uint32_t ext;
};

_Static_assert(sizeof(struct e820_entry) == 24, "E820 entries are 24 bytes");

#endif
