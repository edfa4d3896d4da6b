/*
 * E6, the event proof. Interrupts travel the CPU's real interrupt path (IDT
 * vector, GIC and vector table, signal handler) into the IRQ bridge:
 *   1. the timer runs and exactly E6_FIRST_TICKS ticks are taken (the
 *      handler masks the line when its quota is used up, so a tick that
 *      comes late is never counted);
 *   2. E6_BURSTS bursts of software interrupts, each raised and taken one at
 *      a time with the timer masked, alternate between a debounced
 *      "button" and a rate-limited "sensor"; one timer tick between bursts
 *      advances the bridge clock;
 *   3. a flood source raises E6_FLOOD interrupts without the consumer
 *      draining, so the ring overflows by E6_FLOOD - IRQB_RING.
 * Every count is in interrupts and bridge ticks, so the events that come out
 * are the same on every machine and in both hosted time modes. delivered
 * counts them; evt_hash is over their packed frames (seq, src, kind, len,
 * payload), in order; dropped counts the bounces, rate-limited and
 * overflowed interrupts.
 *
 * The step checks that the interrupts were real: on every line, the
 * interrupts the CPU took at its entry (hal_irq_taken) equal the handler
 * calls and the interrupts the bridge captured, and the timer ones equal
 * the ticks the step waited for. It checks the bridge against the scenario
 * worked out burst by burst from the sources' debounce and bucket settings
 * (expected_queued), and that every source's books balance.
 */
#include <stdint.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "crypto.h"
#include "event_codec.h"
#include "hal.h"
#include "irq_bridge.h"
#include "proof.h"
#include "proof_steps.h"

#define E6_TIMER_HZ \
	HAL_TIMER_HZ_MAX /* the values count ticks: any rate gives them */
#define E6_FIRST_TICKS 4
#define E6_BURSTS      6
#define E6_FLOOD       (IRQB_RING + 8)

enum { SRC_TIMER, SRC_BUTTON, SRC_SENSOR, SRC_FLOOD, SRC_COUNT };

static const struct irqb_source_cfg sources[SRC_COUNT] = {
	[SRC_TIMER] = { EVENT_TIMER, 0, 0, 0 },
	[SRC_BUTTON] = { EVENT_CUSTOM, 2, 0, 0 }, /* one per 2 ticks */
	[SRC_SENSOR] = { EVENT_CUSTOM, 0, 3, 1 }, /* 3 at once, 1 per tick */
	[SRC_FLOOD] = { EVENT_CUSTOM, 0, 0, 0 },
};

/* One burst: which source each software interrupt is for. */
static const uint8_t burst[] = {
	SRC_BUTTON,
	SRC_SENSOR,
	SRC_SENSOR,
	SRC_BUTTON,
	SRC_SENSOR,
	SRC_SENSOR,
	SRC_BUTTON,
};

static volatile uint32_t timer_quota; /* ticks the handler may still take */
static volatile uint32_t timer_taken; /* ticks counted against the quota */
static volatile uint32_t timer_calls; /* on_timer calls, counted or not */
static volatile uint32_t soft_taken;
static volatile uint32_t soft_source; /* the source of the next soft IRQ */

static struct {
	struct sha256_ctx hash;
	uint32_t delivered;
	uint32_t next_seq;
	int bad_seq;
} out;

static void
on_timer(unsigned line, void *ctx)
{
	(void)ctx;
	timer_calls++;
	if (timer_quota > 0) {
		timer_quota--;
		timer_taken++;
		irqb_tick();
		irqb_capture(SRC_TIMER, timer_taken);
		if (timer_quota == 0)
			hal_irq_mask(HAL_IRQ_TIMER);
	}
	hal_irq_ack(line);
}

static void
on_soft(unsigned line, void *ctx)
{
	(void)ctx;
	soft_taken++;
	irqb_capture(soft_source, soft_taken);
	hal_irq_ack(line);
}

/* Take exactly n timer ticks. Interrupts are disabled on entry and exit. */
static void
take_ticks(uint32_t n)
{
	uint32_t target = timer_taken + n;

	timer_quota = n;
	hal_irq_unmask(HAL_IRQ_TIMER);
	while (timer_taken < target)
		hal_wait_irq();
}

