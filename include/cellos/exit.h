/*
 * How a boot ends: the one table of exit statuses every target and every
 * runner uses (CONTRACT.md section 1, docs/PROOFS.md "Exit statuses").
 *
 * The kernel ends with one of the first four. A board cannot hand its
 * status to the host unchanged, because QEMU's own statuses (1 when it
 * cannot start, 0 when the guest resets under -no-reboot) would alias the
 * kernel's; so a board reports CELL_EXIT_BOARD_BASE | status, and
 * tools/qemu-run maps what QEMU returns back into this table:
 *
 *   x86   isa-debug-exit: the kernel writes v = 0x20 | status, QEMU exits
 *         2v + 1, so 65, 67, 69, 71;
 *   arm64 semihosting SYS_EXIT_EXTENDED with code 0x20 | status, QEMU exits
 *         32, 33, 34, 35;
 *   QEMU's status 0 (the machine stopped without the kernel's verdict: a
 *         triple fault or reset) is CELL_EXIT_PANIC; any other status QEMU
 *         chose itself is CELL_EXIT_NOSTART; the guard timeout is
 *         CELL_EXIT_HANG.
 *
 * The hosted kernel exits with the status itself; its panics abort() (so
 * sanitizers show a stack: the shell sees 134), and it exits
 * CELL_EXIT_NOSTART when the machine cannot run at all (a bad command
 * line, an unreadable file, a console that cannot be written).
 */
#ifndef CELLOS_EXIT_H
#define CELLOS_EXIT_H

enum cell_exit_status {
	CELL_EXIT_SUCCESS = 0, /* FULL PROOF SUCCESS */
	CELL_EXIT_FAILURE =
	    1, /* PROOF FAILURE: a check, a mismatch, a fallback */
	CELL_EXIT_UNCHECKED =
	    2,               /* PROOF UNCHECKED: no ledger for the phenotype */
	CELL_EXIT_PANIC = 3, /* panic, CPU exception, a loader's refusal */
	CELL_EXIT_NOSTART = 4, /* the machine did not start or could not run */
	CELL_EXIT_HANG = 5     /* no exit before the guard timeout (runners) */
};

/* What a board writes to its exit device: base | status (status 0..3). */
#define CELL_EXIT_BOARD_BASE 0x20u

#endif
