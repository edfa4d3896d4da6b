#!/usr/bin/env bash
# symbolize.sh ELF WORK -- tools/symbolize on hand-made console lines: a
# "#X" line's rip= and each "#X bt" address are named (cell_main's own
# address, read from the ELF's symbol table, and one past a return address
# inside it), other lines and other #X fields are not; bad invocations
# name the problem and exit non-zero.
set -euo pipefail
elf=$1 work=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
sym=$top/tools/symbolize/symbolize
fail() { echo "FAIL: symbolize: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"

start=$(nm "$elf" | awk '$3 == "cell_main" { print toupper($1) }')
[ -n "$start" ] || fail "no cell_main in $elf"
ret=$(printf '%016X' $((16#$start + 5)))	# a return address inside it
printf '%s\n' "#E0 boot" \
	"#X exception vector=14 (page fault) error=0 rip=$start cr2=$start rsp=0000000000000010" \
	"#X bt $ret 0000000000000008" "#X stage2: no long mode" >"$work/log"
"$sym" --elf "$elf" "$work/log" >"$work/out" 2>"$work/err" || fail "exited $?: $(cat "$work/err")"
[ ! -s "$work/err" ] || fail "wrote to stderr: $(cat "$work/err")"
grep -Eq "^symbolize: rip $start in cell_main at core/boot\.c:[0-9]+$" "$work/out" || fail "rip not named: $(cat "$work/out")"
grep -Eq "^symbolize: bt#1 $ret in cell_main at core/boot\.c:[0-9]+$" "$work/out" || fail "bt#1 not named: $(cat "$work/out")"
grep -Eq "^symbolize: bt#2 0000000000000008 not in .*'s code$" "$work/out" || fail "bt#2 not refused: $(cat "$work/out")"
[ "$(wc -l <"$work/out")" = 3 ] || fail "expected 3 lines (cr2, rsp and other lines are no code): $(cat "$work/out")"
# The same from standard input.
"$sym" --elf "$elf" <"$work/log" | cmp -s - "$work/out" || fail "stdin and LOG differ"

refuses() {	# WHAT MESSAGE-REGEX ARGS...
	local what=$1 msg=$2; shift 2
	if "$sym" "$@" </dev/null >"$work/r.out" 2>"$work/r.err"; then
		fail "$what: exit 0"
	fi
	grep -Eq "$msg" "$work/r.err" || fail "$what: message '$(cat "$work/r.err")', expected /$msg/"
}
refuses "no --elf" "no --elf given" "$work/log"
refuses "missing ELF" "$work/nosuch.elf: no such ELF" --elf "$work/nosuch.elf"
refuses "missing log" "$work/nosuch.log: no such log" --elf "$elf" "$work/nosuch.log"
refuses "unknown option" "unknown option '--bogus'" --elf "$elf" --bogus
"$sym" --help | grep -q '^usage: symbolize' || fail "--help"
echo "ok: symbolize"