/* Raise one software interrupt for src and wait until it has been taken. */
static int
raise_soft(uint32_t src)
{
	uint32_t before = soft_taken;
	int rc;

	soft_source = src;
	if ((rc = hal_irq_raise_soft(HAL_IRQ_SOFT)) < 0)
		return rc;
	while (soft_taken == before)
		hal_wait_irq();
	return 0;
}

/* Hand every waiting event to the proof: hash it, check its seq. */
static void
drain(void)
{
	struct event e;
	uint8_t frame[EVENT_FRAME_MAX];

	while (irqb_pop(&e) == 0) {
		int n = event_pack(&e, frame, sizeof frame);

		if (n > 0)
			sha256_update(&out.hash, frame, (size_t)n);
		if (e.seq != out.next_seq)
			out.bad_seq = 1;
		out.next_seq = e.seq + 1;
		out.delivered++;
	}
}

static int
run_scenario(void)
{
	int rc;

	if ((rc = hal_timer_start(E6_TIMER_HZ)) < 0)
		return proof_fail(6, "the timer did not start (%s)",
		    cell_strerror(rc));
	take_ticks(E6_FIRST_TICKS);
	drain();
	for (uint32_t b = 0; b < E6_BURSTS; b++) {
		for (uint32_t i = 0; i < sizeof burst; i++) {
			if ((rc = raise_soft(burst[i])) < 0)
				return proof_fail(6,
				    "raising a software "
				    "interrupt failed (%s)",
				    cell_strerror(rc));
		}
		drain();
		take_ticks(1);
	}
	drain();
	for (uint32_t i = 0; i < E6_FLOOD; i++) {
		if ((rc = raise_soft(SRC_FLOOD)) < 0)
			return proof_fail(6,
			    "raising a software interrupt "
			    "failed (%s)",
			    cell_strerror(rc));
	}
	drain();
	hal_timer_stop();
	return 0;
}

/* What the scenario raises on each source. */
static const uint32_t raised[SRC_COUNT] = {
	[SRC_TIMER] = E6_FIRST_TICKS + E6_BURSTS,
	[SRC_BUTTON] = 3 * E6_BURSTS,
	[SRC_SENSOR] = 4 * E6_BURSTS,
	[SRC_FLOOD] = E6_FLOOD,
};

/*
 * The events each source must deliver, from its settings alone, one burst
 * at a time (burst b comes b ticks after the first): a debounced source
 * takes the first interrupt of a burst at least debounce_ticks after the
 * one it last took and bounces the rest of the burst; a bucket source takes
 * as many as it has tokens, and gains refill_per_tick a tick up to
 * bucket_max (the first ticks find it full); the flood fills the ring,
 * which holds IRQB_RING, and overflows. The timer takes every tick.
 */
static void
expected_queued(uint32_t want[SRC_COUNT])
{
	const struct irqb_source_cfg *button = &sources[SRC_BUTTON];
	const struct irqb_source_cfg *sensor = &sources[SRC_SENSOR];
	uint32_t tokens = sensor->bucket_max, last = 0, any = 0;

	want[SRC_TIMER] = raised[SRC_TIMER];
	want[SRC_BUTTON] = want[SRC_SENSOR] = 0;
	for (uint32_t b = 0; b < E6_BURSTS; b++) {
		uint32_t presses = raised[SRC_BUTTON] / E6_BURSTS;
		uint32_t readings = raised[SRC_SENSOR] / E6_BURSTS;
		uint32_t took;

		if (button->debounce_ticks == 0) {
			want[SRC_BUTTON] += presses;
		} else if (!any || b - last >= button->debounce_ticks) {
			want[SRC_BUTTON]++;
			last = b;
			any = 1;
		}
		if (sensor->bucket_max == 0) {
			want[SRC_SENSOR] += readings;
			continue;
		}
		took = readings < tokens ? readings : tokens;
		want[SRC_SENSOR] += took;
		tokens -= took;
		tokens = tokens + sensor->refill_per_tick < sensor->bucket_max ?
		    tokens + sensor->refill_per_tick :
		    sensor->bucket_max;
	}
	want[SRC_FLOOD] = E6_FLOOD < IRQB_RING ? E6_FLOOD : IRQB_RING;
}

/*
 * The interrupts were real and every one is accounted for: taken at the
 * CPU's entry = handled = captured by the bridge, on both lines.
 */
