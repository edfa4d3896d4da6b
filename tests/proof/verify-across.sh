#!/usr/bin/env bash
# verify-across.sh VERIFY DIR LOG-A LOG-B LOG-C -- three real proof logs of
# different targets, made fixtures (verify-lib.sh): verify-proofs must give
# the same verdict whatever their order, require every proof line's fields,
# their order and their values to agree across the logs, and refuse a log
# given twice or a phenotype that two logs tell differently.
set -euo pipefail
verify=$1 dir=$2
. "$(dirname "$0")/verify-lib.sh"
mkdir -p "$dir"
A="$dir/a.log" B="$dir/b.log" C="$dir/c.log"
fixture "$3" "$A"
fixture "$4" "$B"
fixture "$5" "$C"
make_ledger "$dir/ledger" "$A" "$B" "$C"
accepted good "$A" "$B" "$C"
accepted good-ledger --ledger "$dir/ledger" "$A" "$B" "$C"
accepted good-reversed --ledger "$dir/ledger" "$C" "$B" "$A"
[ "$failures" = 0 ] || finish

# at LOG PATTERN: the number of LOG's first line matching PATTERN.
at() { line_of "$2" "$1"; }

## A log without the appended fields (E5 quanta, gas; E6 dropped): before,
## "N B C" passed and "C B N" failed, as only the first log's names counted.
N="$dir/no-extras.log"
sed -E 's/^(#E[56] [A-Z]+ proof: [a-z_0-9]+=[0-9A-F]{8} [a-z_0-9]+=[0-9A-F]{8}) .*/\1/' "$C" >"$N"
retag "$N"
same_verdict no-extras "$N" "$A" "$B"
same_verdict no-extras-last "$A" "$B" "$N"
refused no-extras-first "$N:$(at "$N" '^#E5 '): #E5 ORG proof has no field quanta=, which $A:$(at "$A" '^#E5 ') has" "$N" "$A" "$B"
refused no-extras-last "$N:$(at "$N" '^#E5 '): #E5 ORG proof has no field quanta=, which $A:$(at "$A" '^#E5 ') has" "$A" "$B" "$N"
refused no-extras-reversed "$N:$(at "$N" '^#E6 '): #E6 EVT proof has no field dropped=, which $B:$(at "$B" '^#E6 ') has" "$B" "$N" "$A"

## A field only one log has: the others are named.
X="$dir/extra.log"
sed -E 's/^(#E2 PARCEL proof: .*)$/\1 extra=00000001/' "$A" >"$X"
retag "$X"
same_verdict extra "$X" "$B" "$C"
refused extra "$B:$(at "$B" '^#E2 '): #E2 PARCEL proof has no field extra=, which $X:$(at "$X" '^#E2 ') has" "$X" "$B" "$C"
refused extra-reversed "$C:$(at "$C" '^#E2 '): #E2 PARCEL proof has no field extra=, which $X:$(at "$X" '^#E2 ') has" "$C" "$B" "$X"

## A value one log disagrees on (E10 retagged to match its E2..E9): every
## log is named, each against the first log that differs from it.
D="$dir/differs.log"
e5=$(at "$B" '^#E5 ')
mito=$(sed -E -n "${e5}s/.*mito=([0-9A-F]{8}).*/\\1/p" "$B")
other=$(printf '%08X' $(( 16#$mito ^ 0x10 )))
sed "${e5}s/mito=$mito/mito=$other/" "$B" >"$D"
retag "$D"
same_verdict differs "$A" "$D" "$C"
refused differs "$D:$e5: E5 mito=$other, but $A:$(at "$A" '^#E5 ') has $mito: the logs disagree" "$A" "$D" "$C"
refused differs-other "$C:$(at "$C" '^#E5 '): E5 mito=$mito, but $D:$e5 has $other: the logs disagree" "$A" "$D" "$C"
refused differs-reversed "$D:$e5: E5 mito=$other, but $C:$(at "$C" '^#E5 ') has $mito: the logs disagree" "$C" "$D" "$A"

## The same fields in another order.
O="$dir/order.log"
sed -E 's/^(#E5 ORG proof: mito=[0-9A-F]{8} golgi=[0-9A-F]{8}) (quanta=[0-9A-F]{8}) (gas=[0-9A-F]{8})$/\1 \3 \2/' "$C" >"$O"
retag "$O"
same_verdict field-order "$A" "$B" "$O"
refused field-order "$O:$(at "$O" '^#E5 '): #E5 ORG proof fields in the order mito golgi gas quanta, but $A:$(at "$A" '^#E5 ') has mito golgi quanta gas" "$A" "$B" "$O"
refused field-order-other "$A:$(at "$A" '^#E5 '): #E5 ORG proof fields in the order mito golgi quanta gas, but $O:$(at "$O" '^#E5 ') has mito golgi gas quanta" "$A" "$B" "$O"

## A log given twice: the same file (by any path) or the same bytes.
refused twice-same-path "$A: the same file as $A: a log given twice is not a second boot" "$A" "$A"
refused twice-other-path "$dir/./a.log: the same file as $A: a log given twice is not a second boot" "$A" "$dir/./a.log"
cp "$A" "$dir/copy.log"
refused twice-copy "$dir/copy.log: byte-identical to $A: a log given twice is not a second boot" "$A" "$B" "$dir/copy.log"
refused three-times "$A: the same file as $A: a log given twice is not a second boot" "$A" "$A" "$A"
same_verdict three-times "$A" "$dir/copy.log" "$A"
n=$("$verify" "$A" "$A" "$A" 2>&1 | grep -c 'a log given twice') || true
[ "$n" = 3 ] && echo "ok: three-times: 3 pairs named" ||
	{ echo "FAIL: three-times: $n pairs named, expected 3"; failures=$((failures + 1)); }

## One phenotype name with two hashes.
pa=$(at "$A" '^#I phenotype ') pb=$(at "$B" '^#I phenotype ')
name_a=$(sed -n "${pa}p" "$A" | cut -d' ' -f3) name_b=$(sed -n "${pb}p" "$B" | cut -d' ' -f3)
sha_a=$(sed -E -n "${pa}s/.* sha256=([0-9A-F]{64}).*/\\1/p" "$A")
sha_b=$(sed -E -n "${pb}s/.* sha256=([0-9A-F]{64}).*/\\1/p" "$B")
if [ "$name_a" != "$name_b" ] && [ "$sha_a" != "$sha_b" ]; then
	P="$dir/pheno.log"
	sed "${pb}s/^#I phenotype $name_b /#I phenotype $name_a /" "$B" >"$P"
	refused pheno-conflict "$P:$pb: phenotype $name_a sha256=$sha_b, but $A:$pa has phenotype $name_a sha256=$sha_a" "$A" "$P"
	same_verdict pheno-conflict "$A" "$P" "$C"
else
	echo "FAIL: logs A and B boot the same phenotype: give logs of different targets"
	failures=$((failures + 1))
fi

finish
