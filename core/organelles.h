/*
 * The organelles: the kernel's bookkeeping of what genes do.
 *   mitochondria  the energy table: CPU units, IO bytes and memory charged
 *                 to each gene, per epoch and in total, against its budget;
 *   Golgi         the routing verdict table: for each (from, to) channel
 *                 pair, how many sends were routed, held back, dropped,
 *                 starved of GAS or denied for want of an edge;
 *   lysosome      the dead map: which genes were killed, why and when, and
 *                 whether their resources have been reclaimed;
 *   peroxisome    the sanitizer for text on its way to channel 0.
 * The genes of the same names (genes/) do the organelles' periodic work.
 */
#ifndef CELLOS_ORGANELLES_H
#define CELLOS_ORGANELLES_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "pheno.h"
#include "qos.h"

enum lyso_reason {
	LYSO_ALIVE = 0,
	LYSO_ROUTE = 1, /* sent along an edge the graph does not have */
	LYSO_CPU = 2,   /* over its CPU budget in an epoch */
	LYSO_IO = 3,    /* over its IO budget in an epoch */
	LYSO_MEM = 4,   /* over its memory budget */
	/* its bytecode faulted (bad memory access, helper misuse) */
	LYSO_FAULT = 5,
	/* its bytecode was refused by the verifier: it never ran */
	LYSO_REJECTED = 6
};

struct mito_entry {
	uint32_t gene_id;
	uint32_t cpu_budget, io_budget, mem_budget;
	uint32_t cpu_epoch, io_epoch; /* this epoch */
	uint32_t cpu_total, io_total; /* since boot */
	uint32_t mem_held, mem_peak;
	uint32_t quanta;    /* quanta run */
	uint32_t gas_total; /* VM gas spent since boot (bytecode genes) */
	uint32_t gas_outs;  /* quanta that ended out of gas */
};

/* The Golgi's verdict columns: the QoS verdicts, then "denied". */
#define GOLGI_DENIED  QOS_VERDICTS
#define GOLGI_COLUMNS (QOS_VERDICTS + 1)

struct lyso_entry {
	uint32_t reason;    /* enum lyso_reason */
	uint32_t quantum;   /* when it was killed */
	uint32_t reclaimed; /* 1 once lyso_cleanup has freed its resources */
};

struct organelles {
	uint32_t num_genes;
	struct mito_entry mito[GENES_MAX];
	uint32_t golgi[CHANNELS_MAX][CHANNELS_MAX][GOLGI_COLUMNS];
	struct lyso_entry lyso[GENES_MAX];
	uint32_t peroxi_lines, peroxi_replaced, peroxi_cut;
};

/*
 * The tables. Only organelles.c writes them, through the functions below;
 * everything else reads them (the proof, the tests) or asks for an entry.
 */
extern struct organelles org;

/* Gene slot's entries (slot < GENES_MAX). */
const struct mito_entry *org_mito(uint32_t slot);
const struct lyso_entry *org_lyso(uint32_t slot);

/* Gene slot was given a quantum. */
void org_count_quantum(uint32_t slot);

/* Dead gene slot's resources have been freed (lyso_cleanup). */
void org_reclaimed(uint32_t slot);

/* Empty tables for the genes of p. */
void org_init(const struct phenotype *p);

/* Start a new epoch: per-epoch charges go back to zero. */
void org_new_epoch(void);

/*
 * Charge gene slot for CPU units / IO bytes / memory bytes (negative
 * releases memory). Returns 0, or the lyso reason the charge violates; the
 * caller kills the gene with org_kill. CPU and IO charges are recorded even
 * when they break the budget (the work was done); a memory charge past the
 * budget is refused and not recorded (nothing was handed out).
 */
enum lyso_reason org_charge_cpu(uint32_t slot, uint32_t units);
enum lyso_reason org_charge_io(uint32_t slot, uint32_t bytes);
enum lyso_reason org_charge_mem(uint32_t slot, int32_t bytes);

/*
 * Book gas a bytecode gene spent in a quantum; out_of_gas says the quantum
 * ended for want of more, which also costs VM_GAS_OUT_CPU CPU units. Returns
 * 0 or the lyso reason that CPU charge violates.
 */
enum lyso_reason org_charge_gas(uint32_t slot, uint32_t gas, int out_of_gas);

/* Count a Golgi verdict for a send from -> to (channel indices). */
void org_golgi_count(uint32_t from, uint32_t to, uint32_t column);

/* Kill gene slot for reason at quantum (first reason wins). */
void org_kill(uint32_t slot, enum lyso_reason reason, uint32_t quantum);

/* Whether gene slot is dead. */
int org_dead(uint32_t slot);

/* "alive", "route", "cpu", "io", "mem", "fault", "rejected". */
const char *org_reason_name(uint32_t reason);

/*
 * Sanitize text for channel 0: control and non-ASCII bytes become '?', and
 * a line longer than PEROXI_LINE_MAX is cut to it with a final '~'.
 * Writes at most PEROXI_LINE_MAX bytes to out and returns the count.
 */
size_t org_peroxi_sanitize(const uint8_t *text, size_t len,
    char out[PEROXI_LINE_MAX]);

/*
 * E5 mito: SHA-256 over the energy table: per gene, in order, 13 u32 LE
 * fields (gene_id, the three budgets, cpu/io this epoch, cpu/io total,
 * mem held and peak, quanta, gas total, quanta out of gas).
 */
uint32_t org_mito_hash(void);

/* E5 golgi: SHA-256 over the verdict table (n x n x columns) and dead map. */
uint32_t org_golgi_hash(uint32_t num_channels);

#endif
