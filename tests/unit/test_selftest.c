/*
 * The power-on self-test (core/selftest.c): its VM programs' known answers
 * are what an independent evaluator of the raw instructions (bpf_ref.h)
 * computes, program 0's is the one worked out by hand in
 * core/selftest_vm.c, the three programs together make the interpreter run
 * every operation it decodes, and the whole self-test passes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "bpf_ref.h"
#include "proof_steps.h"
#include "selftest.h"
#include "testutil.h"
#include "vm.h"

static uint8_t code[VM_INSNS_MAX * 8];

/* The self-test's helper, written again: r1 * 3 + r2. */
static enum vm_call_status
ref_triple_plus(struct ref_machine *rm, unsigned id, const uint64_t a[5],
    uint64_t *ret)
{
	(void)rm;
	if (id != SELFTEST_HELPER)
		return VM_CALL_FAULT;
	*ret = a[0] * 3 + a[1];
	return VM_CALL_OK;
}

static uint64_t
reference_answer(unsigned i)
{
	static uint8_t stack[VM_STACK_SIZE];
	struct ref_machine rm;
	struct ref_result out;
	uint32_t n = selftest_vm_program(i, code, sizeof code);

	assert_true(n > 0);
	memset(stack, 0, sizeof stack);
	memset(&rm, 0, sizeof rm);
	rm.mem[VM_REGION_STACK] = stack;
	rm.len[VM_REGION_STACK] = sizeof stack;
	rm.writable[VM_REGION_STACK] = 1;
	rm.gas = VM_GAS_MAX;
	rm.r1 = SELFTEST_R1;
	rm.r2 = SELFTEST_R2;
	rm.helper = ref_triple_plus;
	rm.helper_gas[SELFTEST_HELPER] = 1;
	ref_run(code, n, 0, &rm, &out);
	assert_int_equal(out.exit, VM_EXIT_DONE);
	print_message("program %u: %u slots, reference r0 0x%016llx\n", i, n,
	    (unsigned long long)out.r0);
	return out.r0;
}

static void
test_answers_are_the_reference_evaluators(void **state)
{
	(void)state;
	for (unsigned i = 0; i < SELFTEST_VM_PROGRAMS; i++)
		assert_true(selftest_vm_answer(i) == reference_answer(i));
}

static void
test_program_0_is_worked_out_by_hand(void **state)
{
	(void)state;
	/* The sum at the end of core/selftest_vm.c's comment. */
	assert_true(selftest_vm_answer(0) == 0x0459A002u);
	assert_true(reference_answer(0) == 0x0459A002u);
}

/* Together the programs decode into every operation the interpreter has. */
static void
test_every_operation_is_exercised(void **state)
{
	static struct vm_insn pool[VM_INSNS_MAX];
	int seen[VM_OP_COUNT] = { 0 };

	(void)state;
	for (unsigned i = 0; i < SELFTEST_VM_PROGRAMS; i++) {
		struct vm_verify_error err;
		struct vm_prog prog;
		uint32_t used, n = selftest_vm_program(i, code, sizeof code);

		assert_int_equal(vm_load(&prog, code, n, 0,
				     1u << SELFTEST_HELPER, pool, VM_INSNS_MAX,
				     &used, &err),
		    0);
		for (uint32_t k = 0; k < prog.num_insns; k++)
			seen[prog.insns[k].op] = 1;
	}
	for (unsigned op = 0; op < VM_OP_COUNT; op++) {
		if (op == VM_OP_BLOCK)
			continue; /* a dispatch entry, not an operation */
		if (!seen[op])
			fail_msg("no self-test program uses VM operation %u",
			    op);
	}
}

static void
test_the_self_test_passes(void **state)
{
	struct capture c;
	char *out;

	(void)state;
	capture_begin(&c);
	assert_int_equal(selftest_run(), 0);
	out = capture_end(&c);
	assert_null(strstr(out, "PROOF FAILURE"));
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answers_are_the_reference_evaluators),
		cmocka_unit_test(test_program_0_is_worked_out_by_hand),
		cmocka_unit_test(test_every_operation_is_exercised),
		cmocka_unit_test(test_the_self_test_passes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
