#!/usr/bin/env bash
# verify-rejects.sh VERIFY LEDGER GOOD-LOG DIR -- damage a good log in each
# way the contract cares about and require verify-proofs to refuse it with
# a message that names the problem and the line.
set -euo pipefail
verify=$1 ledger=$2 good=$3 dir=$4
mkdir -p "$dir"
failures=0

expect_refusal() {
	local name=$1 pattern=$2 log="$dir/$1.log"
	if out=$("$verify" --ledger "$ledger" "$log" 2>&1); then
		echo "FAIL: $name: verify-proofs accepted it"; failures=$((failures + 1)); return
	fi
	if ! grep -qE "$pattern" <<<"$out"; then
		echo "FAIL: $name: expected /$pattern/ in:"; echo "$out"
		failures=$((failures + 1)); return
	fi
	echo "ok: $name: $(grep -E "$pattern" <<<"$out" | head -n 1)"
}

"$verify" --ledger "$ledger" "$good" >/dev/null || { echo "FAIL: the good log is refused"; exit 1; }

# One changed digit in E5 mito: differs from the ledger, and E10 no longer
# matches E2..E9.
line=$(grep -n '^#E5 ' "$good" | cut -d: -f1)
awk -v n="$line" 'NR == n { d = substr($0, index($0, "mito=") + 5, 1);
	r = (d == "0") ? "1" : "0"; sub("mito=" d, "mito=" r) } { print }' "$good" >"$dir/digit.log"
expect_refusal digit "digit.log:$line: E5 mito=.* differs from the ledger"
expect_refusal digit "digit.log:[0-9]+: E10 tag=.* is not the hash of this log's E2..E9"

# A missing line.
grep -v '^#E6 ' "$good" >"$dir/missing.log"
expect_refusal missing "missing.log: the #E6 EVT proof line is missing"

# Lines out of order: E9 before E8.
awk '/^#E8 /{held=$0; next} /^#E9 /{print; print held; next} {print}' "$good" >"$dir/order.log"
expect_refusal order "order.log:[0-9]+: #E8 OBS proof line is out of order"

# A PROOF FAILURE line.
sed 's/^#E7 .*/PROOF FAILURE: E7 injected/' "$good" >"$dir/failure.log"
expect_refusal failure "failure.log:[0-9]+: the boot reports a PROOF FAILURE"

# A #P record changed: E8 no longer recomputes.
awk 'done == 0 && /^#P / { c = substr($0, length($0), 1);
	$0 = substr($0, 1, length($0) - 1) (c == "0" ? "1" : "0"); done = 1 } { print }' "$good" >"$dir/obs.log"
expect_refusal obs "obs.log:[0-9]+: E8 is not recomputable from the log"

# Something after FULL PROOF SUCCESS.
{ cat "$good"; echo "#Z trailing line"; } >"$dir/trailing.log"
expect_refusal trailing "trailing.log:[0-9]+: FULL PROOF SUCCESS is not the last line"

[ "$failures" = 0 ] || { echo "$failures check(s) failed"; exit 1; }
