#!/usr/bin/env bash
# ./cellos provision DISK [--secret FILE | --test] [--force]
# Write the device secret slot of a cell_os data disk (created with 8 MiB
# when missing): 32 random bytes by default, FILE's 32 bytes with --secret,
# or with --test the documented TEST secret and the proof inbox (a proof
# disk, as tools/qemu-run --fresh-disk makes). docs/STORAGE.md.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
usage() { echo "usage: ./cellos provision DISK [--secret FILE | --test] [--force]"; }
disk="" secret="" test=0 force=()
while [ $# -gt 0 ]; do
	case "$1" in
	-h|--help) usage; exit 0 ;;
	--secret) [ $# -ge 2 ] || { usage >&2; exit 2; }; secret=$2; shift 2 ;;
	--test) test=1; shift ;;
	--force) force=(--force); shift ;;
	-*) echo "cellos provision: unknown option '$1'" >&2; usage >&2; exit 2 ;;
	*) [ -z "$disk" ] || { echo "cellos provision: one DISK only" >&2; exit 2; }; disk=$1; shift ;;
	esac
done
[ -n "$disk" ] || { usage >&2; exit 2; }
[ -z "$secret" ] || [ "$test" = 0 ] || { echo "cellos provision: --secret and --test exclude each other" >&2; exit 2; }
tool=$top/build/hosted/bin/cellos-provision
[ -x "$tool" ] || "$top/cellos" build hosted
if [ "$test" = 1 ]; then
	exec "$tool" proof "$disk" "${force[@]}"
elif [ -n "$secret" ]; then
	exec "$tool" secret "$disk" --from "$secret" "${force[@]}"
else
	exec "$tool" secret "$disk" --random "${force[@]}"
fi
