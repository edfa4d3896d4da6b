/*
 * cell_serve: after the proof, keep the kernel up for a number of timer
 * ticks and report every event from the external lines (and software line)
 * as it comes out of the IRQ bridge (an OBS EVENT record with the event
 * frame, and a "#V event" line). This is how a user watches a live
 * interrupt travel the whole path: kill -USR1 <pid> on a hosted kernel.
 */
#include <stdint.h>

#include "byteorder.h"
#include "cell.h"
#include "hal.h"
#include "irq_bridge.h"
#include "kprint.h"
#include "obs_emit.h"

enum { SERVE_EXT0, SERVE_EXT1, SERVE_SOFT, SERVE_SOURCES };

static const struct irqb_source_cfg serve_sources[SERVE_SOURCES] = {
	/* At most 50 events a tick-bucket, refilled by 10 a tick. */
	[SERVE_EXT0] = { EVENT_CUSTOM, 0, 50, 10 },
	[SERVE_EXT1] = { EVENT_CUSTOM, 0, 50, 10 },
	[SERVE_SOFT] = { EVENT_CUSTOM, 0, 50, 10 },
};

static volatile uint32_t ticks_taken;
static uint32_t line_count[HAL_IRQ_LINES];

static void
on_tick(unsigned line, void *ctx)
{
	(void)ctx;
	ticks_taken++;
	irqb_tick();
	hal_irq_ack(line);
}

static void
on_line(unsigned line, void *ctx)
{
	uint32_t src = (uint32_t)(uintptr_t)ctx;

	line_count[line]++;
	irqb_capture(src, line_count[line]);
	hal_irq_ack(line);
}

static void
print_events(void)
{
	static const char *const names[SERVE_SOURCES] = { "EXT0", "EXT1",
		"SOFT" };
	struct event e;

	uint8_t frame[EVENT_FRAME_MAX];

	while (irqb_pop(&e) == 0) {
		int n = event_pack(&e, frame, sizeof frame);

		/* The event itself as an OBS record, then a line for people. */
		if (n > 0)
			(void)obs_emit(OBS_EVENT, frame, (uint32_t)n);
		kprintf("#V event seq=%08X src=%s kind=%s n=%u\n", e.seq,
		    e.src < SERVE_SOURCES ? names[e.src] : "?",
		    event_kind_name(e.kind), le32_load(e.payload));
	}
}

void
cell_serve(uint32_t ticks)
{
	static const unsigned line_of[SERVE_SOURCES] = { HAL_IRQ_EXT0,
		HAL_IRQ_EXT1, HAL_IRQ_SOFT };
	unsigned long irq;
	struct irqb_stats st;

	irqb_reset();
	ticks_taken = 0;
	for (unsigned i = 0; i < HAL_IRQ_LINES; i++)
		line_count[i] = 0;
	for (uint32_t s = 0; s < SERVE_SOURCES; s++)
		(void)irqb_add_source(&serve_sources[s]);
	irq = hal_irq_save();
	hal_irq_register(HAL_IRQ_TIMER, on_tick, NULL);
	for (uint32_t s = 0; s < SERVE_SOURCES; s++) {
		hal_irq_register(line_of[s], on_line, (void *)(uintptr_t)s);
		hal_irq_unmask(line_of[s]);
	}
	if (hal_timer_start(CELL_SERVE_HZ) < 0) {
		kprintf("#V serve: no timer on this machine\n");
		hal_irq_restore(irq);
		return;
	}
	kprintf("#V serving interrupts for %u ticks\n", ticks);
	while (ticks_taken < ticks) {
		hal_wait_irq();
		print_events();
	}
	hal_timer_stop();
	for (unsigned l = 0; l < HAL_IRQ_LINES; l++)
		hal_irq_register(l, NULL, NULL);
	hal_irq_restore(irq);
	print_events();
	st = irqb_stats(IRQB_ALL);
	kprintf("#V served %u ticks: raised=%u delivered=%u dropped=%u\n",
	    ticks, st.raised, st.consumed,
	    st.debounced + st.rate_limited + st.overflowed);
}
