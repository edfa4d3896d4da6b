# lib.sh: sourced by the UEFI tests. Boots go through tools/qemu-run (the
# exit-status table) or, for refusals, through QEMU directly with the
# board's own command line (tools/qemu/uefi.sh), so that QEMU's raw status
# can be asserted and 0xE9 and COM1 captured apart: before ExitBootServices
# the loader's lines reach COM1 through ConOut (OVMF's terminal on the
# serial port, with its escape sequences), after it directly.
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
REFUSED_STATUS=71	# 2 * 0x23 + 1: exit.h's board panic through isa-debug-exit
SUCCESS_STATUS=65	# 2 * 0x20 + 1

fail() { echo "FAIL: $*" >&2; exit 1; }

# u32 FILE OFFSET: the little-endian u32 at OFFSET.
u32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }

# put32 FILE OFFSET VALUE: store VALUE there, little-endian.
put32() {
	local v=$3
	printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $((v & 255)) $((v >> 8 & 255)) \
		$((v >> 16 & 255)) $((v >> 24 & 255)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# flip FILE OFFSET: invert bit 5 of the byte at OFFSET.
flip() {
	local byte
	byte=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	[ -n "$byte" ] || fail "flip: offset $2 is past the end of $1"
	printf "$(printf '\\%03o' $((byte ^ 0x20)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# patch FILE OFFSET HEXBYTES: overwrite bytes in place.
patch() {
	printf "$(sed 's/../\\x&/g' <<<"$3")" |
		dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# find_bytes FILE HEXBYTES: the offset of the first occurrence.
find_bytes() {
	local pat off
	pat=$(sed 's/../\\x&/g' <<<"$2")
	off=$(LC_ALL=C grep -obUaP "$pat" "$1" | head -n 1 | cut -d: -f1)
	[ -n "$off" ] || fail "$1 does not contain $2"
	echo "$off"
}

# sym ELF NAME: the symbol's value (hex, no 0x) from nm.
sym() {
	local v
	v=$(nm "$1" | awk -v n="$2" '$3 == n && !f { print $1; f = 1 }')
	[ -n "$v" ] || fail "$1 has no symbol $2"
	echo "$v"
}

# map_of IMAGE PATH: "OFFSET LENGTH" of the file PATH (as esp-pack --map
# names it) inside IMAGE, found through mtools and the FAT, not esp-pack:
# the file's first cluster from mshowfat, the data area from the boot sector.
map_of() {
	local image=$1 path=$2 part=$((2048 * 512)) rsvd fats fatsz spc cluster len
	rsvd=$(od -An -tu2 -j $((part + 14)) -N2 "$image" | tr -d ' ')
	fats=$(od -An -tu1 -j $((part + 16)) -N1 "$image" | tr -d ' ')
	spc=$(od -An -tu1 -j $((part + 13)) -N1 "$image" | tr -d ' ')
	fatsz=$(u32 "$image" $((part + 36)))
	cluster=$(mshowfat -i "$image@@$part" "::/$path" | sed -nE 's/.*<([0-9]+)[->].*/\1/p')
	[ -n "$cluster" ] || fail "mshowfat found no cluster for $path in $image"
	len=$(mdir -i "$image@@$part" -b "::/$path" >/dev/null && mtype -i "$image@@$part" "::/$path" | wc -c)
	echo "$((part + (rsvd + fats * fatsz + (cluster - 2) * spc) * 512)) $len"
}

# raw_boot NAME IMAGE RAM [QEMU-ARGS...]: boot with the board's command
# line, 0xE9 into $work/NAME.e9 and COM1 into $work/NAME.com1; sets $status
# to QEMU's exit status (124: the guard timeout).
raw_boot() {
	local name=$1 image=$2 ram=$3 i
	shift 3
	die() { fail "$*"; }
	# shellcheck source=../../tools/qemu/uefi.sh
	. "$top/tools/qemu/uefi.sh"
	qemu=()
	board_command "$image" ""
	for i in "${!qemu[@]}"; do
		case "${qemu[$i]}" in
		stdio) [ "${qemu[$((i - 1))]}" = -debugcon ] && qemu[i]="file:$work/$name.e9" ;;
		null) [ "${qemu[$((i - 1))]}" = -serial ] && qemu[i]="file:$work/$name.com1" ;;
		esac
	done
	status=0
	timeout -k 5 120 "${qemu[@]}" -m "$ram" "$@" </dev/null >"$work/$name.qemu" 2>&1 ||
		status=$?
}

# refused NAME IMAGE LINE-REGEX: the boot must end with QEMU status 71, a
# line matching LINE-REGEX (ERE, whole line) on 0xE9 and the same text on
# COM1, and no sign that the kernel ran.
refused() {
	local name=$1 image=$2 want=$3
	raw_boot "$name" "$image" 128M
	[ "$status" = "$REFUSED_STATUS" ] || {
		tail -3 "$work/$name.e9" >&2
		fail "$name: QEMU status $status, expected $REFUSED_STATUS"
	}
	grep -Eqx -- "$want" "$work/$name.e9" || {
		tail -3 "$work/$name.e9" >&2
		fail "$name: no line /$want/ on 0xE9"
	}
	tr -d '\r' <"$work/$name.com1" | grep -Eq -- "${want#^}" ||
		fail "$name: the refusal /$want/ is not on COM1 (ConOut)"
	! grep -q '^#E1 ' "$work/$name.e9" || fail "$name: the kernel ran"
	! grep -q '^#E0 exit boot services ok' "$work/$name.e9" ||
		fail "$name: the loader left boot services"
	echo "ok: $name: status $status: $(grep -Ex -- "$want" "$work/$name.e9")"
}

# booted NAME IMAGE: the control: the same harness boots an undamaged image
# to FULL PROOF SUCCESS (QEMU status 65) with a fresh data disk.
booted() {
	rm -f "$work/$1.disk"
	truncate -s 8M "$work/$1.disk"
	# A proof disk: the TEST device secret and the proof inbox, as
	# tools/qemu-run --fresh-disk makes it.
	"${CELLOS_PROVISION:-$top/build/hosted/bin/cellos-provision}" proof \
		"$work/$1.disk" >/dev/null || fail "$1: cannot provision its data disk"
	raw_boot "$1" "$2" 128M \
		-drive "file=$work/$1.disk,format=raw,if=ide,index=1,media=disk"
	[ "$status" = "$SUCCESS_STATUS" ] ||
		fail "$1: QEMU status $status on an undamaged image"
	[ "$(tail -n 1 "$work/$1.e9")" = "FULL PROOF SUCCESS" ] ||
		fail "$1: the undamaged image did not reach FULL PROOF SUCCESS"
	echo "ok: $1: undamaged image boots (QEMU status $status)"
}
