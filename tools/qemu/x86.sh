# x86 board for tools/qemu-run: the BIOS disk image on the first IDE disk,
# channel 0 from the 0xE9 debug console, the exit status through
# isa-debug-exit (QEMU exits with 2v+1 for a written v).
board_default_image() { echo "$1/build/out/cellos-x86_bios.img"; }

board_command() {
	local image=$1 disk=$2
	qemu=(qemu-system-x86_64 -machine "${CELLOS_X86_MACHINE:-pc}" -m 128M
		-display none -no-reboot -serial null -monitor none
		-debugcon stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04
		-drive "file=$image,format=raw,if=ide,index=0,media=disk")
	if [ -n "$disk" ]; then
		qemu+=(-drive "file=$disk,format=raw,if=ide,index=1,media=disk")
	fi
}

# Map QEMU's status to the kernel's: odd s = 2v+1; anything else means the
# kernel never wrote to the exit port.
board_status() {
	local s=$1
	if [ $((s % 2)) = 1 ]; then echo $(((s - 1) / 2)); else echo -1; fi
}
