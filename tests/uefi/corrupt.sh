#!/usr/bin/env bash
# corrupt.sh IMAGE ELF WORK -- one changed byte anywhere in what the UEFI
# image boots must stop it in the loader, before ExitBootServices: in the
# kernel's code or data, in the phenotype embedded in it (first, middle,
# last byte), in the CGF header or gene directory, in the digest recorded
# in BOOTX64.EFI; so must a kernel file one byte shorter than the gene
# directory says (its FAT directory entry changed) and a missing CGF file.
# Each boot must print the loader's refusal on 0xE9 and on COM1 (through
# ConOut) and leave QEMU with status 71 (exit.h's board panic); the kernel
# must not run. Where the bytes are comes from the FAT (mtools), the ELF's
# symbols (nm) and the gene directory format, not from esp-pack.
set -euo pipefail
image=$1 elf=$2 work=$3
. "$(dirname "$0")/lib.sh"
rm -rf "$work" && mkdir -p "$work"

read -r kernel_at kernel_bytes < <(map_of "$image" CELLOS/KERNEL.BIN)
read -r cgf_at cgf_bytes < <(map_of "$image" CELLOS/KERNEL.CGF)
read -r efi_at efi_bytes < <(map_of "$image" EFI/BOOT/BOOTX64.EFI)
(( cgf_bytes == 4096 + 96 )) || fail "KERNEL.CGF is $cgf_bytes bytes, not a header and a gene directory"
dir_at=$((cgf_at + $(u32 "$image" $((cgf_at + 4)))))
base=$((16#$(sym "$elf" __image_start)))
pbin=$(( 16#$(sym "$elf" board_pbin) - base ))
pbin_len=$(( 16#$(sym "$elf" board_pbin_end) - base - pbin ))
code=$(( 16#$(sym "$elf" x86_main) - base ))
data=$(( 16#$(sym "$elf" __image_end) - base - 8 ))
(( pbin_len > 0 && data < kernel_bytes && pbin + pbin_len <= kernel_bytes )) ||
	fail "the symbols do not fall inside the $kernel_bytes-byte KERNEL.BIN"
[ "$(u32 "$image" $((dir_at + 12)))" = "$pbin" ] &&
	[ "$(u32 "$image" $((dir_at + 16)))" = "$pbin_len" ] ||
	fail "the gene directory does not name board_pbin (+$pbin, $pbin_len bytes)"
# The loader's build record: "UEBR", flags, memsz, 0, then the digest.
rec=$(( efi_at + $(find_bytes <(dd if="$image" bs=1 skip="$efi_at" count="$efi_bytes" 2>/dev/null) 55454252) ))
[ "$(dd if="$image" bs=1 skip="$rec" count=4 2>/dev/null)" = UEBR ] ||
	fail "no build record in BOOTX64.EFI"

booted control "$image"

damaged() {	# damaged NAME OFFSET WHY
	cp "$image" "$work/$1.img"
	flip "$work/$1.img" "$2"
	refused "$1" "$work/$1.img" "#X uefi: $3: refusing to boot"
	rm -f "$work/$1.img"
}
damaged kernel-code $((kernel_at + code + 3)) "kernel image SHA-256 mismatch"
damaged kernel-data $((kernel_at + data)) "kernel image SHA-256 mismatch"
damaged phenotype-first $((kernel_at + pbin)) "phenotype SHA-256 mismatch"
damaged phenotype-middle $((kernel_at + pbin + pbin_len / 2)) "phenotype SHA-256 mismatch"
damaged phenotype-last $((kernel_at + pbin + pbin_len - 1)) "phenotype SHA-256 mismatch"
damaged cgf-header-crc $((cgf_at + 1)) "CGF header CRC32C mismatch"
damaged cgf-header-zeros $((cgf_at + 200)) "CGF header CRC32C mismatch"
damaged gene-directory $((dir_at + 40)) "CGF gene directory SHA-256 mismatch"
damaged record-digest $((rec + 16 + 5)) "CGF gene directory SHA-256 mismatch"

# The FAT directory entry's size is outside every digest: a kernel file
# one byte short must still be caught.
entry=$(find_bytes "$image" 4b45524e454c202042494e)	# "KERNEL  BIN"
cp "$image" "$work/short.img"
put32 "$work/short.img" $((entry + 28)) $((kernel_bytes - 1))
refused short "$work/short.img" \
	"#X uefi: the kernel file's size \($((kernel_bytes - 1)) bytes\) differs from the CGF gene directory's \($kernel_bytes\): refusing to boot"
rm -f "$work/short.img"

entry=$(find_bytes "$image" 4b45524e454c202043474620)	# "KERNEL  CGF "
cp "$image" "$work/no-cgf.img"
patch "$work/no-cgf.img" $((entry + 8)) 585858	# KERNEL.XXX
refused no-cgf "$work/no-cgf.img" \
	'#X uefi: cannot open \\CELLOS\\KERNEL\.CGF on the boot volume \(EFI status 0x800000000000000E\): refusing to boot'
rm -f "$work/no-cgf.img"
