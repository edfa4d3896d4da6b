#!/usr/bin/env bash
# ./cellos format: lay out the C sources with clang-format (tools/lint/format.sh).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
case "${1:-}" in
-h|--help)
	echo "usage: ./cellos format [--check] [FILE...]"
	echo "  rewrite the tree's C sources (or FILEs) as .clang-format says, after"
	echo "  tools/lint/format-regions.py's clang-format off regions and hand edits;"
	echo "  --check lists the files that need it and exits 1 if there is any"
	echo "  (details: tools/lint/format.sh --help, docs/STYLE.md)"
	exit 0 ;;
esac
for a in "$@"; do
	case "$a" in
	--check|--) ;;
	-*) echo "cellos format: unknown option '$a' (see ./cellos format --help)" >&2; exit 2 ;;
	esac
done
cd "$top"
exec tools/lint/format.sh "$@"
