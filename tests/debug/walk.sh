#!/usr/bin/env bash
# walk.sh BOARD WORK -- the exception backtrace's walk stops at a bad frame
# instead of following it (or faulting again). The faulting kernel
# (fault.c) runs under ./cellos debug --batch to just before its trap;
# there gdb damages the frame chain and continues into the trap:
#   cut         the inner frame's saved frame pointer -> 0xdeadbeef (outside
#               the stack): one address, the return into debug_fault_outer
#   loop        the saved frame pointer -> the frame itself: the same one
#   misaligned  the frame pointer + 4: no address
#   outside     the frame pointer -> 0x1000: no address
# Each time the machine ends with exactly one "#X exception" line and the
# panic status. The addresses come from the ELF's disassembly.
set -euo pipefail
board=$1 work=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
fail() { echo "FAIL: walk $board: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"

case "$board" in
x86)
	dir=$top/build/bios-x86_64/arch/bios-x86_64
	image=$dir/cellos-x86-fault.img elf=$dir/cellos-x86-fault.elf
	fp='$rbp' objdump=objdump trap=ud2 call=call ;;
arm64)
	dir=$top/build/virt-arm64/arch/virt-arm64
	image=$dir/cellos-arm64-fault.bin elf=$dir/cellos-arm64-fault.elf
	fp='$x29' objdump=aarch64-linux-gnu-objdump trap=brk call=bl ;;
*) fail "unknown board" ;;
esac
[ -f "$image" ] && [ -f "$elf" ] || fail "$image or $elf missing (CELLOS_TEST_FAULT=ON, ./cellos build $board)"

"$objdump" -d --no-show-raw-insn "$elf" >"$work/disasm"
# gdb stops one instruction before the trap: continuing from a breakpoint
# on the trap itself single-steps it, and QEMU's single step over a brk
# skips the exception.
before_trap=$(awk '/<debug_fault_inner>:/ { f = 1; next } f && /^$/ { f = 0 }
    f && !done && $2 ~ /^'"$trap"'/ { print prev; done = 1 }
    f { prev = $1; sub(":", "", prev) }' "$work/disasm")
ret_at=$(awk '/<debug_fault_outer>:/ { f = 1; next } f && /^$/ { f = 0 }
    f && !done && want { sub(":", "", $1); print $1; done = 1 }
    f && !want && $2 ~ /^'"$call"'/ && /<debug_fault_inner>/ { want = 1 }' "$work/disasm")
[ -n "$before_trap" ] || fail "no $trap in debug_fault_inner"
[ -n "$ret_at" ] || fail "no $call debug_fault_inner in debug_fault_outer"
ret=$(printf '%016X' "0x$ret_at")

# damaged CASE GDB-COMMAND EXPECTED-BT-LINE
damaged() {
	local name=$1 cmd=$2 want=$3 log="$work/$1.log"
	set +e
	"$top/cellos" debug "$board" --no-build --batch --timeout 30 --image "$image" \
		--elf "$elf" --disk "$work/disk.img" --console "$log" --break debug_fault_inner -- \
		-ex "hbreak *0x$before_trap" -ex continue -ex "$cmd" -ex continue \
		>"$work/$name.gdb" 2>&1
	set -e
	grep -q "^Breakpoint 2, " "$work/$name.gdb" ||
		fail "$name: gdb did not reach the trap: $(tail -n 5 "$work/$name.gdb")"
	[ "$(grep -c '^#X exception ' "$log")" = 1 ] ||
		fail "$name: expected one #X exception line: $(grep '^#X' "$log")"
	local got
	got=$(grep '^#X bt' "$log" || true)
	[ "$got" = "$want" ] || fail "$name: '$got', expected '$want'"
	grep -q 'stopped with a panic' "$log" || fail "$name: no panic exit: $(tail -n 2 "$log")"
}
damaged cut "set var *(unsigned long *)$fp = 0xdeadbeef" "#X bt $ret"
damaged loop "set var *(unsigned long *)$fp = $fp" "#X bt $ret"
damaged misaligned "set var $fp = $fp + 4" "#X bt"
damaged outside "set var $fp = 0x1000" "#X bt"
echo "ok: walk $board"
