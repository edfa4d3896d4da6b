/*
 * Kernel entry, in 64-bit mode at KERNEL_VIRT, from stage2 with interrupts
 * off and the handoff's physical address in RDI. Set up the stack, zero
 * BSS, and call x86_main(handoff) with RBP = 0: the end of the
 * frame-pointer chain the exception backtrace (idt.c) walks. The CFI says
 * the same to gdb (no return address: the outermost frame); it goes to
 * .debug_frame, which is not loaded, so the image does not carry it.
 */
	.cfi_sections .debug_frame
	.section .text.entry, "ax"
	.globl _start
	.type _start, @function
	.code64
_start:
	.cfi_startproc
	.cfi_undefined rip
	cli
	movq %rdi, %r12
	leaq boot_stack_top(%rip), %rsp
	andq $-16, %rsp
	leaq __bss_start(%rip), %rdi
	leaq __bss_end(%rip), %rcx
	subq %rdi, %rcx
	xorl %eax, %eax
	cld
	rep stosb
	movq %r12, %rdi
	xorl %ebp, %ebp
	call x86_main
1:	cli
	hlt
	jmp 1b
	.cfi_endproc
	.size _start, . - _start

/* The kernel's only stack (interrupts and exceptions run on it too). */
	.section .bss
	.balign 16
	.globl boot_stack, boot_stack_top
boot_stack:
	.skip 16384
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
