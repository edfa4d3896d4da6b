#!/usr/bin/env bash
# obs-replay.sh OBS-REPLAY LOG TRACE -- recompute E8 from LOG and check the
# Chrome trace's structure with jq.
set -euo pipefail
replay=$1 log=$2 trace=$3
out=$("$replay" --quiet --chrome-trace "$trace" "$log")
grep -q '^# E8 recomputed: .*: matches the log$' <<<"$out" || { echo "FAIL: $out"; exit 1; }
jq -e '
	(.traceEvents | type == "array" and length > 0) and
	all(.traceEvents[]; (.name | type == "string") and (.ph | IN("B", "E", "i"))
	    and (.ts | type == "number") and (.pid | type == "number")
	    and (.tid | type == "number")) and
	([.traceEvents[] | select(.ph == "B")] | length) ==
	([.traceEvents[] | select(.ph == "E")] | length) and
	any(.traceEvents[]; .cat == "irq")
' "$trace" >/dev/null || { echo "FAIL: $trace is not a well-formed Chrome trace"; exit 1; }
echo "ok: $out; $(jq '.traceEvents | length' "$trace") trace events"
