#!/usr/bin/env bash
# OSS-Fuzz / ClusterFuzzLite build script for cell_os: builds every fuzz
# target (fuzz/fuzz_*.c) with the engine's environment and writes into $OUT
#   fuzz-NAME                  the binary (reads no file at run time)
#   fuzz-NAME_seed_corpus.zip  fuzz/corpus/NAME/
#   fuzz-NAME.dict             fuzz/NAME.dict, when there is one
#   fuzz-NAME.options          fuzz/NAME.options (libFuzzer flags, max_len)
# It takes from the environment, as the OSS-Fuzz contract says:
#   CC CXX CFLAGS CXXFLAGS   compilers and every sanitizer/coverage flag
#   LIB_FUZZING_ENGINE       what gives a target its main (-fsanitize=fuzzer,
#                            or an engine library such as libAFLDriver.a)
#   OUT                      where the results go (made when missing)
#   SRC                      where the sources are checked out ($SRC/cell_os)
#   WORK                     scratch space: the CMake build tree goes to
#                            $WORK/cellos-fuzz-build, so a second run only
#                            rebuilds what changed (default: a temporary)
# The project's own libraries (libyaml, libcrypto) are linked statically:
# an engine's runner image has neither.
set -euo pipefail

usage() {
	sed -n '2,18s/^# \{0,1\}//p' "$0"
	echo "usage: [CC=... CFLAGS=... LIB_FUZZING_ENGINE=... OUT=DIR ...] $0 [-h|--help]"
}

case "${1:-}" in
-h|--help) usage; exit 0 ;;
"") ;;
*) usage >&2; echo "build.sh: unknown argument '$1' (everything comes from the environment)" >&2; exit 2 ;;
esac

die() { echo "build.sh: $*" >&2; exit 1; }

for v in CC CXX LIB_FUZZING_ENGINE OUT; do
	[ -n "${!v:-}" ] || die "\$$v is not set (OSS-Fuzz's compile sets it; see --help)"
done
CFLAGS=${CFLAGS:-}
CXXFLAGS=${CXXFLAGS:-}

# The source tree: this script's own, when it is run from one; else
# $SRC/cell_os (OSS-Fuzz copies build.sh to $SRC and checks out beside it).
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ -f "$here/../../fuzz/oss-fuzz/build.sh" ] && [ -f "$here/../../CMakeLists.txt" ]; then
	src=$(cd "$here/../.." && pwd)
elif [ -n "${SRC:-}" ] && [ -f "$SRC/cell_os/fuzz/oss-fuzz/build.sh" ]; then
	src="$SRC/cell_os"
else
	die "cannot find the cell_os sources (not beside this script, not in \$SRC/cell_os)"
fi

if [ -n "${WORK:-}" ]; then
	build="$WORK/cellos-fuzz-build"
else
	build=$(mktemp -d "${TMPDIR:-/tmp}/cellos-fuzz-build.XXXXXX")
	trap 'rm -rf "$build"' EXIT
fi
mkdir -p "$OUT" "$build"

# A static library the compiler finds, as a full path ("" when it has none).
static_lib() {
	local p
	p=$("$CC" $CFLAGS -print-file-name="$1" 2>/dev/null) || return 0
	[ "$p" != "$1" ] && [ -f "$p" ] && echo "$p"
	return 0
}
yaml_a=$(static_lib libyaml.a)
[ -n "$yaml_a" ] || die "no static libyaml (libyaml.a; install libyaml-dev)"

generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
[ -f "$build/CMakeCache.txt" ] && generator=()	# keep what it was made with

# CMAKE_BUILD_TYPE empty: the optimisation level is the engine's (-O1 ...).
cmake -S "$src" -B "$build" "${generator[@]}" \
	-DCMAKE_BUILD_TYPE= \
	-DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
	-DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
	-DCELLOS_TARGET=hosted -DCELLOS_TESTS=OFF \
	-DCELLOS_FUZZ=ON -DCELLOS_FUZZ_ENV_FLAGS=ON \
	-DCELLOS_FUZZ_ENGINE="$LIB_FUZZING_ENGINE" \
	-DYAML_LIBRARY="$yaml_a" -DOPENSSL_USE_STATIC_LIBS=TRUE >"$build/configure.log" 2>&1 || {
	cat "$build/configure.log" >&2
	die "configuring failed (log: $build/configure.log)"
}
cmake --build "$build" --target fuzz-targets -- -j"$(nproc 2>/dev/null || echo 2)"

# The seed corpus as a zip of its files (zip, else Python's zipfile).
zip_dir() {
	local dir=$1 zipfile=$2
	rm -f "$zipfile.tmp"
	if command -v zip >/dev/null 2>&1; then
		(cd "$dir" && zip -q -X -j "$zipfile.tmp" ./*)
	else
		(cd "$dir" && python3 -m zipfile -c "$zipfile.tmp" ./*)
	fi
	mv "$zipfile.tmp" "$zipfile"
}

count=0
for c in "$src"/fuzz/fuzz_*.c; do
	name=$(basename "$c" .c)
	name=${name#fuzz_}
	bin="$build/fuzz/fuzz-$name"
	[ -x "$bin" ] || die "$bin was not built"
	[ -d "$src/fuzz/corpus/$name" ] || die "fuzz/corpus/$name/: no seed corpus for fuzz-$name"
	[ -f "$src/fuzz/$name.options" ] || die "fuzz/$name.options: missing for fuzz-$name"
	cp "$bin" "$OUT/fuzz-$name.tmp" && mv "$OUT/fuzz-$name.tmp" "$OUT/fuzz-$name"
	zip_dir "$src/fuzz/corpus/$name" "$OUT/fuzz-${name}_seed_corpus.zip"
	cp "$src/fuzz/$name.options" "$OUT/fuzz-$name.options"
	if [ -f "$src/fuzz/$name.dict" ]; then
		cp "$src/fuzz/$name.dict" "$OUT/fuzz-$name.dict"
	fi
	count=$((count + 1))
done
echo "build.sh: $count fuzz targets in $OUT"
