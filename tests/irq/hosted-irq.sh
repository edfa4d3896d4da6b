#!/usr/bin/env bash
# hosted-irq.sh HOSTED WORK-DIR CHECK -- interrupts on the hosted target.
#   time     --time=real gives the same E2..E10 as --time=virtual
#   replay   a recorded real-time run (with external interrupts) replays to
#            the same channel-0 output, byte for byte
#   kill     kill -USR1/-USR2 on a running kernel shows up as event lines
set -euo pipefail
hosted=$1 work=$2 check=$3
mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }
proof_lines() { grep -E '^#E([2-9]|10) |^FULL PROOF SUCCESS$' "$1"; }

# Start the kernel in the background, wait for its "#V serving" line, then
# send it signals; it exits by itself after --run-for.
serve_with_signals() {
	local out=$1; shift
	"$hosted" --time=real --run-for=2 "$@" >"$out" &
	local pid=$!
	for _ in $(seq 100); do
		grep -q '^#V serving' "$out" 2>/dev/null && break
		sleep 0.05
	done
	grep -q '^#V serving' "$out" || { kill "$pid" 2>/dev/null; fail "the kernel never started serving"; }
	kill -USR1 "$pid"; sleep 0.2
	kill -USR2 "$pid"; sleep 0.2
	kill -USR1 "$pid"
	wait "$pid" || fail "the kernel exited with status $?"
}

case "$check" in
time)
	"$hosted" --time=virtual >"$work/virtual.log" || fail "virtual: status $?"
	"$hosted" --time=real >"$work/real.log" || fail "real: status $?"
	diff <(proof_lines "$work/virtual.log") <(proof_lines "$work/real.log") ||
		fail "E2..E10 differ between --time=virtual and --time=real"
	echo "ok: $(grep '^#E6' "$work/real.log") in both time modes"
	;;
replay)
	serve_with_signals "$work/recorded.log" --irq-record="$work/irq.rec"
	"$hosted" --time=real --run-for=2 --irq-replay="$work/irq.rec" >"$work/replayed.log" ||
		fail "replay: status $?"
	cmp "$work/recorded.log" "$work/replayed.log" || {
		diff "$work/recorded.log" "$work/replayed.log" | head -20; fail "the replay differs"; }
	n=$(($(wc -l <"$work/irq.rec") - 1))
	echo "ok: $n recorded interrupts replayed to $(wc -c <"$work/replayed.log") identical bytes"
	;;
kill)
	serve_with_signals "$work/kill.log"
	ext0=$(grep -c '^#V event .* src=EXT0 ' "$work/kill.log" || true)
	ext1=$(grep -c '^#V event .* src=EXT1 ' "$work/kill.log" || true)
	[ "$ext0" = 2 ] && [ "$ext1" = 1 ] ||
		fail "expected 2 EXT0 and 1 EXT1 event lines, got $ext0 and $ext1"
	grep -q '^#V served 200 ticks: raised=3 delivered=3 dropped=0$' "$work/kill.log" ||
		fail "the summary line is wrong: $(grep '^#V served' "$work/kill.log")"
	echo "ok: $(grep -c '^#V event' "$work/kill.log") event lines for 3 signals"
	;;
esac
