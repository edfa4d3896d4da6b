# shellcheck shell=bash
# Sourced by format.sh and lint.sh: the project's C sources.
#
# lint_c_files ROOT prints, one a line and sorted, every *.c and *.h file
# under ROOT's arch core genes wire include tools tests fuzz, as paths
# relative to ROOT. Build trees (any directory named build or build-*) are
# not sources; the tree holds no generated or third-party C (generated
# headers are written under build/). Assembly (.S, .asm) is not C.
lint_c_files() {
	local root=$1 d dirs=()
	for d in arch core genes wire include tools tests fuzz; do
		[ -d "$root/$d" ] && dirs+=("$d")
	done
	[ "${#dirs[@]}" -gt 0 ] || return 0
	(cd "$root" && find "${dirs[@]}" \( -name build -o -name 'build-*' \) -prune \
	    -o -type f \( -name '*.c' -o -name '*.h' \) -print) | LC_ALL=C sort
}

# The clang-format the layout is defined by: CLANG_FORMAT if set, else
# clang-format-14, else clang-format if it is version 14. Prints its path
# or, on stderr, why there is none (and returns 1): another major version
# formats differently, and a check against it would be noise.
lint_clang_format() {
	local c v
	if [ -n "${CLANG_FORMAT:-}" ]; then
		command -v "$CLANG_FORMAT" 2>/dev/null && return 0
		echo "CLANG_FORMAT=$CLANG_FORMAT: no such program" >&2
		return 1
	fi
	for c in clang-format-14 clang-format; do
		command -v "$c" >/dev/null 2>&1 || continue
		v=$("$c" --version 2>/dev/null | sed -n 's/.*clang-format version \([0-9]*\).*/\1/p')
		if [ "$v" = 14 ]; then
			command -v "$c"
			return 0
		fi
	done
	echo "no clang-format 14 (Debian 12: apt-get install clang-format-14; or set CLANG_FORMAT)" >&2
	return 1
}
