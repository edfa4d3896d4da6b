/*
 * E5, the organelle proof: the scheduler the boot started runs the
 * phenotype's genes for its proof_quanta quanta, every send going through
 * the Golgi and QoS and every unit of work onto the mitochondria's books.
 * Then the mechanism is checked (see check_gene and check_fairness): no
 * dead gene ran, no live gene is over budget, a well-behaved gene is alive,
 * rogues were killed for routing, budget hogs only for a budget, and the
 * dead were reclaimed; a bytecode gene spent no more gas than its quanta
 * were granted, and a native one none at all; the quanta add up to those
 * run, each costs at least its CPU unit, and round robin gave every gene
 * alive at the end the same share, give or take one.
 * mito hashes the energy table; golgi the verdict table and the dead map;
 * gas is what the bytecode genes spent, all together.
 */
#include <stdint.h>

#include "cgraph.h"
#include "kprint.h"
#include "organelles.h"
#include "proof.h"
#include "proof_steps.h"
#include "scheduler.h"
#include "vm_host.h"

/*
 * The checks for gene slot i after a run of ran quanta: a live gene is
 * within every budget; a rogue testgene with no edge to its target is dead
 * for routing; a budget hog is alive only while within its budget, and
 * dead only for a budget; a gene that died a whole round before the end was
 * reclaimed, if the lysosome gene is alive to do it.
 */
static int
check_gene(const struct phenotype *p, uint32_t i, uint32_t ran, int lyso_alive)
{
	const pbin_gene_t *g = &p->genes[i];
	const struct mito_entry *m = org_mito(i);
	const struct lyso_entry *l = org_lyso(i);
	const pbin_gene_code_t *c = pheno_gene_code(p, g->gene_id);

	if (l->reason == LYSO_ALIVE &&
	    (m->mem_held > m->mem_budget || m->cpu_epoch > m->cpu_budget ||
		m->io_epoch > m->io_budget))
		return proof_fail(5,
		    "g%u is alive over budget (cpu %u/%u io "
		    "%u/%u mem %u/%u)",
		    g->gene_id, m->cpu_epoch, m->cpu_budget, m->io_epoch,
		    m->io_budget, m->mem_held, m->mem_budget);
	if (g->kind == GENE_KIND_TESTGENE && g->arg1 == 1) {
		int to = cg_index(g->arg0);
		int home = cg_index(g->channel);
		if (to >= 0 && home >= 0 &&
		    !cg_edge((uint32_t)home, (uint32_t)to) && m->quanta > 0 &&
		    l->reason != LYSO_ROUTE)
			return proof_fail(5,
			    "rogue g%u sent off the graph and "
			    "is %s, expected route",
			    g->gene_id, org_reason_name(l->reason));
	}
	if (g->kind == GENE_KIND_TESTGENE && g->arg1 == 0 &&
	    l->reason != LYSO_ALIVE)
		return proof_fail(5, "well-behaved g%u was killed (%s)",
		    g->gene_id, org_reason_name(l->reason));
	if (g->kind == GENE_KIND_TESTGENE && g->arg1 == 2 &&
	    l->reason != LYSO_ALIVE && l->reason != LYSO_CPU &&
	    l->reason != LYSO_IO && l->reason != LYSO_MEM)
		return proof_fail(5,
		    "budget hog g%u was killed for %s, not for "
		    "a budget",
		    g->gene_id, org_reason_name(l->reason));
	if (m->mem_peak > m->mem_budget || m->mem_held > m->mem_peak)
		return proof_fail(5, "g%u holds %u bytes, peak %u, budget %u",
		    g->gene_id, m->mem_held, m->mem_peak, m->mem_budget);
	if (m->cpu_total < m->quanta)
		return proof_fail(5, "g%u ran %u quanta for %u CPU units",
		    g->gene_id, m->quanta, m->cpu_total);
	if (c != NULL && (uint64_t)m->gas_total > (uint64_t)m->quanta * c->gas)
		return proof_fail(5, "g%u spent %u gas in %u quanta of %u gas",
		    g->gene_id, m->gas_total, m->quanta, c->gas);
	if (c == NULL &&
	    (m->gas_total != 0 || l->reason == LYSO_FAULT ||
		l->reason == LYSO_REJECTED))
		return proof_fail(5, "native g%u has VM charges (gas %u, %s)",
		    g->gene_id, m->gas_total, org_reason_name(l->reason));
	if (l->reason != LYSO_ALIVE && lyso_alive && !l->reclaimed &&
	    l->quantum + p->num_genes <= ran)
		return proof_fail(5,
		    "g%u died (%s) at quantum %u but was never "
		    "reclaimed",
		    g->gene_id, org_reason_name(l->reason), l->quantum);
	return 0;
}

/*
 * The quanta add up to the run, and round robin served every gene that is
 * alive at the end equally, give or take one quantum.
 */
static int
check_fairness(const struct phenotype *p, uint32_t ran)
{
	uint32_t sum = 0, lo = UINT32_MAX, hi = 0;

	for (uint32_t i = 0; i < p->num_genes; i++) {
		uint32_t q = org_mito(i)->quanta;

		sum += q;
		if (org_dead(i))
			continue;
		lo = q < lo ? q : lo;
		hi = q > hi ? q : hi;
	}
	if (sum != ran)
		return proof_fail(5,
		    "the genes ran %u quanta, the scheduler "
		    "%u",
		    sum, ran);
	if (hi > lo + 1)
		return proof_fail(5,
		    "round robin gave the live genes between "
		    "%u and %u quanta",
		    lo, hi);
	return 0;
}

int
proof_e5_sched(const struct phenotype *p)
{
	struct vmhost_stats vm = vmhost_stats();
	uint32_t ran, gas = 0;
	int lyso_alive = 0, bad;

	kprintf("#I vm: %u of %u genes run bytecode (%u instructions), %u "
		"rejected\n",
	    vm.loaded, p->num_genes, vm.slots, vm.rejected);
	ran = sched_run(p->sched.proof_quanta);
	if ((bad = sched_verify(p)) >= 0)
		return proof_fail(5,
		    "the scheduler's entry for gene slot %d no "
		    "longer matches the phenotype (memory corruption)",
		    bad);
	if (sched_dead_runs() != 0)
		return proof_fail(5, "a dead gene was given %u quanta",
		    sched_dead_runs());
	for (uint32_t i = 0; i < p->num_genes; i++) {
		if (p->genes[i].kind == GENE_KIND_LYSO_CLEANUP && !org_dead(i))
			lyso_alive = 1;
	}
	for (uint32_t i = 0; i < p->num_genes; i++) {
		if (check_gene(p, i, ran, lyso_alive) != 0)
			return -1;
	}
	if (check_fairness(p, ran) < 0)
		return -1;
	for (uint32_t i = 0; i < p->num_genes; i++)
		gas += org_mito(i)->gas_total;
	return proof_emit(PROOF_E5,
	    (const struct proof_field[]){ { "mito", org_mito_hash() },
		{ "golgi", org_golgi_hash(p->num_channels) }, { "quanta", ran },
		{ "gas", gas } },
	    4);
}
