#!/usr/bin/env bash
# format.sh: lay out the project's C sources with clang-format (the rules are
# .clang-format, explained in docs/STYLE.md). ./cellos format runs it.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=files.sh
. "$here/files.sh"

usage() {
	cat <<'USAGE'
usage: format.sh [--check] [--root DIR] [--no-regions] [FILE...]

Rewrites the project's *.c and *.h files (arch core genes wire include
tools tests fuzz; not build trees, not assembly) in place: first
format-regions.py (the clang-format off/on regions around hand-aligned
tables and the hand edits docs/STYLE.md lists, each found by its content),
then clang-format 14 with the tree's .clang-format. FILEs (relative to DIR)
limit it to those. A second run changes nothing.

  --check     change nothing: list the files that need formatting, one a
              line, and exit 1 if there is any (0 if none)
  --root DIR  the source tree (default: the one this script is in)
  --no-regions
              clang-format only, no format-regions.py (whose list names
              this project's files: for a tree that is not this one)
  -h, --help  this text

The clang-format binary: CLANG_FORMAT, else clang-format-14, else a
clang-format that is version 14.

Exit status 1 also when format-regions.py did not find one of its anchors
(a table renamed or removed): it names each, the rest is still formatted;
update the list in tools/lint/format-regions.py.
USAGE
}

root=$(cd "$here/../.." && pwd)
check=0
regions=1
files=()
while [ $# -gt 0 ]; do
	case "$1" in
	--check) check=1; shift ;;
	--no-regions) regions=0; shift ;;
	--root)
		[ $# -ge 2 ] || { echo "format.sh: --root needs a directory" >&2; exit 2; }
		root=$2; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	--) shift; files+=("$@"); break ;;
	-*) echo "format.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	*) files+=("$1"); shift ;;
	esac
done
[ -d "$root" ] || { echo "format.sh: --root $root: no such directory" >&2; exit 2; }
[ -f "$root/.clang-format" ] || { echo "format.sh: $root/.clang-format: missing" >&2; exit 2; }
cf=$(lint_clang_format) || exit 2
cd "$root"
# format-regions.py gets the FILEs named (none: its whole list).
region_args=()
if [ "${#files[@]}" -eq 0 ]; then
	mapfile -t files < <(lint_c_files .)
else
	region_args=(-- "${files[@]}")
fi
for f in "${files[@]}"; do
	[ -f "$f" ] || { echo "format.sh: $f: no such file" >&2; exit 2; }
done

fr() {
	[ "$regions" = 1 ] || return 0
	python3 "$here/format-regions.py" --root . "$@" "${region_args[@]}"
}
if [ "$check" = 0 ]; then
	# The regions first, so clang-format leaves the tables alone; a missing
	# anchor is reported, the rest is formatted all the same.
	rstatus=0
	fr || rstatus=$?
	[ "$rstatus" -le 1 ] || exit 2
	# clang-format -i writes each file in place (a temporary, then a rename).
	printf '%s\0' "${files[@]}" | xargs -0 -n 32 "$cf" -i --style=file
	if [ "$rstatus" = 1 ]; then
		echo "format.sh: format-regions.py: an anchor is missing (above); update its list" >&2
		exit 1
	fi
	exit 0
fi
# format-regions.py --check lists the files it would edit (and names each
# missing anchor on stderr); then one clang-format over many files, each
# place it would change a message FILE:LINE:COL: error: ...
# [-Wclang-format-violations]. List each FILE once.
rstatus=0
rout=$(fr --check) || rstatus=$?
[ "$rstatus" -le 1 ] || exit 2
status=0
out=$(printf '%s\0' "${files[@]}" |
    xargs -0 -n 64 "$cf" --dry-run -Werror --style=file 2>&1) || status=$?
if [ "$status" != 0 ] && ! grep -q -- '-Wclang-format-violations' <<<"$out"; then
	printf '%s\n' "$out" >&2
	exit 2
fi
{
	[ -z "$rout" ] || printf '%s\n' "$rout"
	[ "$status" = 0 ] ||
	    awk -F: '/ error: .*-Wclang-format-violations/ { print $1 }' <<<"$out"
} | LC_ALL=C sort -u
[ "$status" = 0 ] && [ "$rstatus" = 0 ] && exit 0
exit 1
