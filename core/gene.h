/*
 * What a gene sees of the kernel: its identity and arguments, a small state
 * area that survives between quanta, and the system calls below. Every call is
 * charged to the gene's mitochondria account; every send is checked by the
 * Golgi router (only edges of the channel graph) and gated by QoS. A gene
 * that breaks its budget or routes off the graph is killed by the lysosome
 * on the spot: the call returns -CELL_E_DEAD and the gene never runs again.
 */
#ifndef CELLOS_GENE_H
#define CELLOS_GENE_H

#include <stddef.h>
#include <stdint.h>

#include "cellos/errors.h"
#include "cgraph.h"
#include "organelles.h"
#include "pheno.h"

#define GENE_STATE_SIZE 128

/* Every gene states its state type with this, so it cannot outgrow the area. */
#define GENE_STATE_FITS(type)                           \
	_Static_assert(sizeof(type) <= GENE_STATE_SIZE, \
	    #type " is larger than GENE_STATE_SIZE")

struct gene_ctx;

/* One quantum of a gene: do a bounded amount of work and return. */
typedef void (*gene_step_fn)(struct gene_ctx *ctx);

/* The native step function of a gene kind (genes/registry.c), or NULL. */
gene_step_fn gene_step_for_kind(uint32_t kind);

uint32_t gene_id(const struct gene_ctx *ctx);
uint32_t gene_arg(const struct gene_ctx *ctx, unsigned n); /* arg0, arg1 */
uint32_t gene_quantum(const struct gene_ctx *ctx); /* kernel quantum number */
uint32_t gene_epoch(const struct gene_ctx *ctx);   /* budget epoch number */

/* The gene's private state (GENE_STATE_SIZE bytes, zero at start). */
void *gene_state(struct gene_ctx *ctx);

/*
 * Send a message to channel_id from the gene's home channel. Returns 0
 * (queued), -CELL_E_BUSY (QoS: no token or a full real-time queue; try in a
 * later quantum), -CELL_E_NOSPACE (dropped: full best-effort queue or the
 * message pool), -CELL_E_BUDGET (the GAS reservoir is empty), -CELL_E_LENGTH
 * (payload over MSG_PAYLOAD_MAX), or -CELL_E_DEAD (killed: no such edge, or
 * over its IO budget).
 */
int gene_send(struct gene_ctx *ctx, uint32_t channel_id, uint32_t verb,
    const void *payload, uint32_t len);

/*
 * Forward a received message to channel_id from the gene's home, keeping
 * its original sender and verb. Same rules and results as gene_send.
 */
int gene_forward(struct gene_ctx *ctx, uint32_t channel_id,
    const struct cg_msg *msg);

/*
 * Send text (a log line, verb PARCEL_VERB_LOG) one hop toward the console,
 * channel 0: to it when the home channel has that edge, else to the next
 * hop, whose Golgi gene forwards it. Text over MSG_PAYLOAD_MAX bytes is cut
 * to it. gene_send's results, or -CELL_E_ROUTE when the console cannot be
 * reached from the home channel.
 */
int gene_send_log(struct gene_ctx *ctx, const void *text, uint32_t len);

/*
 * The next channel on the way from the gene's home to channel_id (a
 * shortest path in the graph), or -CELL_E_ROUTE when there is none.
 */
int gene_next_hop(struct gene_ctx *ctx, uint32_t channel_id);

/* Take the oldest message of the home channel: 0, -CELL_E_NOENT, -CELL_E_DEAD. */
int gene_recv(struct gene_ctx *ctx, struct cg_msg *out);

/* Reserve bytes of the gene's memory arena; NULL when killed for it. */
void *gene_alloc(struct gene_ctx *ctx, uint32_t bytes);

/*
 * Write a message's text to channel 0 through the peroxisome, as the line
 * "#G g<sender> <sanitized text>". Only the peroxi_sanitize gene may; any
 * other gene is killed for routing around the graph.
 */
int gene_console(struct gene_ctx *ctx, const struct cg_msg *msg);

/* What the mitochondria gene reports. */
struct gene_energy {
	uint32_t cpu_total, io_total, mem_held;
	uint32_t live, dead;
};

/* Totals of the energy table. */
void gene_energy(struct gene_ctx *ctx, struct gene_energy *out);

/* What the lysosome gene reclaimed. */
struct gene_reclaim {
	uint32_t gene_id;
	uint32_t reason;   /* enum lyso_reason */
	uint32_t messages; /* queued messages purged */
	uint32_t memory;   /* bytes released */
};

/*
 * Reclaim the next dead gene not yet reclaimed: purge the messages it left
 * queued and release its memory. 1 and *out filled, or 0 when none is left.
 */
int gene_reclaim_dead(struct gene_ctx *ctx, struct gene_reclaim *out);

/*
 * ---- the kernel's side (gene.c): the gene table, for the scheduler and
 * the VM host ----
 */

/*
 * Fill the table from p's genes, each with the native step function
 * step_for_kind gives its kind (the scheduler hands down genes/'s
 * registry, so this file does not call up into the genes), and set up the
 * live QoS engine.
 */
void gene_table_init(const struct phenotype *p,
    gene_step_fn (*step_for_kind)(uint32_t kind));

/* The first slot whose entry no longer says what p says, or -1. */
int gene_table_check(const struct phenotype *p);

/* The gene in slot (NULL past the last). */
struct gene_ctx *gene_at(uint32_t slot);

/* The gene's slot (its index in the phenotype's gene table). */
uint32_t gene_slot(const struct gene_ctx *ctx);

/* The gene's memory arena: GENE_MEM_MAX bytes, gene_alloc hands them out. */
uint8_t *gene_arena(const struct gene_ctx *ctx);

/* The scheduler's clock, handed down before each quantum. */
void gene_set_clock(uint32_t quantum, uint32_t epoch);

/* After each quantum: the QoS buckets refill. */
void gene_tick(void);

/* Kill the gene for reason (the first reason wins); returns -CELL_E_DEAD. */
int gene_kill(struct gene_ctx *ctx, enum lyso_reason reason);

/* The quantum's own CPU unit: 0, or -CELL_E_DEAD when that breaks the budget. */
int gene_charge_quantum(struct gene_ctx *ctx);

/* Run the gene's kind's native step function, if it has one. */
void gene_step(struct gene_ctx *ctx);

/* Verbs genes use among themselves (above the CONTRACT's 1..3). */
enum gene_verb {
	GENE_VERB_READING = 16, /* a sensor reading: u32 quantum, u32 value */
	GENE_VERB_ENERGY = 17   /* an energy report: u32 per gene of CPU used */
};

#endif
