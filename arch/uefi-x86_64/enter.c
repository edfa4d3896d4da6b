/*
 * The handover (docs/BOOT-uefi.md): the state the x86 kernel expects from
 * whatever loaded it, the same one stage2 leaves on the BIOS path:
 *
 *  - long mode on four-level page tables that identity-map the first GiB
 *    and map it again at -2 GiB (2 MiB pages), every table below 1 GiB,
 *    where the kernel's paging.c can reach them through that identity map;
 *  - a GDT with a 64-bit code segment at 0x08 and data at 0x10, no IDT
 *    (the kernel loads its own before it enables interrupts), IF clear;
 *  - the local APIC in virtual-wire mode (LINT0 ExtINT, LINT1 NMI, its
 *    timer, error, performance and thermal entries masked), as SeaBIOS
 *    leaves it: the 8259's interrupts then reach the CPU, which is how the
 *    kernel takes its timer (PIT on IRQ0) on both paths; every I/O APIC
 *    input masked (the I/O APICs come from the ACPI MADT);
 *  - the handoff's physical address in RDI, a jump to KERNEL_VIRT.
 *
 * Five pages below 1 GiB hold it all: PML4, the low and high PDPTs, the PD,
 * and one page (executable: loader code) for the trampoline's parameters, the handoff, the GDT, the
 * trampoline itself and its stack. The trampoline (trampoline.S) runs from
 * that page because the loader's own image may lie above the first GiB,
 * outside the tables it switches to.
 */
#include <stdint.h>

#include "bootinfo.h"
#include "loader.h"

#define PAGES           5u
#define TABLE_PML4      0u
#define TABLE_PDPT_LOW  1u
#define TABLE_PD        2u
#define TABLE_PDPT_HIGH 3u
#define TRAMP_PAGE      4u
#define LOW_LIMIT       0x3FFFFFFFull /* the kernel reaches tables below 1 GiB */

/* Offsets inside the trampoline page; trampoline.S uses the first ones. */
#define P_CR3       0x00u
#define P_STACK     0x08u
#define P_HANDOFF   0x10u
#define P_ENTRY     0x18u
#define P_GDTR      0x20u /* u16 limit, u64 base */
#define P_IDTR      0x30u /* u16 limit 0, u64 base 0 */
#define HANDOFF_OFF 0x100u
#define GDT_OFF     0x200u
#define CODE_OFF    0x400u
#define CODE_MAX    0x400u

#define PTE_P  0x001ull
#define PTE_W  0x002ull
#define PTE_PS 0x080ull

#define MSR_APIC_BASE   0x1Bu
#define APIC_ENABLED    (1ull << 11)
#define LAPIC_SVR       0xF0u
#define LAPIC_LVT_TIMER 0x320u
#define LAPIC_LVT_THERM 0x330u
#define LAPIC_LVT_PERF  0x340u
#define LAPIC_LINT0     0x350u
#define LAPIC_LINT1     0x360u
#define LAPIC_LVT_ERR   0x370u
#define LVT_MASKED      (1u << 16)
#define LVT_EXTINT      0x700u
#define LVT_NMI         0x400u

static uint64_t low;   /* the four table pages (loader data) */
static uint64_t tramp; /* the trampoline page (loader code: executable) */

static uint8_t *
page(unsigned n)
{
	if (n == TRAMP_PAGE)
		return (uint8_t *)(uintptr_t)tramp;
	return (uint8_t *)(uintptr_t)(low + n * EFI_PAGE_SIZE);
}

static void
put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

EFI_STATUS
enter_prepare(EFI_BOOT_SERVICES *bs)
{
	static const uint64_t gdt[3] = {
		0, 0x00AF9A000000FFFFull, /* 0x08: 64-bit code */
		0x00CF92000000FFFFull,    /* 0x10: data */
	};
	uint64_t *pml4, *pdpt_low, *pd, *pdpt_high;
	uint8_t *t;
	size_t code = (size_t)(uefi_trampoline_end - uefi_trampoline_start);
	EFI_STATUS st;

	if (code > CODE_MAX)
		return EFI_UNSUPPORTED;
	/*
	 * OVMF maps loader data no-execute (its DXE NX policy), so the page
	 * the trampoline runs from is loader code.
	 */
	low = LOW_LIMIT;
	st = bs->allocate_pages(EFI_ALLOCATE_MAX_ADDRESS, EFI_LOADER_DATA,
	    PAGES - 1, &low);
	if (EFI_IS_ERROR(st))
		return st;
	tramp = LOW_LIMIT;
	st = bs->allocate_pages(EFI_ALLOCATE_MAX_ADDRESS, EFI_LOADER_CODE, 1,
	    &tramp);
	if (EFI_IS_ERROR(st))
		return st;
	memset(page(0), 0, (PAGES - 1) * EFI_PAGE_SIZE);
	memset(page(TRAMP_PAGE), 0, EFI_PAGE_SIZE);
	pml4 = (uint64_t *)page(TABLE_PML4);
	pdpt_low = (uint64_t *)page(TABLE_PDPT_LOW);
	pd = (uint64_t *)page(TABLE_PD);
	pdpt_high = (uint64_t *)page(TABLE_PDPT_HIGH);
	pml4[0] = (uint64_t)(uintptr_t)pdpt_low | PTE_P | PTE_W;
	pml4[511] = (uint64_t)(uintptr_t)pdpt_high | PTE_P | PTE_W;
	pdpt_low[0] = (uint64_t)(uintptr_t)pd | PTE_P | PTE_W;
	pdpt_high[510] = (uint64_t)(uintptr_t)pd | PTE_P | PTE_W;
	for (uint64_t i = 0; i < 512; i++)
		pd[i] = (i << 21) | PTE_P | PTE_W | PTE_PS;

	t = page(TRAMP_PAGE);
	put64(t + P_CR3, (uint64_t)(uintptr_t)pml4);
	put64(t + P_STACK, tramp + EFI_PAGE_SIZE);
	put64(t + P_HANDOFF, tramp + HANDOFF_OFF);
	put64(t + P_ENTRY, KERNEL_VIRT);
	memcpy(t + GDT_OFF, gdt, sizeof gdt);
	t[P_GDTR] = (uint8_t)(sizeof gdt - 1);
	t[P_GDTR + 1] = 0;
	put64(t + P_GDTR + 2, tramp + GDT_OFF);
	memcpy(t + CODE_OFF, uefi_trampoline_start, code);
	return EFI_SUCCESS;
}

