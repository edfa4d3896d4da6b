#!/usr/bin/env bash
# exit-status.sh ESP-PACK LOADER ELF WORK -- one case per row of the
# exit-status table (include/cellos/exit.h) on the UEFI board, through
# tools/qemu-run:
#   0 FULL PROOF SUCCESS   a fresh disk
#   1 PROOF FAILURE        no data disk (E7 falls back to RAM)
#   2 PROOF UNCHECKED      a phenotype the ledger does not cover (one byte
#                          of its name changed in a copy of the ELF, packed
#                          again, so the loader's digests cover the change)
#   3 panic or exception   an undefined instruction where E2 begins (packed
#                          again); the loader refusing a kernel with a byte
#                          changed (not packed again)
#   4 QEMU did not start   an option QEMU does not know
#   5 a hang               QEMU started stopped (-S), the guard timeout
set -euo pipefail
esp_pack=$1 loader=$2 elf=$3 work=$4
. "$(dirname "$0")/lib.sh"
rm -rf "$work" && mkdir -p "$work"
image=$top/build/out/cellos-x86_uefi.img

boot() {	# boot NAME QEMU-RUN-ARGS...: sets $status, log in $work/NAME.log
	local name=$1
	shift
	status=0
	"$top/tools/qemu-run" uefi --log "$work/$name.log" "$@" >/dev/null \
		2>"$work/$name.err" || status=$?
}
disk() { echo "--disk $work/$1.disk --fresh-disk"; }
expect() {	# expect NAME WANT LAST-LINE-REGEX
	[ "$status" = "$2" ] ||
		fail "$1: exit status $status, expected $2 ($(tail -n 1 "$work/$1.log" 2>/dev/null))"
	if [ -n "$3" ]; then
		tail -n 1 "$work/$1.log" | grep -Eqx -- "$3" ||
			fail "$1: the last line is \"$(tail -n 1 "$work/$1.log")\", expected /$3/"
	fi
	[ "$2" = 0 ] || ! grep -q '^FULL PROOF SUCCESS' "$work/$1.log" ||
		fail "$1: FULL PROOF SUCCESS in a boot that should not succeed"
	echo "ok: $1: status $status${3:+: $(tail -n 1 "$work/$1.log")}"
}
file_offset() {	# file_offset ELF ADDRESS: where the byte at ADDRESS is in the file
	objdump -d -F --start-address="0x$2" --stop-address=$((0x$2 + 4)) "$1" |
		sed -nE 's/.*\(File Offset: 0x([0-9a-f]+)\).*/\1/p' | head -n 1
}
repack() {	# repack NAME: $work/NAME.elf into $work/NAME.img
	"$esp_pack" --loader "$loader" --kernel "$work/$1.elf" --epoch 1700000000 \
		-o "$work/$1.img" || fail "$1: esp-pack refused the patched kernel"
}

# shellcheck disable=SC2046
boot success --timeout 120 $(disk success)
expect success 0 'FULL PROOF SUCCESS'

boot failure --timeout 120
expect failure 1 'PROOF FAILURE: E7 .*'

# "x86_bios.minimal" with its first letter in upper case.
cp "$elf" "$work/unchecked.elf"
name_hex=$(printf x86_bios.minimal | od -An -tx1 | tr -d ' \n')
patch "$work/unchecked.elf" "$(find_bytes "$work/unchecked.elf" "$name_hex")" 58
# The kernel refuses a phenotype whose signature no longer verifies
# (docs/PHENOTYPES.md): sign the patched one again, as the build does.
pbin=$top/build/bios-x86_64/arch/bios-x86_64/x86_bios.minimal.pbin
at=$(find_bytes "$work/unchecked.elf" "$(od -An -v -tx1 -N20 "$pbin" | tr -d ' \n')")
dd if="$work/unchecked.elf" of="$work/unchecked.pbin" bs=1 skip="$at" count="$(stat -c %s "$pbin")" 2>/dev/null
"$top/build/hosted/bin/cellos-sign" sign-phenotype --key "$top/keys/TEST-ONLY-root.pem" --key-id 0 \
	--test-key --in "$work/unchecked.pbin" -o "$work/unchecked.signed.pbin" >/dev/null
dd if="$work/unchecked.signed.pbin" of="$work/unchecked.elf" bs=1 seek="$at" conv=notrunc 2>/dev/null
repack unchecked
# shellcheck disable=SC2046
boot unchecked --timeout 120 --image "$work/unchecked.img" $(disk unchecked)
expect unchecked 2 'PROOF UNCHECKED: no ledger for phenotype [0-9A-F]{16}'

e2=$(sym "$elf" proof_e2_parcels)
cp "$elf" "$work/exception.elf"
patch "$work/exception.elf" $((0x$(file_offset "$elf" "$e2"))) 0f0b	# ud2
repack exception
# shellcheck disable=SC2046
boot exception --timeout 120 --image "$work/exception.img" $(disk exception)
expect exception 3 ''
grep -q '^#X exception' "$work/exception.log" || fail "exception: no #X line: $(tail -n 2 "$work/exception.log")"
! grep -q 'PROOF' "$work/exception.log" || fail "exception: a verdict after the exception"
echo "ok: exception: $(grep '^#X' "$work/exception.log")"

read -r kernel_at _ < <(map_of "$image" CELLOS/KERNEL.BIN)
cp "$image" "$work/refused.img"
patch "$work/refused.img" $((kernel_at + 0x$e2 - 0x$(sym "$elf" __image_start))) 90
# shellcheck disable=SC2046
boot refused --timeout 120 --image "$work/refused.img" $(disk refused)
expect refused 3 '#X uefi: kernel image SHA-256 mismatch: refusing to boot'
grep -q 'stopped with a panic, a CPU exception or a refusal' "$work/refused.err" ||
	fail "refused: qemu-run did not say why: $(cat "$work/refused.err")"
rm -f "$work"/*.img

boot nostart --timeout 120 -- -no-such-option
expect nostart 4 ''
grep -q 'QEMU failed' "$work/nostart.err" || fail "nostart: qemu-run did not say why: $(cat "$work/nostart.err")"

boot hang --timeout 3 -- -S
expect hang 5 ''
grep -q 'guard timeout' "$work/hang.err" || fail "hang: qemu-run did not say why: $(cat "$work/hang.err")"
