# arm64 board for tools/qemu-run: the kernel Image (arm64 Linux boot header,
# so QEMU passes the DTB in X0) on virt with GICv2, channel 0 on the PL011,
# the exit status through semihosting SYS_EXIT.
board_default_image() { echo "$1/build/out/cellos-arm64.bin"; }
# The kernel ELF (DWARF) that names its "#X" addresses.
board_default_elf() { echo "$1/build/out/cellos-arm64.elf"; }

board_command() {
	local image=$1 disk=$2
	qemu=(qemu-system-aarch64 -M virt,gic-version=2 -cpu cortex-a57 -m 128M
		-display none -no-reboot -monitor none -serial stdio -semihosting
		-kernel "$image")
	if [ -n "$disk" ]; then
		qemu+=(-global virtio-mmio.force-legacy=false
			-drive "file=$disk,format=raw,if=none,id=hd0"
			-device virtio-blk-device,drive=hd0)
	fi
}

# Semihosting SYS_EXIT hands the kernel's 0x20 | s straight to QEMU: 32..35
# are s = 0..3; 0 is a stop without a verdict; anything else is QEMU's.
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
