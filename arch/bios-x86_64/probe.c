/*
 * The PC probe: what the handoff says about this machine comes from the
 * machine. CPUID gives the signature and features (and the crypto engines
 * hal_crypto_accel offers); the RAM comes from stage2's E820 map, or, when
 * the UEFI loader booted the kernel (tier PC_UEFI in the handoff), from the
 * UEFI memory map the loader read into the handoff; the 8259's mask
 * register and the PIT's counter are tried to see that they are there.
 */
#include <stdint.h>

#include "bootinfo.h"
#include "cpu.h"
#include "hal.h"
#include "sha_x86.h"
#include "x86.h"

/* CPUID words the crypto engines depend on, as probe_cpu read them. */
static uint32_t cpuid1_ecx, cpuid7_ebx;

static void
probe_cpu(cgf_substrate_info_t *s)
{
	uint32_t a, b, c, d, max;

	cpuid(0, 0, &max, &b, &c, &d);
	cpuid(1, 0, &a, &b, &c, &d);
	cpuid1_ecx = c;
	s->reserved_u32[0] = a;
	s->cpu_features = 0;
	if (d & (1u << 26))
		s->cpu_features |= CGF_FEAT_SSE2;
	if (c & (1u << 0))
		s->cpu_features |= CGF_FEAT_SSE3;
	if (c & (1u << 20))
		s->cpu_features |= CGF_FEAT_SSE4_2;
	if (c & (1u << 28))
		s->cpu_features |= CGF_FEAT_AVX;
	if (max >= 7) {
		cpuid(7, 0, &a, &b, &c, &d);
		cpuid7_ebx = b;
		if (b & (1u << 5))
			s->cpu_features |= CGF_FEAT_AVX2;
		if (b & X86_CPUID7_EBX_SHA)
			s->cpu_features |= CGF_FEAT_SHA;
	}
}

/*
 * Let SSE instructions run: CR0.EM off and CR0.MP on (no x87 emulation),
 * CR4.OSFXSR and OSXMMEXCPT on. Stage 2 leaves them off, and the kernel,
 * built -mgeneral-regs-only, needs them only for the SHA-NI engine.
 */
static void
enable_sse(void)
{
	uint64_t cr0, cr4;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	cr0 = (cr0 & ~(1ull << 2)) | (1ull << 1);
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0) : "memory");
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= (1ull << 9) | (1ull << 10);
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
}

/*
 * SHA-NI and SSE4.2 crc32 when CPUID (read by x86_probe, before the
 * kernel starts) says this CPU has them. QEMU's TCG has no SHA-NI and its
 * default CPU model no SSE4.2: there the portable C runs; under KVM on a
 * CPU that has them, the engines do.
 */
const struct crypto_accel *
hal_crypto_accel(void)
{
	int sha = x86_sha_usable(cpuid1_ecx, cpuid7_ebx);

	if (sha)
		enable_sse();
	return x86_crypto_accel(sha, x86_crc_usable(cpuid1_ecx));
}

/* Whether an 8259 answers: its mask register keeps what is written. */
static int
pic_present(void)
{
	uint8_t saved = inb(0x21);
	int ok;

	outb(0x21, 0xA5);
	ok = inb(0x21) == 0xA5;
	outb(0x21, 0x5A);
	ok = ok && inb(0x21) == 0x5A;
	outb(0x21, saved);
	return ok;
}

static int
apic_present(void)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	return (d & (1u << 9)) != 0;
}

/* Read PIT channel 2's counter (gated on, not connected to an IRQ). */
static uint16_t
pit2_read(void)
{
	uint8_t lo, hi;

	outb(0x43, 0x80); /* latch channel 2 */
	lo = inb(0x42);
	hi = inb(0x42);
	return (uint16_t)(lo | hi << 8);
}

/* Whether the PIT counts: channel 2, mode 2, must move between two reads. */
static int
pit_present(void)
{
	uint8_t gate = inb(0x61);
	uint16_t first;
	int moved = 0;

	outb(0x61, (uint8_t)((gate & ~0x02) | 0x01)); /* gate on, speaker off */
	outb(0x43, 0xB4); /* channel 2, lo/hi, mode 2 */
	outb(0x42, 0xFF);
	outb(0x42, 0xFF);
	first = pit2_read();
	for (int i = 0; i < 1000 && !moved; i++) {
		io_wait();
		moved = pit2_read() != first;
	}
	outb(0x61, gate);
	return moved;
}

static void
probe_memory(handoff_t *h)
{
	const struct e820_entry *e = PHYS(E820_ENTRIES_ADDR);
	uint32_t count = *(const volatile uint32_t *)PHYS(E820_COUNT_ADDR);
	uint64_t top = 0, total = 1ull << 20; /* the first MiB counts as RAM */

	if (count > E820_MAX)
		count = E820_MAX;
	for (uint32_t i = 0; i < count; i++) {
		uint64_t base = e[i].base, end = e[i].base + e[i].length;

		if (e[i].type == 1 && end > top)
			top = end;
		if (e[i].type != 1 && e[i].type != 3 && e[i].type != 4)
			continue;
		if (end <= (1ull << 20))
			continue;
		if (base < (1ull << 20))
			base = 1ull << 20;
		total += end - base;
	}
	h->mem_top = top;
	h->substrate.ram_total_bytes =
	    (total + (1ull << 20) - 1) & ~((1ull << 20) - 1);
	h->substrate.dma32_boundary = top < (1ull << 32) ? top : (1ull << 32);
}

void
x86_probe(handoff_t *h, int com1)
{
	cgf_substrate_info_t *s = &h->substrate;
	int uefi = s->tier == CGF_TIER_PC_UEFI && h->mem_top != 0;

	s->arch = CGF_ARCH_X86_64;
	s->tier = uefi ? CGF_TIER_PC_UEFI : CGF_TIER_PC_BIOS;
	probe_cpu(s);
	if (pic_present())
		s->intr_fabric = CGF_INTR_PIC_IOAPIC;
	else if (apic_present())
		s->intr_fabric = CGF_INTR_LAPIC_ONLY;
	else
		s->intr_fabric = CGF_INTR_UNKNOWN;
	s->timer_fabric = pit_present() ? CGF_TIMER_PIT : CGF_TIMER_UNKNOWN;
	s->console_fabric = com1 ? CGF_CONSOLE_COM1 : 0;
	h->console_flags = s->console_fabric;
	if (!uefi)
		probe_memory(h); /* stage2 zeroes the handoff: E820 */
	s->substrate_code = cgf_substrate_code(s->arch, s->tier, s->intr_fabric,
	    s->timer_fabric);
}
