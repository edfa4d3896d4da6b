#!/usr/bin/env bash
# verify-ledger.sh VERIFY DIR LOG-A LOG-B LOG-C -- the ledger side of
# verify-proofs, with three real proof logs of different targets made
# fixtures (verify-lib.sh): the ledger read strictly (each malformed line
# named with file and line), the logs' phenotypes held against it, values
# missing on either side, --update-ledger (its output compared with a ledger
# written here), and the command line.
set -euo pipefail
verify=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") dir=$2
. "$(dirname "$0")/verify-lib.sh"
mkdir -p "$dir"
A="$dir/a.log" B="$dir/b.log" C="$dir/c.log"
fixture "$3" "$A"
fixture "$4" "$B"
fixture "$5" "$C"
L="$dir/ledger"
make_ledger "$L" "$A" "$B" "$C"
accepted good --ledger "$L" "$A" "$B" "$C"
[ "$failures" = 0 ] || finish

# lmk NAME CMD...: $dir/NAME.ledger is CMD's output on the good ledger.
lmk() {
	local name=$1
	shift
	"$@" <"$L" >"$dir/$name.ledger"
}
# lcheck NAME MESSAGE: the logs are refused against NAME.ledger, with
# MESSAGE (the ledger's path prefixed).
lcheck() {
	refused "$1" "$dir/$1.ledger$2" --ledger "$dir/$1.ledger" "$A" "$B" "$C"
}
lnum() { line_of "$1" "$L"; }
frames=$(lnum '^E2 frames=')
p1=$(lnum '^phenotype ')
sha1=$(sed -n "${p1}p" "$L" | sed -E 's/.*sha256=//')
name1=$(sed -n "${p1}p" "$L" | cut -d' ' -f2)
last=$(wc -l <"$L")

## Lines that are not the ledger's.
lmk value-lower sed -E "${frames}s/=([0-9A-F]{7})[0-9A-F]/=\\1a/"
lcheck value-lower ":$frames: E2 frames= is not 8 upper-case hex digits"
lmk value-width sed -E "${frames}s/=[0-9A-F]/=/"
lcheck value-width ":$frames: expected \"E2 name=XXXXXXXX\" (name: a-z 0-9 _, at most 15; 8 upper-case hex digits, nothing after)"
lmk value-space sed "${frames}s/\$/ /"
lcheck value-space ":$frames: expected \"E2 name=XXXXXXXX\" (name: a-z 0-9 _, at most 15; 8 upper-case hex digits, nothing after)"
lmk value-tag sed '$a E4 x=00000000'
lcheck value-tag ":$((last + 1)): expected \"E<n> name=XXXXXXXX\" (E2, E3, E5 .. E10) or \"phenotype NAME sha256=<64 HEX>\", found \"E4\""
lmk junk sed '$a hello'
lcheck junk ":$((last + 1)): expected \"E<n> name=XXXXXXXX\" (E2, E3, E5 .. E10) or \"phenotype NAME sha256=<64 HEX>\", found \"hello\""
lmk value-twice sed "${frames}p"
lcheck value-twice ":$((frames + 1)): E2 frames is listed twice (first at line $frames)"
lmk crlf sed 's/$/\r/'
lcheck crlf ":$frames: a CR byte at column 19"
lmk nul sed "${frames}s/=/=\\x00/"
lcheck nul ":$frames: a NUL byte at column 11"
lmk pheno-lower sed -E "${p1}s/sha256=([0-9A-F]{63})[0-9A-F]/sha256=\\1a/"
lcheck pheno-lower ":$p1: phenotype $name1: sha256= is not 64 upper-case hex digits (column $(( ${#name1} + 18 + 64 )))"
lmk pheno-short sed -E "${p1}s/sha256=[0-9A-F]/sha256=/"
lcheck pheno-short ":$p1: expected \"phenotype NAME sha256=<64 upper-case hex digits>\" (NAME: A-Z a-z 0-9 . _ -, at most 63)"
lmk pheno-name sed -E "${p1}s/^phenotype [^ ]+ /phenotype bad\/name /"
lcheck pheno-name ":$p1: expected \"phenotype NAME sha256=<64 upper-case hex digits>\" (NAME: A-Z a-z 0-9 . _ -, at most 63)"
lmk pheno-twice sed "${p1}p"
lcheck pheno-twice ":$((p1 + 1)): phenotype $name1 is listed twice (first at line $p1)"
lmk pheno-same-sha sed "${p1}p" 
sed -i "$((p1 + 1))s/^phenotype $name1 /phenotype renamed /" "$dir/pheno-same-sha.ledger"
lcheck pheno-same-sha ":$((p1 + 1)): phenotype renamed has the sha256 of phenotype $name1 (line $p1): one phenotype listed twice"
lmk pheno-none grep -v '^phenotype '
lcheck pheno-none ": lists no phenotype (a line \"phenotype NAME sha256=<64 HEX>\" for each phenotype whose boots its values are)"
refused pheno-none-log "$A:$(line_of '^#I phenotype ' "$A"): phenotype $(sed -n -E 's/^#I phenotype ([^ ]+) .*/\1/p' "$A") sha256=$(sed -n -E 's/^#I phenotype .* sha256=([0-9A-F]{64}).*/\1/p' "$A") is not in the ledger $dir/pheno-none.ledger: these values are not evidence for it" --ledger "$dir/pheno-none.ledger" "$A"
refused no-ledger "$dir/missing.ledger: No such file or directory" --ledger "$dir/missing.ledger" "$A"

