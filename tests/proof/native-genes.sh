#!/usr/bin/env bash
# native-genes.sh COMPILER CODE_DIR YAML HOSTED WORKDIR -- the bytecode genes
# do what their native twins do: boot the same phenotype twice, once with
# every gene as bytecode (the proof's way) and once compiled with
# --native-genes, and require the same console lines from the genes, the
# same Golgi verdicts and dead map (E5 golgi) and the same number of quanta.
# Only E5 mito may differ: it books the gas the bytecode spent.
set -euo pipefail
compiler=$1 code_dir=$2 yaml=$3 hosted=$4 work=$5
fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir -p "$work"
"$compiler" --code-dir "$code_dir" -o "$work/bytecode.pbin" "$yaml"
"$compiler" --native-genes -o "$work/native.pbin" "$yaml"
# The bytecode phenotype is the one the ledger covers: a full proof. The
# native one is not in the ledger: everything runs, the verdict is
# PROOF UNCHECKED and the exit status 2.
"$hosted" --phenotype "$work/bytecode.pbin" >"$work/bytecode.log" ||
	fail "bytecode boot: exit status $?"
[ "$(tail -n 1 "$work/bytecode.log")" = "FULL PROOF SUCCESS" ] ||
	fail "bytecode boot: $(tail -n 1 "$work/bytecode.log")"
status=0
"$hosted" --phenotype "$work/native.pbin" >"$work/native.log" || status=$?
[ "$status" = 2 ] || fail "native boot: exit status $status, expected 2 (PROOF UNCHECKED)"
tail -n 1 "$work/native.log" | grep -Eqx 'PROOF UNCHECKED: no ledger for phenotype [0-9A-F]{16}' ||
	fail "native boot: the verdict is not PROOF UNCHECKED: $(tail -n 1 "$work/native.log")"
sha=$(sha256sum "$work/native.pbin" | cut -c1-16 | tr a-f A-F)
grep -q "PROOF UNCHECKED: no ledger for phenotype $sha" "$work/native.log" ||
	fail "native boot: the verdict does not name the phenotype's SHA-256 ($sha)"

grep -q '^#I vm: 7 of 7 genes run bytecode' "$work/bytecode.log" ||
	fail "the bytecode boot does not run its 7 genes as bytecode"
grep -q '^#I vm: 0 of 7 genes run bytecode' "$work/native.log" ||
	fail "the native boot runs bytecode"

grep '^#G ' "$work/bytecode.log" >"$work/bytecode.genes"
grep '^#G ' "$work/native.log" >"$work/native.genes"
[ -s "$work/native.genes" ] || fail "the native genes printed nothing"
diff -u "$work/native.genes" "$work/bytecode.genes" >&2 ||
	fail "the genes' console lines differ (native -, bytecode +)"

field() { sed -nE "s/^#E5 ORG proof: .*$1=([0-9A-F]{8}).*/\1/p" "$2"; }
for f in golgi quanta; do
	n=$(field "$f" "$work/native.log") b=$(field "$f" "$work/bytecode.log")
	[ -n "$n" ] || fail "no E5 $f in the native log"
	[ "$n" = "$b" ] || fail "E5 $f: native $n, bytecode $b"
done
[ "$(field mito "$work/native.log")" != "$(field mito "$work/bytecode.log")" ] ||
	fail "E5 mito is the same: the bytecode's gas was not booked"
echo "ok: $(wc -l <"$work/native.genes") gene lines, E5 golgi and quanta agree"
