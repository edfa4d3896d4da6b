#!/usr/bin/env bash
# The ctest bench.quick: ./cellos bench runs (--quick: tiny counts, no QEMU,
# no fuzzers, nothing timed is checked) and what it writes is JSON with the
# figures issue 20 asks for; a second run prints the change; bad arguments
# and bad records are refused.
#   test-bench.sh HOSTED-TREE SCRATCH-DIR
set -euo pipefail
case "${1:-}" in -h|--help) sed -n '2,6p' "$0"; exit 0 ;; esac
[ $# -eq 2 ] || { echo "usage: test-bench.sh HOSTED-TREE SCRATCH-DIR" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tree=$1 out=$2
fail() { echo "test-bench: $*" >&2; exit 1; }
rm -rf "$out" && mkdir -p "$out"
run() { "$here/bench.sh" --quick --hosted-tree "$tree" --out "$out" --only inproc,vm,kv; }

run >"$out/first.txt" 2>"$out/first.err" || { cat "$out/first.err" >&2; fail "the bench failed"; }
python3 - "$out/results.json" <<'PY' || fail "results.json does not hold what it should"
import json, sys
doc = json.load(open(sys.argv[1]))          # strict JSON, or an exception
rows = {r["name"]: r for r in doc["results"]}
assert doc["quick"] is True, "quick not recorded"
need = ["in-process boots", "SHA-256 compressions per boot",
        "interrupt signals per boot", "Ed25519 verify",
        "bare signal round trip (tgkill, empty handler)",
        "SHA-256, 1048576 B messages, portable C", "KV puts, file disk"]
for n in need:
    assert n in rows, "no record " + n
steps = [r for r in doc["results"] if r["name"].startswith("boot step ")]
assert len(steps) >= 10, "%d boot steps" % len(steps)
# The whole boot's counts are the sum of its steps' (each counted by the
# step hook), and a proof boot hashes and takes interrupts.
total = rows["SHA-256 compressions per boot"]["value"]
assert total > 100 and abs(total - sum(s["compressions_per_boot"] for s in steps)) < 0.5, \
    "compressions %s against the steps' %s" % (total, [s["compressions_per_boot"] for s in steps])
sig = rows["interrupt signals per boot"]["value"]
assert sig > 0 and abs(sig - sum(s["signals_per_boot"] for s in steps)) < 0.5, "signals"
for r in doc["results"]:
    if "ratio" in r and r["ratio"] is not None:
        assert isinstance(r["ratio"], (int, float)), r["name"]
PY
grep -q 'change' "$out/first.txt" || fail "no table"
! grep -q '% ratio\|% value' "$out/first.txt" || fail "a change printed with no previous results"
run >"$out/second.txt" 2>"$out/second.err" || { cat "$out/second.err" >&2; fail "the second run failed"; }
grep -q '^in-process boots .*% ratio' "$out/second.txt" || fail "the second run prints no change against the first"

# Refusals, each with a message and a non-zero status.
for args in "--bogus" "--only nosuch" "--out"; do
	# shellcheck disable=SC2086
	if "$here/bench.sh" $args >/dev/null 2>"$out/err"; then fail "bench.sh $args was accepted"; fi
	[ -s "$out/err" ] || fail "bench.sh $args said nothing"
done
if "$tree/bin/bench" nosuch >/dev/null 2>&1; then fail "bench nosuch was accepted"; fi
printf '{"name": "a", "value": 1}\n{"name": "b", "value": .5}\n' >"$out/bad.jsonl"
if python3 "$here/results.py" "$out/bad.jsonl" "$out/bad.json" 2>"$out/err"; then fail "a bad record was accepted"; fi
grep -q 'bad.jsonl:2:' "$out/err" || fail "the bad record is not named by line: $(cat "$out/err")"
[ ! -e "$out/bad.json" ] || fail "a refused run wrote its output"
echo "test-bench: ok"
