#!/usr/bin/env bash
# two-boot.sh TARGET DIR -- boot twice on one fresh disk: the first boot
# stores a key, the second reads it back; E7 is the same on both boots.
set -euo pipefail
target=$1 dir=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
fail() { echo "FAIL: $target two-boot: $*" >&2; exit 1; }
mkdir -p "$dir"
disk="$dir/$target-two-boot.img"
rm -f "$disk"
for n in 1 2; do
	log="$dir/$target-boot$n.log"
	case "$target" in
	hosted) "${CELLOS_HOSTED:-$top/build/out/cellos-hosted}" --disk="$disk" >"$log" ||
		fail "boot $n: status $?" ;;
	*) "$top/tools/qemu-run" "$target" --disk "$disk" --log "$log" --timeout 120 >/dev/null ||
		fail "boot $n: status $?" ;;
	esac
done
grep -qx '#I kv boot=1 last="(none)"' "$dir/$target-boot1.log" || fail "boot 1 did not start a fresh store"
grep -qx '#I kv boot=2 last="stored by boot 1"' "$dir/$target-boot2.log" ||
	fail "boot 2 did not read what boot 1 stored: $(grep '#I kv' "$dir/$target-boot2.log")"
e7a=$(grep '^#E7 ' "$dir/$target-boot1.log")
e7b=$(grep '^#E7 ' "$dir/$target-boot2.log")
[ "$e7a" = "$e7b" ] || fail "E7 differs between boots: $e7a / $e7b"
echo "ok: $target: $(grep '#I kv' "$dir/$target-boot2.log"); $e7b"
