/*
 * The hardware abstraction layer: everything the kernel core needs from the
 * machine. Prototypes only; each arch/<target>/ implements every function
 * once. core/ and genes/ call these and never look past them; wire/, under
 * the core, calls none of them.
 *
 * Context words used below:
 *   "any context"  may be called from an interrupt handler or with
 *                  interrupts disabled;
 *   "thread only"  must not be called from an interrupt handler.
 *
 * What a new board must provide, besides these functions: an arch entry
 * that fills handoff_t from real probes (include/cellos/handoff.h) and
 * calls cell_main; a console that needs no interrupts; a timer that ticks
 * at any rate from 19 Hz or so to HAL_TIMER_HZ_MAX; a software interrupt
 * that takes the CPU's real path; interrupts counted where the CPU takes
 * them (hal_irq_taken); an exit that reports CELL_EXIT_BOARD_BASE | status
 * to the runner; and a call to cellos_board_profile in its CMakeLists.
 * Errors are negative CELL_E_* values (include/cellos/errors.h); each call
 * lists the ones it may return, and returns no other.
 */
#ifndef CELLOS_HAL_H
#define CELLOS_HAL_H

#include <stddef.h>
#include <stdint.h>

#include "cellos/errors.h"
#include "cellos/handoff.h"

/* ---- console (channel 0) ---- */

/* Write len bytes to channel 0 and return when they are out. Any context. */
void hal_console_write(const char *buf, size_t len);

/* ---- interrupts ----
 * Lines are logical; each arch maps them to its vectors, GIC ids or signals.
 */
enum hal_irq_line {
	HAL_IRQ_TIMER = 0, /* the periodic tick started by hal_timer_start */
	HAL_IRQ_SOFT = 1,  /* software line raised by hal_irq_raise_soft */
	HAL_IRQ_EXT0 = 2,  /* external line 0 (hosted: SIGUSR1) */
	HAL_IRQ_EXT1 = 3,  /* external line 1 (hosted: SIGUSR2) */
	HAL_IRQ_LINES = 4
};

typedef void (*hal_irq_handler_t)(unsigned line, void *ctx);

/* Disable interrupts and return the previous state for hal_irq_restore. Any context. */
unsigned long hal_irq_save(void);

/* Restore the state returned by hal_irq_save; may dispatch pending lines. Any context. */
void hal_irq_restore(unsigned long state);

/* Enable interrupts. Thread only. */
void hal_irq_enable(void);

/*
 * Install handler for line (NULL removes it). 0, -CELL_E_INVAL (no such
 * line) or -CELL_E_NOSYS (the machine has no interrupt controller this
 * kernel drives). Thread only.
 */
int hal_irq_register(unsigned line, hal_irq_handler_t handler, void *ctx);

/* Mask or unmask one line at the controller; a masked line stays pending. Any context. */
void hal_irq_mask(unsigned line);
void hal_irq_unmask(unsigned line);

/* Tell the controller the handler for line is done (EOI). Handler context. */
void hal_irq_ack(unsigned line);

/*
 * Raise the software line through the CPU's real interrupt path (x86 INT or
 * self-IPI, arm64 GIC SGI, hosted a real-time signal). 0, -CELL_E_INVAL
 * (line is not HAL_IRQ_SOFT), -CELL_E_NOSYS (no interrupt controller),
 * -CELL_E_IO (the host would not send the signal). Any context; delivery
 * happens when interrupts are enabled (x86 takes INT even with them off,
 * and the HAL holds it while the line is masked).
 */
int hal_irq_raise_soft(unsigned line);

/*
 * Interrupts the CPU has taken on line, counted where the CPU enters the
 * kernel for them (x86: the IDT vector's dispatcher; arm64: the IRQ vector,
 * once the GIC's IAR names the line; hosted: the signal handler, for a
 * signal it accepts), whether a handler then ran or the line was dropped.
 * Monotonic while the machine runs; the E6 proof compares it with the
 * handler calls it saw. Any context.
 */
uint64_t hal_irq_taken(unsigned line);

/*
 * Called with interrupts disabled: enable them and sleep until an interrupt
 * has been taken, then return with interrupts disabled again. There is no
 * window in which a wake-up can be lost. Thread only.
 */
