/*
 * The hosted HAL's interrupt calls at their edges, as core/hal.h states
 * them: only lines 0..HAL_IRQ_LINES-1 exist (register refuses any other
 * with -CELL_E_INVAL; mask, unmask and taken ignore them; the hosted-asan
 * run sees any access past the line table), only the software line can be
 * raised, and a masked line stays pending until it is unmasked.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cellos/errors.h"
#include "hal.h"

static unsigned calls[HAL_IRQ_LINES];

static void
count(unsigned line, void *ctx)
{
	(void)ctx;
	if (line < HAL_IRQ_LINES)
		calls[line]++;
	hal_irq_ack(line);
}

static void
test_only_the_lines_that_exist(void **state)
{
	static const unsigned wild[] = { HAL_IRQ_LINES, HAL_IRQ_LINES + 1,
		UINT_MAX };

	(void)state;
	for (unsigned i = 0; i < sizeof wild / sizeof wild[0]; i++) {
		assert_int_equal(hal_irq_register(wild[i], count, NULL),
		    -CELL_E_INVAL);
		hal_irq_mask(wild[i]);
		hal_irq_unmask(wild[i]);
		assert_int_equal(hal_irq_taken(wild[i]), 0);
		assert_int_equal(hal_irq_raise_soft(wild[i]), -CELL_E_INVAL);
	}
	for (unsigned l = 0; l < HAL_IRQ_LINES; l++) {
		assert_int_equal(hal_irq_register(l, count, NULL), 0);
		assert_int_equal(hal_irq_register(l, NULL, NULL), 0);
		if (l != HAL_IRQ_SOFT)
			assert_int_equal(hal_irq_raise_soft(l), -CELL_E_INVAL);
	}
}

static void
test_a_masked_line_stays_pending(void **state)
{
	unsigned long was;
	uint64_t taken = hal_irq_taken(HAL_IRQ_SOFT);

	(void)state;
	assert_int_equal(hal_irq_register(HAL_IRQ_SOFT, count, NULL), 0);
	calls[HAL_IRQ_SOFT] = 0;
	hal_irq_enable();
	hal_irq_mask(HAL_IRQ_SOFT);
	assert_int_equal(hal_irq_raise_soft(HAL_IRQ_SOFT), 0);
	was = hal_irq_save();
	hal_irq_restore(was);
	assert_int_equal(calls[HAL_IRQ_SOFT], 0); /* masked: held */
	assert_int_equal(hal_irq_taken(HAL_IRQ_SOFT), taken + 1);
	hal_irq_unmask(HAL_IRQ_SOFT);
	was = hal_irq_save();
	hal_irq_restore(was); /* enabled and unmasked: dispatched */
	assert_int_equal(calls[HAL_IRQ_SOFT], 1);
	/* Once: nothing is left pending. */
	hal_irq_restore(hal_irq_save());
	assert_int_equal(calls[HAL_IRQ_SOFT], 1);
	assert_int_equal(hal_irq_register(HAL_IRQ_SOFT, NULL, NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_only_the_lines_that_exist),
		cmocka_unit_test(test_a_masked_line_stays_pending),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
