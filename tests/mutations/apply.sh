#!/usr/bin/env bash
# apply.sh SOURCE-DIR: every planted bug of tests/mutations/ still applies
# to the tree (git apply --check, nothing written). run.sh plants them one
# by one before a release; this cheap check, in ./cellos test, says at once
# when a change to the code (a reformat, a moved line) has left a patch
# behind: regenerate them with tests/mutations/make-patches.py.
set -euo pipefail
src=$1
n=0 bad=0
for p in "$src"/tests/mutations/*.patch; do
	n=$((n + 1))
	if ! git -C "$src" apply --check "$p" 2>/dev/null; then
		echo "FAIL: $(basename "$p") does not apply to the tree (rerun tests/mutations/make-patches.py)"
		bad=$((bad + 1))
	fi
done
[ "$n" -gt 0 ] || { echo "FAIL: no patch in $src/tests/mutations"; exit 1; }
echo "$((n - bad)) of $n mutation patches apply"
[ "$bad" = 0 ]
