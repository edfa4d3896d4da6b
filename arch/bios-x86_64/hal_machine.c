/*
 * Leaving the PC: QEMU's isa-debug-exit device at port 0xF4 ends QEMU with
 * status 2v+1 for a written v; on a machine without it, halt for good.
 */
#include "cpu.h"
#include "hal.h"
#include "kprint.h"
#include "x86.h"
#include "bootinfo.h"

void
hal_exit(int status)
{
	cli();
	outl(0xF4, (uint32_t)status);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void
hal_panic(const char *why)
{
	kprintf("#PANIC %s\n", why);
	hal_exit(X86_EXIT_PANIC);
}
