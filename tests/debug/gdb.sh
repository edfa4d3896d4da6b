#!/usr/bin/env bash
# gdb.sh TARGET WORK -- ./cellos debug TARGET --batch (x86, arm64, hosted)
# stops in cell_boot at the line of its first statement in core/boot.c,
# `info line` names core/boot.c, and the backtrace runs through cell_main
# to the arch entry (the boot flow of docs/ARCHITECTURE: _start -> arch
# main -> cell_main -> cell_boot; hosted: main). Where the breakpoint must
# be is read from the source, not from gdb.
set -euo pipefail
target=$1 work=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
fail() { echo "FAIL: debug $target: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"

case "$target" in
x86) entry_file=arch/bios-x86_64/entry.S main_fn=x86_main main_file=arch/bios-x86_64/x86_main.c ;;
arm64) entry_file=arch/virt-arm64/start.S main_fn=arm64_main main_file=arch/virt-arm64/arm64_main.c ;;
hosted) entry_file="" main_fn=main main_file=arch/hosted/main.c ;;
*) fail "unknown target" ;;
esac
board_args=()
[ "$target" = hosted ] || board_args=(--timeout 30 --disk "$work/disk.img"
	--console "$work/console.log")

set +e
"$top/cellos" debug "$target" --no-build --batch "${board_args[@]}" -- \
	-ex 'info line' -ex bt >"$work/gdb.out" 2>"$work/gdb.err"
status=$?
set -e
cat "$work/gdb.out"
[ "$status" = 0 ] || fail "./cellos debug exited $status: $(tail -n 5 "$work/gdb.err")"

# cell_boot's first statement: the first line after its opening brace
# that is neither a declaration nor blank.
def=$(grep -n '^cell_boot(' "$top/core/boot.c" | cut -d: -f1)
[ -n "$def" ] || fail "no cell_boot definition in core/boot.c"
first=$(awk -v d="$def" 'NR > d + 1 && $0 !~ /^\t(const |struct |int |char |unsigned )/ && $0 !~ /^[[:space:]]*$/ { print NR; exit }' "$top/core/boot.c")

# hosted (-O2): the stop may be in a function inlined there, still in
# core/boot.c; the boards (-Os) stop at the line itself.
if [ "$target" = hosted ]; then
	first='[0-9]+'
fi
grep -Eq "^Breakpoint 1, cell_boot \(.*\) at (\./)?core/boot\.c:$first\$" "$work/gdb.out" ||
	fail "did not stop in cell_boot at core/boot.c:$first"
grep -Eq "^Line $first of \"(\./)?core/boot\.c\"" "$work/gdb.out" ||
	fail "info line does not name core/boot.c:$first"
# The backtrace, frame by frame.
bt=$(grep -E '^#[0-9]+ ' "$work/gdb.out")
want=("cell_boot .* at (\./)?core/boot\.c:$first\$" "in cell_main .* at (\./)?core/boot\.c:[0-9]+\$"
	"in $main_fn .* at (\./)?$main_file:[0-9]+\$")
[ -z "$entry_file" ] || want+=("in _start \(\) at (\./)?$entry_file:[0-9]+\$")
n=0
for w in "${want[@]}"; do
	frame=$(sed -n "$((n + 1))p" <<<"$bt")
	if [ "$target" = hosted ] && [ "$n" = 1 ]; then
		# hosted: main boots through hosted_boot_once (power.c), which may
		# come between cell_boot and main instead of cell_main.
		frame=$(grep -E " in $main_fn " <<<"$bt" || true)
		grep -Eq " in $main_fn .* at (\./)?$main_file:[0-9]+\$" <<<"$frame" ||
			fail "the backtrace does not reach $main_fn in $main_file"
		break
	fi
	grep -Eq "^#$n +(0x[0-9a-f]+ )?$w" <<<"$frame" ||
		fail "frame #$n is '$frame', expected /$w/"
	n=$((n + 1))
done
if [ -n "$entry_file" ]; then
	[ "$(wc -l <<<"$bt")" = 4 ] || fail "the backtrace goes past _start: $bt"
	# gdb's kill ended QEMU (QEMU says so), with the kernel still stopped
	# in cell_boot: it never reached its verdict.
	grep -q 'Terminated via GDBstub' "$work/console.log" ||
		fail "QEMU was not ended by gdb's kill: $(tail -n 3 "$work/console.log")"
	grep -q '^FULL PROOF SUCCESS' "$work/console.log" &&
		fail "the kernel ran on after the breakpoint"
	# /proc, not procps (a minimal Debian has no pgrep).
	for d in /proc/[0-9]*; do
		if tr '\0' ' ' 2>/dev/null <"$d/cmdline" | grep -qF -- "$work/disk.img"; then
			fail "QEMU still runs after gdb exited: $(tr '\0' ' ' <"$d/cmdline")"
		fi
	done
fi
echo "ok: debug $target"
