/*
 * Scheduler and organelles: each way a gene is killed (route, CPU, IO,
 * memory), the lysosome reclaiming the dead, the peroxisome's sanitizer,
 * and that the dead never run again. Each scenario is small enough that
 * the expected numbers are worked out by hand in the comments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cgraph.h"
#include "gene.h"
#include "organelles.h"
#include "sched_fixture.h"
#include "scheduler.h"
#include "testutil.h"

static void
gene(uint32_t id, uint32_t kind, uint32_t ch, uint32_t cpu, uint32_t io,
    uint32_t mem, uint32_t target, uint32_t behaviour)
{
	pbin_gene_t *g = &ph.genes[ph.num_genes++];

	*g = (pbin_gene_t){ id, kind, ch, cpu, io, mem, target, behaviour };
}

static uint32_t
run(uint32_t quanta)
{
	cg_load(&ph);
	org_init(&ph);
	sched_init(&ph);
	return sched_run(quanta);
}

static void
test_route_violation_kills(void **state)
{
	(void)state;
	channels(2); /* no edges at all */
	gene(9, GENE_KIND_TESTGENE, 0, 100, 1000, 100, 1, 1);
	/* Quantum 0: CPU 1, then the send (CPU 2) finds no edge 0 -> 1. */
	assert_int_equal(run(10), 1); /* then everyone is dead */
	assert_int_equal(org.lyso[0].reason, LYSO_ROUTE);
	assert_int_equal(org.lyso[0].quantum, 0);
	assert_int_equal(org.mito[0].cpu_total, 3);
	assert_int_equal(org.mito[0].io_total, 0);
	assert_int_equal(org.golgi[0][1][GOLGI_DENIED], 1);
	assert_int_equal(sched_dead_runs(), 0);
}

static void
test_memory_budget_kills(void **state)
{
	(void)state;
	channels(2);
	edge(0, 1);
	gene(9, GENE_KIND_TESTGENE, 0, 100, 1000, 100, 1, 2);
	/* Run 1: 64 bytes (held 64). Run 2: 64 more would be 128 > 100. */
	assert_int_equal(run(10), 2);
	assert_int_equal(org.lyso[0].reason, LYSO_MEM);
	assert_int_equal(org.lyso[0].quantum, 1);
	assert_int_equal(org.mito[0].mem_held, 64);
	assert_int_equal(org.mito[0].mem_peak, 64);
	assert_int_equal(org.mito[0].quanta, 2);
}

static void
test_cpu_budget_kills(void **state)
{
	(void)state;
	channels(2);
	edge(0, 1);
	gene(9, GENE_KIND_TESTGENE, 0, 2, 1000, 100, 1, 0);
	/* Run 1: the quantum (1) and a send (2) make 3 > 2. */
	assert_int_equal(run(10), 1);
	assert_int_equal(org.lyso[0].reason, LYSO_CPU);
	assert_int_equal(org.mito[0].cpu_epoch, 3);
	assert_int_equal(cg_queued(1), 0); /* nothing was sent */
}

/* A budget is what a gene may spend: spending exactly it is allowed. */
static void
test_budgets_spent_exactly(void **state)
{
	(void)state;
	channels(2);
	edge(0, 1);
	gene(9, GENE_KIND_TESTGENE, 0, 100, 24, 100, 1, 0);
	/* One reading is 24 bytes: exactly the budget; the second is 48. */
	assert_int_equal(run(10), 2);
	assert_int_equal(org.lyso[0].reason, LYSO_IO);
	assert_int_equal(org.lyso[0].quantum, 1);
	assert_int_equal(cg_queued(1), 1);

	channels(2);
	edge(0, 1);
	gene(9, GENE_KIND_TESTGENE, 0, 3, 1000, 100, 1, 0);
	/* Run 1: the quantum (1) and a send (2): exactly 3; run 2 makes 6. */
	assert_int_equal(run(10), 2);
	assert_int_equal(org.lyso[0].reason, LYSO_CPU);
	assert_int_equal(org.lyso[0].quantum, 1);
	assert_int_equal(cg_queued(1), 1);
}

static void
test_io_budget_kills(void **state)
{
	(void)state;
	channels(2);
	edge(0, 1);
	gene(9, GENE_KIND_TESTGENE, 0, 100, 30, 100, 1, 0);
	/* Each reading is 16 + 8 = 24 bytes: 24 <= 30, then 48 > 30. */
	assert_int_equal(run(10), 2);
	assert_int_equal(org.lyso[0].reason, LYSO_IO);
	assert_int_equal(org.mito[0].io_total, 48);
	assert_int_equal(cg_queued(1), 1); /* only the first got through */
	assert_int_equal(org.golgi[0][1][QOS_OK], 1);
}

