; The x86 floor for ./cellos bench: a boot sector that prints one line on
; port 0xE9 and leaves through isa-debug-exit with 0, the same way the
; kernel does. Booting it measures QEMU and SeaBIOS, not cell_os.
bits 16
org 0x7C00
	mov si, line
.next:
	lodsb
	test al, al
	jz .exit
	out 0xE9, al
	jmp .next
.exit:
	xor ax, ax
	out 0xF4, al
	cli
	hlt
line:	db "floor: one line", 10, 0
	times 510 - ($ - $$) db 0
	dw 0xAA55
