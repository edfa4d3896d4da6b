/*
 * The kernel core's entry points, called by each arch entry once it has
 * filled a handoff_t.
 */
#ifndef CELLOS_CELL_H
#define CELLOS_CELL_H

#include "cellos/handoff.h"

/*
 * Walk the boot flow and its proof chain (E0 .. E10) and return the exit
 * status: 0 after "FULL PROOF SUCCESS", non-zero after a "PROOF FAILURE"
 * line. Thread only; call cell_reset() before booting a second time.
 */
int cell_boot(const handoff_t *h);

/* cell_boot, then hal_exit with its status. */
__attribute__((noreturn)) void cell_main(const handoff_t *h);

/* Return every subsystem to its initial state, as after a cold start. */
void cell_reset(void);

#endif