## Comments, blank lines, a missing final LF: a ledger may have them.
lmk comments sed -e '1a # a comment' -e '1G'
accepted comments --ledger "$dir/comments.ledger" "$A" "$B" "$C"
head -c -1 "$L" >"$dir/nolf.ledger"
accepted nolf --ledger "$dir/nolf.ledger" "$A" "$B" "$C"

## Phenotypes: listed under their own name.
lmk pheno-renamed sed "${p1}s/^phenotype $name1 /phenotype renamed /"
for log in "$A" "$B" "$C"; do
	pl=$(line_of '^#I phenotype ' "$log")
	if grep -q " sha256=$sha1:" <<<"$(sed -n "${pl}p" "$log")"; then
		refused pheno-renamed "$log:$pl: phenotype $name1 has the sha256 that the ledger ($dir/pheno-renamed.ledger:$p1) lists for renamed" --ledger "$dir/pheno-renamed.ledger" "$A" "$B" "$C"
	fi
done
accepted one-of-three --ledger "$L" "$B"

## Values on one side only.
gas=$(lnum '^E5 gas=')
e5a=$(line_of '^#E5 ' "$A")
lmk value-missing sed "${gas}d"
refused value-missing "$A:$e5a: E5 gas=$(sed -n "${gas}p" "$L" | sed 's/.*=//') is not in the ledger $dir/value-missing.ledger" --ledger "$dir/value-missing.ledger" "$A" "$B" "$C"
lmk value-extra sed "${gas}a E5 extra=00000001"
refused value-extra "$A:$e5a: #E5 ORG proof has no field extra=, which the ledger ($dir/value-extra.ledger:$((gas + 1))) lists" --ledger "$dir/value-extra.ledger" "$A" "$B" "$C"

## --update-ledger: the old header kept, one phenotype line per phenotype
## in name order, the values; written only when every other check passes.
U="$dir/update.ledger"
printf '# my header\n# second line\nE2 frames=DEADBEEF\n' >"$U"
LEDGER_HEADER=$'# my header\n# second line\n' make_ledger "$dir/update.want" "$A" "$B" "$C"
out=$("$verify" --ledger "$U" --update-ledger "$B" "$A" "$C") ||
	{ echo "FAIL: update: status $?"; failures=$((failures + 1)); }
if cmp -s "$U" "$dir/update.want"; then
	echo "ok: update: the ledger is the one written here ($(head -n 1 <<<"$out"))"
else
	echo "FAIL: update: the rewritten ledger differs:"; diff "$dir/update.want" "$U" || true
	failures=$((failures + 1))
fi
accepted update-verifies --ledger "$U" "$A" "$B" "$C"
rm -f "$dir/new.ledger"
"$verify" --ledger="$dir/new.ledger" --update-ledger "$A" >/dev/null ||
	{ echo "FAIL: update-new: status $?"; failures=$((failures + 1)); }
if head -n 1 "$dir/new.ledger" | grep -qx '# The golden proof ledger: the E2..E10 values every target must print,'; then
	echo "ok: update-new: a new ledger gets the default header"
else
	echo "FAIL: update-new: $(head -n 1 "$dir/new.ledger")"; failures=$((failures + 1))
fi
accepted update-new-verifies --ledger "$dir/new.ledger" "$A"
cp "$U" "$dir/update.before"
sed '$i #W late warning' "$B" >"$dir/warned.log"
refused update-refused "verify-proofs: 1 problem(s); the ledger was not rewritten" --ledger "$U" --update-ledger "$A" "$dir/warned.log"
if cmp -s "$U" "$dir/update.before" && ! ls "$dir" | grep -q '\.tmp\.'; then
	echo "ok: update-refused: the ledger is unchanged, no temporary left"
else
	echo "FAIL: update-refused: the ledger changed or a temporary was left"
	failures=$((failures + 1))
fi

## The command line.
help=$("$verify" --help) && [[ "$help" == "usage: verify-proofs "* ]] &&
	echo "ok: --help: exit 0, usage on stdout" ||
	{ echo "FAIL: --help"; failures=$((failures + 1)); }
help=$("$verify" -h) && [[ "$help" == "usage: verify-proofs "* ]] &&
	echo "ok: -h: exit 0, usage on stdout" ||
	{ echo "FAIL: -h"; failures=$((failures + 1)); }
exits unknown-option 2 "verify-proofs: unknown option '--bogus'" --bogus "$A"
exits unknown-short 2 "verify-proofs: unknown option '-x'" "$A" -x
exits ledger-no-file 2 "verify-proofs: --ledger needs a FILE" "$A" --ledger
exits ledger-empty 2 "verify-proofs: --ledger needs a FILE" --ledger= "$A"
exits no-log 2 "verify-proofs: no LOG given" --ledger "$L"
exits update-no-ledger 2 "verify-proofs: --update-ledger needs --ledger FILE" --update-ledger "$A"
many=(); for i in $(seq 17); do many+=("$A"); done
exits too-many 2 "verify-proofs: at most 16 logs" "${many[@]}"
accepted ledger-equals "--ledger=$L" "$A" "$B" "$C"
accepted ledger-space --ledger "$L" "$A" "$B" "$C"
accepted ledger-after "$A" "$B" "$C" --ledger "$L"
cp "$A" "$dir/-dash.log"
accepted double-dash --ledger "$L" -- "$dir/-dash.log"
(cd "$dir" && "$verify" -- -dash.log >/dev/null 2>&1) &&
	echo "ok: double-dash-relative: -- makes -dash.log a log" ||
	{ echo "FAIL: double-dash-relative"; failures=$((failures + 1)); }

finish
