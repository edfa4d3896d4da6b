/* Hosted-target internals shared by main.c, the HAL files and the fuzzers. */
#ifndef CELLOS_HOSTED_H
#define CELLOS_HOSTED_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cellos/errors.h"
#include "cellos/handoff.h"

/* Fill h from the host: CPU identification and features, the configured RAM. */
void hosted_probe(handoff_t *h, uint64_t ram_bytes);

/* Read the --phenotype file for hal_phenotype. 0, or -1 with a message. */
int hosted_load_phenotype(const char *path);

/* Boot the phenotype built into cellos-hosted (hosted.linux). */
void hosted_use_default_phenotype(void);

/* Use bytes (copied, up to one byte past the kernel's limit) as the phenotype. */
void hosted_set_phenotype(const uint8_t *bytes, size_t len);

/* ---- the machine as a whole (power.c) ---- */

/*
 * Power-cycle the hosted machine and boot the kernel once: interrupt state
 * back to a fresh process's, an in-memory disk zeroed (a file disk keeps
 * its contents, like a real disk), "#E0 hosted start", the probe, then
 * cell_boot. Returns cell_boot's status.
 */
int hosted_boot_once(uint64_t ram_bytes);

/*
 * Channel 0 goes to fd (1 by default), or nowhere when fd < 0. A write that
 * fails ends the process with CELL_EXIT_NOSTART and a message on stderr:
 * a proof nobody can read is no proof.
 */
void hosted_console_to(int fd);

/* ---- block device (hal_blk.c) ---- */

/* Blocks of the default device and of a newly created --disk file (8 MiB). */
#define HOSTED_DISK_BLOCKS (16384u)

/*
 * Use the file at path as the block device, creating it with
 * HOSTED_DISK_BLOCKS zero blocks, made a proof disk (hosted_proof_disk),
 * when missing or empty. 0, or -1 with a message on stderr (unreadable,
 * not a whole number of blocks, ...).
 */
int hosted_blk_open(const char *path);

/*
 * Use an in-memory device of blocks zeroed blocks, a proof disk when it is
 * large enough for the layout. 0, or -1 with a message.
 */
int hosted_blk_use_memory(uint64_t blocks);

/*
 * Zero an in-memory device and make it a proof disk again (a power cycle:
 * every boot of it is a fresh proof disk); a file device is left alone.
 */
void hosted_blk_power_cycle(void);

/*
 * Write the proof disk (proof_disk.c: the TEST device secret and the proof
 * inbox) through put, one block at a time. 0 or put's error.
 */
int hosted_proof_disk(int (*put)(void *ctx, uint64_t lba, const uint8_t *block),
    void *ctx);

/* --secret FILE: hand the kernel FILE's 32 bytes as the device secret. 0 or -1 (printed). */
int hosted_load_secret(const char *path);

/* No block device at all (--disk=none). 0. */
int hosted_blk_use_none(void);

/*
 * From the from-th hal_blk_write of each boot on (1 = every write), writes
 * fail with -CELL_E_IO and change nothing (--disk-fail=N); 0 turns it off.
 */
void hosted_blk_fail_writes(uint64_t from);

/* ---- interrupts (hal_irq.c, irq_record.c) ---- */

enum hosted_time {
	HOSTED_TIME_VIRTUAL = 0, /* time advances only while the kernel waits */
	HOSTED_TIME_REAL = 1     /* setitimer drives SIGALRM */
};

/* One recorded interrupt: at dispatch point `point`, line `line` fired. */
struct hosted_irq_event {
	uint64_t point;
	uint32_t line;
};

#define HOSTED_IRQ_RECORD_MAGIC "cellos-irq-record 1"

/*
 * Choose the time mode, and either a FILE to record the schedule into or a
 * schedule to replay (not both). Call before the kernel boots.
 */
void hosted_irq_configure(enum hosted_time mode, FILE *record,
    struct hosted_irq_event *schedule, size_t schedule_len);

/* Return the interrupt state to that of a fresh process (cell_reset). */
void hosted_irq_reset(void);

/*
 * Block the interrupt signals: the first thing main does, so that a signal
 * sent before the handlers exist stays pending (instead of killing the
 * process) and is taken through the handler once it is installed.
 */
void hosted_irq_block_early(void);

/*
 * Signals on line refused as not coming from who may raise it (hal_irq.c:
 * "Who may raise a line"), and the sender of the last one.
 */
uint64_t hosted_irq_refused(unsigned line, int *last_pid);

/*
 * Add interrupts on top of virtual time: at each listed dispatch point the
 * line is raised once more (for the fuzzers; events must be sorted by
 * point). The list is used by every following boot until replaced.
 */
void hosted_irq_inject(const struct hosted_irq_event *events, size_t count);

/* Whether a replay has used every recorded interrupt. */
int hosted_irq_replay_done(void);

/*
 * Read a schedule written by --irq-record. On a malformed file, prints
 * "FILE:LINE:COLUMN: message" on stderr and returns -1; otherwise 0 with
 * *events (malloc'd) and *count set.
 */
int hosted_irq_load_schedule(const char *path, struct hosted_irq_event **events,
    size_t *count);

#endif
