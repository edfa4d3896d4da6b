/*
 * The arm64 floor for ./cellos bench: an Image (the same header as the
 * kernel's) that prints one line on the PL011 and leaves by semihosting
 * SYS_EXIT with 0. Booting it measures QEMU, not cell_os.
 */
	.text
	.globl _head
_head:
	b	start
	.word	0
	.quad	0x80000		/* text_offset */
	.quad	end - _head	/* image_size */
	.quad	0x2
	.quad	0, 0, 0
	.ascii	"ARM\x64"
	.word	0
start:
	ldr	x1, =0x09000000
	adr	x2, line
1:	ldrb	w3, [x2], #1
	cbz	w3, 2f
	strb	w3, [x1]
	b	1b
2:	mov	x0, #0x18		/* SYS_EXIT */
	adr	x1, block
	hlt	#0xf000
3:	wfi
	b	3b
	.balign 8
block:	.quad	0x20026, 0
line:	.asciz	"floor: one line\n"
	.balign 8
end:
