; stage2: from real mode to the kernel in long mode.
;   1. "#E0 s2 start"      COM1 set up; every line goes to 0xE9 and COM1;
;                          the CPU must have long mode (CPUID 80000001h)
;   2. "#E0 a20 ok"        A20 enabled (BIOS, then port 0x92) and verified
;                          by the wrap-around test
;   3. "#E0 e820 ok"       the E820 map at E820_COUNT_ADDR for the kernel
;   4. "#E0 kernel load ok" the kernel read (INT 13h AH=42h, 64-sector
;                          chunks, retried) to the bounce buffer at 0x20000
;   5. "#E0 paging on"     GDT, protected mode, 4-level tables (the first GiB
;                          identity-mapped and again at -2 GiB), PAE, EFER.LME,
;                          paging
;   6. "#E0 long ok"       64-bit code; stage2_check (cgf_check.c): the E820
;                          map must have usable RAM for the kernel's image,
;                          BSS and stack at 1 MiB; then the kernel copied to
;                          1 MiB, the handoff at HANDOFF_ADDR, jump to
;                          KERNEL_VIRT with the handoff in RDI
;   With CELLOS_CGF_VERIFY (the CMake option), stage2 also reads the CGF
;   blob the layout table names and stage2_check verifies, before the copy, the
;   blob (header CRC32C, the gene directory's SHA-256 against the digest
;   disk-pack recorded in the build record below) and through it the kernel
;   image exactly as read, embedded phenotype included. With
;   CELLOS_VERIFIED_BOOT (default ON) it first verifies the boot signature
;   block after the gene directory: Ed25519 under the root public key built
;   into stage2 (cellos_root_key.h), over the directory, which holds the
;   SHA-256 of the kernel image and of its phenotype.
; Any failure prints "#X stage2: <what>: refusing to boot" and writes
; EXIT_BOOT_REFUSED to isa-debug-exit (QEMU status 71), then halts.
; Linked at STAGE2_ADDR with cgf_check.c (stage2.ld).
%include "bootinfo.inc"		; bootinfo.h, as the build writes it for NASM

COM1 equ 0x3F8

	section .stage2 progbits alloc exec write align=16
bits 16
	global stage2
	global stage2_record
	global stage2_bss_addr, stage2_stack_top
	extern stage2_check
	extern __s2_bss_start, __s2_bss_end

stage2_bss_addr equ STAGE2_BSS_ADDR	; for stage2.ld's checks
stage2_stack_top equ STAGE2_STACK_TOP

%ifdef CELLOS_CGF_VERIFY
S2_FLAGS equ S2F_CGF_VERIFY
%else
S2_FLAGS equ 0
%endif

stage2:
	jmp short stage2_main
	nop
	nop
stage2_record:				; at STAGE2_RECORD_OFF (bootinfo.h)
	dd STAGE2_RECORD_MAGIC		; S2R_MAGIC
.flags:	dd S2_FLAGS			; S2R_FLAGS
.memsz:	dd 0				; S2R_MEMSZ: kernel memory size, patched in
	dd 0				; S2R_RESERVED
.digest:
	times 32 db 0			; S2R_DIGEST: gene directory SHA-256, patched in
.end:
%if stage2_record - stage2 != STAGE2_RECORD_OFF
%error "the build record must sit at STAGE2_RECORD_OFF"
%endif
%if .flags - stage2_record != S2R_FLAGS || .memsz - stage2_record != S2R_MEMSZ || .digest - stage2_record != S2R_DIGEST || .end - stage2_record != S2R_SIZE
%error "the build record's fields must sit where bootinfo.h's S2R_LAYOUT puts them"
%endif

stage2_main:
	cli
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov ax, STAGE2_STACK_SEG	; the stack below STAGE2_STACK_TOP
	mov ss, ax
	mov sp, STAGE2_STACK_TOP - STAGE2_STACK_SEG * 16
	sti
	cld
	mov [boot_drive], dl

	call serial_init
	mov si, msg_start
	call puts16

	call long_mode_present
	jc .fail_cpu

	call a20_enable
	jc .fail_a20
	mov si, msg_a20
	call puts16

	call e820_read
	jc .fail_e820
	mov si, msg_e820
	call puts16

	call kernel_read
	jc .fail_load
%ifdef CELLOS_CGF_VERIFY
	call cgf_read
	jc .fail_cgf
%endif
	mov si, msg_load
	call puts16

	cli
	lgdt [gdt_desc]
	mov eax, cr0
	or eax, 1
	mov cr0, eax
	jmp 0x08:pm32

.fail_cpu:
	mov si, msg_fail_cpu
	jmp fail16
.fail_a20:
	mov si, msg_fail_a20
	jmp fail16
.fail_e820:
	mov si, msg_fail_e820
	jmp fail16
.fail_load:
	mov si, msg_fail_load
	jmp fail16
.fail_cgf:
	mov si, msg_fail_cgf_read
	jmp fail16

; ---- 16-bit helpers ----

serial_init:
	mov dx, COM1 + 1
	xor al, al
	out dx, al			; no UART interrupts
	mov dx, COM1 + 3
	mov al, 0x80
	out dx, al			; DLAB on
	mov dx, COM1
	mov al, 1
	out dx, al			; divisor 1: 115200 baud
	mov dx, COM1 + 1
	xor al, al
	out dx, al
	mov dx, COM1 + 3
	mov al, 0x03
	out dx, al			; 8N1, DLAB off
	mov dx, COM1 + 2
	mov al, 0xC7
	out dx, al			; FIFOs on and cleared
	ret

; Send AL to 0xE9 and to COM1 (waiting for room). Keeps every register.
putc16:
	push dx
	push ax
	out 0xE9, al
	mov dx, COM1 + 5
.wait:
	in al, dx
	test al, 0x20
	jz .wait
	pop ax
	mov dx, COM1
	out dx, al
	pop dx
	ret

; Print the NUL-terminated string at DS:SI.
puts16:
	push ax
.next:
	lodsb
	test al, al
	jz .done
	call putc16
	jmp .next
.done:
	pop ax
	ret

; Print the refusal at DS:SI, leave QEMU with the boot-refused status; on
; a PC without the exit device the write does nothing and we halt.
fail16:
	call puts16
	mov al, EXIT_BOOT_REFUSED
	out 0xF4, al
.halt:
	cli
	hlt
	jmp .halt

; CF=0 when the CPU can run 64-bit code: CPUID exists (EFLAGS.ID can be
; toggled), has leaf 80000001h, and that leaf sets LM (EDX bit 29).
long_mode_present:
	pushfd
	pop eax
	mov ecx, eax
	xor eax, 1 << 21		; try to flip ID
	push eax
	popfd
	pushfd
	pop eax
	push ecx			; put EFLAGS back
	popfd
	xor eax, ecx
	test eax, 1 << 21
	jz .no
	mov eax, 0x80000000
	cpuid
	cmp eax, 0x80000001
	jb .no
	mov eax, 0x80000001
	cpuid
	test edx, 1 << 29
	jz .no
	clc
	ret
.no:
	stc
	ret

; ZF=0 when A20 is on: a byte at 0x100500 must not alias 0x000500.
a20_on:
	push ds
	push es
	push ax
	push bx
	xor ax, ax
	mov ds, ax
	not ax
	mov es, ax
	mov bl, [ds:0x0500]
	mov bh, [es:0x0510]
	mov byte [ds:0x0500], 0x00
	mov byte [es:0x0510], 0xFF
	cmp byte [ds:0x0500], 0xFF	; equal: the write wrapped, A20 off
	mov [es:0x0510], bh
	mov [ds:0x0500], bl
	pop bx
	pop ax
	pop es
	pop ds
	ret

; CF=0 when A20 is on (verified), CF=1 when it cannot be turned on.
a20_enable:
	call a20_on
	jne .ok
	mov ax, 0x2401			; BIOS: enable A20
	int 0x15
	call a20_on
	jne .ok
	in al, 0x92			; "fast A20" (never touch bit 0: reset)
	or al, 2
	and al, 0xFE
	out 0x92, al
	mov cx, 0x4000
.settle:
	call a20_on
	jne .ok
	loop .settle
	stc
	ret
.ok:
	clc
	ret

; Collect the E820 map. CF=1 when the BIOS gives none.
e820_read:
	mov di, E820_ENTRIES_ADDR
	xor ebx, ebx
	xor bp, bp
.next:
	mov eax, 0xE820
	mov edx, 0x534D4150		; "SMAP"
	mov ecx, 24
	mov dword [es:di + 20], 1	; ACPI 3.0 attributes: valid
	int 0x15
	jc .end
	cmp eax, 0x534D4150
	jne .fail
	cmp ecx, 20
	jb .skip
	cmp dword [es:di + 8], 0	; skip empty entries
	jne .keep
	cmp dword [es:di + 12], 0
	je .skip
.keep:
	inc bp
	add di, 24
	cmp bp, E820_MAX
	jae .end
.skip:
	test ebx, ebx
	jnz .next
.end:
	test bp, bp
	jz .fail
	movzx eax, bp
	mov [E820_COUNT_ADDR], eax
	clc
	ret
.fail:
	stc
	ret

; Read what the DAP describes (INT 13h AH=42h), three tries with a disk
; reset between them. CF=1 when all three fail.
read_dap:
	mov byte [tries], 3
.again:
	mov si, dap
	mov ah, 0x42
	mov dl, [boot_drive]
	int 0x13
	jnc .done
	xor ah, ah
	mov dl, [boot_drive]
	int 0x13
	dec byte [tries]
	jnz .again
	stc
.done:
	ret

; Read the kernel into the bounce buffer. CF=1 on failure.
kernel_read:
	mov eax, [0x7C00 + LAYOUT_OFF + LT_KERNEL_SECTORS]
	test eax, eax
	jz .fail
	cmp eax, BOUNCE_MAX / 512
	ja .fail
	mov [sectors_left], eax
	mov eax, [0x7C00 + LAYOUT_OFF + LT_KERNEL_LBA]
	mov [dap.lba], eax
	mov word [dap.segment], BOUNCE_SEG
.chunk:
	mov eax, [sectors_left]
	test eax, eax
	jz .done
	cmp eax, 64
	jbe .count
	mov eax, 64
.count:
	mov [dap.count], ax
	call read_dap
	jnc .ok
.fail:
	stc
	ret
.ok:
	movzx eax, word [dap.count]
	sub [sectors_left], eax
	add [dap.lba], eax
	shl ax, 5			; 512 bytes = 32 paragraphs
	add [dap.segment], ax
	jmp .chunk
.done:
	clc
	ret

%ifdef CELLOS_CGF_VERIFY
; Read the CGF blob the layout table names to CGF_ADDR. CF=1 when there is
; none or it cannot be read.
cgf_read:
	movzx eax, word [0x7C00 + LAYOUT_OFF + LT_CGF_SECTORS]
	test eax, eax
	jz .fail
	cmp eax, CGF_MAX_SECTORS
	ja .fail
	mov [dap.count], ax
	mov eax, [0x7C00 + LAYOUT_OFF + LT_CGF_LBA]
	mov [dap.lba], eax
	mov dword [dap.lba + 4], 0
	mov word [dap.offset], 0
	mov word [dap.segment], CGF_SEG
	jmp read_dap			; its CF is ours
.fail:
	stc
	ret
%endif

; ---- 32-bit: build the page tables and turn on long mode ----

bits 32
pm32:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov fs, ax
	mov gs, ax
	mov esp, STAGE2_STACK_TOP

	mov edi, PML4_ADDR		; clear the four table pages
	xor eax, eax
	mov ecx, 4 * 4096 / 4
	rep stosd
	mov dword [PML4_ADDR], PDPT_LOW_ADDR | 3
	mov dword [PML4_ADDR + 511 * 8], PDPT_HIGH_ADDR | 3
	mov dword [PDPT_LOW_ADDR], PD_ADDR | 3
	mov dword [PDPT_HIGH_ADDR + 510 * 8], PD_ADDR | 3
	mov edi, PD_ADDR		; 512 x 2 MiB: the first GiB
	mov eax, 0x83			; present, writable, 2 MiB page
	mov ecx, 512
