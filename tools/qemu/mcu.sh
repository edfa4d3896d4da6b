# Cortex-M board for tools/qemu-run: the kernel ELF on mps2-an386 (QEMU
# loads it at its link addresses, vector table at 0), channel 0 on UART0,
# the disk a host file the kernel reaches through semihosting file I/O,
# the exit status through semihosting SYS_EXIT_EXTENDED.
# CELLOS_MCU_MACHINE picks another MPS2 image (mps2-an385, mps2-an500).
board_default_image() { echo "$1/build/out/cellos-mcu.elf"; }
# The image is the ELF: it names its "#X" addresses itself.
board_default_elf() { board_default_image "$1"; }

board_command() {
	local image=$1 disk=$2
	# The kernel reads its disk's path from the semihosting command line
	# ("disk=PATH", arguments joined by spaces): absolute, since the host
	# opens it relative to QEMU's directory; no spaces; commas doubled for
	# QEMU's option parser; at most 200 bytes (the kernel's limit).
	local semi="enable=on,target=native,arg=cellos-mcu"
	if [ -n "$disk" ]; then
		disk=$(cd "$(dirname "$disk")" && pwd)/$(basename "$disk")
		case "$disk" in
		*" "*) die "$disk: the MCU's disk path cannot contain a space (semihosting splits its command line at spaces)" ;;
		esac
		[ "${#disk}" -le 200 ] || die "$disk: the MCU's disk path is longer than 200 bytes"
		semi+=",arg=disk=${disk//,/,,}"
	fi
	qemu=(qemu-system-arm -M "${CELLOS_MCU_MACHINE:-mps2-an386}"
		-display none -no-reboot -monitor none -serial stdio
		-semihosting-config "$semi" -kernel "$image")
}

# SYS_EXIT_EXTENDED hands the kernel's 0x20 | s to QEMU unchanged: 32..35
# are s = 0..3; 0 is a stop without a verdict (a reset: SYSRESETREQ under
# -no-reboot); anything else is QEMU's own (1: a bad option or image; 134:
# QEMU aborted, as it does when the CPU locks up, a fault in the fault
# handler).
board_status() {
	local s=$1
	if [ "$s" -ge 32 ] && [ "$s" -le 35 ]; then
		echo $((s - 32))
	elif [ "$s" = 0 ]; then
		echo noverdict
	else
		echo qemu
	fi
}
