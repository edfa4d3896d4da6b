#!/usr/bin/env bash
# obs-replay.sh OBS-REPLAY LOG TRACE -- recompute E8 from LOG and check the
# Chrome trace against the Trace Event Format and the log (trace-check.py);
# --chrome-trace=FILE must write the same bytes as --chrome-trace FILE.
set -euo pipefail
replay=$1 log=$2 trace=$3
here=$(dirname "$0")
out=$("$replay" --quiet --chrome-trace "$trace" "$log")
grep -q '^# E8 recomputed: .*: matches the log$' <<<"$out" || { echo "FAIL: $out"; exit 1; }
"$here/trace-check.py" "$trace" "$log"
"$replay" --quiet --chrome-trace="$trace.eq" "$log" >/dev/null
cmp "$trace" "$trace.eq" || { echo "FAIL: --chrome-trace=FILE differs from --chrome-trace FILE"; exit 1; }
rm -f "$trace.eq"
echo "ok: $out"
