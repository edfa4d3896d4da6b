/*
 * Leaving the PC: QEMU's isa-debug-exit device at port 0xF4 ends QEMU with
 * status 2v+1 for a written v, and the kernel writes
 * CELL_EXIT_BOARD_BASE | status (include/cellos/exit.h); on a machine
 * without it, halt for good.
 */
#include "cellos/exit.h"
#include "cpu.h"
#include "hal.h"
#include "kprint.h"
#include "x86.h"

void
hal_exit(int status)
{
	cli();
	outl(0xF4, CELL_EXIT_BOARD_BASE | ((uint32_t)status & 0x1F));
	for (;;)
		__asm__ volatile("cli; hlt");
}

void
hal_panic(const char *why)
{
	kprintf("#PANIC %s\n", why);
	hal_exit(CELL_EXIT_PANIC);
}

const char *
hal_machine_unsupported(void)
{
	return NULL; /* every PC has the 8259s and the PIT this kernel drives */
}