static int
check_lines(uint64_t timer_entries, uint64_t soft_entries)
{
	uint32_t soft_captured = 0;

	for (uint32_t s = 0; s < SRC_COUNT; s++) {
		if (s != SRC_TIMER)
			soft_captured += irqb_stats(s).raised;
	}
	if (timer_taken != E6_FIRST_TICKS + E6_BURSTS)
		return proof_fail(6,
		    "%u timer ticks were counted, the step "
		    "waited for %u",
		    timer_taken, E6_FIRST_TICKS + E6_BURSTS);
	if (timer_entries != timer_calls || timer_calls != timer_taken ||
	    irqb_stats(SRC_TIMER).raised != timer_taken)
		return proof_fail(6,
		    "timer line: the CPU took %llu interrupts, "
		    "the handler ran %u times and counted %u, the bridge "
		    "captured %u",
		    (unsigned long long)timer_entries, timer_calls, timer_taken,
		    irqb_stats(SRC_TIMER).raised);
	if (soft_entries != soft_taken || soft_taken != soft_captured)
		return proof_fail(6,
		    "software line: the CPU took %llu "
		    "interrupts, the handler ran %u times, the bridge captured "
		    "%u",
		    (unsigned long long)soft_entries, soft_taken,
		    soft_captured);
	return 0;
}

/* The bridge's books for each source balance and match the scenario. */
static int
check_books(void)
{
	uint32_t want[SRC_COUNT];

	expected_queued(want);
	for (uint32_t s = 0; s < SRC_COUNT; s++) {
		struct irqb_stats st = irqb_stats(s);

		if (st.raised != raised[s])
			return proof_fail(6,
			    "source %u: bridge saw %u "
			    "interrupts, %u were raised",
			    s, st.raised, raised[s]);
		if (st.raised !=
			st.debounced + st.rate_limited + st.overflowed +
			    st.queued ||
		    st.queued != st.consumed)
			return proof_fail(6,
			    "source %u: books do not balance "
			    "(raised %u debounced %u limited %u overflowed %u "
			    "queued %u consumed %u)",
			    s, st.raised, st.debounced, st.rate_limited,
			    st.overflowed, st.queued, st.consumed);
		if (st.queued != want[s])
			return proof_fail(6,
			    "source %u delivered %u events, its "
			    "debounce and bucket settings give %u",
			    s, st.queued, want[s]);
	}
	if (out.bad_seq)
		return proof_fail(6, "events came out of sequence");
	return 0;
}

int
proof_e6_events(void)
{
	unsigned long irq;
	struct irqb_stats all;
	uint64_t timer0, soft0, timer_entries, soft_entries;
	int rc;

	out.delivered = 0;
	out.next_seq = 0;
	out.bad_seq = 0;
	sha256_init(&out.hash);
	timer_quota = timer_taken = timer_calls = soft_taken = 0;
	irqb_reset();
	for (uint32_t s = 0; s < SRC_COUNT; s++) {
		if (irqb_add_source(&sources[s]) != (int)s)
			return proof_fail(6, "bridge refused source %u", s);
	}
	irq = hal_irq_save();
	if ((rc = hal_irq_register(HAL_IRQ_TIMER, on_timer, NULL)) < 0 ||
	    (rc = hal_irq_register(HAL_IRQ_SOFT, on_soft, NULL)) < 0) {
		hal_irq_restore(irq);
		return proof_fail(6, "the interrupt lines cannot be used (%s)",
		    cell_strerror(rc));
	}
	timer0 = hal_irq_taken(HAL_IRQ_TIMER);
	soft0 = hal_irq_taken(HAL_IRQ_SOFT);
	rc = run_scenario();
	timer_entries = hal_irq_taken(HAL_IRQ_TIMER) - timer0;
	soft_entries = hal_irq_taken(HAL_IRQ_SOFT) - soft0;
	hal_irq_register(HAL_IRQ_TIMER, NULL, NULL);
	hal_irq_register(HAL_IRQ_SOFT, NULL, NULL);
	hal_irq_restore(irq);
	if (rc < 0 || check_lines(timer_entries, soft_entries) < 0 ||
	    check_books() < 0)
		return -1;

	all = irqb_stats(IRQB_ALL);
	return proof_emit(PROOF_E6,
	    (const struct proof_field[]){ { "delivered", out.delivered },
		{ "evt_hash", sha256_final_le32(&out.hash) },
		{ "dropped",
		    all.debounced + all.rate_limited + all.overflowed } },
	    3);
}
