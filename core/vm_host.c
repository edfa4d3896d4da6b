/*
 * The VM host: loading genes' programs, running their quanta, and the
 * helpers of include/cellos/vm_abi.h. See vm_host.h for the contracts.
 *
 * Each helper is a thin layer over a gene.h system call: it checks the
 * gene's pointers against its regions (vm_mem), makes the same call a
 * native gene makes, and turns the result into r0. A helper that finds
 * the gene killed (-CELL_E_DEAD) stops the program at once: a dead gene
 * runs no further instruction. A pointer outside the regions is a fault,
 * and the gene is killed for it; the kernel carries on.
 */
#include <stddef.h>
#include <stdint.h>

#include "cellos/errors.h"
#include "cellos/events.h"
#include "cgraph.h"
#include "config.h"
#include "events.h"
#include "irq_bridge.h"
#include "kprint.h"
#include "organelles.h"
#include "parcel.h"
#include "scheduler.h"
#include "vm_host.h"

_Static_assert(VM_STATE_SIZE == GENE_STATE_SIZE, "the state region is the gene state");
_Static_assert(VM_MSG_PAYLOAD_MAX == MSG_PAYLOAD_MAX, "messages fit gene_vm_msg");
_Static_assert(VM_EVENT_CAP_MIN == EVENT_FRAME_MAX, "an event frame fits the cap");

/* One gene's VM: its program, its grant and what it holds between quanta. */
struct vm_gene {
	int loaded;
	struct vm_prog prog;
	const uint8_t *rodata;		/* in the phenotype's code pool */
	uint32_t rodata_len;
	uint32_t gas;			/* per quantum */
	struct gene_vm_ctx ctx;		/* the context region */
	struct cg_msg held;		/* the last message received */
	int holding;
};

/* The machine of the quantum being run: the helpers find the gene here. */
struct vm_run_ctx {
	struct gene_ctx *gene;
	struct vm_gene *vg;
};

static struct {
	struct vm_gene genes[GENES_MAX];
	struct vm_insn pool[VM_DECODED_MAX];
	uint32_t pool_used;
	uint8_t stack[VM_STACK_SIZE];	/* shared: one gene runs at a time */
	struct kv_store *kv;
	struct vmhost_stats stats;
} h;

void
vmhost_load(const struct phenotype *p)
{
	h.pool_used = 0;
	h.stats = (struct vmhost_stats){ 0 };
	for (uint32_t i = 0; i < VM_STACK_SIZE; i++)
		h.stack[i] = 0;
	for (uint32_t slot = 0; slot < GENES_MAX; slot++)
		h.genes[slot] = (struct vm_gene){ 0 };
	for (uint32_t slot = 0; slot < p->num_genes; slot++) {
		const pbin_gene_t *g = &p->genes[slot];
		const pbin_gene_code_t *c = pheno_gene_code(p, g->gene_id);
		struct vm_gene *vg = &h.genes[slot];
		struct vm_verify_error err = { 0 };
		const struct pheno_program *pg;
		uint32_t used = 0;
		int rc;

		if (c == NULL)
			continue;
		pg = &p->programs[c->program];
		rc = vm_load(&vg->prog, pg->code, pg->insn_count, pg->entry,
		    c->helpers, h.pool + h.pool_used,
		    VM_DECODED_MAX - h.pool_used, &used, &err);
		if (rc < 0) {
			kprintf("#W gene g%u rejected: slot %u: %s\n", g->gene_id,
			    err.insn, rc == -CELL_E_NOSPACE ?
			    "no room left to decode it (VM_DECODED_MAX)" :
			    err.reason);
			sched_kill_slot(slot, LYSO_REJECTED);
			h.stats.rejected++;
			continue;
		}
		h.pool_used += used;
		vg->loaded = 1;
		vg->gas = c->gas;
		vg->ctx.gene_id = g->gene_id;
		vg->ctx.home = g->channel;
		vg->ctx.arg0 = g->arg0;
		vg->ctx.arg1 = g->arg1;
		vg->ctx.kind = g->kind;
		vg->ctx.gas = c->gas;
		vg->rodata = pg->rodata;
		vg->rodata_len = pg->rodata_len;
		h.stats.loaded++;
	}
	h.stats.slots = h.pool_used;
}

int
vmhost_has_program(uint32_t slot)
{
	return slot < GENES_MAX && h.genes[slot].loaded;
}

void
vmhost_attach_kv(struct kv_store *kv)
{
	h.kv = kv;
}

struct vmhost_stats
vmhost_stats(void)
{
	return h.stats;
}

void
vmhost_run(struct gene_ctx *g)
{
	uint32_t slot = sched_slot(g);
	struct vm_gene *vg = &h.genes[slot];
	struct vm_run_ctx run = { g, vg };
	struct vm_machine m = { 0 };
	struct vm_result res;
	enum lyso_reason r;

	vg->ctx.quantum = gene_quantum(g);
	vg->ctx.epoch = gene_epoch(g);
	m.region[VM_REGION_CTX] = (struct vm_region){ (uint8_t *)&vg->ctx,
	    sizeof vg->ctx, 0 };
	m.region[VM_REGION_STATE] = (struct vm_region){ gene_state(g),
	    GENE_STATE_SIZE, 1 };
	m.region[VM_REGION_STACK] = (struct vm_region){ h.stack,
	    VM_STACK_SIZE, 1 };
	m.region[VM_REGION_RODATA] = (struct vm_region){
	    (uint8_t *)(uintptr_t)vg->rodata, vg->rodata_len, 0 };
	m.region[VM_REGION_HEAP] = (struct vm_region){ sched_arena(slot),
	    org.mito[slot].mem_held, 1 };
	m.helpers = &vmhost_helpers;
	m.user = &run;
	m.gas = vg->gas;
	vm_run(&vg->prog, &m, VM_CTX_BASE, VM_STATE_BASE, &res);
	r = org_charge_gas(slot, (uint32_t)res.gas_used,
	    res.exit == VM_EXIT_GAS);
	if (res.exit == VM_EXIT_FAULT) {
		kprintf("#W gene g%u fault: %s at slot %u (address 0x%llX)\n",
		    vg->ctx.gene_id, vm_fault_name(res.fault), res.fault_pc,
		    (unsigned long long)res.fault_addr);
		sched_kill_slot(slot, LYSO_FAULT);
	} else if (r != LYSO_ALIVE) {
		sched_kill_slot(slot, r);
	}
}

/* ---- helpers ---- */

static struct gene_ctx *
gene_of(struct vm_machine *m)
{
	return ((struct vm_run_ctx *)m->user)->gene;
}

static struct vm_gene *
vgene_of(struct vm_machine *m)
{
	return ((struct vm_run_ctx *)m->user)->vg;
}

/* r0 = rc; a killed gene stops. */
static enum vm_call_status
result(int rc, uint64_t *ret)
{
	*ret = (uint64_t)(int64_t)rc;
	return rc == -CELL_E_DEAD ? VM_CALL_STOP : VM_CALL_OK;
}

static enum vm_call_status
helper_send(struct vm_machine *m, const uint64_t a[5], uint64_t *ret)
{
	static const uint8_t none[1];
	const void *payload = none;
	uint64_t len = a[3];

	/* An over-long send is refused by gene_send, not read. */
	if (len <= MSG_PAYLOAD_MAX && len > 0 &&
	    (payload = vm_mem(m, a[2], len, 0)) == NULL)
		return VM_CALL_FAULT;
	return result(gene_send(gene_of(m), (uint32_t)a[0], (uint32_t)a[1],
	    payload, len > MSG_PAYLOAD_MAX ? MSG_PAYLOAD_MAX + 1 :
	    (uint32_t)len), ret);
}

/* Store n u32 words little-endian at out, as helpers hand records over. */
static void
store_words(uint8_t *out, const uint32_t *w, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		le32_store(out + 4 * i, w[i]);
}

/* Copy the first n bytes of msg's gene_vm_msg form to out. */
static void
msg_copy_out(const struct cg_msg *msg, uint8_t *out, uint32_t n)
{
	const uint32_t hdr[4] = { msg->from_gene,
	    cg_channel_id(msg->from_channel), msg->verb, msg->len };
	uint8_t rec[sizeof(struct gene_vm_msg)];

	store_words(rec, hdr, 4);
	for (uint32_t i = 0; i < VM_MSG_PAYLOAD_MAX; i++)
		rec[VM_MSG_HDR_SIZE + i] = i < msg->len ? msg->payload[i] : 0;
	for (uint32_t i = 0; i < n; i++)
		out[i] = rec[i];
}

static enum vm_call_status
helper_recv(struct vm_machine *m, const uint64_t a[5], uint64_t *ret)
{
	struct vm_gene *vg = vgene_of(m);
	uint64_t cap = a[1] < sizeof(struct gene_vm_msg) ? a[1] :
	    sizeof(struct gene_vm_msg);
	uint8_t *out = NULL;
	struct cg_msg msg;
	int rc;

	/* Check the buffer before a message is taken, so none is lost. */
	if (cap > 0 && (out = vm_mem(m, a[0], cap, 1)) == NULL)
		return VM_CALL_FAULT;
	rc = gene_recv(gene_of(m), &msg);
	if (rc < 0)
		return result(rc, ret);
	vg->held = msg;
	vg->holding = 1;
	msg_copy_out(&msg, out, (uint32_t)cap);
	*ret = msg.len;
	return VM_CALL_OK;
}

static enum vm_call_status
helper_forward(struct vm_machine *m, const uint64_t a[5], uint64_t *ret)
{
	struct vm_gene *vg = vgene_of(m);

	if (!vg->holding)
		return result(-CELL_E_NOENT, ret);
	return result(gene_forward(gene_of(m), (uint32_t)a[0], &vg->held),
	    ret);
}

static enum vm_call_status
helper_next_hop(struct vm_machine *m, const uint64_t a[5], uint64_t *ret)
{
	return result(gene_next_hop(gene_of(m), (uint32_t)a[0]), ret);
}

static enum vm_call_status
helper_log(struct vm_machine *m, const uint64_t a[5], uint64_t *ret)
{
	char text[MSG_PAYLOAD_MAX];
	int n = vmhost_format(m, a[0], a[1], a[2], text, sizeof text);

	if (n == VMHOST_FMT_FAULT)
		return VM_CALL_FAULT;
	if (n < 0)
		return result(n, ret);
	return result(gene_send_log(gene_of(m), text, (uint32_t)n), ret);
}

static enum vm_call_status
helper_format(struct vm_machine *m, const uint64_t a[5], uint64_t *ret)
{
	char text[VM_MSG_PAYLOAD_MAX];
	uint8_t *out = NULL;
	int n = vmhost_format(m, a[2], a[3], a[4], text, sizeof text);

	if (n == VMHOST_FMT_FAULT)
		return VM_CALL_FAULT;
	if (n < 0)
		return result(n, ret);
	if ((uint64_t)n > a[1] || n > (int)sizeof text)
		return result(-CELL_E_NOSPACE, ret);
	if (n > 0 && (out = vm_mem(m, a[0], (uint64_t)n, 1)) == NULL)
		return VM_CALL_FAULT;
	for (int i = 0; i < n; i++)
		out[i] = (uint8_t)text[i];
	*ret = (uint64_t)n;
	return VM_CALL_OK;
}

static enum vm_call_status
helper_console(struct vm_machine *m, const uint64_t a[5], uint64_t *ret)
{
	struct vm_gene *vg = vgene_of(m);

	(void)a;
	if (!vg->holding)
		return result(-CELL_E_NOENT, ret);
	return result(gene_console(gene_of(m), &vg->held), ret);
}

static enum vm_call_status
helper_energy(struct vm_machine *m, const uint64_t a[5], uint64_t *ret)
{
	uint8_t *out = vm_mem(m, a[0], sizeof(struct gene_vm_energy), 1);
	struct gene_energy e;

	if (out == NULL)
		return VM_CALL_FAULT;
	gene_energy(gene_of(m), &e);
	store_words(out, (const uint32_t[5]){ e.cpu_total, e.io_total,
	    e.mem_held, e.live, e.dead }, 5);
	*ret = 0;
	return VM_CALL_OK;
}

static enum vm_call_status
helper_reclaim(struct vm_machine *m, const uint64_t a[5], uint64_t *ret)
{
	uint8_t *out = vm_mem(m, a[0], sizeof(struct gene_vm_reclaim), 1);
	struct gene_reclaim rc;

	if (out == NULL)
		return VM_CALL_FAULT;
	if (!gene_reclaim_dead(gene_of(m), &rc)) {
		*ret = 0;
		return VM_CALL_OK;
	}
	store_words(out, (const uint32_t[4]){ rc.gene_id, rc.reason,
	    rc.messages, rc.memory }, 4);
	*ret = 1;
	return VM_CALL_OK;
}

static enum vm_call_status
helper_alloc(struct vm_machine *m, const uint64_t a[5], uint64_t *ret)
{
	struct gene_ctx *g = gene_of(m);
	uint32_t slot = sched_slot(g);
	/* More than an arena holds cannot be had; ask for just over that. */
	uint32_t bytes = a[0] > GENE_MEM_MAX ? GENE_MEM_MAX + 1 : (uint32_t)a[0];
	uint8_t *p = gene_alloc(g, bytes);

	if (p == NULL) {
		*ret = 0;
		return VM_CALL_STOP;
	}
	m->region[VM_REGION_HEAP].len = org.mito[slot].mem_held;
	*ret = VM_HEAP_BASE + (uint64_t)(p - sched_arena(slot));
	return VM_CALL_OK;
}

static enum vm_call_status
helper_ticks(struct vm_machine *m, const uint64_t a[5], uint64_t *ret)
{
	(void)m;
	(void)a;
	*ret = sched_quanta();
	return VM_CALL_OK;
}

static enum vm_call_status
helper_event(struct vm_machine *m, const uint64_t a[5], uint64_t *ret)
{
	uint8_t frame[EVENT_FRAME_MAX];
	struct event e;
	uint8_t *out;
	int n;

	if (a[1] < VM_EVENT_CAP_MIN)
		return result(-CELL_E_NOSPACE, ret);
	if ((out = vm_mem(m, a[0], VM_EVENT_CAP_MIN, 1)) == NULL)
		return VM_CALL_FAULT;
	if (irqb_pop(&e) < 0)
		return result(-CELL_E_NOENT, ret);
	n = event_pack(&e, frame, sizeof frame);
	if (n < 0)
		return result(n, ret);
	for (int i = 0; i < n; i++)
		out[i] = frame[i];
	*ret = (uint64_t)n;
	return VM_CALL_OK;
}

/*
 * The namespace ("g" and the gene's id) and key (key_len bytes of gene
 * memory, as a C string) of a kv helper call, once a store is attached.
 * 0, a negative CELL_E_* code for the gene, or VMHOST_FMT_FAULT for a key
 * outside its regions.
 */
static int
kv_target(struct vm_machine *m, uint64_t addr, uint64_t len, char ns[8],
    char key[KV_KEY_MAX + 1])
{
	const uint8_t *p;

	if (h.kv == NULL)
		return -CELL_E_NOSYS;
	if (len == 0 || len > KV_KEY_MAX)
		return -CELL_E_TOOLONG;
	if ((p = vm_mem(m, addr, len, 0)) == NULL)
		return VMHOST_FMT_FAULT;
	for (uint64_t i = 0; i < len; i++) {
		if (p[i] == '\0')
			return -CELL_E_INVAL;
		key[i] = (char)p[i];
	}
	key[len] = '\0';
	ksnprintf(ns, 8, "g%u", vgene_of(m)->ctx.gene_id);
	return 0;
}

static enum vm_call_status
helper_kv_get(struct vm_machine *m, const uint64_t a[5], uint64_t *ret)
{
	char ns[8], key[KV_KEY_MAX + 1];
	uint8_t value[KV_VALUE_MAX];
	uint8_t *out = NULL;
	int rc;

	if ((rc = kv_target(m, a[0], a[1], ns, key)) == VMHOST_FMT_FAULT)
		return VM_CALL_FAULT;
	if (rc < 0)
		return result(rc, ret);
	rc = kv_get(h.kv, ns, key, value, sizeof value);
	if (rc < 0)
		return result(rc, ret);
	if ((uint64_t)rc > a[3])
		return result(-CELL_E_NOSPACE, ret);
	if (rc > 0 && (out = vm_mem(m, a[2], (uint64_t)rc, 1)) == NULL)
		return VM_CALL_FAULT;
	for (int i = 0; i < rc; i++)
		out[i] = value[i];
	*ret = (uint64_t)rc;
	return VM_CALL_OK;
}

static enum vm_call_status
helper_kv_put(struct vm_machine *m, const uint64_t a[5], uint64_t *ret)
{
	char ns[8], key[KV_KEY_MAX + 1];
	const uint8_t *value = NULL;
	int rc;

	if ((rc = kv_target(m, a[0], a[1], ns, key)) == VMHOST_FMT_FAULT)
		return VM_CALL_FAULT;
	if (rc < 0)
		return result(rc, ret);
	if (a[3] > KV_VALUE_MAX)
		return result(-CELL_E_TOOLONG, ret);
	if (a[3] > 0 && (value = vm_mem(m, a[2], a[3], 0)) == NULL)
		return VM_CALL_FAULT;
	return result(kv_put(h.kv, ns, key, value, (uint32_t)a[3]), ret);
}

const struct vm_helper_table vmhost_helpers = {
	.fn = {
		[VM_HELPER_SEND] = helper_send,
		[VM_HELPER_RECV] = helper_recv,
		[VM_HELPER_FORWARD] = helper_forward,
		[VM_HELPER_NEXT_HOP] = helper_next_hop,
		[VM_HELPER_LOG] = helper_log,
		[VM_HELPER_FORMAT] = helper_format,
		[VM_HELPER_CONSOLE] = helper_console,
		[VM_HELPER_ENERGY] = helper_energy,
		[VM_HELPER_RECLAIM] = helper_reclaim,
		[VM_HELPER_ALLOC] = helper_alloc,
		[VM_HELPER_TICKS] = helper_ticks,
		[VM_HELPER_EVENT] = helper_event,
		[VM_HELPER_KV_GET] = helper_kv_get,
		[VM_HELPER_KV_PUT] = helper_kv_put,
	},
	.gas = {
		[VM_HELPER_SEND] = VM_GAS_SEND,
		[VM_HELPER_RECV] = VM_GAS_RECV,
		[VM_HELPER_FORWARD] = VM_GAS_FORWARD,
		[VM_HELPER_NEXT_HOP] = VM_GAS_NEXT_HOP,
		[VM_HELPER_LOG] = VM_GAS_LOG,
		[VM_HELPER_FORMAT] = VM_GAS_FORMAT,
		[VM_HELPER_CONSOLE] = VM_GAS_CONSOLE,
		[VM_HELPER_ENERGY] = VM_GAS_ENERGY,
		[VM_HELPER_RECLAIM] = VM_GAS_RECLAIM,
		[VM_HELPER_ALLOC] = VM_GAS_ALLOC,
		[VM_HELPER_TICKS] = VM_GAS_TICKS,
		[VM_HELPER_EVENT] = VM_GAS_EVENT,
		[VM_HELPER_KV_GET] = VM_GAS_KV_GET,
		[VM_HELPER_KV_PUT] = VM_GAS_KV_PUT,
	},
};

/* ---- formats ---- */

/* A bounded writer that counts what it could not store. */
struct fmt_out {
	char *buf;
	uint32_t cap, len;
};

static void
put(struct fmt_out *o, char c)
{
	if (o->len < o->cap)
		o->buf[o->len] = c;
	o->len++;
}

/*
 * Append v as the conversion c (u, d, x or X) with pad and width, written by
 * the kernel's own ksnprintf (kformat.c); %d is v as a signed 32-bit value.
 */
static void
put_number(struct fmt_out *o, char c, uint32_t v, char pad, unsigned width)
{
	char spec[6], text[104];
	unsigned k = 0;
	int n;

	spec[k++] = '%';
	if (pad == '0')
		spec[k++] = '0';
	if (width >= 10)
		spec[k++] = (char)('0' + width / 10);
	if (width > 0)
		spec[k++] = (char)('0' + width % 10);
	spec[k++] = c;
	spec[k] = '\0';
	n = c == 'd' ? ksnprintf(text, sizeof text, spec, (int)(int32_t)v) :
	    ksnprintf(text, sizeof text, spec, (unsigned)v);
	for (int i = 0; i < n; i++)
		put(o, text[i]);
}

/* The byte at VM address addr, or -1 when it is outside the regions. */
static int
byte_at(struct vm_machine *m, uint64_t addr)
{
	const uint8_t *p = vm_mem(m, addr, 1, 0);

	return p == NULL ? -1 : *p;
}

int
vmhost_format(struct vm_machine *m, uint64_t fmt, uint64_t args,
    uint64_t nargs, char *out, uint32_t cap)
{
	struct fmt_out o = { out, cap, 0 };
	const uint8_t *argv = NULL;
	uint32_t next = 0, i = 0;
	int c;

	if (nargs > VM_ARGS_MAX)
		return -CELL_E_INVAL;
	if (nargs > 0 && (argv = vm_mem(m, args, nargs * 8, 0)) == NULL)
		return VMHOST_FMT_FAULT;
	for (;;) {
		char pad = ' ';
		unsigned width = 0, digits = 0;
		uint32_t v;

		if (i >= VM_FMT_MAX)
			return -CELL_E_INVAL;	/* no terminator in time */
		if ((c = byte_at(m, fmt + i++)) < 0)
			return VMHOST_FMT_FAULT;
		if (c == '\0')
			break;
		if (c != '%') {
			put(&o, (char)c);
			continue;
		}
		if ((c = byte_at(m, fmt + i++)) < 0)
			return VMHOST_FMT_FAULT;
		if (c == '%') {
			put(&o, '%');
			continue;
		}
		if (c == '0') {
			pad = '0';
			if ((c = byte_at(m, fmt + i++)) < 0)
				return VMHOST_FMT_FAULT;
		}
		while (c >= '0' && c <= '9') {
			if (++digits > 2)
				return -CELL_E_INVAL;
			width = width * 10 + (unsigned)(c - '0');
			if ((c = byte_at(m, fmt + i++)) < 0)
				return VMHOST_FMT_FAULT;
		}
		if (next >= nargs)
			return -CELL_E_INVAL;	/* more conversions than arguments */
		v = (uint32_t)le64_load(argv + 8 * next);
		switch (c) {
		case 'u':
		case 'd':
		case 'x':
		case 'X':
			put_number(&o, (char)c, v, pad, width);
			break;
		case 'c':
			for (unsigned k = 1; k < width; k++)
				put(&o, ' ');
			put(&o, (char)v);
			break;
		case 's': {
			uint64_t s = le64_load(argv + 8 * next);
			unsigned n = 0;
			int ch;

			/* Measure first, so width pads on the left. */
			while ((ch = byte_at(m, s + n)) > 0) {
				if (++n > VM_FMT_STR_MAX)
					return -CELL_E_INVAL;
			}
			if (ch < 0)
				return VMHOST_FMT_FAULT;
			for (unsigned k = n; k < width; k++)
				put(&o, ' ');
			for (unsigned k = 0; k < n; k++)
				put(&o, (char)byte_at(m, s + k));
			break;
		}
		default:
			return -CELL_E_INVAL;
		}
		next++;
	}
	if (next != nargs)
		return -CELL_E_INVAL;	/* arguments left over */
	return (int)o.len;
}
