#!/usr/bin/env bash
# stage2-ram.sh IMAGE ELF WORK -- with too little RAM for the kernel, stage2
# refuses to boot, naming the range it needs and what the E820 map has there,
# and QEMU exits with status 71; with just enough, the kernel boots. The range
# is computed here from the ELF (its lowest PT_LOAD p_paddr, and _end, the
# end of BSS and the kernel stack), not taken from stage2's output.
set -euo pipefail
image=$1 elf=$2 work=$3
# shellcheck source=x86-refusal.sh
. "$(dirname "$0")/x86-refusal.sh"
rm -rf "$work" && mkdir -p "$work"

phys=$(readelf -lW "$elf" | awk '$1 == "LOAD" { print $4; exit }')
[ -n "$phys" ] || fail "$elf: no PT_LOAD segment"
lo=$((phys))
hi=$(( lo + 16#$(sym "$elf" _end) - 16#$(sym "$elf" __image_start) ))
need=$(printf '0x%08X\\.\\.0x%08X \\(%d KiB\\)' "$lo" "$hi" $(( (hi - lo + 1023) / 1024 )))
what="for the kernel's image, BSS and stack"
echo "the kernel needs $(printf '0x%08X..0x%08X' "$lo" "$hi")"

# 1 MiB: nothing usable at 1 MiB at all (the smallest QEMU size whose BIOS
# still loads the boot sector is just under 1 MiB).
refused ram-1M "$image" 1M \
	"#X stage2: not enough RAM: need $need $what; found no usable RAM at $(printf '0x%08X' "$lo"), [0-9]+ KiB usable in all: refusing to boot"
# 1 MiB + 176 KiB: some RAM at 1 MiB, not enough for the kernel.
refused ram-1200K "$image" 1200K \
	"#X stage2: not enough RAM: need $need $what; found usable RAM only at $(printf '0x%08X' "$lo")\\.\\.0x[0-9A-F]{8} \\([0-9]+ KiB\\), [0-9]+ KiB usable in all: refusing to boot"
# 2 MiB is enough: the kernel boots to its proof.
booted ram-2M "$image" 2M
grep -Eqx "#I stage2: RAM ok: the kernel needs $(printf '0x%08X..0x%08X' "$lo" "$hi"), usable RAM reaches 0x[0-9A-F]{8}" \
	"$work/ram-2M.e9" || fail "ram-2M: no \"RAM ok\" line naming $(printf '0x%08X..0x%08X' "$lo" "$hi")"
echo "ok: ram-2M: $(grep '^#I stage2: RAM ok' "$work/ram-2M.e9")"
