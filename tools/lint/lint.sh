#!/usr/bin/env bash
# lint.sh: the checks docs/STYLE.md promises, over the whole tree. ./cellos
# lint runs it, and so does the ctest "lint" (./cellos test).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=files.sh
. "$here/files.sh"

usage() {
	cat <<'USAGE'
usage: lint.sh [--root DIR] [--build DIR] [--skip-format] [--no-regions]

Checks the source tree DIR (default: the one this script is in) and prints
each finding as FILE:LINE: message:
  format       every *.c and *.h under arch core genes wire include tools
               tests fuzz is as clang-format 14 lays it out (.clang-format),
               with the edits of tools/lint/format-regions.py made (its
               clang-format off regions, found by content; a missing
               anchor is a finding); run ./cellos format to fix it
  include-c    no file #includes a .c file
  target       core/, genes/ and wire/ test no target, CPU or OS macro
               (CELLOS_TARGET, __x86_64__, __aarch64__, __arm__, __linux__,
               ...) and their CMake files no target variable
  cycles       no import circle among the kernel's files
               (tools/import-cycles.py on the objects of --build)
  format-attr  every printf-like variadic function has
               __attribute__((format(printf, N, N+1)))

  --root DIR     the source tree
  --build DIR    a configured and built hosted tree of DIR, for cycles
                 (default: DIR/build/hosted)
  --skip-format  leave out the format check
  --no-regions   the format check without format-regions.py (whose list
                 names this project's files: for a tree that is not this one)
  -h, --help     this text

Exit status: 0 when there is no finding, 1 when there is, 2 when a check
could not run (a missing clang-format 14, a missing build tree, bad usage).
USAGE
}

root=$(cd "$here/../.." && pwd)
build=
skip_format=0
regions=1
while [ $# -gt 0 ]; do
	case "$1" in
	--root|--build)
		[ $# -ge 2 ] || { echo "lint.sh: $1 needs a directory" >&2; exit 2; }
		if [ "$1" = --root ]; then root=$2; else build=$2; fi
		shift 2 ;;
	--skip-format) skip_format=1; shift ;;
	--no-regions) regions=0; shift ;;
	-h|--help) usage; exit 0 ;;
	*) echo "lint.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
done
[ -d "$root" ] || { echo "lint.sh: --root $root: no such directory" >&2; exit 2; }
root=$(cd "$root" && pwd)
[ -n "$build" ] || build=$root/build/hosted
[ -d "$build" ] || { echo "lint.sh: --build $build: no such directory (./cellos build hosted)" >&2; exit 2; }
build=$(cd "$build" && pwd)

findings=0
# Run one check: its findings (FILE:LINE: ...) go to stdout under a tag.
report() {
	local name=$1 out status
	shift
	status=0
	out=$("$@" 2>&1) || status=$?
	if [ "$status" = 0 ]; then
		echo "lint: $name: ok"
		return 0
	fi
	if [ "$status" != 1 ]; then
		printf '%s\n' "$out" >&2
		echo "lint: $name: could not run (status $status)" >&2
		exit 2
	fi
	printf '%s\n' "$out" | sed "s/\$/ [$name]/"
	echo "lint: $name: $(printf '%s\n' "$out" | grep -c .) finding(s)"
	findings=1
}

# One finding per file: the first place clang-format would change, and how
# many there are. clang-format runs over many files at once; its messages
# are FILE:LINE:COL: error: ... [-Wclang-format-violations].
check_format() {
	local cf out status rout rstatus=0
	cf=$(lint_clang_format) || exit 2
	cd "$root"
	# format-regions.py --check: the files it would edit, one a line; each
	# missing anchor on stderr as "format-regions: FILE: anchor ...".
	if [ "$regions" = 1 ]; then
		rout=$(python3 "$here/format-regions.py" --root . --check 2>&1) || rstatus=$?
		[ "$rstatus" -le 1 ] || { printf '%s\n' "$rout" >&2; exit 2; }
		# A file with a named finding is not listed again as a whole.
		[ "$rstatus" = 0 ] || printf '%s\n' "$rout" | awk '
		    /^format-regions: [^:]*: anchor / {
			f = $2; sub(/:$/, "", f); seen[f] = 1
			m = $0; sub(/^format-regions: [^:]*: /, "", m)
			print f ":1: format-regions.py: " m ": update its list"
			next
		    }
		    /^format-regions: [^:]*:[0-9]+: note: / {
			split($2, p, ":"); seen[p[1]] = 1
			m = $0; sub(/^format-regions: [^:]*:[0-9]+: note: /, "", m)
			print p[1] ":" p[2] ": " m ": run ./cellos format"
			next
		    }
		    { files[++n] = $0 }
		    END {
			for (i = 1; i <= n; i++)
				if (!(files[i] in seen))
					print files[i] ":1: needs the edits of tools/lint/format-regions.py: run ./cellos format"
		    }'
	fi
	status=0
	out=$(lint_c_files . | tr '\n' '\0' |
	    xargs -0 -n 64 "$cf" --dry-run -Werror --style=file 2>&1) || status=$?
	[ "$status" = 0 ] && return "$rstatus"
	if ! grep -q -- '-Wclang-format-violations' <<<"$out"; then
		printf '%s\n' "$out" >&2
		exit 2
	fi
	printf '%s\n' "$out" | awk -F: '
	    / error: .*-Wclang-format-violations/ {
		if (!($1 in n)) { order[++k] = $1; at[$1] = $1 ":" $2 ":" $3 }
		n[$1]++
	    }
	    END {
		for (i = 1; i <= k; i++)
			printf "%s: not laid out as .clang-format says (%d place(s)): run ./cellos format\n", at[order[i]], n[order[i]]
	    }'
	return 1
}

if [ "$skip_format" = 0 ]; then
	report format check_format
fi
report include-c python3 "$here/checks.py" include-c "$root"
report target python3 "$here/checks.py" target "$root"
report cycles python3 "$here/checks.py" cycles "$root" "$build"
report format-attr python3 "$here/checks.py" format-attr "$root"
if [ "$findings" = 1 ]; then
	echo "lint: FAILED" >&2
	exit 1
fi
echo "lint: ok"
