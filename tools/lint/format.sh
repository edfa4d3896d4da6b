#!/usr/bin/env bash
# format.sh: lay out the project's C sources with clang-format (the rules are
# .clang-format, explained in docs/STYLE.md). ./cellos format runs it.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=files.sh
. "$here/files.sh"

usage() {
	cat <<'USAGE'
usage: format.sh [--check] [--root DIR] [FILE...]

Rewrites the project's *.c and *.h files (arch core genes wire include
tools tests fuzz; not build trees, not assembly) in place with clang-format
14 and the tree's .clang-format. FILEs (relative to DIR) limit it to those.

  --check     change nothing: list the files that need formatting, one a
              line, and exit 1 if there is any (0 if none)
  --root DIR  the source tree (default: the one this script is in)
  -h, --help  this text

The clang-format binary: CLANG_FORMAT, else clang-format-14, else a
clang-format that is version 14.
USAGE
}

root=$(cd "$here/../.." && pwd)
check=0
files=()
while [ $# -gt 0 ]; do
	case "$1" in
	--check) check=1; shift ;;
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
if [ "${#files[@]}" -eq 0 ]; then
	mapfile -t files < <(lint_c_files .)
fi
for f in "${files[@]}"; do
	[ -f "$f" ] || { echo "format.sh: $f: no such file" >&2; exit 2; }
done

if [ "$check" = 0 ]; then
	# clang-format -i writes each file in place (a temporary, then a rename).
	printf '%s\0' "${files[@]}" | xargs -0 -n 32 "$cf" -i --style=file
	exit 0
fi
# One clang-format over many files; each place it would change is a message
# FILE:LINE:COL: error: ... [-Wclang-format-violations]. List each FILE once.
status=0
out=$(printf '%s\0' "${files[@]}" |
    xargs -0 -n 64 "$cf" --dry-run -Werror --style=file 2>&1) || status=$?
[ "$status" = 0 ] && exit 0
if ! grep -q -- '-Wclang-format-violations' <<<"$out"; then
	printf '%s\n' "$out" >&2
	exit 2
fi
awk -F: '/ error: .*-Wclang-format-violations/ && !seen[$1]++ { print $1 }' <<<"$out"
exit 1
