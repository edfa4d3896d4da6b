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

/* Vectors */
#define VEC_PIC_BASE	0x20	/* IRQ0..15 -> 0x20..0x2F */
#define VEC_SOFT	0x81	/* the software line: int $0x81 */

#endif
