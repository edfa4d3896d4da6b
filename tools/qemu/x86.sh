# x86 board for tools/qemu-run: the BIOS disk image on the first IDE disk,
# channel 0 from the 0xE9 debug console, the exit status through
# isa-debug-exit (QEMU exits with 2v+1 for a written v).
board_default_image() { echo "$1/build/out/cellos-x86_bios.img"; }
# The kernel ELF (DWARF) that names its "#X" addresses.
board_default_elf() { echo "$1/build/out/cellos-x86.elf"; }

board_command() {
	local image=$1 disk=$2
	# CELLOS_X86_MACHINE: pc (IDE by bus-master DMA), q35 (AHCI) or isapc
	# (no PCI: ATA PIO; give it CELLOS_X86_CPU=qemu64, its own CPU has no
	# long mode).
	qemu=(qemu-system-x86_64 -machine "${CELLOS_X86_MACHINE:-pc}" -m 128M
		${CELLOS_X86_CPU:+-cpu "$CELLOS_X86_CPU"}
		-display none -no-reboot -serial null -monitor none
		-debugcon stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04
		-drive "file=$image,format=raw,if=ide,index=0,media=disk")
	if [ -n "$disk" ]; then
		qemu+=(-drive "file=$disk,format=raw,if=ide,index=1,media=disk")
	fi
}

# Map QEMU's status to exit.h's: the kernel (or stage2) writes v = 0x20 | s,
# QEMU exits 2v + 1, so 65, 67, 69, 71 are s = 0..3; 0 is a stop without a
# verdict (-no-reboot turns a reset into an exit); anything else is QEMU's.
board_status() {
	local s=$1
	if [ "$s" -ge 65 ] && [ "$s" -le 71 ] && [ $((s % 2)) = 1 ]; then
		echo $(((s - 65) / 2))
	elif [ "$s" = 0 ]; then
		echo noverdict
	else
		echo qemu
	fi
}
