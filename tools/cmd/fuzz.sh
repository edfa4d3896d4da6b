#!/usr/bin/env bash
# ./cellos fuzz: run one libFuzzer target of the fuzz preset for longer.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$top"

usage() {
	cat <<'USAGE'
usage: ./cellos fuzz NAME [SECONDS] [--jobs N] [--merge] [-- LIBFUZZER-ARGS...]

Runs build/fuzz/fuzz/fuzz-NAME (the fuzz preset, built first) for SECONDS
(default 300) on the committed corpus fuzz/corpus/NAME/, keeping new finds
in build/fuzz-corpus/NAME/. It passes libFuzzer
  -max_len=...                        from fuzz/NAME.options
  -dict=fuzz/NAME.dict                when there is one
  -artifact_prefix=build/fuzz-artifacts/NAME/   where crashes and timeouts go
and then LIBFUZZER-ARGS as given (a later flag overrides an earlier one).

  --jobs N, --jobs=N   N worker processes (libFuzzer's -fork=N)
  --merge              minimize build/fuzz-corpus/NAME/ into fuzz/corpus/NAME/
                       (libFuzzer -merge=1: only inputs that add coverage are
                       copied, named by their SHA-1); alone it only merges,
                       with SECONDS it fuzzes first
  -h, --help           this text

Targets: the fuzz/fuzz_NAME.c files.
USAGE
}

die() { printf 'cellos fuzz: %s\n' "$*" >&2; exit 2; }

targets() {
	local c
	for c in fuzz/fuzz_*.c; do
		c=${c#fuzz/fuzz_}
		printf '%s\n' "${c%.c}"
	done | paste -sd ' ' -
}

name= secs= jobs= merge=0 extra=()
while [ $# -gt 0 ]; do
	case "$1" in
	-h|--help) usage; exit 0 ;;
	--jobs) [ $# -ge 2 ] || die "--jobs needs a number"; jobs=$2; shift 2 ;;
	--jobs=*) jobs=${1#--jobs=}; shift ;;
	--merge) merge=1; shift ;;
	--) shift; extra=("$@"); break ;;
	-*) die "unknown option '$1' (libFuzzer's own flags go after --; see --help)" ;;
	*)
		if [ -z "$name" ]; then
			name=$1
		elif [ -z "$secs" ]; then
			secs=$1
		else
			die "unexpected argument '$1' (libFuzzer's own flags go after --)"
		fi
		shift
		;;
	esac
done
[ -n "$name" ] || { usage >&2; die "no target named (have: $(targets))"; }
[ -f "fuzz/fuzz_$name.c" ] || die "no target '$name' (have: $(targets))"
if [ -n "$secs" ] && ! [[ "$secs" =~ ^[0-9]+$ ]]; then
	die "SECONDS '$secs' is not a whole number"
fi
if [ -n "$jobs" ] && ! [[ "$jobs" =~ ^[1-9][0-9]*$ ]]; then
	die "--jobs '$jobs' is not a positive whole number"
fi
fuzzing=1
if [ "$merge" = 1 ] && [ -z "$secs" ]; then
	fuzzing=0
	[ -z "$jobs" ] || die "--jobs without SECONDS: --merge alone does not fuzz"
fi
secs=${secs:-300}

options="fuzz/$name.options"
max_len=$(sed -n 's/^max_len[[:space:]]*=[[:space:]]*\([0-9][0-9]*\)[[:space:]]*$/\1/p' "$options" 2>/dev/null | head -n 1)
[ -n "$max_len" ] || die "$options: no 'max_len = N' line"

./cellos build fuzz >&2
bin="build/fuzz/fuzz/fuzz-$name"
[ -x "$bin" ] || die "$bin was not built"

corpus="build/fuzz-corpus/$name"
artifacts="build/fuzz-artifacts/$name/"
mkdir -p "$corpus" "$artifacts"
flags=(-max_len="$max_len" -artifact_prefix="$artifacts")
[ -f "fuzz/$name.dict" ] && flags+=(-dict="fuzz/$name.dict")

if [ "$fuzzing" = 1 ]; then
	run=("$bin" "${flags[@]}" -max_total_time="$secs" -print_final_stats=1)
	[ -n "$jobs" ] && run+=(-fork="$jobs")
	run+=("${extra[@]}" "$corpus" "fuzz/corpus/$name")
	printf 'cellos fuzz: %s\n' "${run[*]}" >&2
	status=0
	"${run[@]}" || status=$?
	if [ "$status" != 0 ]; then
		printf 'cellos fuzz: fuzz-%s stopped with status %s; inputs it saved: %s\n' \
			"$name" "$status" "$(ls "$artifacts" | sed "s,^,$artifacts," | tr '\n' ' ')" >&2
		exit "$status"
	fi
fi
if [ "$merge" = 1 ]; then
	before=$(find "fuzz/corpus/$name" -type f | wc -l)
	run=("$bin" "${flags[@]}" -merge=1 "${extra[@]}" "fuzz/corpus/$name" "$corpus")
	printf 'cellos fuzz: %s\n' "${run[*]}" >&2
	"${run[@]}"
	after=$(find "fuzz/corpus/$name" -type f | wc -l)
	printf 'cellos fuzz: fuzz/corpus/%s: %s inputs, %s new from %s\n' \
		"$name" "$after" "$((after - before))" "$corpus" >&2
fi
