/*
 * The Cortex-M board's vector table, reset, exception entry, the guarded
 * RAM probe and the semihosting call.
 *
 * The table sits at address 0 (VTOR's reset value): the initial MSP, then
 * one handler per exception number. SysTick (15) and the software line
 * (IRQ MCU_SOFT_IRQ = 31, exception 47) go straight to their C ISRs, as
 * the hardware stacks the caller-saved registers itself. Every other
 * exception, a fault or an interrupt nothing enabled, goes to
 * mcu_exc_entry, which hands the stacked frame to mcu_fault on a stack of
 * its own (so that a fault from an overflowing stack can still be
 * reported).
 */
	.syntax unified
	.cpu cortex-m4
	.fpu fpv4-sp-d16
	.thumb

#define NUM_IRQS	32
#define SOFT_IRQ	31

	.section .vectors, "a"
	.balign 256
	.globl mcu_vectors
mcu_vectors:
	.word	__stack_top
	.word	mcu_reset		/* 1 reset */
	.rept	13			/* 2 NMI .. 14 PendSV */
	.word	mcu_exc_entry
	.endr
	.word	mcu_systick_isr		/* 15 SysTick */
	.rept	SOFT_IRQ		/* IRQ 0 .. 30 */
	.word	mcu_exc_entry
	.endr
	.word	mcu_soft_isr		/* IRQ 31: the software line */
	.rept	NUM_IRQS - SOFT_IRQ - 1
	.word	mcu_exc_entry
	.endr

	.text
	.thumb_func
	.globl mcu_reset
	.type mcu_reset, %function
mcu_reset:
	cpsid	i
	ldr	r0, =__stack_top
	mov	sp, r0
	/* .data from its load address in the image, .bss zeroed, like any
	 * microcontroller whose image sits in flash. */
	ldr	r0, =__data_load
	ldr	r1, =__data_start
	ldr	r2, =__data_end
1:	cmp	r1, r2
	bhs	2f
	ldr	r3, [r0], #4
	str	r3, [r1], #4
	b	1b
2:	ldr	r1, =__bss_start
	ldr	r2, =__bss_end
	movs	r3, #0
3:	cmp	r1, r2
	bhs	4f
	str	r3, [r1], #4
	b	3b
	/* The stack is painted, so its high-water mark can be measured. */
4:	ldr	r1, =__stack_bottom
	mov	r2, sp
	ldr	r3, =0x5354434B		/* "STCK" */
5:	cmp	r1, r2
	bhs	6f
	str	r3, [r1], #4
	b	5b
	/* CP10 and CP11 (the FPU) full access: RAZ/WI where there is none. */
6:	ldr	r0, =0xE000ED88
	ldr	r1, [r0]
	orr	r1, r1, #(0xF << 20)
	str	r1, [r0]
	dsb
	isb
	bl	mcu_main
7:	b	7b
	.size mcu_reset, . - mcu_reset
	.ltorg

/*
 * Every exception but SysTick and the software line. r0 = the frame the
 * hardware stacked (on MSP or PSP, as EXC_RETURN bit 2 says), r1 = IPSR,
 * r2 = EXC_RETURN. The C code runs on mcu_fault_stack; if it returns (an
 * expected probe bus fault), the old SP comes back and the exception
 * returns to the frame mcu_fault rewrote.
 */
	.thumb_func
	.globl mcu_exc_entry
	.type mcu_exc_entry, %function
mcu_exc_entry:
	tst	lr, #4
	ite	eq
	mrseq	r0, msp
	mrsne	r0, psp
	mrs	r1, ipsr
	mov	r2, lr
	mov	r12, sp
	ldr	r3, =mcu_fault_stack_top
	mov	sp, r3
	push	{r12, lr}
	bl	mcu_fault
	pop	{r12, lr}
	mov	sp, r12
	bx	lr
	.size mcu_exc_entry, . - mcu_exc_entry
	.ltorg

/*
 * The RAM probe's primitives. Each touches memory only at the addresses
 * it is given and holds every value in registers, so it may probe the
 * very words the kernel is using (interrupts are off while it runs): a
 * word changed is put back before the next instruction that could need
 * it. A bus fault inside [mcu_probe_start, mcu_probe_end) while
 * mcu_probing is set resumes at mcu_probe_fail, which returns r0 as
 * mcu_fault set it: MCU_PROBE_FAULT (-1).
 *
 * int mcu_probe_word(uint32_t addr): 1 if the word at addr reads back the
 * complement of what it held, and then what it held (it is restored); 0
 * if not (a device that reads as zero, a bit-band alias); -1 if the
 * access faults (no memory there).
 */
	.section .text.probe, "ax"
	.globl mcu_probe_start
mcu_probe_start:
	.thumb_func
	.globl mcu_probe_word
	.type mcu_probe_word, %function
mcu_probe_word:
	ldr	r1, [r0]		/* the word as it is */
	mvn	r2, r1
	str	r2, [r0]
	dsb
	ldr	r3, [r0]
	str	r1, [r0]		/* put back */
	dsb
	ldr	r12, [r0]
	cmp	r3, r2
	bne	1f
	cmp	r12, r1
	bne	1f
	movs	r0, #1
	bx	lr
1:	movs	r0, #0
	bx	lr
	.size mcu_probe_word, . - mcu_probe_word

/*
 * int mcu_probe_alias(uint32_t addr, uint32_t partner): 1 if addr and
 * partner are the same storage (a mirror: writing the word at addr
 * changes the word at partner), else 0. Both must be RAM (mcu_probe_word);
 * a fault (which they cannot give) returns -1, not a mirror.
 */
	.thumb_func
	.globl mcu_probe_alias
	.type mcu_probe_alias, %function
mcu_probe_alias:
	ldr	r2, [r0]		/* addr's word */
	ldr	r3, [r1]		/* partner's word */
	mvn	r12, r3
	str	r12, [r0]		/* addr := ~partner */
	dsb
	ldr	r12, [r1]		/* partner changed? */
	str	r2, [r0]		/* put addr back (and partner, if one) */
	dsb
	cmp	r12, r3
	ite	ne
	movne	r0, #1
	moveq	r0, #0
	bx	lr
	.size mcu_probe_alias, . - mcu_probe_alias

	.thumb_func
	.globl mcu_probe_fail
	.type mcu_probe_fail, %function
mcu_probe_fail:
	bx	lr
	.size mcu_probe_fail, . - mcu_probe_fail
	.globl mcu_probe_end
mcu_probe_end:

/* uint32_t mcu_semihost(uint32_t op, const void *arg): bkpt 0xAB. */
	.text
	.thumb_func
	.globl mcu_semihost
	.type mcu_semihost, %function
mcu_semihost:
	bkpt	0xAB
	bx	lr
	.size mcu_semihost, . - mcu_semihost

	.section .bss
	.balign 8
mcu_fault_stack:
	.skip	1024
	.globl mcu_fault_stack_top
mcu_fault_stack_top:

	.section .note.GNU-stack, "", %progbits