handoff_t *
enter_handoff(void)
{
	return (handoff_t *)(page(TRAMP_PAGE) + HANDOFF_OFF);
}

static uint64_t
rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static uint64_t
read_cr4(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static volatile uint32_t *
lapic_reg(uint64_t base, uint32_t reg)
{
	return (volatile uint32_t *)(uintptr_t)(base + reg);
}

/*
 * Virtual-wire mode, reported as it was found and as it is left. Runs on
 * the firmware's page tables, which map the LAPIC's registers (OVMF maps
 * the whole physical address space one to one).
 */
static void
lapic_virtual_wire(void)
{
	uint64_t msr = rdmsr(MSR_APIC_BASE), base = msr & 0xFFFFFF000ull;
	static const uint32_t masked[] = { LAPIC_LVT_TIMER, LAPIC_LVT_THERM,
		LAPIC_LVT_PERF, LAPIC_LVT_ERR };
	struct line l;

	if (!(msr & APIC_ENABLED)) {
		say("#I uefi: local APIC disabled: the 8259 drives the CPU's "
		    "INTR pin directly");
		return;
	}
	line_start(&l, "#I uefi: local APIC at ");
	line_hex(&l, base);
	line_str(&l, ": found SVR=");
	line_hex(&l, *lapic_reg(base, LAPIC_SVR));
	line_str(&l, " LINT0=");
	line_hex(&l, *lapic_reg(base, LAPIC_LINT0));
	line_str(&l, " LINT1=");
	line_hex(&l, *lapic_reg(base, LAPIC_LINT1));
	line_str(&l, " timer=");
	line_hex(&l, *lapic_reg(base, LAPIC_LVT_TIMER));
	for (unsigned i = 0; i < sizeof masked / sizeof masked[0]; i++)
		*lapic_reg(base, masked[i]) |= LVT_MASKED;
	*lapic_reg(base, LAPIC_LINT0) = LVT_EXTINT;
	*lapic_reg(base, LAPIC_LINT1) = LVT_NMI;
	*lapic_reg(base, LAPIC_SVR) |= 0x100u; /* software enable */
	line_str(&l, "; left in virtual-wire mode (LINT0=");
	line_hex(&l, *lapic_reg(base, LAPIC_LINT0));
	line_str(&l, " ExtINT, LINT1=");
	line_hex(&l, *lapic_reg(base, LAPIC_LINT1));
	line_str(&l, " NMI, timer masked)");
	line_emit(&l);
}

/*
 * Every input of every I/O APIC masked: the kernel takes the PIT and its
 * lines through the 8259s, and an input the firmware left open would
 * deliver the same interrupt a second time through the LAPIC. Found as
 * the firmware left it, reported, masked.
 */
static void
ioapic_mask(const struct acpi_madt *m)
{
	struct line l;

	for (unsigned i = 0; i < m->ioapics; i++) {
		volatile uint32_t *sel =
		    (volatile uint32_t *)(uintptr_t)m->ioapic_base[i];
		volatile uint32_t *win = sel + 4; /* IOWIN at +0x10 */
		unsigned inputs, open = 0;

		*sel = 1; /* IOAPICVER */
		inputs = ((*win >> 16) & 0xFF) + 1;
		for (unsigned n = 0; n < inputs; n++) {
			*sel = 0x10 + 2 * n; /* redirection entry n, low */
			if (!(*win & LVT_MASKED))
				open++;
			*win |= LVT_MASKED;
		}
		line_start(&l, "#I uefi: I/O APIC at ");
		line_hex(&l, m->ioapic_base[i]);
		line_str(&l, ": ");
		line_dec(&l, inputs);
		line_str(&l, " inputs, ");
		line_dec(&l, open);
		line_str(&l,
		    " found unmasked; all left masked (the kernel "
		    "takes its interrupts through the 8259s)");
		line_emit(&l);
	}
}

typedef void (*trampoline_fn)(const uint8_t *params);

int
enter_cpu_ok(void)
{
	return (read_cr4() & (1ull << 12)) == 0; /* CR4.LA57 clear */
}

_Noreturn void
enter_kernel(const struct acpi_madt *m)
{
	trampoline_fn go;

	__asm__ volatile("cli");
	lapic_virtual_wire();
	ioapic_mask(m);
	go = (trampoline_fn)(uintptr_t)(page(TRAMP_PAGE) + CODE_OFF);
	go(page(TRAMP_PAGE));
	for (;;)
		__asm__ volatile("cli; hlt");
}
