/*
 * Leaving the MCU, and its faults. The exit status goes out through
 * semihosting SYS_EXIT_EXTENDED (0x20, semihosting 2.0), whose parameter
 * block {ADP_Stopped_ApplicationExit, code} makes QEMU exit with code,
 * CELL_EXIT_BOARD_BASE | status (include/cellos/exit.h): QEMU 7.2 takes
 * the code from the block for SYS_EXIT_EXTENDED on every profile, where
 * plain SYS_EXIT on A32/T32 can only say 0 or 1. Without semihosting the
 * bkpt is a debug event nothing catches: the CPU locks up and the runner's
 * guard timeout ends the run.
 */
#include <stdint.h>

#include "cellos/exit.h"
#include "hal.h"
#include "kprint.h"
#include "log_ring.h"
#include "mcu.h"

#define SYS_EXIT_EXTENDED            0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

volatile int mcu_probing;

extern char __ram_start[], __ram_end[], __stack_bottom[];

void
hal_exit(int status)
{
	uint32_t block[2] = { ADP_STOPPED_APPLICATION_EXIT,
		CELL_EXIT_BOARD_BASE | ((uint32_t)status & 0x1F) };

	__asm__ volatile("cpsid i" : : : "memory");
	mcu_semihost(SYS_EXIT_EXTENDED, block);
	for (;;)
		__asm__ volatile("wfi");
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
	return mcu_unsupported;
}

static const char *
exception_name(uint32_t n)
{
	/* clang-format off */
	static const char *const names[16] = {
		"thread", "reset", "NMI", "HardFault", "MemManage", "BusFault",
		"UsageFault", "reserved 7", "reserved 8", "reserved 9",
		"reserved 10", "SVCall", "DebugMonitor", "reserved 13", "PendSV",
		"SysTick",
	};
	/* clang-format on */

	return n < 16 ? names[n] : "IRQ";
}

/* The frame is readable: 8 words, word-aligned, inside the kernel's RAM. */
static int
frame_readable(const uint32_t *frame)
{
	uintptr_t at = (uintptr_t)frame;

	return (at & 3) == 0 && at >= (uintptr_t)__ram_start &&
	    at + 32 <= (uintptr_t)__ram_end;
}

void
mcu_fault(uint32_t *frame, uint32_t exception, uint32_t exc_return)
{
	static const char nocp[] =
	    "#X the CPU has no FPU; this kernel is "
	    "built for the Cortex-M4F's (-mfloat-abi=hard)\n";
	static const char overflow[] = "#X the kernel stack overflowed\n";
	uint32_t cfsr = mmio_read32(SCB_CFSR);
	uint32_t n = exception & 0x1FF;
	uint32_t pc = 0, lr = 0, xpsr = 0, mmfar, bfar;
	char line[224];
	int len;

	if (frame_readable(frame)) {
		pc = frame[6];
		lr = frame[5];
		xpsr = frame[7];
	}
	/*
	 * A precise bus fault the RAM probe expects: resume after the probe.
	 * The probe runs with PRIMASK set, under which a bus fault cannot
	 * preempt and is escalated to HardFault (HFSR.FORCED); with BusFault
	 * enabled and PRIMASK clear it would come as itself.
	 */
	if ((n == 5 || (n == 3 && (mmio_read32(SCB_HFSR) & HFSR_FORCED))) &&
	    (cfsr & CFSR_PRECISERR) && mcu_probing && frame_readable(frame) &&
	    pc >= (uint32_t)(uintptr_t)mcu_probe_start &&
	    pc < (uint32_t)(uintptr_t)mcu_probe_end) {
		mmio_write32(SCB_CFSR, cfsr & CFSR_BFSR_MASK);
		if (n == 3)
			mmio_write32(SCB_HFSR, HFSR_FORCED);
		frame[0] = (uint32_t)MCU_PROBE_FAULT;
		frame[6] = (uint32_t)(uintptr_t)mcu_probe_fail & ~1u;
		return;
	}
	mcu_uart_ensure();
	log_flush();
	len =
	    ksnprintf(line, sizeof line, "#X exception %s", exception_name(n));
	if (n >= 16)
		len += ksnprintf(line + len, sizeof line - (size_t)len, " %u",
		    (unsigned)(n - 16));
	len += ksnprintf(line + len, sizeof line - (size_t)len,
	    " cfsr=%08X "
	    "hfsr=%08X mmfar=%08X bfar=%08X pc=%08X lr=%08X xpsr=%08X "
	    "exc_return=%08X\n",
	    cfsr, mmio_read32(SCB_HFSR), mmio_read32(SCB_MMFAR),
	    mmio_read32(SCB_BFAR), pc, lr, xpsr, exc_return);
	if (len > (int)sizeof line - 1)
		len = (int)sizeof line - 1;
	hal_console_write(line, (size_t)len);
	/* A coprocessor instruction on a part without the FPU (the build
	 * moves 64-bit values through d-registers): say what it means. */
	if ((cfsr & CFSR_NOCP) && mmio_read32(FPU_MVFR0) == 0)
		hal_console_write(nocp, sizeof nocp - 1);
	/* BFAR in the kernel's own RAM: the machine has less of it there. */
	bfar = mmio_read32(SCB_BFAR);
	if ((cfsr & CFSR_BFARVALID) &&
	    bfar - (uint32_t)(uintptr_t)__ram_start <
		(uint32_t)(__ram_end - __ram_start)) {
		len = ksnprintf(line, sizeof line,
		    "#X the kernel's data, BSS "
		    "and stack (%08X..%08X) are not all RAM on this machine\n",
		    (unsigned)(uintptr_t)__ram_start,
		    (unsigned)(uintptr_t)__ram_end - 1);
		hal_console_write(line, (size_t)len);
	}
	/* MMFAR in the stack's guard (mcu_main.c): say what it means. */
	mmfar = mmio_read32(SCB_MMFAR);
	if ((cfsr & CFSR_MMARVALID) &&
	    mmfar - (uint32_t)(uintptr_t)__stack_bottom < 32)
		hal_console_write(overflow, sizeof overflow - 1);
	hal_exit(CELL_EXIT_PANIC);
}

/* The Cortex-M4 has no SHA-256 or CRC32 instructions: the portable C runs. */
const struct crypto_accel *
hal_crypto_accel(void)
{
	return NULL;
}
