; stage1: the 512-byte boot sector. The BIOS loads it at 0x7C00 with the boot
; drive in DL. It checks for the INT 13h extensions (AH=41h), reads stage2
; (where from: the layout table tools/disk-pack writes at LAYOUT_OFF) to
; 0x8000 with AH=42h, retrying after a disk reset, and jumps to it. On
; failure it says why on port 0xE9, COM1 and the screen, then writes
; EXIT_BOOT_REFUSED to isa-debug-exit (QEMU exits 71), halting if that
; device is absent.
%include "bootinfo.inc"		; bootinfo.h, as the build writes it for NASM

bits 16
org 0x7C00

start:
	cli
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov sp, 0x7C00
	sti
	cld
	mov [boot_drive], dl

	cmp dword [table + LT_MAGIC], LAYOUT_MAGIC
	jne no_table

	mov ah, 0x41			; INT 13h extensions present?
	mov bx, 0x55AA
	mov dl, [boot_drive]
	int 0x13
	jc no_ext
	cmp bx, 0xAA55
	jne no_ext
	test cx, 1			; packet (DAP) access supported?
	jz no_ext

	mov ax, [table + LT_STAGE2_SECTORS]
	test ax, ax
	jz no_table
	cmp ax, STAGE2_MAX_SECTORS
	ja no_table
	mov [dap.count], ax
	mov eax, [table + LT_STAGE2_LBA]
	mov [dap.lba], eax

	mov byte [tries], 3
.read:
	mov si, dap
	mov ah, 0x42
	mov dl, [boot_drive]
	int 0x13
	jnc .loaded
	xor ah, ah			; reset the disk, then try again
	mov dl, [boot_drive]
	int 0x13
	dec byte [tries]
	jnz .read
	mov si, msg_read
	jmp fail
.loaded:
	mov dl, [boot_drive]
	jmp 0x0000:STAGE2_ADDR

no_ext:
	mov si, msg_ext
	jmp fail
no_table:
	mov si, msg_table

; Print the NUL-terminated message at SI on 0xE9, COM1 (as the BIOS left
; it; stage2 sets it up properly) and the screen, then exit.
fail:
	lodsb
	test al, al
	jz .exit
	out 0xE9, al
	mov ah, al
	mov dx, 0x3FD			; COM1: wait for room (absent: reads FF)
.wait:
	in al, dx
	test al, 0x20
	jz .wait
	mov al, ah
	mov dx, 0x3F8
	out dx, al
	mov ah, 0x0E
	mov bx, 0x0007
	int 0x10
	jmp fail
.exit:
	mov al, EXIT_BOOT_REFUSED
	out 0xF4, al
.halt:
	cli
	hlt
	jmp .halt

msg_ext:   db "#X stage1: no INT 13h extensions: refusing to boot", 10, 0
msg_read:  db "#X stage1: cannot read stage2: refusing to boot", 10, 0
msg_table: db "#X stage1: no layout table (not packed by disk-pack): refusing to boot", 10, 0

boot_drive: db 0
tries:      db 0
align 4
dap:
	db 16, 0
.count:	dw 0
	dw STAGE2_ADDR, 0		; offset, segment
.lba:	dq 0

	times LAYOUT_OFF - ($ - $$) db 0
table:					; LT_SIZE bytes, filled in by disk-pack
	times 510 - ($ - $$) db 0
%if LAYOUT_OFF + LT_SIZE != 510
%error "the layout table must end at the boot signature"
%endif
	dw 0xAA55
