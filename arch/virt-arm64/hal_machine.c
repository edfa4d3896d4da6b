/*
 * Leaving the virt board: semihosting SYS_EXIT (QEMU -semihosting), whose
 * parameter block {ADP_Stopped_ApplicationExit, code} makes QEMU exit with
 * code, which is CELL_EXIT_BOARD_BASE | status (include/cellos/exit.h);
 * without semihosting, wait for interrupts forever.
 */
#include <stdint.h>

#include "arm64.h"
#include "cellos/exit.h"
#include "hal.h"
#include "kprint.h"

#define SYS_EXIT			0x18
#define ADP_STOPPED_APPLICATION_EXIT	0x20026

void
hal_exit(int status)
{
	uint64_t block[2] = { ADP_STOPPED_APPLICATION_EXIT,
	    CELL_EXIT_BOARD_BASE | ((uint64_t)status & 0x1F) };
	register uint64_t w0 __asm__("x0") = SYS_EXIT;
	register uint64_t x1 __asm__("x1") = (uint64_t)(uintptr_t)block;

	__asm__ volatile("hlt #0xf000" : "+r"(w0) : "r"(x1) : "memory");
	for (;;)
		__asm__ volatile("msr daifset, #0xf; wfi");
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
	return arm64_unsupported;
}
