#!/usr/bin/env bash
# boot.sh TARGET LOG [RAM [DISK]] -- boot one target to its proof into LOG
# and check its E0 tuple and E1 fields against what that machine must
# report. TARGET is hosted, x86, arm64 or mcu; RAM (default 128) is in MiB
# (mcu: the MPS2 board's RAM is fixed, and taken from QEMU's memory map,
# CELLOS_MCU_MACHINE picks the board, mps2-an386 by default). The
# boot gets DISK (default: LOG with .img for .log; hosted: its in-memory
# disk) as a fresh data disk and must run E7 on it: a proof needs the
# machine's own storage.
set -euo pipefail
target=$1 log=$2 ram=${3:-128} disk=${4:-}
if [ -z "$disk" ] && [ "$target" != hosted ]; then
	disk=${log%.log}.img
fi
top=$(cd "$(dirname "$0")/../.." && pwd)
fail() { echo "FAIL: $target: $*" >&2; exit 1; }
disk_args=()
if [ -n "$disk" ]; then
	rm -f "$disk"
	case "$target" in
	hosted) disk_args=(--disk="$disk") ;;
	*) disk_args=(--disk "$disk" --fresh-disk) ;;
	esac
fi

mkdir -p "$(dirname "$log")"
case "$target" in
hosted)
	"${CELLOS_HOSTED:-$top/build/out/cellos-hosted}" --ram="${ram}M" \
		${disk_args[@]+"${disk_args[@]}"} >"$log" ||
		fail "exit status $?"
	tuple="arch=x86_64 tier=HOSTED .* intr=POSIX_SIGNALS timer=HOST_TIMER console=STDOUT ram=${ram}MiB"
	# Where the executable is linked: its first PT_LOAD segment's address
	# (0x400000 for x86_64, 0x8048000 for the 32-bit hosted-32 build).
	base=$(printf '%016X' "$(readelf -lW "${CELLOS_HOSTED:-$top/build/out/cellos-hosted}" |
		awk '$1 == "LOAD" { print $3; exit }')")
	cons="0000000000000010"
	;;
x86)
	"$top/tools/qemu-run" x86 --log "$log" --timeout 120 \
		${disk_args[@]+"${disk_args[@]}"} -- -m "${ram}M" >/dev/null ||
		fail "qemu-run exit status $?"
	tuple="arch=x86_64 tier=PC_BIOS .* intr=PIC_IOAPIC timer=PIT console=COM1 ram=${ram}MiB"
	base="0000000000100000"
	cons="0000000000000001"
	for stage in "s2 start" "a20 ok" "e820 ok" "kernel load ok" "paging on" "long ok"; do
		grep -qx "#E0 $stage" "$log" || fail "boot stage \"#E0 $stage\" missing"
	done
	;;
arm64)
	"$top/tools/qemu-run" arm64 --log "$log" --timeout 120 \
		${disk_args[@]+"${disk_args[@]}"} -- -m "${ram}M" >/dev/null ||
		fail "qemu-run exit status $?"
	tuple="arch=arm64 tier=QEMU_VIRT .* intr=GICV2 timer=ARCH_TIMER console=PL011 ram=${ram}MiB"
	base="0000000040080000"
	cons="0000000000000004"
	grep -qx "#E0 arm pl011 ok" "$log" || fail "boot stage \"#E0 arm pl011 ok\" missing"
	;;
mcu)
	"$top/tools/qemu-run" mcu --log "$log" --timeout 120 \
		${disk_args[@]+"${disk_args[@]}"} >/dev/null ||
		fail "qemu-run exit status $?"
	# The RAM QEMU gives the board, from QEMU's own memory map.
	map=$("$(dirname "$0")/mcu-ram-map.sh" "${CELLOS_MCU_MACHINE:-mps2-an386}") ||
		fail "no memory map from QEMU"
	total=0 top=0
	while read -r lo hi; do
		total=$(( total + 16#$hi - 16#$lo + 1 ))
		(( 16#$hi + 1 > top )) && top=$(( 16#$hi + 1 ))
	done <<<"$map"
	ram=$(( total >> 20 ))
	tuple="arch=arm_m tier=MCU_CONTROLLER .* intr=ONCHIP_MCU timer=ONCHIP_MCU console=UART0 ram=${ram}MiB dma32=0x$(printf '%016X' "$top")"
	base="0000000000000000"
	cons="0000000000000008"
	grep -qx "#E0 mcu uart0 ok" "$log" || fail "boot stage \"#E0 mcu uart0 ok\" missing"
	;;
*) fail "unknown target" ;;
esac

raw=$(grep '^#E0 raw ' "$log") || fail "no #E0 raw line"
[[ "$raw" =~ $tuple ]] || fail "E0 tuple: expected /$tuple/ in: $raw"
grep -q '^#E0 info "' "$log" || fail "no #E0 info line"
e1=$(grep '^#E1 handoff ' "$log") || fail "no #E1 line"
[[ "$e1" =~ base=$base ]] || fail "E1 base: expected $base in: $e1"
[[ "$e1" =~ cons=$cons ]] || fail "E1 cons: expected $cons in: $e1"
# mem= must be the top of RAM: within the RAM size above the board's base.
mem=$((16#$(sed -E 's/.*mem=([0-9A-F]+).*/\1/' <<<"$e1")))
lo=$(( ram << 20 ))
case "$target" in
arm64) lo=$(( 0x40000000 + lo )) ;;
mcu) lo=$top ;;	# the end of the highest RAM, exactly
esac
(( mem <= lo && mem > lo - (1 << 20) )) || fail "E1 mem=$mem is not within 1 MiB below $lo"
[ "$target" != mcu ] || (( mem == top )) || fail "E1 mem=$mem, the highest RAM ends at $top"
len=$((16#$(sed -E 's/.*len=([0-9A-F]+).*/\1/' <<<"$e1")))
(( len > 4096 )) || fail "E1 len=$len is implausibly small"
if [ -n "$disk" ]; then
	grep -q '^#I disk: [0-9]* blocks, blank: formatted for cell_os$' "$log" ||
		fail "the fresh disk $disk was not formatted: $(grep '^#[IW] disk' "$log" || echo 'no disk line')"
	! grep -q 'E7 runs in RAM' "$log" || fail "E7 ran in RAM although $disk was attached"
fi
[ "$(tail -n 1 "$log")" = "FULL PROOF SUCCESS" ] || fail "the last line is not FULL PROOF SUCCESS"
echo "ok: $target ram=${ram}MiB: $raw"
