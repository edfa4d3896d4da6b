#!/usr/bin/env bash
# mcu-ram.sh WORK -- the MCU kernel finds its RAM by probing, not from a
# table: on three MPS2 images with different memory maps, the regions it
# reports ("#I mcu: ram BASE..END") are exactly the RAM blocks of QEMU's own
# memory map (mcu-ram-map.sh: info mtree, mirrors left out), and E0's ram=
# and dma32=, E1's mem= follow from them.
#   mps2-an386  Cortex-M4F: SSRAM1, block RAM, SSRAM2/3, PSRAM at 0x21000000
#   mps2-an500  Cortex-M7F: no block RAM, PSRAM at 0x60000000 (external RAM)
#   mps2-an385  Cortex-M3 without an FPU: the RAM as on the AN386, then the
#               first FP instruction faults (status 3, "#X the CPU has no FPU")
set -euo pipefail
work=$1
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
fail() { echo "FAIL: mcu-ram: $*" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work"
for machine in mps2-an386 mps2-an500 mps2-an385; do
	log=$work/$machine.log
	want=$("$here/mcu-ram-map.sh" "$machine") || fail "$machine: no memory map from QEMU"
	status=0
	CELLOS_MCU_MACHINE=$machine "$top/tools/qemu-run" mcu --log "$log" \
		--disk "$work/$machine.img" --fresh-disk --timeout 120 >/dev/null 2>&1 ||
		status=$?
	got=$(sed -nE 's/^#I mcu: ram ([0-9A-F]{8})\.\.([0-9A-F]{8}) \([0-9]+ KiB\)$/\1 \2/p' "$log")
	[ "$got" = "$want" ] ||
		fail "$machine: the kernel found RAM at [$(tr '\n' ' ' <<<"$got")], QEMU's map has [$(tr '\n' ' ' <<<"$want")]"
	total=0 end=0
	while read -r lo hi; do
		total=$(( total + 16#$hi - 16#$lo + 1 ))
		(( 16#$hi + 1 > end )) && end=$(( 16#$hi + 1 ))
	done <<<"$want"
	grep -qx "#I mcu: ram $(( total >> 10 )) KiB in $(wc -l <<<"$want") regions, found by probing" "$log" ||
		fail "$machine: no total line for $(( total >> 10 )) KiB"
	case "$machine" in
	mps2-an385)
		[ "$status" = 3 ] || fail "$machine: status $status, expected 3 (no FPU)"
		grep -qx '#X the CPU has no FPU; .*' "$log" || fail "$machine: no line saying the FPU is missing"
		;;
	*)
		[ "$status" = 0 ] || fail "$machine: status $status: $(tail -n 1 "$log")"
		grep -q "^#E0 raw .* ram=$(( total >> 20 ))MiB dma32=0x$(printf '%016X' "$end")\$" "$log" ||
			fail "$machine: E0 does not say ram=$(( total >> 20 ))MiB dma32=0x$(printf '%016X' "$end")"
		grep -q "^#E1 handoff .* mem=$(printf '%016X' "$end") " "$log" ||
			fail "$machine: E1 mem= is not $(printf '%016X' "$end")"
		[ "$(tail -n 1 "$log")" = "FULL PROOF SUCCESS" ] || fail "$machine: $(tail -n 1 "$log")"
		;;
	esac
	echo "ok: $machine: RAM $(tr '\n' ' ' <<<"$want")($(( total >> 10 )) KiB), status $status"
done