static void
test_epoch_restores_budgets(void **state)
{
	(void)state;
	channels(2);
	edge(0, 1);
	gene(9, GENE_KIND_TESTGENE, 0, 100, 30, 100, 1, 0);
	ph.sched.epoch_quanta = 1; /* a new epoch every quantum */
	ph.channels[1].queue_depth = 16;
	/* 24 bytes per epoch never exceeds 30; the queue takes 8 (bucket 8,
	 * refill 8 a tick): every reading but those past the queue depth. */
	assert_int_equal(run(10), 10);
	assert_int_equal(org.lyso[0].reason, LYSO_ALIVE);
	assert_int_equal(org.mito[0].io_total, 240);
	assert_int_equal(cg_queued(1), 10);
}

static void
test_lysosome_reclaims_and_peroxisome_prints(void **state)
{
	struct capture c;
	char *out;

	(void)state;
	channels(4);
	edge(1, 0);
	gene(1, GENE_KIND_PEROXI_SANITIZE, 0, 100, 1000, 0, 0, 0);
	gene(2, GENE_KIND_LYSO_CLEANUP, 1, 100, 1000, 0, 0, 0);
	gene(3, GENE_KIND_TESTGENE, 2, 100, 1000, 0, 3, 1);
	/*
	 * q0 peroxi (idle), q1 lyso (none dead), q2 rogue dies (no 2 -> 3),
	 * q3 peroxi, q4 lyso reclaims g3 and logs to channel 0, q5 peroxi
	 * prints it.
	 */
	capture_begin(&c);
	assert_int_equal(run(6), 6);
	out = capture_end(&c);
	/* The only text line; the rest of the output is OBS "#P" records. */
	assert_int_equal(count_lines_with(out, "#G "), 1);
	assert_non_null(
	    strstr(out, "\n#G g2 reclaimed g3 reason=route msgs=0 mem=0\n"));
	/* Six quanta, a start and an end record each, one gene killed. */
	assert_int_equal(count_lines_with(out, "#P "), 13);
	assert_int_equal(org.lyso[2].reclaimed, 1);
	assert_int_equal(org.lyso[0].reason, LYSO_ALIVE);
	assert_int_equal(org.mito[2].quanta, 1);
	free(out);

	/* What a gene's energy call reads: the table's totals, three genes. */
	struct gene_energy e;
	gene_energy(NULL, &e);
	assert_int_equal(e.live, 2);
	assert_int_equal(e.dead, 1);
	assert_int_equal(e.cpu_total,
	    org.mito[0].cpu_total + org.mito[1].cpu_total +
		org.mito[2].cpu_total);
	assert_int_equal(e.io_total,
	    org.mito[0].io_total + org.mito[1].io_total + org.mito[2].io_total);
}

static void
test_sanitizer(void **state)
{
	char out[PEROXI_LINE_MAX];
	uint8_t longline[200];
	size_t n;

	(void)state;
	memset(&org, 0, sizeof org);
	n = org_peroxi_sanitize((const uint8_t *)"\x01"
						 "ab\n\x7f\xff"
						 "c",
	    7, out);
	assert_int_equal(n, 7);
	assert_memory_equal(out, "?ab???c", 7);
	assert_int_equal(org.peroxi_replaced, 4);
	memset(longline, 'a', sizeof longline);
	n = org_peroxi_sanitize(longline, sizeof longline, out);
	assert_int_equal(n, PEROXI_LINE_MAX);
	assert_int_equal(out[PEROXI_LINE_MAX - 1], '~');
	assert_int_equal(out[PEROXI_LINE_MAX - 2], 'a');
	assert_int_equal(org.peroxi_cut, 1);
	/* A line of exactly the limit fits: no cut mark. */
	n = org_peroxi_sanitize(longline, PEROXI_LINE_MAX, out);
	assert_int_equal(n, PEROXI_LINE_MAX);
	assert_int_equal(out[PEROXI_LINE_MAX - 1], 'a');
	assert_int_equal(org.peroxi_cut, 1);
	n = org_peroxi_sanitize((const uint8_t *)"", 0, out);
	assert_int_equal(n, 0);
}

/* A gene dies once: a later kill changes neither its cause nor its time. */
static void
test_first_death_stands(void **state)
{
	(void)state;
	memset(&org, 0, sizeof org);
	org.num_genes = 2;
	org_kill(1, LYSO_CPU, 5);
	org_kill(1, LYSO_MEM, 9);
	assert_int_equal(org.lyso[1].reason, LYSO_CPU);
	assert_int_equal(org.lyso[1].quantum, 5);
	assert_int_equal(org.lyso[0].reason, LYSO_ALIVE);
	org_kill(2, LYSO_CPU, 1); /* no such gene */
	assert_int_equal(org.lyso[2].reason, LYSO_ALIVE);
	assert_true(org_dead(1));
	assert_false(org_dead(0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route_violation_kills),
		cmocka_unit_test(test_memory_budget_kills),
		cmocka_unit_test(test_cpu_budget_kills),
		cmocka_unit_test(test_io_budget_kills),
		cmocka_unit_test(test_budgets_spent_exactly),
		cmocka_unit_test(test_epoch_restores_budgets),
		cmocka_unit_test(test_lysosome_reclaims_and_peroxisome_prints),
		cmocka_unit_test(test_sanitizer),
		cmocka_unit_test(test_first_death_stands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
