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
#include "sha_arm64.h"

#define SYS_EXIT                     0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

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

/*
 * The SHA2 and CRC32 instructions, when ID_AA64ISAR0_EL1 says this CPU has
 * them (QEMU's cortex-a57 has both). The SHA2 engine uses the vector
 * registers: start.S opened FP/SIMD at EL1 (CPACR_EL1.FPEN = 0b11); if
 * that is not so, open it here, before anything can run the engine.
 */
const struct crypto_accel *
hal_crypto_accel(void)
{
	uint64_t isar0 = read_sysreg(id_aa64isar0_el1);
	uint64_t cpacr = read_sysreg(cpacr_el1);
	int sha2 = ISAR0_SHA2(isar0) != 0, crc32 = ISAR0_CRC32(isar0) != 0;

	if (sha2 && ((cpacr >> 20) & 3) != 3) {
		write_sysreg(cpacr_el1, cpacr | (3ull << 20));
		__asm__ volatile("isb" : : : "memory");
	}
	return arm64_crypto_accel(sha2, crc32);
}
