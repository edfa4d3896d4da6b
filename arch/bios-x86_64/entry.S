/*
 * Kernel entry, in 64-bit mode at KERNEL_VIRT, from stage2 with interrupts
 * off and the handoff's physical address in RDI. Set up the stack, zero
 * BSS, and call x86_main(handoff).
 */
	.section .text.entry, "ax"
	.globl _start
	.code64
_start:
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

	.section .bss
	.balign 16
boot_stack:
	.skip 16384
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
