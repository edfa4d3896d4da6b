#!/usr/bin/env bash
# board.sh TARGET WORK -- the fallbacks of a board kernel (x86, arm64 or
# mcu) through tools/qemu-run: each is reported and ends as PROOF FAILURE
# with status 1. Every board: no disk, too small a disk, a superblock
# rebuilt from its copy (the boot after it is clean). x86: every write
# failing (a write-protected disk, by QEMU's blkdebug) and q35 without a
# disk. arm64: a corrupted embedded phenotype, a gene the verifier rejects,
# and a GICv3 machine refused right after E1. mcu: a corrupted embedded
# phenotype, a gene the verifier rejects, and a disk file that is not
# there when the kernel opens it.
set -euo pipefail
target=$1 work=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"
run=$top/tools/qemu-run
rm -rf "$work"
mkdir -p "$work"
boot() {	# boot NAME QEMU-RUN-ARGS...: sets $status, log in $work/NAME.log
	local name=$1
	shift
	status=0
	"$run" "$target" --log "$work/$name.log" --timeout 120 "$@" >/dev/null 2>"$work/$name.err" ||
		status=$?
}

boot no-disk
expect no-disk "$status" 1 "$work/no-disk.log" 'PROOF FAILURE: E7 disk: none on this machine; E7 runs in RAM and nothing persists'

CELLOS_DISK_SIZE=64K boot small-disk --disk "$work/small.img" --fresh-disk
expect small-disk "$status" 1 "$work/small-disk.log" 'PROOF FAILURE: E7 disk: 128 blocks, the cell_os layout needs [0-9]+; .*'

boot sb-1 --disk "$work/sb.img" --fresh-disk
expect sb-1 "$status" 0 "$work/sb-1.log" 'FULL PROOF SUCCESS'
patch "$work/sb.img" 20 "$(printf '%02x' $((0x$(byte "$work/sb.img" 20) ^ 0x04)))"
boot sb-2 --disk "$work/sb.img"
expect sb-2 "$status" 1 "$work/sb-2.log" 'PROOF FAILURE: E7 disk: superblock in block 0 damaged: rewritten from its copy'
boot sb-3 --disk "$work/sb.img"
expect sb-3 "$status" 0 "$work/sb-3.log" 'FULL PROOF SUCCESS'
grep -qx '#I kv boot=3 last="stored by boot 2"' "$work/sb-3.log" || fail "sb-3: the store did not count on"

case "$target" in
x86)
	# Every write fails with EROFS, as on a write-protected disk.
	truncate -s 8M "$work/ro.img"
	cat >"$work/ro.conf" <<CONF
[inject-error]
event = "write_aio"
iotype = "write"
errno = "30"
CONF
	boot ro -- -drive "file=blkdebug:$work/ro.conf:$work/ro.img,format=raw,if=ide,index=1"
	expect ro "$status" 1 "$work/ro.log" 'PROOF FAILURE: E7 disk: the superblock cannot be read or written \(I/O error\); .*'
	cmp -s "$work/ro.img" <(head -c 8M /dev/zero) || fail "ro: the write-protected disk changed"
	CELLOS_X86_MACHINE=q35 boot q35-no-disk
	expect q35-no-disk "$status" 1 "$work/q35-no-disk.log" 'PROOF FAILURE: E7 disk: none on this machine; .*'
	;;
arm64)
	elf=$top/build/virt-arm64/arch/virt-arm64/cellos-arm64.elf
	image=$top/build/out/cellos-arm64.bin
	pbin=$(( 0x$(sym "$elf" board_pbin) - 0x$(sym "$elf" _head) ))

	cp "$image" "$work/magic.bin"
	patch "$work/magic.bin" "$pbin" 58	# "O" of the magic becomes "X"
	boot magic --image "$work/magic.bin" --disk "$work/magic.img" --fresh-disk
	expect magic "$status" 1 "$work/magic.log" 'PROOF FAILURE: E4 phenotype refused: offset 0, header.magic: .*'
	grep -q '^#E10 ' "$work/magic.log" || fail "magic: the fallback did not run to E10"

	cp "$image" "$work/rejected.bin"
	at=$(first_program_insn "$work/rejected.bin")
	[ "$at" -gt "$pbin" ] || fail "rejected: the program found is not in the phenotype"
	patch "$work/rejected.bin" $((at + 8)) db
	resign "$work/rejected.bin" "$top/build/virt-arm64/arch/virt-arm64/arm64.virt.pl011.pbin"
	boot rejected --image "$work/rejected.bin" --disk "$work/rejected.img" --fresh-disk
	expect rejected "$status" 1 "$work/rejected.log" "PROOF FAILURE: E5 vm: 1 of 7 genes' programs were refused by the verifier and never run"

	boot gicv3 --disk "$work/gicv3.img" --fresh-disk -- -M virt,gic-version=3
	expect gicv3 "$status" 1 "$work/gicv3.log" 'PROOF FAILURE: E1 this machine cannot be driven: the interrupt controller is a GICv3 .*'
	! grep -q '^#E2 ' "$work/gicv3.log" || fail "gicv3: the boot went on past E1"
	;;
mcu)
	elf=$top/build/out/cellos-mcu.elf
	# The ELF's file offset of an address in .text (code and rodata).
	read -r text_addr text_off < <(readelf -SW "$elf" |
		sed -nE 's/.* \.text +PROGBITS +([0-9a-f]+) ([0-9a-f]+) .*/\1 \2/p')
	pbin=$(( 0x$(sym "$elf" board_pbin) - 0x$text_addr + 0x$text_off ))

	cp "$elf" "$work/magic.elf"
	patch "$work/magic.elf" "$pbin" 58	# "O" of the magic becomes "X"
	boot magic --image "$work/magic.elf" --disk "$work/magic.img" --fresh-disk
	expect magic "$status" 1 "$work/magic.log" 'PROOF FAILURE: E4 phenotype refused: offset 0, header.magic: .*'
	grep -q '^#E10 ' "$work/magic.log" || fail "magic: the fallback did not run to E10"

	cp "$elf" "$work/rejected.elf"
	at=$(first_program_insn "$work/rejected.elf")
	[ "$at" -gt "$pbin" ] || fail "rejected: the program found is not in the phenotype"
	patch "$work/rejected.elf" $((at + 8)) db
	resign "$work/rejected.elf" "$top/build/mps2-cortex-m/arch/mps2-cortex-m/mcu.mps2.an386.pbin"
	boot rejected --image "$work/rejected.elf" --disk "$work/rejected.img" --fresh-disk
	expect rejected "$status" 1 "$work/rejected.log" "PROOF FAILURE: E5 vm: 1 of 7 genes' programs were refused by the verifier and never run"

	# The semihosting command line (a second -semihosting-config: QEMU
	# takes the last) names a disk file that does not exist: the kernel
	# opens it "r+b", never creates it, says why, and has no disk.
	boot gone -- -semihosting-config \
		"enable=on,target=native,arg=cellos-mcu,arg=disk=$work/no-such-disk.img"
	expect gone "$status" 1 "$work/gone.log" 'PROOF FAILURE: E7 disk: none on this machine; E7 runs in RAM and nothing persists'
	grep -qx "#I mcu: disk $work/no-such-disk.img: the host cannot open it (errno 2)" "$work/gone.log" ||
		fail "gone: no line saying the host cannot open the disk: $(grep '#I mcu: .*disk' "$work/gone.log")"
	[ ! -e "$work/no-such-disk.img" ] || fail "gone: the kernel created the disk file"
	;;
*) fail "unknown target $target" ;;
esac
