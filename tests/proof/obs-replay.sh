#!/usr/bin/env bash
# obs-replay.sh OBS-REPLAY LOG TRACE -- recompute E8 from LOG and check the
# Chrome trace against the Trace Event Format and the log (trace-check.py);
# --chrome-trace=FILE must write the same bytes as --chrome-trace FILE.
set -euo pipefail
replay=$1 log=$2 trace=$3
here=$(dirname "$0")
out=$("$replay" --quiet --chrome-trace "$trace" "$log")
grep -q '^# E8 recomputed: .*: matches the log$' <<<"$out" || { echo "FAIL: $out"; exit 1; }
"$here/trace-check.py" --proof "$trace" "$log"
"$replay" --quiet --chrome-trace="$trace.eq" "$log" >/dev/null
cmp "$trace" "$trace.eq" || { echo "FAIL: --chrome-trace=FILE differs from --chrome-trace FILE"; exit 1; }
rm -f "$trace.eq"
# A damaged log still gives a well-formed trace: cut in half (quanta and
# boot steps left open end with the log), and with every 7th #P line gone
# (quanta whose start or end is lost).
half=$(( $(wc -l <"$log") / 2 ))
head -n "$half" "$log" >"$trace.cut.log"
awk '/^#P / && ++n % 7 == 0 { next } { print }' "$log" >"$trace.holes.log"
for bad in "$trace.cut.log" "$trace.holes.log"; do
	"$replay" --quiet --chrome-trace "$bad.json" "$bad" >/dev/null 2>&1 || true
	"$here/trace-check.py" "$bad.json" "$bad" >/dev/null ||
		{ "$here/trace-check.py" "$bad.json" "$bad"; echo "FAIL: the trace of $bad"; exit 1; }
	rm -f "$bad" "$bad.json"
done
echo "ok: $out"
