/*
 * The EL1 vector table: 16 entries of 0x80 bytes, 2 KiB aligned. Every
 * entry saves the full register set (x0..x30, sp, elr, spsr) into a frame
 * on the stack, calls arm64_trap(frame, kind), restores and erets, so an
 * IRQ returns to exactly where it struck.
 */
#define FRAME_SIZE	(36 * 8)	/* x0..x30, sp, elr, spsr, esr, pad */

.macro ENTRY kind
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x0, #\kind
	b	trap_common
.endm

	.text
	.balign	2048
	.globl vectors
vectors:
	ENTRY 0		/* current EL, SP0: sync */
	ENTRY 1		/* irq */
	ENTRY 2		/* fiq */
	ENTRY 3		/* serror */
	ENTRY 4		/* current EL, SPx: sync */
	ENTRY 5		/* irq */
	ENTRY 6		/* fiq */
	ENTRY 7		/* serror */
	ENTRY 8		/* lower EL, AArch64 */
	ENTRY 9
	ENTRY 10
	ENTRY 11
	ENTRY 12	/* lower EL, AArch32 */
	ENTRY 13
	ENTRY 14
	ENTRY 15

trap_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	add	x2, sp, #FRAME_SIZE	/* the interrupted sp */
	stp	x30, x2, [sp, #240]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #256]
	mrs	x2, esr_el1
	str	x2, [sp, #272]
	mov	x1, x0			/* kind */
	mov	x0, sp			/* frame */
	bl	arm64_trap
	ldp	x2, x3, [sp, #256]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	add	sp, sp, #FRAME_SIZE
	eret
