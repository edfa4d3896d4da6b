#!/usr/bin/env bash
# ./cellos coverage: clang source-based coverage of the unit tests and a
# hosted proof boot.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$top"

usage() {
	cat <<'USAGE'
usage: ./cellos coverage [-j N|--jobs N] [-- CTEST-ARGS...]

Builds the hosted tree with clang's source-based coverage
(-fprofile-instr-generate -fcoverage-mapping) in build/coverage-tree/,
runs the unit tests (ctest -L unit, plus CTEST-ARGS) and one hosted proof
boot there, merges the profiles (llvm-profdata) and writes
  build/coverage/index.html      the annotated sources (llvm-cov show)
  build/coverage/summary.txt     lines, functions and regions per directory
  build/coverage/files.txt       the same per file (llvm-cov report)
printing the per-directory summary. Test code (tests/) and generated files
are left out of the figures. Exits non-zero when a test or the boot fails
(the report is still written).

  -j N, --jobs N   parallel build and test jobs (default: the CPUs)
  -h, --help       this text
USAGE
}

die() { printf 'cellos coverage: %s\n' "$*" >&2; exit 2; }
say() { printf 'cellos coverage: %s\n' "$*" >&2; }

jobs=$(nproc 2>/dev/null || echo 2)
ctest_extra=()
while [ $# -gt 0 ]; do
	case "$1" in
	-h|--help) usage; exit 0 ;;
	-j|--jobs) [ $# -ge 2 ] || die "$1 needs a number"; jobs=$2; shift 2 ;;
	--jobs=*) jobs=${1#--jobs=}; shift ;;
	--) shift; ctest_extra=("$@"); break ;;
	*) die "unknown argument '$1' (ctest's go after --; see --help)" ;;
	esac
done
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || die "--jobs '$jobs' is not a positive whole number"

# llvm's tools, versioned or not (Debian 12: llvm-14).
tool() {
	local t
	for t in "$1" "$1-14" "$1-15" "$1-16" "$1-13"; do
		if command -v "$t" >/dev/null 2>&1; then
			echo "$t"
			return
		fi
	done
	die "no $1 (install llvm: ./cellos deps)"
}
command -v clang >/dev/null 2>&1 || die "no clang (install it: ./cellos deps)"
profdata=$(tool llvm-profdata)
cov=$(tool llvm-cov)
command -v jq >/dev/null 2>&1 || die "no jq (install it: ./cellos deps)"

tree=build/coverage-tree
report=build/coverage
profiles="$tree/profiles"
mkdir -p build
# The test programs are otherwise built by gcc only; two of clang's
# warnings about them (tests/unit/test_kprint.c forwards a va_list from an
# unmarked function, tests/corruption/corrupt.c steps a loop variable in
# its body) stay warnings here rather than stop the coverage build.
# -ffile-prefix-map (cmake/CellosCommon.cmake) makes the recorded names
# relative ("./core/boot.c"); with the coverage compilation directory set
# here they are relative to the top, where llvm-cov runs below.
flags="-fprofile-instr-generate -fcoverage-mapping -fcoverage-compilation-dir=$top"
flags+=" -Wno-error=format-nonliteral -Wno-error=for-loop-analysis"
say "configuring $tree"
cmake -S . -B "$tree" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
	-DCMAKE_C_COMPILER=clang -DCMAKE_C_FLAGS="$flags" \
	-DCMAKE_EXE_LINKER_FLAGS="-fprofile-instr-generate" \
	-DCELLOS_TARGET=hosted -DCELLOS_OUT_DIR= >"$tree.configure.log" 2>&1 || {
	cat "$tree.configure.log" >&2
	die "configuring failed (log: $tree.configure.log)"
}
say "building $tree"
cmake --build "$tree" -- -j"$jobs" >&2

