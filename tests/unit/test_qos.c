/*
 * QoS token buckets, queue limits and GAS, against sequences worked out by
 * hand from the rules in qos.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "qos.h"

static struct phenotype ph;

/* One channel with the given bucket, max, refill, depth and class; gas. */
static void
one_channel(uint64_t bucket, uint64_t max, uint64_t refill, uint32_t depth,
    uint32_t cls, uint32_t gas)
{
	memset(&ph, 0, sizeof ph);
	ph.num_channels = 1;
	ph.channels[0].qos.bucket = bucket;
	ph.channels[0].qos.bucket_max = max;
	ph.channels[0].qos.refill_per_tick = refill;
	ph.channels[0].qos.qos = cls;
	ph.channels[0].queue_depth = depth;
	ph.sched.gas = gas;
}

static void
test_bucket_exhausts_and_refills(void **state)
{
	struct qos q;

	(void)state;
	/* 2 tokens of 3, refill 1 a tick, deep queue. */
	one_channel(2, 3, 1, 32, QOS_CLASS_BE, 100);
	qos_init(&q, &ph);
	assert_int_equal(qos_try_enqueue(&q, 0), QOS_OK); /* 1 left */
	assert_int_equal(qos_try_enqueue(&q, 0), QOS_OK); /* 0 left */
	assert_int_equal(qos_try_enqueue(&q, 0), QOS_BUSY);
	qos_tick(&q);                                     /* 1 */
	assert_int_equal(qos_try_enqueue(&q, 0), QOS_OK); /* 0 */
	assert_int_equal(qos_try_enqueue(&q, 0), QOS_BUSY);
	for (int i = 0; i < 10; i++)
		qos_tick(&q); /* capped at 3 */
	assert_int_equal(q.ch[0].tokens, 3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(qos_try_enqueue(&q, 0), QOS_OK);
	assert_int_equal(qos_try_enqueue(&q, 0), QOS_BUSY);
	/* 9 attempts, each one unit of GAS. */
	assert_int_equal(q.verdicts[QOS_OK], 6);
	assert_int_equal(q.verdicts[QOS_BUSY], 3);
	assert_int_equal(q.gas, 100 - 9);
	assert_int_equal(q.ticks, 11);
}

static void
test_full_queue_drops_best_effort_and_holds_real_time(void **state)
{
	struct qos q;

	(void)state;
	one_channel(10, 10, 0, 2, QOS_CLASS_BE, 100);
	qos_init(&q, &ph);
	assert_int_equal(qos_try_enqueue(&q, 0), QOS_OK);
	assert_int_equal(qos_try_enqueue(&q, 0), QOS_OK);
	assert_int_equal(qos_try_enqueue(&q, 0), QOS_DROP);
	assert_int_equal(q.ch[0].tokens, 8); /* a drop takes no token */
	qos_dequeued(&q, 0);
	assert_int_equal(qos_try_enqueue(&q, 0), QOS_OK);

	one_channel(10, 10, 0, 2, QOS_CLASS_RT, 100);
	qos_init(&q, &ph);
	assert_int_equal(qos_try_enqueue(&q, 0), QOS_OK);
	assert_int_equal(qos_try_enqueue(&q, 0), QOS_OK);
	assert_int_equal(qos_try_enqueue(&q, 0), QOS_BUSY);
	/* Dequeuing from an empty queue does not go negative. */
	qos_dequeued(&q, 0);
	qos_dequeued(&q, 0);
	qos_dequeued(&q, 0);
	assert_int_equal(q.ch[0].queued, 0);
}

static void
test_gas_is_spent_on_every_attempt_then_egas(void **state)
{
	struct qos q;

	(void)state;
	/* No tokens at all: every attempt is BUSY but still costs GAS. */
	one_channel(0, 1, 0, 4, QOS_CLASS_BE, 3);
	qos_init(&q, &ph);
	for (int i = 0; i < 3; i++)
		assert_int_equal(qos_try_enqueue(&q, 0), QOS_BUSY);
	assert_int_equal(q.gas, 0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(qos_try_enqueue(&q, 0), QOS_EGAS);
	assert_int_equal(q.gas, 0);
	assert_int_equal(q.verdicts[QOS_EGAS], 5);
	/* A tick refills buckets, not GAS. */
	qos_tick(&q);
	assert_int_equal(qos_try_enqueue(&q, 0), QOS_EGAS);
}

static void
test_unknown_channel_is_a_drop_that_costs_gas(void **state)
{
	struct qos q;

	(void)state;
	one_channel(1, 1, 1, 1, QOS_CLASS_BE, 10);
	qos_init(&q, &ph);
	assert_int_equal(qos_try_enqueue(&q, 5), QOS_DROP);
	assert_int_equal(q.gas, 9);
	assert_string_equal(qos_verdict_name(QOS_EGAS), "EGAS");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bucket_exhausts_and_refills),
		cmocka_unit_test(
		    test_full_queue_drops_best_effort_and_holds_real_time),
		cmocka_unit_test(test_gas_is_spent_on_every_attempt_then_egas),
		cmocka_unit_test(test_unknown_channel_is_a_drop_that_costs_gas),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
