/*
 * The gene table and the system calls genes make (gene.h): each gene's
 * identity, arguments, state and memory arena, the live QoS engine every
 * send is gated through, and the clock the scheduler hands down. The
 * scheduler (scheduler.c) and the VM host (vm_host.c, vm_helpers.c) call in
 * here; this file calls nothing above it.
 */
#include <stdint.h>

#include "cellos/errors.h"
#include "cellos/parcel.h"
#include "cgraph.h"
#include "config.h"
#include "gene.h"
#include "kprint.h"
#include "obs_emit.h"
#include "organelles.h"
#include "qos.h"

/* CPU units a system call costs on top of the quantum's own unit. */
#define COST_SEND  2
#define COST_RECV  1
#define COST_ALLOC 1

struct gene_ctx {
	uint32_t slot;
	uint32_t id;
	uint32_t kind;
	uint32_t home; /* channel index */
	uint32_t args[2];
	gene_step_fn step;
	uint8_t state[GENE_STATE_SIZE];
};

static struct {
	uint32_t num_genes;
	struct gene_ctx genes[GENES_MAX];
	uint8_t arena[GENES_MAX][GENE_MEM_MAX];
	struct qos qos;
	uint32_t quantum, epoch; /* the scheduler's clock */
} t;

/* ---- the kernel's side ---- */

void
gene_table_init(const struct phenotype *p,
    gene_step_fn (*step_for_kind)(uint32_t kind))
{
	t.num_genes = p->num_genes;
	for (uint32_t i = 0; i < GENES_MAX; i++) {
		struct gene_ctx *g = &t.genes[i];

		*g = (struct gene_ctx){ 0 };
		if (i >= p->num_genes)
			continue;
		g->slot = i;
		g->id = p->genes[i].gene_id;
		g->kind = p->genes[i].kind;
		g->home = (uint32_t)pheno_channel_index(p, p->genes[i].channel);
		g->args[0] = p->genes[i].arg0;
		g->args[1] = p->genes[i].arg1;
		g->step = step_for_kind(g->kind);
	}
	qos_init(&t.qos, p);
	t.quantum = t.epoch = 0;
}

int
gene_table_check(const struct phenotype *p)
{
	for (uint32_t i = 0; i < p->num_genes; i++) {
		const struct gene_ctx *g = &t.genes[i];
		const pbin_gene_t *want = &p->genes[i];

		if (g->slot != i || g->id != want->gene_id ||
		    g->kind != want->kind || g->args[0] != want->arg0 ||
		    g->args[1] != want->arg1 ||
		    cg_channel_id(g->home) != want->channel)
			return (int)i;
	}
	return -1;
}

struct gene_ctx *
gene_at(uint32_t slot)
{
	return slot < t.num_genes ? &t.genes[slot] : NULL;
}

uint32_t
gene_slot(const struct gene_ctx *g)
{
	return g->slot;
}

uint8_t *
gene_arena(const struct gene_ctx *g)
{
	return t.arena[g->slot];
}

void
gene_set_clock(uint32_t quantum, uint32_t epoch)
{
	t.quantum = quantum;
	t.epoch = epoch;
}

void
gene_tick(void)
{
	qos_tick(&t.qos);
}

int
gene_kill(struct gene_ctx *g, enum lyso_reason reason)
{
	if (!org_dead(g->slot))
		obs_sys(OBS_SYS_GENE_KILLED, g->id, reason);
	org_kill(g->slot, reason, t.quantum);
	return -CELL_E_DEAD;
}

/* Charge CPU units; 0, or -CELL_E_DEAD when that breaks the budget. */
static int
charge_cpu(struct gene_ctx *g, uint32_t units)
{
	enum lyso_reason r;

	if (org_dead(g->slot))
		return -CELL_E_DEAD;
	r = org_charge_cpu(g->slot, units);
	return r == LYSO_ALIVE ? 0 : gene_kill(g, r);
}

int
gene_charge_quantum(struct gene_ctx *g)
{
	return charge_cpu(g, 1);
}

void
gene_step(struct gene_ctx *g)
{
	if (g->step != NULL)
		g->step(g);
}

/* ---- what genes call ---- */

uint32_t
gene_id(const struct gene_ctx *ctx)
{
	return ctx->id;
}

uint32_t
gene_arg(const struct gene_ctx *ctx, unsigned n)
{
	return n < 2 ? ctx->args[n] : 0;
}

uint32_t
gene_quantum(const struct gene_ctx *ctx)
{
	(void)ctx;
	return t.quantum;
}

uint32_t
gene_epoch(const struct gene_ctx *ctx)
{
	(void)ctx;
	return t.epoch;
}

void *
gene_state(struct gene_ctx *ctx)
{
	return ctx->state;
}

/*
 * The send path shared by gene_send and gene_forward: Golgi (edge check),
 * mitochondria (IO charge), QoS (verdict), then the channel queue.
 */
static int
route(struct gene_ctx *g, uint32_t channel_id, uint32_t sender, uint32_t verb,
    const void *payload, uint32_t len)
{
	enum lyso_reason r;
	enum qos_verdict v;
	int to, rc;

	if ((rc = charge_cpu(g, COST_SEND)) < 0)
		return rc;
	if (len > MSG_PAYLOAD_MAX)
		return -CELL_E_LENGTH;
	to = cg_index(channel_id);
	if (to < 0 || !cg_edge(g->home, (uint32_t)to)) {
		if (to >= 0)
			org_golgi_count(g->home, (uint32_t)to, GOLGI_DENIED);
		return gene_kill(g, LYSO_ROUTE);
	}
	r = org_charge_io(g->slot, 16 + len);
	if (r != LYSO_ALIVE)
		return gene_kill(g, r);
	v = qos_try_enqueue(&t.qos, (uint32_t)to);
	if (v == QOS_OK &&
	    cg_push((uint32_t)to, sender, g->home, verb, payload, len) < 0) {
		/* The shared message pool ran dry: a drop after all. */
		qos_dequeued(&t.qos, (uint32_t)to);
		v = QOS_DROP;
	}
	org_golgi_count(g->home, (uint32_t)to, v);
	switch (v) {
	case QOS_OK:
		return 0;
	case QOS_BUSY:
		return -CELL_E_BUSY;
	case QOS_DROP:
		return -CELL_E_NOSPACE;
	default:
		return -CELL_E_BUDGET;
	}
}

int
gene_send(struct gene_ctx *g, uint32_t channel_id, uint32_t verb,
    const void *payload, uint32_t len)
{
	return route(g, channel_id, g->id, verb, payload, len);
}

int
gene_forward(struct gene_ctx *g, uint32_t channel_id, const struct cg_msg *msg)
{
	return route(g, channel_id, msg->from_gene, msg->verb, msg->payload,
	    msg->len);
}

int
gene_send_log(struct gene_ctx *g, const void *text, uint32_t len)
{
	int hop = gene_next_hop(g, 0);

	if (hop < 0)
		return hop;
	return gene_send(g, (uint32_t)hop, PARCEL_VERB_LOG, text,
	    len > MSG_PAYLOAD_MAX ? MSG_PAYLOAD_MAX : len);
}

int
gene_next_hop(struct gene_ctx *g, uint32_t channel_id)
{
	int to = cg_index(channel_id);
	int hop;

	if (to < 0)
		return -CELL_E_ROUTE;
	hop = cg_next_hop(g->home, (uint32_t)to);
	return hop < 0 ? -CELL_E_ROUTE : (int)cg_channel_id((uint32_t)hop);
}

void
gene_energy(struct gene_ctx *g, struct gene_energy *out)
{
	(void)g;
	*out = (struct gene_energy){ 0 };
	for (uint32_t i = 0; i < t.num_genes; i++) {
		const struct mito_entry *m = org_mito(i);

		out->cpu_total += m->cpu_total;
		out->io_total += m->io_total;
		out->mem_held += m->mem_held;
		if (org_dead(i))
			out->dead++;
		else
			out->live++;
	}
}

/* cg_purge_sender's callback: the purged message's QoS slot is free. */
static void
purged(uint32_t index)
{
	qos_dequeued(&t.qos, index);
}

int
gene_reclaim_dead(struct gene_ctx *g, struct gene_reclaim *out)
{
	(void)g;
	for (uint32_t i = 0; i < t.num_genes; i++) {
		const struct lyso_entry *l = org_lyso(i);

		if (l->reason == LYSO_ALIVE || l->reclaimed)
			continue;
		out->gene_id = org_mito(i)->gene_id;
		out->reason = l->reason;
		out->messages = cg_purge_sender(out->gene_id, purged);
		out->memory = org_mito(i)->mem_held;
		org_charge_mem(i, -(int32_t)out->memory);
		org_reclaimed(i);
		return 1;
	}
	return 0;
}

int
gene_recv(struct gene_ctx *g, struct cg_msg *out)
{
	int rc;

	if ((rc = charge_cpu(g, COST_RECV)) < 0)
		return rc;
	if ((rc = cg_pop(g->home, out)) < 0)
		return rc;
	qos_dequeued(&t.qos, g->home);
	return 0;
}

void *
gene_alloc(struct gene_ctx *g, uint32_t bytes)
{
	uint32_t held = org_mito(g->slot)->mem_held;
	enum lyso_reason r;

	if (charge_cpu(g, COST_ALLOC) < 0)
		return NULL;
	/* More than an arena holds is over every budget (and must not wrap). */
	if (bytes > GENE_MEM_MAX) {
		(void)gene_kill(g, LYSO_MEM);
		return NULL;
	}
	r = org_charge_mem(g->slot, (int32_t)bytes);
	if (r != LYSO_ALIVE || held + bytes > GENE_MEM_MAX) {
		(void)gene_kill(g, r != LYSO_ALIVE ? r : LYSO_MEM);
		return NULL;
	}
	/* Zeroed, so nothing of an earlier boot or gene shows through. */
	for (uint32_t i = 0; i < bytes; i++)
		t.arena[g->slot][held + i] = 0;
	return &t.arena[g->slot][held];
}

int
gene_console(struct gene_ctx *g, const struct cg_msg *msg)
{
	char line[PEROXI_LINE_MAX];
	size_t n;
	int rc;

	if ((rc = charge_cpu(g, COST_RECV)) < 0)
		return rc;
	if (g->kind != GENE_KIND_PEROXI_SANITIZE)
		return gene_kill(g, LYSO_ROUTE);
	n = org_peroxi_sanitize(msg->payload, msg->len, line);
	kprintf("#G g%u %.*s\n", msg->from_gene, (int)n, line);
	return 0;
}
