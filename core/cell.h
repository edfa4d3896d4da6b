/*
 * The kernel core's entry points, called by each arch entry once it has
 * filled a handoff_t.
 */
#ifndef CELLOS_CELL_H
#define CELLOS_CELL_H

#include <stdint.h>

#include "cellos/handoff.h"

/*
 * Walk the boot flow and its proof chain (E0 .. E10) and return the exit
 * status (enum cell_exit_status): CELL_EXIT_SUCCESS after "FULL PROOF
 * SUCCESS", CELL_EXIT_FAILURE after "PROOF FAILURE", CELL_EXIT_UNCHECKED
 * after "PROOF UNCHECKED". Thread only; it starts with cell_reset(), so a
 * process may boot it again.
 */
int cell_boot(const handoff_t *h);

/* cell_boot, then hal_exit with its status. */
__attribute__((noreturn)) void cell_main(const handoff_t *h);

/*
 * After a successful boot, keep serving interrupts for ticks timer ticks
 * (at CELL_SERVE_HZ), printing a "#V event" line for each event the IRQ
 * bridge delivers from the timer-independent lines (software, external).
 */
#define CELL_SERVE_HZ 100
void cell_serve(uint32_t ticks);

/*
 * Called with the name of each boot step as it starts ("E2", ..., "E10")
 * and with "end" when the boot is over, when set (benchmarks time the steps
 * with it; the core itself reads no clock). NULL by default.
 */
extern void (*cell_step_hook)(const char *step);

/*
 * The device secret (32 bytes) when the machine hands one over (hosted
 * --secret FILE), else NULL and the boot reads the disk's provisioned slot
 * (core/disk.h). Set before cell_boot; the image holds no secret.
 */
extern const uint8_t *cell_machine_secret;

/* Return every subsystem to its initial state, as after a cold start. */
void cell_reset(void);

#endif
