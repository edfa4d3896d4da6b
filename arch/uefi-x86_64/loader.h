/*
 * The UEFI loader's internals (docs/BOOT-uefi.md): what its files share.
 * The loader is a UEFI application (BOOTX64.EFI) that reads the x86 kernel
 * image and its CGF blob from the ESP, verifies them the way stage2 does,
 * fills the handoff, leaves boot services and enters the kernel at
 * KERNEL_VIRT with the handoff in RDI, on page tables and a GDT of its own.
 */
#ifndef CELLOS_UEFI_LOADER_H
#define CELLOS_UEFI_LOADER_H

#include <stdint.h>

#include "cellos/handoff.h"
#include "efi.h"

/*
 * The loader's build record, patched in by tools/esp-pack (the same layout
 * as stage2's "S2BR" record, docs/BOOT-x86.md):
 *   +0  "UEBR"
 *   +4  u32 flags: UEBR_F_PACKED once esp-pack has filled it in
 *   +8  u32 the kernel's memory size from KERNEL_PHYS (image, BSS, stack)
 *   +12 u32 0
 *   +16 the 32-byte SHA-256 of the CGF gene directory
 */
#define UEBR_SIZE     48u
#define UEBR_FLAGS    4u
#define UEBR_MEMSZ    8u
#define UEBR_DIGEST   16u
#define UEBR_F_PACKED 1u
extern volatile const uint8_t uefi_record[UEBR_SIZE];

/* Where the kernel image and its CGF blob are on the ESP. */
#define KERNEL_PATH "\\CELLOS\\KERNEL.BIN"
#define CGF_PATH    "\\CELLOS\\KERNEL.CGF"
#define CGF_MAX     8192u /* header 4096 + directory 96, rounded */

/* ---- console.c: every line to ConOut (while boot services run), 0xE9, COM1 ---- */

#define LINE_MAX 240u

struct line {
	char text[LINE_MAX];
	unsigned len;
};

/* Start using ConOut (NULL: none); until con_leave_boot_services. */
void con_init(EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL *con_out);
/* Boot services are over: ConOut is gone, COM1 is ours (set up again). */
void con_leave_boot_services(void);
/* Build a line: start it with s, append text, hex (0x, >= 8 digits), decimal. */
void line_start(struct line *l, const char *s);
void line_str(struct line *l, const char *s);
void line_hex(struct line *l, uint64_t v);
void line_dec(struct line *l, uint64_t v);
/* Append the CHAR16 string s as ASCII ('?' for anything else), at most max. */
void line_wstr(struct line *l, const CHAR16 *s, unsigned max);
/* End the line (LF) and write it everywhere. */
void line_emit(struct line *l);
/* One whole line. */
void say(const char *s);
/*
 * A refusal: "#X uefi: <l's text>: refusing to boot", then the board's
 * panic status to isa-debug-exit (QEMU exits 71). Returns only on a
 * machine without that device; the caller then gives up.
 */
void refuse_line(struct line *l);
void refuse(const char *why);

/* ---- verify.c: the CGF blob and, through it, the kernel image ---- */

/*
 * Check the build record, the CGF blob (cgf, cgf_len bytes) and the kernel
 * image (kernel, kernel_len bytes) the way stage2 does. 0, or -1 after the
 * refusal is printed.
 */
int verify_kernel(const uint8_t *cgf, uint32_t cgf_len, const uint8_t *kernel,
    uint32_t kernel_len);
/* The kernel's memory size from the build record (0: not packed). */
uint32_t record_memsz(void);

/* ---- memmap.c: the UEFI memory map ---- */

struct memory_summary {
	uint64_t mem_top;      /* end of the highest usable range */
	uint64_t ram_bytes;    /* RAM in all, rounded up to a MiB */
	uint64_t dma32;        /* min(mem_top, 4 GiB) */
	uint64_t usable_bytes; /* usable after ExitBootServices */
	uint64_t type_bytes[EFI_MEMORY_TYPES]; /* bytes of each type */
	uint32_t descriptors;
};

/* Fetch the memory map into the loader's buffer; sets *key. */
EFI_STATUS memmap_get(EFI_BOOT_SERVICES *bs, UINTN *key);
/* Summarise the map last fetched. */
void memmap_summarise(struct memory_summary *m);
/* The type of the descriptor covering addr in the last map (-1: none). */
int memmap_type_at(uint64_t addr);
/* The name of a memory type, for messages. */
const char *memmap_type_name(uint32_t type);

/* ---- acpi.c: the RSDP and the MADT ---- */

#define ACPI_IOAPICS_MAX 8u

struct acpi_madt {
	int pcat_compat; /* MADT flag: the PC's dual 8259s are there */
	unsigned ioapics;
	uint32_t ioapic_base[ACPI_IOAPICS_MAX];
	uint32_t ioapic_gsi[ACPI_IOAPICS_MAX];
};

/* The RSDP's physical address from the configuration table (0: none). */
uint64_t acpi_find_rsdp(const EFI_SYSTEM_TABLE *st);
/* The MADT's PCAT_COMPAT flag and I/O APICs through the RSDP; 0 or -1. */
int acpi_madt(uint64_t rsdp, struct acpi_madt *m);

/* ---- enter.c + trampoline.S: the handover ---- */

/*
 * The pages below 1 GiB the handover needs: the page tables the kernel
 * keeps (PML4, two PDPTs, one PD) and a page for the GDT, the handoff,
 * the trampoline and its stack. Allocated while boot services run.
 */
EFI_STATUS enter_prepare(EFI_BOOT_SERVICES *bs);
/*
 * Whether the CPU runs four-level paging (CR4.LA57 clear): the trampoline
 * can switch page tables only between tables of the same depth.
 */
int enter_cpu_ok(void);
/* The handoff the kernel will get (inside the prepared page). */
handoff_t *enter_handoff(void);
/*
 * After ExitBootServices: the local APIC in virtual-wire mode, every input
 * of the I/O APICs m names masked, then our tables and GDT, the kernel.
 */
_Noreturn void enter_kernel(const struct acpi_madt *m);

/* trampoline.S: copied to the low page and run from there. */
extern const uint8_t uefi_trampoline_start[], uefi_trampoline_end[];

/* ---- cpu ---- */

static inline void
outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t
inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void
outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif
