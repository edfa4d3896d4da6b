#!/usr/bin/env bash
# The fuzz.oss-fuzz-build test: runs fuzz/oss-fuzz/build.sh as OSS-Fuzz
# would (CC=clang, ASan + UBSan and fuzzer-no-link in CFLAGS, libFuzzer as
# LIB_FUZZING_ENGINE) into a temporary $OUT, checks what it wrote against
# the source tree, and runs each binary from another directory on its
# unpacked seed corpus for RUNS new inputs, with the flags in its .options.
#   test-build.sh SOURCE-DIR WORK-DIR [RUNS]
# WORK-DIR keeps the CMake build tree between runs (only changes rebuild).
set -euo pipefail

case "${1:-}" in
-h|--help) sed -n '2,8s/^# \{0,1\}//p' "$0"; exit 0 ;;
esac
[ $# -ge 2 ] && [ $# -le 3 ] || { echo "usage: $0 SOURCE-DIR WORK-DIR [RUNS]" >&2; exit 2; }
src=$(cd "$1" && pwd)
work=$2
runs=${3:-100}
[[ "$runs" =~ ^[0-9]+$ ]] || { echo "test-build.sh: RUNS '$runs' is not a number" >&2; exit 2; }

fail() { echo "FAIL: $*" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cellos-oss-fuzz.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$work"

# The environment OSS-Fuzz's compile gives build.sh (address + undefined).
flags="-O1 -fno-omit-frame-pointer -gline-tables-only"
flags+=" -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"
flags+=" -fsanitize=address,undefined -fno-sanitize-recover=undefined"
flags+=" -fsanitize=fuzzer-no-link"
env -i PATH="$PATH" HOME="${HOME:-/tmp}" \
	CC="${CC:-clang}" CXX="${CXX:-clang++}" CFLAGS="$flags" CXXFLAGS="$flags" \
	LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT="$tmp/out" SRC="$tmp/src" \
	WORK="$work" "$src/fuzz/oss-fuzz/build.sh" >"$tmp/build.log" 2>&1 || {
	tail -n 40 "$tmp/build.log" >&2
	fail "build.sh failed"
}
out="$tmp/out"

# The flags were the environment's, not the fuzz preset's.
cc_json="$work/cellos-fuzz-build/compile_commands.json"
[ -f "$cc_json" ] || fail "$cc_json: no compile commands"
jq -e --arg f "$flags" 'map(select(.file | test("/fuzz/fuzz_[a-z0-9_]+[.]c$")))
	| length > 0 and all(.command | contains($f))' "$cc_json" >/dev/null ||
	fail "a fuzz target was not compiled with \$CFLAGS"
if grep -q -- '-fsanitize=fuzzer-no-link,address,undefined' "$cc_json"; then
	fail "the fuzz preset's own sanitizer flags were added to \$CFLAGS"
fi

# Libraries a runner image has: the C and C++ runtimes.
allowed='^(linux-vdso|libc|libm|libdl|libpthread|librt|libgcc_s|libstdc\+\+|ld-linux-x86-64|ld-linux-aarch64)[.]so'

n=0
for c in "$src"/fuzz/fuzz_*.c; do
	name=$(basename "$c" .c)
	name=${name#fuzz_}
	t="fuzz-$name"
	bin="$out/$t"
	[ -x "$bin" ] || fail "$t: no binary in \$OUT"
	nm "$bin" >"$tmp/nm"
	for sym in __asan_init __ubsan_handle_ __sanitizer_cov_8bit_counters_init LLVMFuzzerRunDriver; do
		grep -q " [TtU] $sym" "$tmp/nm" || fail "$t: no $sym (not built with the environment's sanitizers and engine)"
	done
	libs=$(ldd "$bin" | awk '{print $1}' | sed 's,.*/,,')
	bad=$(grep -Ev "$allowed" <<<"$libs" || true)
	[ -z "$bad" ] || fail "$t: needs $(echo $bad) at run time (not on a runner image)"
	cmp -s "$src/fuzz/$name.options" "$out/$t.options" || fail "$t.options differs from fuzz/$name.options"
	if [ -f "$src/fuzz/$name.dict" ]; then
		cmp -s "$src/fuzz/$name.dict" "$out/$t.dict" || fail "$t.dict differs from fuzz/$name.dict"
	elif [ -e "$out/$t.dict" ]; then
		fail "$t.dict written, but there is no fuzz/$name.dict"
	fi
	seeds="$tmp/seeds-$name"
	mkdir "$seeds"
	python3 -m zipfile -e "$out/${t}_seed_corpus.zip" "$seeds" || fail "${t}_seed_corpus.zip does not unpack"
	want=$(find "$src/fuzz/corpus/$name" -type f | wc -l)
	have=$(find "$seeds" -type f | wc -l)
	[ "$have" = "$want" ] || fail "${t}_seed_corpus.zip holds $have files, fuzz/corpus/$name/ $want"
	(cd "$src/fuzz/corpus/$name" && find . -type f -exec cmp -s {} "$seeds/{}" \; -o -type f -print) |
		grep . && fail "${t}_seed_corpus.zip: the files above differ from fuzz/corpus/$name/"

	# Run as the engine does: from elsewhere, with the .options flags.
	args=()
	section=
	while IFS= read -r line; do
		line=${line%%#*}
		[[ "$line" =~ ^[[:space:]]*$ ]] && continue
		if [[ "$line" =~ ^\[(.*)\]$ ]]; then section=${BASH_REMATCH[1]}; continue; fi
		[ "$section" = libfuzzer ] || continue
		[[ "$line" =~ ^[[:space:]]*([a-z_]+)[[:space:]]*=[[:space:]]*([^[:space:]]+)[[:space:]]*$ ]] ||
			fail "$t.options: bad line '$line'"
		args+=("-${BASH_REMATCH[1]}=${BASH_REMATCH[2]}")
	done <"$out/$t.options"
	[ -f "$out/$t.dict" ] && args+=("-dict=$out/$t.dict")
	mkdir "$tmp/run-$name"
	(cd "$tmp/run-$name" && "$bin" -runs="$runs" -seed=1 "${args[@]}" "$seeds") \
		>"$tmp/run-$name.log" 2>&1 || {
		tail -n 30 "$tmp/run-$name.log" >&2
		fail "$t failed on its seed corpus"
	}
	# libFuzzer's count includes its leak check's second run of an input
	# that allocated more than it freed while reaching new coverage (a
	# first use of stdio, say), so a run of $runs may say $runs + 1.
	done_runs=$(sed -n 's/^Done \([0-9][0-9]*\) runs.*/\1/p' "$tmp/run-$name.log" | tail -n 1)
	[ -n "$done_runs" ] && [ "$done_runs" -ge "$runs" ] ||
		{ tail -n 30 "$tmp/run-$name.log" >&2; fail "$t: no 'Done N runs' with N >= $runs in its output"; }
	n=$((n + 1))
done
[ "$n" -gt 0 ] || fail "no fuzz targets in $src/fuzz"
echo "oss-fuzz build: $n targets built, packed and run ($runs inputs each)"
