#!/usr/bin/env bash
# boot.sh LOG [RAM] -- boot the UEFI image through tools/qemu-run with RAM
# MiB (default 128) and a fresh data disk (LOG with .img for .log) to its
# proof, and check what the loader and the kernel must say on this machine:
# every loader stage in order, the E0 tuple (tier PC_UEFI, the 8259 and
# the PIT, COM1, ram=RAM), E1's base and length (KERNEL.BIN's size, read
# from the image's FAT by mtools), mem= the top of usable RAM (below RAM,
# above RAM less what OVMF keeps for itself: at most 4 MiB), dma32 = mem,
# the disk formatted and used for E7, and FULL PROOF SUCCESS.
set -euo pipefail
log=$1 ram=${2:-128}
. "$(dirname "$0")/lib.sh"
image=${CELLOS_UEFI_IMAGE:-$top/build/out/cellos-x86_uefi.img}
disk=${log%.log}.img
mkdir -p "$(dirname "$log")"
rm -f "$disk"
"$top/tools/qemu-run" uefi --image "$image" --log "$log" --timeout 120 \
	--disk "$disk" --fresh-disk -- -m "${ram}M" >/dev/null ||
	fail "uefi: qemu-run exit status $?"

# The stages, each once and in this order.
want="uefi start|kernel load ok|kernel verify ok|acpi rsdp ok|memory map ok|exit boot services ok|paging on"
got=$(grep -E '^#E0 ' "$log" | grep -v -E '^#E0 (raw|info) ' | sed 's/^#E0 //' | paste -sd'|')
[ "$got" = "$want" ] || fail "uefi: boot stages \"$got\", expected \"$want\""
grep -qx '#I uefi: ExitBootServices succeeded on call [1-8] .*' "$log" ||
	fail "uefi: no ExitBootServices line"

tuple="arch=x86_64 tier=PC_UEFI .* intr=PIC_IOAPIC timer=PIT console=COM1 ram=${ram}MiB"
raw=$(grep '^#E0 raw ' "$log") || fail "no #E0 raw line"
[[ "$raw" =~ $tuple ]] || fail "E0 tuple: expected /$tuple/ in: $raw"
e1=$(grep '^#E1 handoff ' "$log") || fail "no #E1 line"
[[ "$e1" =~ base=0000000000100000 ]] || fail "E1 base is not 1 MiB: $e1"
[[ "$e1" =~ cons=0000000000000001 ]] || fail "E1 cons is not COM1: $e1"
read -r _ kernel_len < <(map_of "$image" CELLOS/KERNEL.BIN)
len=$((16#$(sed -E 's/.*len=([0-9A-F]+).*/\1/' <<<"$e1")))
[ "$len" = "$kernel_len" ] || fail "E1 len=$len, KERNEL.BIN holds $kernel_len bytes"
mem=$((16#$(sed -E 's/.*mem=([0-9A-F]+).*/\1/' <<<"$e1")))
# q35 keeps all of RAM below 4 GiB up to 2816 MiB (0xB0000000), so the top
# of usable RAM is at most RAM itself.
(( ram < 2816 )) || fail "boot.sh checks mem= for RAM below 2816 MiB only"
hi=$(( ram << 20 ))
(( mem <= hi && mem > hi - (4 << 20) )) ||
	fail "E1 mem=$mem is not within 4 MiB below $hi"
dma32=$((16#$(sed -E 's/.*dma32=0x([0-9A-F]+).*/\1/' <<<"$raw")))
[ "$dma32" = "$mem" ] || fail "dma32=$dma32 differs from mem=$mem below 4 GiB"
grep -q '^#I disk: [0-9]* blocks, blank: formatted for cell_os$' "$log" ||
	fail "the fresh disk $disk was not formatted: $(grep '^#[IW] disk' "$log" || echo 'no disk line')"
! grep -q 'E7 runs in RAM' "$log" || fail "E7 ran in RAM although $disk was attached"
[ "$(tail -n 1 "$log")" = "FULL PROOF SUCCESS" ] || fail "the last line is not FULL PROOF SUCCESS"
echo "ok: uefi ram=${ram}MiB: $raw"