rm -rf "$profiles"
mkdir -p "$profiles"
# One profile per process and binary; merged below.
export LLVM_PROFILE_FILE="$top/$profiles/%p-%m.profraw"
failed=0
say "unit tests"
# Not the unit tests that need a board's build (disk-pack-refuses reads the
# bios-x86_64 boot sectors, esp-pack the UEFI loader): this tree is hosted.
ctest --test-dir "$tree" -L unit -LE '^(x86|arm64|mcu|uefi)$' \
	-E '^unit[.]disk-pack-refuses$' -j"$jobs" --output-on-failure "${ctest_extra[@]}" >&2 || {
	say "some unit tests FAILED (the report covers what ran)"
	failed=1
}
hosted=$(find "$tree" -type f -name cellos-hosted -perm -u+x | head -n 1)
[ -n "$hosted" ] || die "no cellos-hosted in $tree"
say "hosted proof boot ($hosted)"
mkdir -p "$report"
if "$hosted" >"$report/hosted-proof.log" 2>&1 &&
    tail -n 1 "$report/hosted-proof.log" | grep -q 'FULL PROOF SUCCESS'; then
	say "hosted: $(tail -n 1 "$report/hosted-proof.log")"
else
	say "hosted proof boot FAILED (log: $report/hosted-proof.log)"
	failed=1
fi
unset LLVM_PROFILE_FILE

shopt -s nullglob
raw=("$profiles"/*.profraw)
[ "${#raw[@]}" -gt 0 ] || die "no profiles written under $profiles"
"$profdata" merge -sparse -o "$tree/coverage.profdata" "${raw[@]}"

# Every instrumented program in the tree (tests, tools, cellos-hosted):
# the ELF files that carry a coverage map.
objects=()
while IFS= read -r f; do
	if [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] &&
	    grep -q -a __llvm_covmap "$f"; then
		objects+=(-object "$f")
	fi
done < <(find "$tree" -type f -perm -u+x ! -path '*/CMakeFiles/*' | sort)
[ "${#objects[@]}" -gt 0 ] || die "no instrumented programs in $tree"
ignore='(^|/)(tests|build)/|^/usr/'
rm -rf "$report.tmp"
"$cov" show --instr-profile="$tree/coverage.profdata" "${objects[@]}" \
	--ignore-filename-regex="$ignore" --format=html \
	--show-line-counts-or-regions --output-dir="$report.tmp" >/dev/null
"$cov" report --instr-profile="$tree/coverage.profdata" "${objects[@]}" \
	--ignore-filename-regex="$ignore" >"$report.tmp/files.txt"
"$cov" export --summary-only --instr-profile="$tree/coverage.profdata" "${objects[@]}" \
	--ignore-filename-regex="$ignore" >"$report.tmp/coverage.json"
mv "$report/hosted-proof.log" "$report.tmp/"
rm -rf "$report"
mv "$report.tmp" "$report"

# Per directory of the source tree: sum the files' counts.
jq -r --arg top "$top/" '
	def pct(c; n): if n == 0 then "-" else ((c * 1000 / n | floor) / 10 | tostring) + "%" end;
	[.data[0].files[]
	 | (.filename | ltrimstr($top) | sub("^(\\./)+"; "") | split("/") | .[:-1] | join("/")) as $d
	 | {dir: (if $d == "" then "." else $d end), s: .summary}]
	| group_by(.dir)
	| map(select((map(.s.lines.count) | add) > 0))
	| map({dir: .[0].dir,
		lc: (map(.s.lines.covered) | add), ln: (map(.s.lines.count) | add),
		fc: (map(.s.functions.covered) | add), fn: (map(.s.functions.count) | add),
		rc: (map(.s.regions.covered) | add), rn: (map(.s.regions.count) | add)})
	| (. + [{dir: "TOTAL", lc: (map(.lc) | add), ln: (map(.ln) | add),
		fc: (map(.fc) | add), fn: (map(.fn) | add),
		rc: (map(.rc) | add), rn: (map(.rn) | add)}])
	| (["directory", "lines", "covered", "functions", "regions"] | @tsv),
	  (.[] | [.dir, "\(.lc)/\(.ln)", pct(.lc; .ln), pct(.fc; .fn), pct(.rc; .rn)] | @tsv)
' "$report/coverage.json" |
	awk -F '\t' '{ printf "%-28s %13s %8s %10s %8s\n", $1, $2, $3, $4, $5 }' >"$report/summary.txt"
cat "$report/summary.txt"
say "HTML report: $report/index.html (per file: $report/files.txt)"
exit "$failed"
