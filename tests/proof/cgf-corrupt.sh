#!/usr/bin/env bash
# cgf-corrupt.sh IMAGE WORK -- damage the CGF blob of the x86 image in three
# places; stage2 must stop each boot with its "#A!" line and status 5.
set -euo pipefail
image=$1 work=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$work"
lba=$(od -An -tu4 -j $((0x1E0 + 24)) -N4 "$image" | tr -d ' ')
[ "$lba" -gt 0 ] || { echo "FAIL: the image has no CGF blob"; exit 1; }
base=$((lba * 512))

flip() {	# flip NAME OFFSET EXPECTED
	local name=$1 at=$(($base + $2)) want=$3 img="$work/$1.img" status=0
	cp "$image" "$img"
	byte=$(od -An -tu1 -j "$at" -N1 "$img" | tr -d ' ')
	printf "$(printf '\\%03o' $((byte ^ 0x20)))" | dd of="$img" bs=1 seek="$at" conv=notrunc 2>/dev/null
	"$top/tools/qemu-run" x86 --image "$img" --timeout 60 --log "$work/$name.log" >/dev/null || status=$?
	[ "$status" = 5 ] || { echo "FAIL: $name: status $status, expected 5"; exit 1; }
	grep -qx "#A! stage2: $want" "$work/$name.log" ||
		{ echo "FAIL: $name: no \"#A! stage2: $want\" line"; tail -3 "$work/$name.log"; exit 1; }
	grep -q '^#E1' "$work/$name.log" && { echo "FAIL: $name: the kernel ran"; exit 1; }
	echo "ok: $name: #A! stage2: $want"
}
flip header-crc 1 "CGF header CRC32C does not match"
flip header-body 200 "CGF header CRC32C does not match"
flip gene-directory $((4096 + 30)) "CGF gene directory SHA-256 differs from the build's digest"
