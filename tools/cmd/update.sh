#!/usr/bin/env bash
# ./cellos update DISK PACKAGE|STATEMENT
# Place a signed update package (cellos-sign sign) or a key-rotation
# statement (cellos-sign rotate) in the disk's inbox; the kernel verifies it
# against the device's key set at its next boot, installs or applies it,
# or refuses it with the reason, and clears the slot. docs/SECURITY.md.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
usage() { echo "usage: ./cellos update DISK PACKAGE|STATEMENT"; }
args=()
while [ $# -gt 0 ]; do
	case "$1" in
	-h|--help) usage; exit 0 ;;
	-*) echo "cellos update: unknown option '$1'" >&2; usage >&2; exit 2 ;;
	*) args+=("$1"); shift ;;
	esac
done
[ ${#args[@]} = 2 ] || { usage >&2; exit 2; }
disk=${args[0]} file=${args[1]}
[ -f "$disk" ] || { echo "cellos update: $disk: no such disk (./cellos provision DISK makes one)" >&2; exit 1; }
[ -f "$file" ] || { echo "cellos update: $file: no such file" >&2; exit 1; }
tool=$top/build/hosted/bin/cellos-provision
[ -x "$tool" ] || "$top/cellos" build hosted
# The first four bytes tell a package ("CPKG") from a statement ("CROT").
case "$(head -c 4 "$file")" in
CPKG) exec "$tool" inbox "$disk" --package "$file" ;;
CROT) exec "$tool" inbox "$disk" --rotation "$file" ;;
*) echo "cellos update: $file: neither a package (CPKG) nor a rotation statement (CROT)" >&2; exit 1 ;;
esac
