#!/usr/bin/env bash
# fault.sh BOARD WORK -- the deliberately faulting kernel (CELLOS_TEST_FAULT,
# tests/debug/fault.c) under tools/qemu-run: the machine stops with the
# panic status, the raw "#X" lines stay on stdout (and equal the log), and
# on stderr the faulting address names debug_fault_inner at the line of its
# __builtin_trap() and the backtrace names, in order, debug_fault_outer,
# __wrap_hal_machine_unsupported, cell_boot (at its hal_machine_unsupported
# call), cell_main, the arch main and _start. The lines are read from the
# sources; the faulting address is checked against the ELF's disassembly
# (the trap instruction), independently of addr2line.
set -euo pipefail
board=$1 work=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
fail() { echo "FAIL: fault $board: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"

case "$board" in
x86)
	dir=$top/build/bios-x86_64/arch/bios-x86_64
	image=$dir/cellos-x86-fault.img elf=$dir/cellos-x86-fault.elf
	pc=rip main_fn=x86_main main_file=arch/bios-x86_64/x86_main.c entry=arch/bios-x86_64/entry.S
	objdump=objdump trap='ud2' ;;
arm64)
	dir=$top/build/virt-arm64/arch/virt-arm64
	image=$dir/cellos-arm64-fault.bin elf=$dir/cellos-arm64-fault.elf
	pc=elr main_fn=arm64_main main_file=arch/virt-arm64/arm64_main.c entry=arch/virt-arm64/start.S
	objdump=aarch64-linux-gnu-objdump trap='brk' ;;
*) fail "unknown board" ;;
esac
[ -f "$image" ] && [ -f "$elf" ] || fail "$image or $elf missing (CELLOS_TEST_FAULT=ON, ./cellos build $board)"

set +e
"$top/tools/qemu-run" "$board" --image "$image" --timeout 30 --log "$work/console.log" \
	>"$work/stdout" 2>"$work/stderr"
status=$?
set -e
[ "$status" = 3 ] || fail "qemu-run exited $status, expected 3 (panic, exception): $(cat "$work/stderr")"
cmp -s "$work/stdout" "$work/console.log" || fail "stdout and the log differ"
grep -q '^#X exception ' "$work/stdout" || fail "no #X exception line on stdout"
grep -q '^#X bt [0-9A-F]' "$work/stdout" || fail "no #X bt line on stdout"
grep -q 'symbolize' "$work/stdout" && fail "symbolizer output on stdout"

line_of() {	# FILE REGEX: the line number of the first match
	local n
	n=$(grep -nE "$2" "$top/$1" | head -n 1 | cut -d: -f1)
	[ -n "$n" ] || fail "no /$2/ in $1"
	echo "$n"
}
trap_line=$(line_of tests/debug/fault.c '__builtin_trap\(\);')
outer_line=$(line_of tests/debug/fault.c '^	debug_fault_inner\(\);')
wrap_line=$(line_of tests/debug/fault.c '^	debug_fault_outer\(\);')
boot_line=$(line_of core/boot.c '= hal_machine_unsupported\(\)\)')
main_line=$(line_of core/boot.c 'hal_exit\(cell_boot\(h\)\)')

# The faulting address is the trap instruction of debug_fault_inner.
addr=$(sed -nE "s/^#X exception .* $pc=([0-9A-F]+) .*/\\1/p" "$work/stdout")
[ -n "$addr" ] || fail "no $pc= on the #X line"
want=$("$objdump" -d --no-show-raw-insn "$elf" |
	awk '/<debug_fault_inner>:/ { f = 1; next } f && /^$/ { f = 0 }
	    f && !done && $2 ~ /^'"$trap"'/ { sub(":", "", $1); print toupper($1); done = 1 }')
[ -n "$want" ] || fail "no $trap in debug_fault_inner's disassembly"
[ "$((16#$addr))" = "$((16#$want))" ] || fail "$pc=$addr, but debug_fault_inner's $trap is at $want"

expect=("$pc [0-9A-F]+ in debug_fault_inner at tests/debug/fault.c:$trap_line"
	"bt#1 [0-9A-F]+ in debug_fault_outer at tests/debug/fault.c:$outer_line"
	"bt#2 [0-9A-F]+ in __wrap_hal_machine_unsupported at tests/debug/fault.c:$wrap_line"
	"bt#3 [0-9A-F]+ in cell_boot at core/boot.c:$boot_line"
	"bt#4 [0-9A-F]+ in cell_main at core/boot.c:$main_line"
	"bt#5 [0-9A-F]+ in $main_fn at $main_file:[0-9]+"
	"bt#6 [0-9A-F]+ in _start at $entry:[0-9]+")
mapfile -t got < <(grep '^symbolize: ' "$work/stderr")
[ "${#got[@]}" = "${#expect[@]}" ] ||
	fail "${#got[@]} symbolized lines, expected ${#expect[@]}: $(cat "$work/stderr")"
for i in "${!expect[@]}"; do
	[[ "${got[$i]}" =~ ^symbolize:\ ${expect[$i]}$ ]] ||
		fail "line $((i + 1)): '${got[$i]}', expected /${expect[$i]}/"
done
# Each backtrace address is one the #X bt line printed, in its order.
raw=$(sed -n 's/^#X bt //p' "$work/stdout")
sym=$(grep -oE '^symbolize: bt#[0-9]+ [0-9A-F]+' "$work/stderr" | awk '{ print $3 }' | paste -sd' ')
[ "$raw" = "$sym" ] || fail "#X bt '$raw' but symbolized '$sym'"
echo "ok: fault $board"
