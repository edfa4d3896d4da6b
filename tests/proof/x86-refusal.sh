# x86-refusal.sh: sourced by the x86 boot-refusal tests (cgf-corrupt.sh,
# stage2-ram.sh, boot-fatal.sh). It boots an image with qemu-system-x86_64
# directly, not through tools/qemu-run, so the tests assert QEMU's own exit
# status: a boot stage's refusal writes 0x23 (include/cellos/exit.h:
# CELL_EXIT_BOARD_BASE | CELL_EXIT_PANIC) to isa-debug-exit, and QEMU exits
# 2 * 0x23 + 1 = 71. Port 0xE9 and COM1 are captured separately; the refusal
# must be on both.
#
# The caller sets $work (a scratch directory) before calling these.

REFUSED_STATUS=71
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

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

# sym ELF NAME: the symbol's value (hex, no 0x) from nm.
sym() {
	local v
	v=$(nm "$1" | awk -v n="$2" '$3 == n && !f { print $1; f = 1 }')
	[ -n "$v" ] || fail "$1 has no symbol $2"
	echo "$v"
}

# boot NAME IMAGE RAM [QEMU-ARGS...]: boot into $work/NAME.{e9,com1}; sets
# $status to QEMU's exit status (124: the guard timeout).
boot() {
	local name=$1 image=$2 ram=$3
	shift 3
	status=0
	timeout -k 5 60 qemu-system-x86_64 -machine pc -m "$ram" -display none \
		-no-reboot -monitor none \
		-debugcon "file:$work/$name.e9" -serial "file:$work/$name.com1" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-drive "file=$image,format=raw,if=ide,index=0,media=disk" \
		"$@" </dev/null >"$work/$name.qemu" 2>&1 || status=$?
}

# refused NAME IMAGE RAM LINE-REGEX [QEMU-ARGS...]: the boot must end with
# QEMU status 71, a line matching LINE-REGEX (whole line, ERE) on 0xE9 and
# on COM1, and no sign that the kernel ran.
refused() {
	local name=$1 image=$2 ram=$3 want=$4 log
	shift 4
	boot "$name" "$image" "$ram" "$@"
	[ "$status" = "$REFUSED_STATUS" ] || {
		tail -3 "$work/$name.e9" >&2
		fail "$name: QEMU status $status, expected $REFUSED_STATUS"
	}
	for log in "$work/$name.e9" "$work/$name.com1"; do
		grep -Eqx -- "$want" "$log" || {
			tail -3 "$log" >&2
			fail "$name: no line /$want/ in $log"
		}
		! grep -q '^#E1 ' "$log" || fail "$name: the kernel ran ($log)"
	done
	echo "ok: $name: status $status: $(grep -Ex -- "$want" "$work/$name.e9")"
}

# booted NAME IMAGE RAM: the control: the same harness boots an unchanged
# image, with a fresh data disk, to FULL PROOF SUCCESS (QEMU status 65), so
# a refusal above is the damage's doing.
booted() {
	rm -f "$work/$1.disk"
	truncate -s 8M "$work/$1.disk"
	# A proof disk: the TEST device secret and the proof inbox, as
	# tools/qemu-run --fresh-disk makes it.
	"${CELLOS_PROVISION:-$top/build/hosted/bin/cellos-provision}" proof \
		"$work/$1.disk" >/dev/null || fail "$1: cannot provision its data disk"
	boot "$1" "$2" "$3" \
		-drive "file=$work/$1.disk,format=raw,if=ide,index=1,media=disk"
	[ "$status" = 65 ] || fail "$1: QEMU status $status on an undamaged image"
	[ "$(tail -n 1 "$work/$1.e9")" = "FULL PROOF SUCCESS" ] ||
		fail "$1: the undamaged image did not reach FULL PROOF SUCCESS"
	echo "ok: $1: undamaged image boots (QEMU status $status)"
}
