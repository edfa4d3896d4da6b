#!/usr/bin/env bash
# refuses.sh DISK_PACK STAGE1 STAGE2 KERNEL WORKDIR -- disk-pack refuses a
# stage1 that is not a 512-byte sector ending 55 AA, and a stage2 or kernel
# too big for its load window, each with its own message, a non-zero exit
# and no output file; the good inputs give an image of a whole MiB.
set -euo pipefail
pack=$1 s1=$2 s2=$3 kernel=$4 work=$5
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"

# refused NAME STAGE1 STAGE2 KERNEL PATTERN
refused() {
	local name=$1 out="$work/$1.img" msg
	if msg=$("$pack" --stage1 "$2" --stage2 "$3" --kernel "$4" -o "$out" 2>&1); then
		fail "$name: accepted"
	fi
	[[ "$msg" =~ $5 ]] || fail "$name: expected /$5/, got: $msg"
	[ ! -e "$out" ] || fail "$name: left $out behind"
	ls "$work" | grep -q '\.tmp' && fail "$name: left a temporary behind"
	echo "ok: $name: $msg"
}

head -c 500 "$s1" >"$work/short-stage1"
refused short-stage1 "$work/short-stage1" "$s2" "$kernel" \
	'stage1 .*: 500 bytes, a boot sector is exactly 512'
{ cat "$s1"; printf 'x'; } >"$work/long-stage1"
refused long-stage1 "$work/long-stage1" "$s2" "$kernel" \
	'stage1 .*: 513 bytes, a boot sector is exactly 512'
{ head -c 510 "$s1"; printf '\x55\x00'; } >"$work/no-signature"
refused no-signature "$work/no-signature" "$s2" "$kernel" \
	'no boot signature 55 AA at offset 510 \(found 55 00\)'
head -c $((48 * 512 + 1)) /dev/zero >"$work/big-stage2"
refused big-stage2 "$s1" "$work/big-stage2" "$kernel" \
	'stage2 .*: 24577 bytes; its load window 0x8000..0xE000 holds 1..24576 bytes'
head -c $((0x7C000 + 1)) /dev/zero >"$work/big-kernel"
refused big-kernel "$s1" "$s2" "$work/big-kernel" \
	'kernel .*: 507905 bytes; its load window 0x20000..0x9C000 holds 1..507904 bytes'
refused missing-kernel "$s1" "$s2" "$work/nonexistent" \
	'kernel .*nonexistent: No such file'

"$pack" --stage1 "$s1" --stage2 "$s2" --kernel "$kernel" -o "$work/good.img"
size=$(stat -c %s "$work/good.img")
(( size % (1 << 20) == 0 )) || fail "good image is $size bytes, not whole MiB"
[ "$(od -An -tx1 -j510 -N2 "$work/good.img" | tr -d ' ')" = 55aa ] || fail "good image has no 55 AA"
echo "ok: good image, $size bytes"
