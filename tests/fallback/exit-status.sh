#!/usr/bin/env bash
# exit-status.sh TARGET WORK -- one case per row of the exit-status table
# (include/cellos/exit.h, CONTRACT.md section 1) through tools/qemu-run:
#   0 FULL PROOF SUCCESS   a fresh disk
#   1 PROOF FAILURE        no disk
#   2 PROOF UNCHECKED      a phenotype the ledger does not cover (one byte
#                          of its name changed; on x86 repacked, so stage2's
#                          digest covers the new bytes)
#   3 panic or exception   an undefined instruction at the start of E2; on
#                          x86 also stage2 refusing a kernel with a byte
#                          changed; on mcu also a reset without a verdict
#                          (SYSRESETREQ at the start of E2: QEMU exits 0)
#   4 QEMU did not start   an option QEMU does not know
#   5 a hang               QEMU started stopped (-S), the guard timeout
set -euo pipefail
target=$1 work=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"
run=$top/tools/qemu-run
rm -rf "$work"
mkdir -p "$work"
boot() {	# boot NAME QEMU-RUN-ARGS...: sets $status, log in $work/NAME.log
	local name=$1
	shift
	status=0
	"$run" "$target" --log "$work/$name.log" "$@" >/dev/null 2>"$work/$name.err" ||
		status=$?
}
disk() { echo "--disk $work/$1.img --fresh-disk"; }

case "$target" in
x86)
	elf=$top/build/bios-x86_64/arch/bios-x86_64/cellos-x86.elf
	stages=$top/build/bios-x86_64/arch/bios-x86_64
	image=$top/build/out/cellos-x86_bios.img
	name=x86_bios.minimal
	;;
arm64)
	elf=$top/build/virt-arm64/arch/virt-arm64/cellos-arm64.elf
	image=$top/build/out/cellos-arm64.bin
	name=arm64.virt.pl011
	pbin_file=$top/build/virt-arm64/arch/virt-arm64/$name.pbin
	;;
mcu)
	elf=$top/build/out/cellos-mcu.elf
	image=$elf	# QEMU boots the ELF itself
	name=mcu.mps2.an386
	pbin_file=$top/build/mps2-cortex-m/arch/mps2-cortex-m/$name.pbin
	# The ELF's file offset of an address in .text.
	read -r text_addr text_off < <(readelf -SW "$elf" |
		sed -nE 's/.* \.text +PROGBITS +([0-9a-f]+) ([0-9a-f]+) .*/\1 \2/p')
	text_offset() { echo $(( (0x$1 & ~1) - 0x$text_addr + 0x$text_off )); }
	;;
*) fail "unknown target $target" ;;
esac
name_hex=$(printf '%s' "$name" | od -An -tx1 | tr -d ' \n')

# file_offset ELF ADDRESS: where the byte at ADDRESS is in the ELF file.
file_offset() {
	objdump -d -F --start-address="0x$2" --stop-address=$((0x$2 + 4)) "$1" |
		sed -nE 's/.*\(File Offset: 0x([0-9a-f]+)\).*/\1/p' | head -n 1
}

# variant NAME: a copy of the image to patch, as the file to boot. On x86 the
# patch goes into a copy of the ELF, then repack builds the image from it.
repack() {
	"$top/build/hosted/bin/disk-pack" --stage1 "$stages/stage1.bin" \
		--stage2 "$stages/stage2.bin" --kernel "$work/$1.elf" --cgf \
		-o "$work/$1.img.unsigned" || fail "$1: disk-pack refused the patched kernel"
	# Signed as the build signs it, so stage2 boots it (verified boot).
	"$top/build/hosted/bin/cellos-sign" sign-image --key "$top/keys/TEST-ONLY-root.pem" \
		--key-id 0 --test-key --in "$work/$1.img.unsigned" -o "$work/$1.img.boot" >/dev/null ||
		fail "$1: sign-image refused the patched image"
}

# 0
# shellcheck disable=SC2046
boot success --timeout 120 $(disk success)
expect success "$status" 0 "$work/success.log" 'FULL PROOF SUCCESS'

# 1
boot failure --timeout 120
expect failure "$status" 1 "$work/failure.log" 'PROOF FAILURE: E7 .*'

# 2: "x86_bios.minimal" / "arm64.virt.pl011" with its first letter in upper case
upper=$(printf '%02x' $((0x${name_hex:0:2} - 0x20)))
case "$target" in
x86)
	cp "$elf" "$work/unchecked.elf"
	patch "$work/unchecked.elf" "$(find_bytes "$work/unchecked.elf" "$name_hex")" "$upper"
	resign "$work/unchecked.elf" "$stages/$name.pbin"
	repack unchecked
	unchecked_image=$work/unchecked.img.boot
	;;
