#!/usr/bin/env bash
# cli.sh SRC BIN HOSTED WORK: every tool and every ./cellos command
#   - cellos-hosted's --ram suffixes and the bounds of its numbers;
#   - -h and --help exit 0 and print a usage line on stdout;
#   - an unknown option (and a typo of a real one) exits non-zero with a
#     message on stderr that names it;
#   - for one option of each tool that takes a value, --opt=value does
#     exactly what --opt value does (same status, stdout, stderr, output).
# BIN is the hosted build's bin/ (the host tools), HOSTED cellos-hosted.
set -uo pipefail
src=$1 bin=$2 hosted=$3 work=$4
rm -rf "$work" && mkdir -p "$work"
fails=0 checks=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# run NAME CMD...: status in $st, stdout in $work/out, stderr in $work/err
run() { "$@" >"$work/out" 2>"$work/err" </dev/null; st=$?; }

check_help() {	# check_help NAME CMD...
	local name=$1; shift
	local h
	for h in -h --help; do
		checks=$((checks + 1))
		run "$@" "$h"
		if [ "$st" != 0 ]; then
			fail "$name $h exits $st"
		elif ! grep -qi '^ *usage' "$work/out"; then
			fail "$name $h prints no usage line on stdout"
		fi
	done
}

check_unknown() {	# check_unknown NAME OPTION CMD...
	local name=$1 opt=$2; shift 2
	checks=$((checks + 1))
	run "$@" "$opt"
	if [ "$st" = 0 ]; then
		fail "$name $opt exits 0"
	elif ! grep -qF -- "$opt" "$work/err"; then
		fail "$name $opt: the message does not name it: $(head -c 200 "$work/err")"
	fi
}

# check_equals NAME OUTFILE-OR-- OPT VALUE CMD-BEFORE... -- CMD-AFTER...
# runs CMD-BEFORE OPT=VALUE CMD-AFTER and CMD-BEFORE OPT VALUE CMD-AFTER.
check_equals() {
	local name=$1 outfile=$2 opt=$3 value=$4; shift 4
	local before=() after=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do before+=("$1"); shift; done
	shift; after=("$@")
	checks=$((checks + 1))
	run "${before[@]}" "$opt=$value" "${after[@]}"
	local st1=$st
	cp "$work/out" "$work/out.1"; cp "$work/err" "$work/err.1"
	if [ "$outfile" != - ]; then
		if [ -f "$outfile" ]; then mv "$outfile" "$work/file.1"; else rm -f "$work/file.1"; fi
	fi
	run "${before[@]}" "$opt" "$value" "${after[@]}"
	if [ "$st" != "$st1" ]; then
		fail "$name: $opt=$value exits $st1, $opt $value exits $st"
	elif ! cmp -s "$work/out" "$work/out.1" || ! cmp -s "$work/err" "$work/err.1"; then
		fail "$name: $opt=$value and $opt $value print different things"
	elif [ "$outfile" != - ] && ! cmp -s "$outfile" "$work/file.1"; then
		fail "$name: $opt=$value and $opt $value write different files"
	fi
}

# ---- the tools ----
missing="$work/no-such-file"
for t in verify-proofs obs-replay pbin-dump disk-pack esp-pack phenotype-compile cellos-sign; do
	check_help "$t" "$bin/$t"
	check_unknown "$t" --bogus-option "$bin/$t"
	check_unknown "$t" -Z "$bin/$t"
done
check_help cellos-hosted "$hosted"
check_unknown cellos-hosted --bogus-option "$hosted"
check_unknown cellos-hosted --disk-fial=1 "$hosted"
check_unknown verify-proofs --ledgr "$bin/verify-proofs"
check_unknown obs-replay --chrome-trac "$bin/obs-replay"
check_unknown esp-pack --kernal "$bin/esp-pack"

# A small log with one OBS mark and an E8 line, for obs-replay.
printf '%s\n' '#E0 hosted start' \
	'#P 0000000002000000000000001200000001010a000000000045322070617263656c73' \
	'#E8 OBS proof: entries=00000001 obs_hash=00000000' >"$work/tiny.log"
check_equals obs-replay "$work/trace.json" --chrome-trace "$work/trace.json" \
	"$bin/obs-replay" --quiet -- "$work/tiny.log"
[ -s "$work/trace.json" ] || fail "obs-replay --chrome-trace wrote nothing"
check_equals verify-proofs - --ledger "$missing" "$bin/verify-proofs" -- "$work/tiny.log"
check_equals disk-pack - --stage1 "$missing" "$bin/disk-pack" -- \
	--stage2 "$missing" --kernel "$missing" -o "$work/disk.img"
check_equals esp-pack - --loader "$missing" "$bin/esp-pack" -- \
	--kernel "$missing" --epoch 0 -o "$work/esp.img"
check_equals phenotype-compile - --schema "$missing" "$bin/phenotype-compile" -- \
	-o "$work/x.pbin" "$src/phenotypes/hosted.linux.yaml"
check_equals cellos-hosted - --time bogus "$hosted" --
check_equals cellos-hosted - --ram 3K "$hosted" --
# pbin-dump takes no option with a value.

# cellos-hosted's numbers: each suffix means its power of 1024 (256 MiB
# written three ways boots the same bytes), and what is out of range is
# refused with status 4 and a message naming the value. 4194304G is 2^32
# MiB: one more than the 32-bit MiB count the machine reports.
run "$hosted" --ram=256M; cp "$work/out" "$work/ram.256M"
for ram in 262144K 262144k 256m; do
	checks=$((checks + 1))
	run "$hosted" --ram="$ram"
	[ "$st" = 0 ] && cmp -s "$work/out" "$work/ram.256M" ||
		fail "cellos-hosted --ram=$ram: status $st, or not what --ram=256M prints"
done
for bad in --ram=0 --ram=1025K --ram=1T --ram=12 --ram=4194304G --ram=M \
	--run-for=0 --run-for=86401 --boots=0 --boots=1000001; do
	checks=$((checks + 1))
	run "$hosted" "$bad"
	[ "$st" = 4 ] && grep -qF -- "$bad" "$work/err" ||
		fail "cellos-hosted $bad: status $st, expected 4 and a message naming it: $(head -c 200 "$work/err")"
done
checks=$((checks + 1))
run "$hosted" --ram=4194303G
[ "$st" = 0 ] || fail "cellos-hosted --ram=4194303G (the largest): status $st"

# ---- ./cellos ----
cellos="$src/cellos"
check_help cellos "$cellos"
check_unknown cellos no-such-command "$cellos"
check_unknown "cellos help" --bogus-option "$cellos" help
for c in deps build proof test run verify fuzz release bench size config; do
	check_help "cellos $c" "$cellos" "$c"
done
for c in deps build proof test verify fuzz size config; do
	check_unknown "cellos $c" --bogus-option "$cellos" "$c"
done
check_unknown "cellos deps" --chek "$cellos" deps
check_unknown "cellos run" --bogus-option "$cellos" run hosted
check_unknown "cellos release" --bogus-option "$cellos" release
check_unknown "cellos test" --tests-regexp "$cellos" test
check_unknown "cellos size" --tpo "$cellos" size
# bench's own options are tools/bench/bench.sh's (not checked here).
if [ -d "$src/build/hosted/arch/hosted" ]; then
	check_equals "cellos size" - --top 3 "$cellos" size --no-record -- hosted
else
	echo "SKIP: cellos size --top=3: no $src/build/hosted (cellos size reads build/)"
fi

if [ "$fails" != 0 ]; then
	echo "$fails of $checks checks failed"
	exit 1
fi
echo "ok: $checks checks"
