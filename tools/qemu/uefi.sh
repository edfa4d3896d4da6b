# uefi board for tools/qemu-run: QEMU's q35 PC with Debian's OVMF firmware
# (OVMF_CODE read-only; OVMF_VARS with snapshot=on, so each run writes its
# own throw-away copy, which QEMU deletes, and the file is never changed), the ESP
# image on the first AHCI port, the data disk on the second (the port the
# kernel's AHCI driver uses), channel 0 from the 0xE9 debug console, the
# exit status through isa-debug-exit (QEMU exits with 2v+1 for a written
# v), no network (no PXE boot attempt). CELLOS_OVMF_CODE and
# CELLOS_OVMF_VARS name other firmware files.
board_default_image() { echo "$1/build/out/cellos-x86_uefi.img"; }
# The kernel it boots is the bios-x86_64 one: its ELF names the "#X" addresses.
board_default_elf() { echo "$1/build/out/cellos-x86.elf"; }

ovmf_code=${CELLOS_OVMF_CODE:-/usr/share/OVMF/OVMF_CODE_4M.fd}
ovmf_vars=${CELLOS_OVMF_VARS:-/usr/share/OVMF/OVMF_VARS_4M.fd}

board_command() {
	local image=$1 disk=$2
	[ -f "$ovmf_code" ] && [ -f "$ovmf_vars" ] ||
		die "$ovmf_code or $ovmf_vars missing (Debian package ovmf: ./cellos deps)"
	qemu=(qemu-system-x86_64 -machine q35 -m 128M
		-display none -no-reboot -serial null -monitor none -nic none
		-drive "if=pflash,format=raw,unit=0,readonly=on,file=$ovmf_code"
		-drive "if=pflash,format=raw,unit=1,snapshot=on,file=$ovmf_vars"
		-debugcon stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04
		-drive "file=$image,format=raw,if=ide,index=0,media=disk")
	if [ -n "$disk" ]; then
		qemu+=(-drive "file=$disk,format=raw,if=ide,index=1,media=disk")
	fi
}

# The x86 table: the loader and the kernel write v = 0x20 | s, QEMU exits
# 2v + 1, so 65, 67, 69, 71 are s = 0..3; 0 is a stop without a verdict.
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
