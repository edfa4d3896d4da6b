#!/usr/bin/env bash
# ./cellos lint: the tree's checks (tools/lint/lint.sh) against the hosted
# build tree, which it builds first when it has no kernel objects yet.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
args=()
for a in "$@"; do
	case "$a" in
	-h|--help)
		echo "usage: ./cellos lint [--skip-format]"
		echo "  check the tree: formatting, no #include of a .c file, no target"
		echo "  test in core/ genes/ wire/, no import circle in the kernel, a"
		echo "  format attribute on every printf-like function; each finding"
		echo "  as FILE:LINE (details: tools/lint/lint.sh --help, docs/STYLE.md)"
		exit 0 ;;
	--skip-format) args+=("$a") ;;
	*) echo "cellos lint: unknown option '$a' (see ./cellos lint --help)" >&2; exit 2 ;;
	esac
done
cd "$top"
# The import-cycle check reads the kernel's objects of the hosted build.
if ! compgen -G "build/hosted/core/CMakeFiles/cellos_core.dir/*.o" >/dev/null; then
	./cellos build hosted
fi
exec tools/lint/lint.sh --build build/hosted "${args[@]}"
