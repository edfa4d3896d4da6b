#!/usr/bin/env bash
# run.sh CHECK WORK -- ./cellos run as an interactive command (issue 16.7):
#   stdout   ./cellos run hosted's stdout is exactly channel 0: byte for
#            byte what cellos-hosted prints run directly (the build's
#            output goes to stderr)
#   guard    ./cellos run x86 without --timeout starts QEMU with no guard
#            timeout (QEMU's parent is not timeout(1)); with --timeout 30
#            it is timeout(1) with 30 s
set -euo pipefail
check=$1 work=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
fail() { echo "FAIL: run $check: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"

case "$check" in
stdout)
	"$top/cellos" run hosted --fresh-disk -- --time=virtual >"$work/run.out" 2>"$work/run.err" ||
		fail "./cellos run hosted exited $?: $(tail -n 5 "$work/run.err")"
	"$top/build/out/cellos-hosted" --time=virtual --disk="$work/direct.img" >"$work/direct.out" ||
		fail "cellos-hosted exited $?"
	grep -q '^FULL PROOF SUCCESS$' "$work/direct.out" || fail "the direct run did not succeed"
	cmp "$work/run.out" "$work/direct.out" ||
		fail "stdout differs from a direct run: $(diff "$work/run.out" "$work/direct.out" | head -n 5)"
	grep -q 'building hosted' "$work/run.err" || fail "the build said nothing on stderr"
	;;
guard)
	# parent_of_qemu ARGS...: start ./cellos run x86 ARGS -- -S (a machine
	# that waits forever) in a session of its own, print the command line
	# of QEMU's parent, stop the session.
	# /proc, not procps (a minimal Debian has no pgrep or ps).
	field() {	# PID N: field N of /proc/PID/stat (3 is the state)
		local stat
		stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
		stat=${stat##*) }
		awk -v n="$(($2 - 2))" '{ print $n }' <<<"$stat"
	}
	cmdline() { tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline" | sed 's/ $//' || true; }
	session_pids() {
		local d
		for d in /proc/[0-9]*; do
			[ "$(field "${d#/proc/}" 6)" = "$1" ] && echo "${d#/proc/}"
		done
		return 0
	}
	parent_of_qemu() {
		setsid "$top/cellos" run x86 --fresh-disk "$@" -- -S </dev/null \
			>"$work/run.out" 2>"$work/run.err" &
		local sid=$! qemu="" i
		for _ in $(seq 1 100); do
			for p in $(session_pids "$sid"); do
				case "$(cmdline "$p")" in
				"qemu-system-x86_64 "*) qemu=$p ;;
				esac
			done
			[ -n "$qemu" ] && break
			sleep 0.2
		done
		local parent=""
		if [ -n "$qemu" ]; then
			parent=$(cmdline "$(field "$qemu" 4)")
		fi
		# shellcheck disable=SC2046
		kill -KILL $(session_pids "$sid") 2>/dev/null || true
		wait "$sid" 2>/dev/null || true
		[ -n "$qemu" ] || fail "QEMU did not start within 20 s: $(tail -n 5 "$work/run.err")"
		echo "$parent"
	}
	p=$(parent_of_qemu)
	[ -n "$p" ] || fail "QEMU's parent has no command line"
	case "$p" in
	timeout*) fail "without --timeout, QEMU still runs under a guard: '$p'" ;;
	esac
	p=$(parent_of_qemu --timeout 30)
	case "$p" in
	"timeout -k 5 30 qemu-system-x86_64 "*) ;;
	*) fail "with --timeout 30, QEMU's parent is '$p', expected timeout(1) with 30 s" ;;
	esac
	;;
*) fail "unknown check" ;;
esac
echo "ok: run $check"
