/* The scheduler; see scheduler.h. */
#include <stdint.h>

#include "gene.h"
#include "obs_emit.h"
#include "organelles.h"
#include "scheduler.h"
#include "vm_host.h"

static struct {
	uint32_t num_genes;
	uint32_t next;    /* slot to offer the next quantum */
	uint32_t quantum; /* quanta run so far */
	uint32_t epoch_quanta;
	uint32_t epoch;
	uint32_t dead_runs;
} s;

void
sched_init(const struct phenotype *p)
{
	gene_table_init(p, gene_step_for_kind);
	s.num_genes = p->num_genes;
	s.next = 0;
	s.quantum = 0;
	s.epoch_quanta = p->sched.epoch_quanta;
	s.epoch = 0;
	s.dead_runs = 0;
	vmhost_load(p);
}

int
sched_verify(const struct phenotype *p)
{
	return gene_table_check(p);
}

uint32_t
sched_quanta(void)
{
	return s.quantum;
}

uint32_t
sched_dead_runs(void)
{
	return s.dead_runs;
}

/*
 * One quantum of gene slot: its CPU unit, then its program or its native
 * step, between the two trace records E8 counts.
 */
static void
run_quantum(uint32_t slot)
{
	struct gene_ctx *g = gene_at(slot);
	uint32_t id = org_mito(slot)->gene_id;

	if (org_dead(slot)) {
		s.dead_runs++; /* the loop below must never get here */
		return;
	}
	org_count_quantum(slot);
	obs_trace(OBS_TRACE_QUANTUM_START, id, s.quantum,
	    org_mito(slot)->cpu_total);
	if (gene_charge_quantum(g) == 0) {
		if (vmhost_has_program(slot))
			vmhost_run(g);
		else
			gene_step(g);
	}
	obs_trace(OBS_TRACE_QUANTUM_END, id, s.quantum,
	    org_mito(slot)->cpu_total);
}

uint32_t
sched_run(uint32_t quanta)
{
	uint32_t ran = 0;

	while (ran < quanta) {
		uint32_t tried = 0;

		while (tried < s.num_genes && org_dead(s.next)) {
			s.next = (s.next + 1) % s.num_genes;
			tried++;
		}
		if (tried == s.num_genes)
			break; /* every gene is dead */
		gene_set_clock(s.quantum, s.epoch);
		run_quantum(s.next);
		s.next = (s.next + 1) % s.num_genes;
		s.quantum++;
		ran++;
		gene_tick();
		if (s.quantum % s.epoch_quanta == 0) {
			s.epoch++;
			org_new_epoch();
		}
	}
	return ran;
}
