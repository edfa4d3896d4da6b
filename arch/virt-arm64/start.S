/*
 * arm64 kernel entry. The first 64 bytes are the arm64 Linux Image header,
 * so that QEMU's -kernel loader treats this as an Image: it loads it at RAM
 * base + text_offset and enters with the DTB's address in X0 (a plain ELF
 * gets no DTB). Then: drop from EL2 to EL1 if needed, vectors, a 16-byte
 * aligned stack, BSS zeroed, arm64_main(dtb).
 */
#define ADDR_TEXT_OFFSET 0x80000

	.section .text.head, "ax"
	.globl _head
_head:
	b	_start			/* code0 */
	.word	0			/* code1 */
	.quad	ADDR_TEXT_OFFSET	/* text_offset */
	.quad	__image_size		/* image_size, BSS included */
	.quad	0x2			/* flags: little-endian, 4 KiB pages */
	.quad	0			/* res2 */
	.quad	0			/* res3 */
	.quad	0			/* res4 */
	.ascii	"ARM\x64"		/* magic, at 0x38 */
	.word	0			/* res5 */

	/*
	 * The CFI tells gdb that _start is the outermost frame (no return
	 * address); it goes to .debug_frame, which the Image does not carry.
	 */
	.cfi_sections .debug_frame
	.text
	.globl _start
	.type _start, %function
_start:
	.cfi_startproc
	.cfi_undefined x30
	mov	x19, x0			/* the DTB, kept across everything below */
	msr	daifset, #0xf
	mrs	x1, CurrentEL
	lsr	x1, x1, #2
	cmp	x1, #2
	b.ne	at_el1

	/* EL2: run EL1 in AArch64, give it the physical timer, drop to it. */
	mov	x1, #(1 << 31)		/* HCR_EL2.RW */
	msr	hcr_el2, x1
	mov	x1, #3			/* CNTHCTL_EL2.EL1PCTEN | EL1PCEN */
	msr	cnthctl_el2, x1
	msr	cntvoff_el2, xzr
	ldr	x1, =0x30D00800		/* SCTLR_EL1: RES1 bits, MMU and caches off */
	msr	sctlr_el1, x1
	mov	x1, #0x3c5		/* SPSR: EL1h, D A I F masked */
	msr	spsr_el2, x1
	adr	x1, at_el1
	msr	elr_el2, x1
	eret

at_el1:
	ldr	x1, =vectors
	msr	vbar_el1, x1
	mov	x1, #(3 << 20)		/* CPACR_EL1.FPEN: no FP traps */
	msr	cpacr_el1, x1
	isb
	ldr	x1, =boot_stack_top
	and	x1, x1, #~15
	mov	sp, x1
	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
	/*
	 * A zero frame record {fp 0, lr 0} at the top of the stack, x29 at
	 * it: arm64_main's record links to it, and the exception backtrace
	 * (trap.c) stops there.
	 */
2:	stp	xzr, xzr, [sp, #-16]!
	mov	x29, sp
	mov	x30, xzr
	mov	x0, x19
	bl	arm64_main
3:	wfi
	b	3b
	.cfi_endproc
	.size _start, . - _start

/* The kernel's only stack (exceptions and interrupts run on it too). */
	.section .bss
	.balign 16
	.globl boot_stack, boot_stack_top
boot_stack:
	.skip	16384
boot_stack_top:
