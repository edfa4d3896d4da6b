/*
 * The IRQ bridge: debounce counted in bridge ticks, token-bucket refill,
 * ring overflow with exact accounting, delivery in seq order, and the
 * event-frame codec against frames built by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cellos/errors.h"
#include "event_codec.h"
#include "irq_bridge.h"

static int
add(uint32_t debounce, uint32_t max, uint32_t refill)
{
	struct irqb_source_cfg cfg = { EVENT_CUSTOM, debounce, max, refill };

	return irqb_add_source(&cfg);
}

static uint32_t
drain(void)
{
	struct event e;
	uint32_t n = 0;

	while (irqb_pop(&e) == 0)
		n++;
	return n;
}

static void
test_debounce_counts_ticks(void **state)
{
	struct irqb_stats st;

	(void)state;
	irqb_reset();
	assert_int_equal(add(3, 0, 0), 0);
	/* tick 0: first accepted, two bounces */
	irqb_capture(0, 1);
	irqb_capture(0, 2);
	irqb_capture(0, 3);
	irqb_tick();
	irqb_tick();
	irqb_capture(0, 4); /* tick 2: 2 - 0 < 3, a bounce */
	irqb_tick();
	irqb_capture(0, 5); /* tick 3: accepted */
	irqb_capture(0, 6); /* bounce */
	st = irqb_stats(0);
	assert_int_equal(st.raised, 6);
	assert_int_equal(st.debounced, 4);
	assert_int_equal(st.queued, 2);
	assert_int_equal(drain(), 2);
}

static void
test_bucket_limits_and_refills(void **state)
{
	struct irqb_stats st;

	(void)state;
	irqb_reset();
	assert_int_equal(add(0, 3, 1), 0);
	for (int i = 0; i < 5; i++)
		irqb_capture(0, (uint32_t)i); /* 3 pass, 2 limited */
	irqb_tick();                          /* 1 token */
	irqb_capture(0, 5);
	irqb_capture(0, 6); /* limited */
	for (int i = 0; i < 10; i++)
		irqb_tick(); /* capped at 3 */
	for (int i = 0; i < 4; i++)
		irqb_capture(0, 7); /* 3 pass, 1 limited */
	st = irqb_stats(0);
	assert_int_equal(st.raised, 11);
	assert_int_equal(st.rate_limited, 4);
	assert_int_equal(st.queued, 7);
	assert_int_equal(drain(), 7);
}

static void
test_overflow_is_counted_and_order_kept(void **state)
{
	struct irqb_stats st;
	struct event e;
	uint32_t seq = 0;

	(void)state;
	irqb_reset();
	assert_int_equal(add(0, 0, 0), 0);
	assert_int_equal(add(0, 0, 0), 1);
	for (uint32_t i = 0; i < IRQB_RING + 10; i++)
		irqb_capture(i % 2, i);
	st = irqb_stats(IRQB_ALL);
	assert_int_equal(st.raised, IRQB_RING + 10);
	assert_int_equal(st.overflowed, 10);
	assert_int_equal(st.queued, IRQB_RING);
	while (irqb_pop(&e) == 0) {
		assert_int_equal(e.seq, seq);
		assert_int_equal(e.src, seq % 2);
		assert_int_equal(e.len, 4);
		assert_int_equal(e.payload[0], seq); /* payload i, LE */
		seq++;
	}
	assert_int_equal(seq, IRQB_RING);
	st = irqb_stats(IRQB_ALL);
	assert_int_equal(st.raised,
	    st.debounced + st.rate_limited + st.overflowed + st.queued);
	assert_int_equal(st.queued, st.consumed);
}

static void
test_bad_sources_refused(void **state)
{
	struct irqb_source_cfg bad_kind = { 99, 0, 0, 0 };
	struct irqb_source_cfg bad_refill = { EVENT_TIMER, 0, 2, 3 };

	(void)state;
	irqb_reset();
	assert_int_equal(irqb_add_source(&bad_kind), -CELL_E_INVAL);
	assert_int_equal(irqb_add_source(&bad_refill), -CELL_E_INVAL);
	for (int i = 0; i < IRQB_SOURCES_MAX; i++)
		assert_int_equal(add(0, 0, 0), i);
	assert_int_equal(add(0, 0, 0), -CELL_E_NOSPACE);
	irqb_capture(IRQB_SOURCES_MAX + 3, 0); /* ignored, no crash */
	assert_int_equal(irqb_stats(IRQB_ALL).raised, 0);
}

static void
test_event_frame_codec(void **state)
{
	/* clang-format off */
	static const uint8_t frame[] = {
		0x05, 0x00, 0x00, 0x00,	/* seq 5 */
		0x02, 0x00, 0x00, 0x00,	/* src 2 */
		0x10, 0x00, 0x00, 0x00,	/* kind 16 CUSTOM */
		0x02, 0x00, 0x00, 0x00,	/* len 2 */
		0xAB, 0xCD,
	};
	/* clang-format on */
	struct event e = { 5, 2, EVENT_CUSTOM, 2, { 0xAB, 0xCD } };
	struct event back = { .seq = 77 };
	uint8_t out[EVENT_FRAME_MAX + 4];
	uint8_t bad[sizeof frame];

	(void)state;
	assert_int_equal(event_pack(&e, out, sizeof out), sizeof frame);
	assert_memory_equal(out, frame, sizeof frame);
	assert_int_equal(event_unpack(frame, sizeof frame, &back),
	    sizeof frame);
	assert_int_equal(back.seq, 5);
	assert_int_equal(back.kind, EVENT_CUSTOM);
	assert_memory_equal(back.payload, e.payload, 2);
	for (size_t cut = 0; cut < sizeof frame; cut++)
		assert_int_equal(event_unpack(frame, cut, &back),
		    -CELL_E_TRUNCATED);
	assert_int_equal(event_unpack(out, sizeof frame + 1, &back),
	    -CELL_E_LENGTH);
	memcpy(bad, frame, sizeof frame);
	bad[12] = 241; /* len over the maximum */
	assert_int_equal(event_unpack(bad, sizeof bad, &back), -CELL_E_LENGTH);
	memcpy(bad, frame, sizeof frame);
	bad[8] = 5; /* no kind 5 */
	back.seq = 77;
	assert_int_equal(event_unpack(bad, sizeof bad, &back), -CELL_E_RANGE);
	assert_int_equal(back.seq, 77); /* untouched on error */
	e.len = EVENT_PAYLOAD_MAX + 1;
	assert_int_equal(event_pack(&e, out, sizeof out), -CELL_E_LENGTH);
	e.len = 2;
	e.kind = 7;
	assert_int_equal(event_pack(&e, out, sizeof out), -CELL_E_RANGE);
	e.kind = EVENT_TIMER;
	assert_int_equal(event_pack(&e, out, 17), -CELL_E_NOSPACE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debounce_counts_ticks),
		cmocka_unit_test(test_bucket_limits_and_refills),
		cmocka_unit_test(test_overflow_is_counted_and_order_kept),
		cmocka_unit_test(test_bad_sources_refused),
		cmocka_unit_test(test_event_frame_codec),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