void hal_wait_irq(void);

/* ---- timer ---- */

/* The fastest tick every board's timer can give (hal_timer_start's limit). */
#define HAL_TIMER_HZ_MAX 10000u

/*
 * Start the periodic tick on HAL_IRQ_TIMER at hz ticks per second. 0, or
 * -CELL_E_INVAL (hz is 0, over HAL_TIMER_HZ_MAX or below what the timer
 * can count), -CELL_E_NOSYS (the machine has no timer or interrupt
 * controller this kernel drives), -CELL_E_IO (the host refused). Thread only.
 */
int hal_timer_start(uint32_t hz);

/* Stop the periodic tick; a tick already pending may still be dispatched. Thread only. */
void hal_timer_stop(void);

/* Ticks delivered since hal_timer_start (monotonic). Any context. */
uint64_t hal_timer_ticks(void);

/* ---- block storage ---- */

#define HAL_BLOCK_SIZE 512u

/*
 * Number of HAL_BLOCK_SIZE blocks on the machine's data disk, 0 when there
 * is none (the boot disk of a board is never this device). Thread only.
 */
uint64_t hal_blk_count(void);

/*
 * Read or write count whole blocks at lba. 0, -CELL_E_RANGE (count is 0 or
 * [lba, lba + count) is not on the disk), -CELL_E_IO (no disk, a device
 * error, a timeout, a write-protected disk: never silent zeros, never a
 * partial success reported as 0). Thread only.
 */
int hal_blk_read(uint64_t lba, void *buf, uint32_t count);
int hal_blk_write(uint64_t lba, const void *buf, uint32_t count);

/*
 * Barrier: every write issued before it is durable when it returns 0.
 * 0 or -CELL_E_IO (no disk, or the device failed the flush). Thread only.
 */
int hal_blk_flush(void);

/* ---- acceleration (optional) ---- */

struct crypto_accel; /* wire/crypto.h */

/*
 * The CPU's own engines for SHA-256 blocks and CRC32C (x86 SHA-NI and
 * SSE4.2 crc32, the ARMv8 SHA2 and CRC32 instructions), chosen by a real
 * probe of the CPU this runs on, or NULL when it has none this kernel
 * uses (a board or an emulator without them: the portable C runs). The
 * boot installs the table (crypto_use_accel) before the self-tests, which
 * then check the engines against the portable code; the core never knows
 * which it got. The engines may use vector registers that interrupt entry
 * does not save: no interrupt handler may hash (the kernel is built with
 * general registers only, and its handlers only count and capture). Any
 * state the engines need (FP/SIMD enabled) is set up before this returns.
 * The table is static; repeated calls return the same one. Thread only.
 */
const struct crypto_accel *hal_crypto_accel(void);

/* ---- machine ---- */

/*
 * The phenotype this machine booted with: the .pbin embedded in the image
 * (boards) or given with --phenotype (hosted). Untrusted bytes: the kernel
 * validates them. Sets *len and returns the bytes, or NULL when there is
 * none. Thread only.
 */
const uint8_t *hal_phenotype(size_t *len);

/* The .pbin arch id (enum pbin_arch) of phenotypes built for this machine. */
uint32_t hal_pbin_arch(void);

/*
 * NULL when this kernel drives everything on the machine the proof needs;
 * else a sentence naming what it cannot (an interrupt controller it has no
 * driver for, an unreadable device tree), which the boot refuses with right
 * after E1. Thread only.
 */
const char *hal_machine_unsupported(void);

/*
 * Leave the machine with status (enum cell_exit_status of
 * include/cellos/exit.h: 0 = FULL PROOF SUCCESS): a board reports
 * CELL_EXIT_BOARD_BASE | status through QEMU's isa-debug-exit or
 * semihosting, hosted calls exit(status). Never returns.
 */
__attribute__((noreturn)) void hal_exit(int status);

/*
 * A broken kernel invariant: report it and stop with a non-zero status. The
 * hosted target calls abort() so sanitizers and libFuzzer show a stack.
 */
__attribute__((noreturn)) void hal_panic(const char *why);

#endif
