/*
 * A flood of 1,000,000 software interrupts through the hosted interrupt
 * path (a real-time signal each, dispatched when the interrupt flag clears)
 * into the IRQ bridge, drained as it goes: no crash, and exact books:
 * raised = taken by the handler = delivered + dropped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hal.h"
#include "hosted.h"
#include "irq_bridge.h"

#define FLOOD 1000000u

static uint32_t taken;

static void
on_soft(unsigned line, void *ctx)
{
	(void)ctx;
	taken++;
	irqb_capture(0, taken);
	hal_irq_ack(line);
}

static void
test_million_soft_irqs(void **state)
{
	struct irqb_source_cfg cfg = { EVENT_CUSTOM, 0, 16, 16 };
	struct irqb_stats st;
	struct event e;
	uint32_t delivered = 0;

	(void)state;
	hosted_irq_configure(HOSTED_TIME_VIRTUAL, NULL, NULL, 0);
	hosted_irq_reset();
	irqb_reset();
	assert_int_equal(irqb_add_source(&cfg), 0);
	assert_int_equal(hal_irq_register(HAL_IRQ_SOFT, on_soft, NULL), 0);
	hal_irq_enable(); /* the CPU starts with interrupts off */
	for (uint32_t i = 0; i < FLOOD; i++) {
		unsigned long irq = hal_irq_save();
		assert_int_equal(hal_irq_raise_soft(HAL_IRQ_SOFT), 0);
		hal_irq_restore(irq); /* dispatches the pending line */
		if (i % 100 == 99) {
			irqb_tick(); /* the bucket refills 16 */
			while (irqb_pop(&e) == 0)
				delivered++;
		}
	}
	while (irqb_pop(&e) == 0)
		delivered++;
	hal_irq_register(HAL_IRQ_SOFT, NULL, NULL);
	st = irqb_stats(0);
	assert_int_equal(taken, FLOOD);
	assert_int_equal(st.raised, FLOOD);
	assert_int_equal(st.consumed, delivered);
	assert_int_equal(st.raised,
	    st.queued + st.debounced + st.rate_limited + st.overflowed);
	assert_int_equal(st.queued, delivered);
	/* The bucket lets 16 through per 100 raises (one tick each), and the
	 * ring of IRQB_RING is drained before it can overflow. */
	assert_int_equal(delivered, 16 * (FLOOD / 100));
	assert_int_equal(st.overflowed, 0);
	print_message("%u raised, %u delivered, %u rate-limited\n", st.raised,
	    delivered, st.rate_limited);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_million_soft_irqs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
