#!/usr/bin/env bash
# two-boot.sh DIR -- boot the UEFI image twice on one fresh data disk (the
# second AHCI port): the first boot stores a key, the second reads it
# back; E7 is the same on both boots, and both logs are proof.
set -euo pipefail
dir=$1
. "$(dirname "$0")/lib.sh"
mkdir -p "$dir"
disk="$dir/uefi-two-boot.img"
rm -f "$disk"
for n in 1 2; do
	"$top/tools/qemu-run" uefi --disk "$disk" --log "$dir/uefi-boot$n.log" \
		--timeout 120 >/dev/null || fail "boot $n: status $?"
done
grep -qx '#I kv boot=1 last="(none)"' "$dir/uefi-boot1.log" || fail "boot 1 did not start a fresh store"
grep -qx '#I kv boot=2 last="stored by boot 1"' "$dir/uefi-boot2.log" ||
	fail "boot 2 did not read what boot 1 stored: $(grep '#I kv' "$dir/uefi-boot2.log")"
grep -q '^#I disk: .*blank: formatted' "$dir/uefi-boot2.log" &&
	fail "boot 2 formatted the disk again"
e7a=$(grep '^#E7 ' "$dir/uefi-boot1.log")
e7b=$(grep '^#E7 ' "$dir/uefi-boot2.log")
[ "$e7a" = "$e7b" ] || fail "E7 differs between boots: $e7a / $e7b"
echo "ok: uefi: $(grep '#I kv' "$dir/uefi-boot2.log"); $e7b"
