#!/usr/bin/env bash
# boot-fatal.sh IMAGE WORK -- every way stage1 and stage2 can give up that a
# test can provoke ends with the stage's "#X" line on 0xE9 and COM1 and QEMU
# status 71 (exit.h's board panic), never a hang or a reset: a CPU without
# long mode, a layout table stage1 cannot use, stage2 or the kernel or the
# CGF blob out of the disk's reach, a layout table or a stage2 build record
# that does not add up. (No INT 13h extensions and A20 stuck off cannot be
# made under QEMU's SeaBIOS; they take the same exit path.)
set -euo pipefail
image=$1 work=$2
# shellcheck source=x86-refusal.sh
. "$(dirname "$0")/x86-refusal.sh"
rm -rf "$work" && mkdir -p "$work"
layout=$((0x1E0))
far=$((1 << 30))	# a sector number far past the end of the disk

# patched NAME OFFSET VALUE LINE: a copy with the u32 at OFFSET set to VALUE.
patched() {
	cp "$image" "$work/$1.img"
	put32 "$work/$1.img" "$2" "$3"
	refused "$1" "$work/$1.img" 128M "$4"
}

refused no-long-mode "$image" 128M \
	"#X stage2: the CPU has no long mode \\(CPUID 80000001h EDX bit 29\\): refusing to boot" \
	-cpu qemu32
patched no-layout-table $((layout + 0)) 0 \
	"#X stage1: no layout table \\(not packed by disk-pack\\): refusing to boot"
patched stage2-unreadable $((layout + 4)) $far \
	"#X stage1: cannot read stage2: refusing to boot"
patched kernel-unreadable $((layout + 12)) $far \
	"#X stage2: cannot read the kernel from the disk: refusing to boot"
patched cgf-unreadable $((layout + 24)) $far \
	"#X stage2: no CGF blob to verify, or it cannot be read: refusing to boot"
sectors=$(u32 "$image" $((layout + 16)))
patched kernel-size-beyond-sectors $((layout + 20)) $((sectors * 512 + 1)) \
	"#X stage2: the layout table's kernel size does not fit the sectors read: refusing to boot"
# stage2's build record (sector 1, "S2BR" at offset 4): the memory size at +8.
[ "$(dd if="$image" bs=1 skip=$((512 + 4)) count=4 2>/dev/null)" = S2BR ] ||
	fail "stage2 in $image has no build record"
patched no-memory-size $((512 + 4 + 8)) 0 \
	"#X stage2: stage2's build record has no usable kernel memory size \\(not packed by tools/disk-pack\\?\\): refusing to boot"
