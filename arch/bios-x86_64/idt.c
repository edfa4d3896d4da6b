/*
 * Descriptor tables and the vector dispatcher. The kernel loads its own GDT
 * (stage2's lives in memory the kernel does not own) and an IDT with an
 * interrupt gate per vector isr.S provides. Exceptions print the vector,
 * error code, RIP and CR2 and a frame-pointer backtrace ("#X bt") and leave
 * the machine; IRQ vectors go to hal_irq.c.
 */
#include <stdint.h>

#include "bootinfo.h"
#include "cellos/exit.h"
#include "cpu.h"
#include "hal.h"
#include "kprint.h"
#include "x86.h"

#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define STUBS     49 /* vectors 0..47 and the software line */

struct __attribute__((packed)) table_ptr {
	uint16_t limit;
	uint64_t base;
};

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type; /* 0x8E: present, DPL 0, 64-bit interrupt gate */
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t zero;
};

_Static_assert(sizeof(struct idt_gate) == 16, "IDT gates are 16 bytes");

extern const uint64_t isr_table[STUBS];

static const uint64_t gdt[3] = {
	0, 0x00AF9A000000FFFFull, /* 0x08: 64-bit code */
	0x00CF92000000FFFFull,    /* 0x10: data */
};
static struct idt_gate idt[256];

static void
set_gate(unsigned vector, uint64_t handler)
{
	idt[vector] = (struct idt_gate){
		.offset_lo = (uint16_t)handler,
		.selector = KERNEL_CS,
		.ist = 0,
		.type = 0x8E,
		.offset_mid = (uint16_t)(handler >> 16),
		.offset_hi = (uint32_t)(handler >> 32),
		.zero = 0,
	};
}

void
x86_idt_init(void)
{
	struct table_ptr g = { sizeof gdt - 1, (uint64_t)(uintptr_t)gdt };
	struct table_ptr i = { sizeof idt - 1, (uint64_t)(uintptr_t)idt };

	/* New GDT; reload CS with a far return and the data segments. */
	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %w2, %%ax\n\t"
			 "movw %%ax, %%ds\n\t"
			 "movw %%ax, %%es\n\t"
			 "movw %%ax, %%ss\n\t"
			 "movw %%ax, %%fs\n\t"
			 "movw %%ax, %%gs"
			 :
			 : "m"(g), "i"(KERNEL_CS), "i"(KERNEL_DS)
			 : "rax", "memory");
	for (unsigned v = 0; v < STUBS - 1; v++)
		set_gate(v, isr_table[v]);
	set_gate(VEC_SOFT, isr_table[STUBS - 1]);
	__asm__ volatile("lidt %0" : : "m"(i) : "memory");
}

/* clang-format off */
static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range", "invalid opcode", "no FPU", "double fault",
	"coprocessor overrun", "invalid TSS", "segment not present",
	"stack fault", "general protection", "page fault", "reserved",
	"x87 error", "alignment check", "machine check", "SIMD error",
	"virtualization", "control protection", "reserved", "reserved",
	"reserved", "reserved", "reserved", "reserved", "hypervisor injection",
	"VMM communication", "security", "reserved",
};
/* clang-format on */

/* The kernel stack (entry.S): the only place a frame record may be. */
extern const char boot_stack[], boot_stack_top[];

#define BACKTRACE_MAX 16

/*
 * Print "#X bt" and the return addresses of the RBP chain from rbp,
 * innermost first. A frame pointer is followed only when it is 8-byte
 * aligned, its record (saved RBP, return address) lies inside the kernel
 * stack and it is above the frame before it, and at most BACKTRACE_MAX
 * frames, so a corrupt chain ends the walk instead of faulting again. The
 * chain ends at entry.S's RBP = 0.
 */
static void
print_backtrace(uint64_t rbp)
{
	const uint64_t lo = (uint64_t)(uintptr_t)boot_stack;
	const uint64_t hi = (uint64_t)(uintptr_t)boot_stack_top;

	kprintf("#X bt");
	for (int depth = 0; depth < BACKTRACE_MAX; depth++) {
		if (rbp % 8 != 0 || rbp < lo || rbp > hi - 16)
			break;
		const uint64_t *record = (const uint64_t *)(uintptr_t)rbp;
		uint64_t next = record[0], ret = record[1];
		if (ret == 0)
			break;
		kprintf(" %016llX", (unsigned long long)ret);
		if (next <= rbp)
			break;
		rbp = next;
	}
	kprintf("\n");
}

void
x86_isr(struct x86_frame *f)
{
	if (f->vector >= 32) {
		x86_irq(f->vector);
		return;
	}
	kprintf("#X exception vector=%llu (%s) error=%016llX rip=%016llX "
		"cr2=%016llX rsp=%016llX\n",
	    (unsigned long long)f->vector, exception_names[f->vector],
	    (unsigned long long)f->error, (unsigned long long)f->rip,
	    (unsigned long long)read_cr2(), (unsigned long long)f->rsp);
	print_backtrace(f->rbp);
	hal_exit(CELL_EXIT_PANIC);
}
