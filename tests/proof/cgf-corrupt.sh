#!/usr/bin/env bash
# cgf-corrupt.sh IMAGE ELF WORK -- one flipped byte anywhere in what the x86
# image boots must stop it in stage2: in the CGF blob's header, in its gene
# directory, in the kernel's code or data, in the phenotype embedded in the
# kernel, or in the layout table's kernel size. Each boot must print stage2's
# refusal on 0xE9 and COM1 and leave QEMU with status 71 (exit.h's board
# panic); the kernel must not run. Where the kernel's bytes are comes from
# the ELF's symbols and the layout table, not from fixed offsets.
set -euo pipefail
image=$1 elf=$2 work=$3
# shellcheck source=x86-refusal.sh
. "$(dirname "$0")/x86-refusal.sh"
rm -rf "$work" && mkdir -p "$work"

layout=$((0x1E0))
kernel_at=$(( $(u32 "$image" $((layout + 12))) * 512 ))
kernel_bytes=$(u32 "$image" $((layout + 20)))
cgf_lba=$(u32 "$image" $((layout + 24)))
[ "$cgf_lba" -gt 0 ] || fail "the image has no CGF blob (built without CELLOS_CGF_VERIFY?)"
cgf_at=$((cgf_lba * 512))
dir_at=$((cgf_at + $(u32 "$image" $((cgf_at + 4)))))

# The kernel image starts at __image_start; the phenotype the kernel boots
# is board_pbin .. board_pbin_end (arch/freestanding/phenotype_blob.S).
base=$((16#$(sym "$elf" __image_start)))
pbin=$(( 16#$(sym "$elf" board_pbin) - base ))
pbin_len=$(( 16#$(sym "$elf" board_pbin_end) - base - pbin ))
code=$(( 16#$(sym "$elf" x86_main) - base ))
data=$(( 16#$(sym "$elf" __image_end) - base - 8 ))
(( pbin_len > 0 )) || fail "the kernel embeds no phenotype"
(( data < kernel_bytes && pbin + pbin_len <= kernel_bytes )) ||
	fail "the symbols do not fall inside the $kernel_bytes-byte kernel image"
# disk-pack's gene directory must name the same phenotype bytes.
[ "$(u32 "$image" $((dir_at + 12)))" = "$pbin" ] &&
	[ "$(u32 "$image" $((dir_at + 16)))" = "$pbin_len" ] ||
	fail "the gene directory does not name board_pbin (+$pbin, $pbin_len bytes)"

booted control "$image" 128M

# damaged NAME OFFSET LINE: a copy with the byte at OFFSET flipped.
damaged() {
	cp "$image" "$work/$1.img"
	flip "$work/$1.img" "$2"
	refused "$1" "$work/$1.img" 128M "#X stage2: $3: refusing to boot"
}
damaged cgf-header-crc $((cgf_at + 1)) "CGF header CRC32C mismatch"
damaged cgf-header-zeros $((cgf_at + 200)) "CGF header CRC32C mismatch"
damaged gene-directory $((dir_at + 40)) "CGF gene directory SHA-256 mismatch"
damaged kernel-code $((kernel_at + code + 3)) "kernel image SHA-256 mismatch"
damaged kernel-data $((kernel_at + data)) "kernel image SHA-256 mismatch"
damaged phenotype-first $((kernel_at + pbin)) "phenotype SHA-256 mismatch"
damaged phenotype-middle $((kernel_at + pbin + pbin_len / 2)) "phenotype SHA-256 mismatch"
damaged phenotype-last $((kernel_at + pbin + pbin_len - 1)) "phenotype SHA-256 mismatch"

# The layout table is outside every digest: a kernel size one short must
# still be caught (stage2 would copy, and run, one byte less).
cp "$image" "$work/layout-size.img"
put32 "$work/layout-size.img" $((layout + 20)) $((kernel_bytes - 1))
refused layout-size "$work/layout-size.img" 128M \
	"#X stage2: the layout table's kernel size differs from the CGF gene directory's: refusing to boot"