.pd:
	mov [edi], eax
	mov dword [edi + 4], 0
	add eax, 0x200000
	add edi, 8
	loop .pd

	mov eax, PML4_ADDR
	mov cr3, eax
	mov eax, cr4
	or eax, 1 << 5			; PAE
	mov cr4, eax
	mov ecx, 0xC0000080		; EFER
	rdmsr
	or eax, 1 << 8			; LME
	wrmsr
	mov eax, cr0
	or eax, 1 << 31			; paging: long mode is now active
	mov cr0, eax
	mov esi, msg_paging
	call puts32
	jmp 0x18:lm64

puts32:
	lodsb
	test al, al
	jz .done
	out 0xE9, al
	mov ah, al
	mov dx, COM1 + 5
.wait:
	in al, dx
	test al, 0x20
	jz .wait
	mov al, ah
	mov dx, COM1
	out dx, al
	jmp puts32
.done:
	ret

; ---- 64-bit: copy the kernel up and enter it ----

bits 64
lm64:
	mov ax, 0x20
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov fs, ax
	mov gs, ax
	mov rsp, STAGE2_STACK_TOP
	mov rsi, msg_long
	call puts64

	mov rdi, __s2_bss_start		; the C's BSS: NOLOAD, so zero it here
	mov rcx, __s2_bss_end
	sub rcx, rdi
	xor eax, eax
	rep stosb
	call stage2_check		; returns only when the kernel may run

	mov rsi, BOUNCE_ADDR
	mov rdi, KERNEL_PHYS
	mov ecx, [0x7C00 + LAYOUT_OFF + LT_KERNEL_BYTES]
	rep movsb

	mov rdi, HANDOFF_ADDR		; handoff: zero, then what stage2 knows
	xor eax, eax
	mov ecx, 168
	rep stosb
	mov rdi, HANDOFF_ADDR
	mov qword [rdi], KERNEL_PHYS	; phys_base
	mov eax, [0x7C00 + LAYOUT_OFF + LT_KERNEL_BYTES]
	mov [rdi + 8], rax		; phys_len
	mov rax, KERNEL_VIRT
	jmp rax

puts64:
	lodsb
	test al, al
	jz .done
	out 0xE9, al
	mov ah, al
	mov dx, COM1 + 5
.wait:
	in al, dx
	test al, 0x20
	jz .wait
	mov al, ah
	mov dx, COM1
	out dx, al
	jmp puts64
.done:
	ret

; ---- data ----

align 8
gdt:
	dq 0				; 0x00 null
	dq 0x00CF9A000000FFFF		; 0x08 code, 32-bit
	dq 0x00CF92000000FFFF		; 0x10 data, 32-bit
	dq 0x00AF9A000000FFFF		; 0x18 code, 64-bit (L=1)
	dq 0x00CF92000000FFFF		; 0x20 data
gdt_end:
gdt_desc:
	dw gdt_end - gdt - 1
	dd gdt

align 4
dap:
	db 16, 0
.count:	dw 0
.offset: dw 0
.segment: dw 0
.lba:	dq 0

boot_drive:	db 0
tries:		db 0
align 4
sectors_left:	dd 0

msg_start:	db "#E0 s2 start", 10, 0
msg_a20:	db "#E0 a20 ok", 10, 0
msg_e820:	db "#E0 e820 ok", 10, 0
msg_load:	db "#E0 kernel load ok", 10, 0
msg_paging:	db "#E0 paging on", 10, 0
msg_long:	db "#E0 long ok", 10, 0
msg_fail_cpu:	db "#X stage2: the CPU has no long mode (CPUID 80000001h EDX bit 29): refusing to boot", 10, 0
msg_fail_a20:	db "#X stage2: A20 cannot be enabled: refusing to boot", 10, 0
msg_fail_e820:	db "#X stage2: no E820 memory map: refusing to boot", 10, 0
msg_fail_load:	db "#X stage2: cannot read the kernel from the disk: refusing to boot", 10, 0
msg_fail_cgf_read: db "#X stage2: no CGF blob to verify, or it cannot be read: refusing to boot", 10, 0