arm64|mcu)
	cp "$image" "$work/unchecked.bin"
	patch "$work/unchecked.bin" "$(find_bytes "$work/unchecked.bin" "$name_hex")" "$upper"
	resign "$work/unchecked.bin" "$pbin_file"
	unchecked_image=$work/unchecked.bin
	;;
esac
# shellcheck disable=SC2046
boot unchecked --timeout 120 --image "$unchecked_image" $(disk unchecked)
expect unchecked "$status" 2 "$work/unchecked.log" 'PROOF UNCHECKED: no ledger for phenotype [0-9A-F]{16}'

# 3: an undefined instruction where E2 begins
e2=$(sym "$elf" proof_e2_parcels)
case "$target" in
x86)
	cp "$elf" "$work/exception.elf"
	patch "$work/exception.elf" $((0x$(file_offset "$elf" "$e2"))) 0f0b	# ud2
	repack exception
	exception_image=$work/exception.img.boot
	;;
arm64)
	cp "$image" "$work/exception.bin"
	patch "$work/exception.bin" $((0x$e2 - 0x$(sym "$elf" _head))) 00000000	# udf #0
	exception_image=$work/exception.bin
	;;
mcu)
	cp "$elf" "$work/exception.elf"
	patch "$work/exception.elf" "$(text_offset "$e2")" 00de	# udf #0 (Thumb)
	exception_image=$work/exception.elf
	;;
esac
# shellcheck disable=SC2046
boot exception --timeout 120 --image "$exception_image" $(disk exception)
expect exception "$status" 3 "$work/exception.log" ''
grep -q '^#X exception' "$work/exception.log" || fail "exception: no #X line: $(tail -n 2 "$work/exception.log")"
! grep -q 'PROOF' "$work/exception.log" || fail "exception: a verdict after the exception"
echo "ok: exception: $(grep '^#X' "$work/exception.log")"
if [ "$target" = mcu ]; then
	# E2 begins with a system reset request (AIRCR.SYSRESETREQ), assembled
	# here: under -no-reboot QEMU exits 0, a stop without the kernel's
	# verdict, which qemu-run reports as 3 and says so.
	printf '\t.syntax unified\n\t.thumb\n\tmovw r0, #0xED0C\n\tmovt r0, #0xE000\n\tmovw r1, #0x0004\n\tmovt r1, #0x05FA\n\tstr r1, [r0]\n\tdsb\n1:\tb 1b\n' >"$work/reset.s"
	arm-none-eabi-as -mcpu=cortex-m4 "$work/reset.s" -o "$work/reset.o" &&
		arm-none-eabi-objcopy -O binary -j .text "$work/reset.o" "$work/reset.bin" ||
		fail "reset: the reset sequence does not assemble"
	cp "$elf" "$work/reset.elf"
	patch "$work/reset.elf" "$(text_offset "$e2")" "$(od -An -tx1 "$work/reset.bin" | tr -d ' \n')"
	# shellcheck disable=SC2046
	boot reset --timeout 120 --image "$work/reset.elf" $(disk reset)
	expect reset "$status" 3 "$work/reset.log" ''
	grep -q 'without the kernel.s verdict' "$work/reset.err" || fail "reset: qemu-run did not say why: $(cat "$work/reset.err")"
	! grep -q 'PROOF' "$work/reset.log" || fail "reset: a verdict after the reset"
	grep -q '^#E1 ' "$work/reset.log" || fail "reset: the kernel did not get to E1"
fi
if [ "$target" = x86 ]; then
	cp "$image" "$work/refused.img.boot"
	# A byte of the kernel's code: stage2's digest no longer matches.
	kernel_at=$(find_bytes "$work/refused.img.boot" "$(od -An -tx1 -j "$(( 0x$(file_offset "$elf" "$e2") ))" -N 12 "$elf" | tr -d ' \n')")
	patch "$work/refused.img.boot" "$kernel_at" 90
	# shellcheck disable=SC2046
	boot refused --timeout 120 --image "$work/refused.img.boot" $(disk refused)
	expect refused "$status" 3 "$work/refused.log" '#X stage2: .*: refusing to boot'
fi

# 4
boot nostart --timeout 120 -- -no-such-option
expect nostart "$status" 4 "$work/nostart.log" ''
grep -q 'QEMU failed' "$work/nostart.err" || fail "nostart: qemu-run did not say why: $(cat "$work/nostart.err")"

# 5
boot hang --timeout 3 -- -S
expect hang "$status" 5 "$work/hang.log" ''
grep -q 'guard timeout' "$work/hang.err" || fail "hang: qemu-run did not say why: $(cat "$work/hang.err")"
