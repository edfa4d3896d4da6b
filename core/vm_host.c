/*
 * The VM host: loading genes' programs and running their quanta with the
 * gene's memory mapped; the helpers they call are vm_helpers.c. See
 * vm_host.h for the contracts.
 */
#include <stddef.h>
#include <stdint.h>

#include "cellos/errors.h"
#include "cellos/events.h"
#include "cgraph.h"
#include "config.h"
#include "event_codec.h"
#include "gene.h"
#include "irq_bridge.h"
#include "kprint.h"
#include "organelles.h"
#include "parcel_codec.h"
#include "vm_gene.h"
#include "vm_host.h"

_Static_assert(VM_STATE_SIZE == GENE_STATE_SIZE,
    "the state region is the gene state");
_Static_assert(VM_MSG_PAYLOAD_MAX == MSG_PAYLOAD_MAX,
    "messages fit gene_vm_msg");
_Static_assert(VM_EVENT_CAP_MIN == EVENT_FRAME_MAX,
    "an event frame fits the cap");

static struct {
	struct vm_gene genes[GENES_MAX];
	struct vm_insn pool[VM_DECODED_MAX];
	uint32_t pool_used;
	uint8_t stack[VM_STACK_SIZE]; /* shared: one gene runs at a time */
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
			kprintf("#W gene g%u rejected: slot %u: %s\n",
			    g->gene_id, err.insn,
			    rc == -CELL_E_NOSPACE ?
				"no room left to decode it (VM_DECODED_MAX)" :
				err.reason);
			(void)gene_kill(gene_at(slot), LYSO_REJECTED);
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
	uint32_t slot = gene_slot(g);
	struct vm_gene *vg = &h.genes[slot];
	struct vm_run_ctx run = { g, vg, h.kv };
	struct vm_machine m = { 0 };
	struct vm_result res;
	enum lyso_reason r;

	vg->ctx.quantum = gene_quantum(g);
	vg->ctx.epoch = gene_epoch(g);
	m.region[VM_REGION_CTX] =
	    (struct vm_region){ (uint8_t *)&vg->ctx, sizeof vg->ctx, 0 };
	m.region[VM_REGION_STATE] =
	    (struct vm_region){ gene_state(g), GENE_STATE_SIZE, 1 };
	m.region[VM_REGION_STACK] =
	    (struct vm_region){ h.stack, VM_STACK_SIZE, 1 };
	m.region[VM_REGION_RODATA] =
	    (struct vm_region){ (uint8_t *)(uintptr_t)vg->rodata,
		    vg->rodata_len, 0 };
	m.region[VM_REGION_HEAP] =
	    (struct vm_region){ gene_arena(g), org_mito(slot)->mem_held, 1 };
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
		(void)gene_kill(g, LYSO_FAULT);
	} else if (r != LYSO_ALIVE) {
		(void)gene_kill(g, r);
	}
}
