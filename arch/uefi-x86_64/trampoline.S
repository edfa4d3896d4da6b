/*
 * The last steps of the handover, copied by enter.c into a page below
 * 1 GiB and run from there (position-independent: it refers only to
 * itself and to the parameter block whose address comes in RCX, the
 * first argument in the UEFI/Microsoft x64 convention):
 *
 *   +0x00 CR3 (our PML4)   +0x08 stack top   +0x10 the handoff
 *   +0x18 the kernel entry +0x20 GDTR         +0x30 IDTR (limit 0)
 *
 * Load the GDT, switch to our page tables (this page is identity-mapped in
 * the firmware's tables and in ours), reload CS with a far return and the
 * data segments, drop the firmware's IDT (a fault before the kernel loads
 * its own stops the machine, as on the BIOS path), print "#E0 paging on"
 * on port 0xE9 and COM1, and jump to the kernel with the handoff in RDI.
 */
	.text
	.globl uefi_trampoline_start
	.globl uefi_trampoline_end
	.p2align 4
uefi_trampoline_start:
	cli
	lgdt 0x20(%rcx)
	movq 0x00(%rcx), %rax
	movq %rax, %cr3
	movq 0x08(%rcx), %rsp
	leaq 1f(%rip), %rax
	pushq $0x08
	pushq %rax
	lretq
1:	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %eax, %fs
	movl %eax, %gs
	lidt 0x30(%rcx)
	leaq msg(%rip), %rsi
2:	movb (%rsi), %bl
	testb %bl, %bl
	jz 4f
	movb %bl, %al
	outb %al, $0xE9
	movl $100000, %r8d
	movw $0x3FD, %dx
3:	inb %dx, %al
	testb $0x20, %al
	jnz 5f
	decl %r8d
	jnz 3b
5:	movb %bl, %al
	movw $0x3F8, %dx
	outb %al, %dx
	incq %rsi
	jmp 2b
4:	movq 0x10(%rcx), %rdi
	movq 0x18(%rcx), %rax
	jmp *%rax
msg:
	.ascii "#E0 paging on\n\0"
uefi_trampoline_end:
