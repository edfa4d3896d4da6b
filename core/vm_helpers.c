/*
 * The helpers of include/cellos/vm_abi.h, the kernel's table of them
 * (vmhost_helpers) and the genes' run-time formats. Each helper is a thin
 * layer over a gene.h system call: it checks the gene's pointers against
 * its regions (vm_mem), makes the same call a native gene makes, and turns
 * the result into r0. A helper that finds the gene killed (-CELL_E_DEAD)
 * stops the program at once: a dead gene runs no further instruction. A
 * pointer outside the regions is a fault, and the gene is killed for it;
 * the kernel carries on.
 */
#include <stddef.h>
#include <stdint.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "cellos/events.h"
#include "cgraph.h"
#include "config.h"
#include "event_codec.h"
#include "gene.h"
#include "irq_bridge.h"
#include "kformat.h"
#include "kv.h"
#include "organelles.h"
#include "vm_gene.h"
#include "vm_host.h"

static int vmhost_format(struct vm_machine *m, uint64_t fmt, uint64_t args,
    uint64_t nargs, char *out, uint32_t cap);

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

static struct kv_store *
kv_of(struct vm_machine *m)
{
	return ((struct vm_run_ctx *)m->user)->kv;
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
			  payload,
			  len > MSG_PAYLOAD_MAX ? MSG_PAYLOAD_MAX + 1 :
						  (uint32_t)len),
	    ret);
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
	uint64_t cap = a[1] < sizeof(struct gene_vm_msg) ?
	    a[1] :
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
	return result(gene_forward(gene_of(m), (uint32_t)a[0], &vg->held), ret);
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

	if (n == -CELL_E_RANGE)
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

	if (n == -CELL_E_RANGE)
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
	store_words(out,
	    (const uint32_t[5]){ e.cpu_total, e.io_total, e.mem_held, e.live,
		e.dead },
	    5);
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
	store_words(out,
	    (const uint32_t[4]){ rc.gene_id, rc.reason, rc.messages,
		rc.memory },
	    4);
	*ret = 1;
	return VM_CALL_OK;
}

static enum vm_call_status
helper_alloc(struct vm_machine *m, const uint64_t a[5], uint64_t *ret)
{
	struct gene_ctx *g = gene_of(m);
	uint32_t slot = gene_slot(g);
	/* More than an arena holds cannot be had; ask for just over that. */
	uint32_t bytes =
	    a[0] > GENE_MEM_MAX ? GENE_MEM_MAX + 1 : (uint32_t)a[0];
	uint8_t *p = gene_alloc(g, bytes);

	if (p == NULL) {
		*ret = 0;
		return VM_CALL_STOP;
	}
	m->region[VM_REGION_HEAP].len = org_mito(slot)->mem_held;
	*ret = VM_HEAP_BASE + (uint64_t)(p - gene_arena(g));
	return VM_CALL_OK;
}

static enum vm_call_status
helper_ticks(struct vm_machine *m, const uint64_t a[5], uint64_t *ret)
{
	(void)a;
	*ret = gene_quantum(gene_of(m));
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
 * memory, as a C string) of a kv helper call, once a store is attached:
 * *rc is 0 or a negative CELL_E_* code for the gene. VM_CALL_FAULT when
 * the key lies outside the gene's regions, else VM_CALL_OK.
 */
static enum vm_call_status
kv_target(struct vm_machine *m, uint64_t addr, uint64_t len, char ns[8],
    char key[KV_KEY_MAX + 1], int *rc)
{
	const uint8_t *p;

	*rc = 0;
	if (kv_of(m) == NULL) {
		*rc = -CELL_E_NOSYS;
		return VM_CALL_OK;
	}
	if (len == 0 || len > KV_KEY_MAX) {
		*rc = -CELL_E_TOOLONG;
		return VM_CALL_OK;
	}
	if ((p = vm_mem(m, addr, len, 0)) == NULL)
		return VM_CALL_FAULT;
	for (uint64_t i = 0; i < len; i++) {
		if (p[i] == '\0') {
			*rc = -CELL_E_INVAL;
			return VM_CALL_OK;
		}
		key[i] = (char)p[i];
	}
	key[len] = '\0';
	ksnprintf(ns, 8, "g%u", vgene_of(m)->ctx.gene_id);
	return VM_CALL_OK;
}

static enum vm_call_status
helper_kv_get(struct vm_machine *m, const uint64_t a[5], uint64_t *ret)
{
	char ns[8], key[KV_KEY_MAX + 1];
	uint8_t value[KV_VALUE_MAX];
	uint8_t *out = NULL;
	int rc;

	if (kv_target(m, a[0], a[1], ns, key, &rc) == VM_CALL_FAULT)
		return VM_CALL_FAULT;
	if (rc < 0)
		return result(rc, ret);
	rc = kv_get(kv_of(m), ns, key, value, sizeof value);
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

	if (kv_target(m, a[0], a[1], ns, key, &rc) == VM_CALL_FAULT)
		return VM_CALL_FAULT;
	if (rc < 0)
		return result(rc, ret);
	if (a[3] > KV_VALUE_MAX)
		return result(-CELL_E_TOOLONG, ret);
	if (a[3] > 0 && (value = vm_mem(m, a[2], a[3], 0)) == NULL)
		return VM_CALL_FAULT;
	return result(kv_put(kv_of(m), ns, key, value, (uint32_t)a[3]), ret);
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

/* kformat_argv's reader: the byte at a VM address, -CELL_E_RANGE outside. */
static int
vm_byte(void *ctx, uint64_t addr)
{
	const uint8_t *p = vm_mem(ctx, addr, 1, 0);

	return p == NULL ? -CELL_E_RANGE : *p;
}

/*
 * Format as the log and format helpers do (vm_abi.h "Formats", through
 * kformat_argv): the format and arguments are read from m's regions. Writes
 * at most cap bytes (no terminator) and returns the full formatted length
 * (which may exceed cap), -CELL_E_INVAL for a bad format, or -CELL_E_RANGE
 * when the format, the arguments or a %s string lie outside the regions
 * (the caller faults the gene for that one; the gene never sees it).
 */
static int
vmhost_format(struct vm_machine *m, uint64_t fmt, uint64_t args, uint64_t nargs,
    char *out, uint32_t cap)
{
	const struct kformat_src src = { vm_byte, m, VM_FMT_MAX,
		VM_FMT_STR_MAX };
	uint64_t argv[VM_ARGS_MAX];
	const uint8_t *p = NULL;

	if (nargs > VM_ARGS_MAX)
		return -CELL_E_INVAL;
	if (nargs > 0 && (p = vm_mem(m, args, nargs * 8, 0)) == NULL)
		return -CELL_E_RANGE;
	for (uint64_t i = 0; i < nargs; i++)
		argv[i] = le64_load(p + 8 * i);
	return kformat_argv(out, cap, &src, fmt, argv, (unsigned)nargs);
}
