/*
 * The IRQ bridge; see irq_bridge.h. irqb_capture runs in interrupt context
 * on the boards, so it touches only this file's tables and does a bounded
 * amount of work. The consumer (irqb_pop) runs with interrupts disabled
 * around the ring update, which on one CPU is all the locking needed.
 */
#include <stdint.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "hal.h"
#include "irq_bridge.h"
#include "obs_emit.h"

struct source {
	struct irqb_source_cfg cfg;
	uint32_t tokens;
	uint32_t last_accept; /* bridge tick of the last accepted interrupt */
	uint32_t accepted_any;
	struct irqb_stats st;
};

struct slot {
	uint32_t seq, src, kind, payload;
};

static struct bridge {
	uint32_t num_sources;
	struct source sources[IRQB_SOURCES_MAX];
	struct slot ring[IRQB_RING];
	uint32_t head, count; /* oldest slot, slots in use */
	uint32_t next_seq;
	volatile uint32_t ticks;
} b;

void
irqb_reset(void)
{
	unsigned long irq = hal_irq_save();

	b = (struct bridge){ 0 };
	hal_irq_restore(irq);
}

int
irqb_add_source(const struct irqb_source_cfg *cfg)
{
	struct source *s;

	if (!event_kind_known(cfg->kind) ||
	    (cfg->bucket_max != 0 && cfg->refill_per_tick > cfg->bucket_max))
		return -CELL_E_INVAL;
	if (b.num_sources >= IRQB_SOURCES_MAX)
		return -CELL_E_NOSPACE;
	s = &b.sources[b.num_sources];
	*s = (struct source){ 0 };
	s->cfg = *cfg;
	s->tokens = cfg->bucket_max;
	return (int)b.num_sources++;
}

void
irqb_capture(uint32_t src, uint32_t payload)
{
	struct source *s;
	struct slot *slot;

	if (src >= b.num_sources)
		return;
	s = &b.sources[src];
	s->st.raised++;
	if (s->cfg.debounce_ticks != 0 && s->accepted_any &&
	    b.ticks - s->last_accept < s->cfg.debounce_ticks) {
		s->st.debounced++;
		return;
	}
	if (s->cfg.bucket_max != 0) {
		if (s->tokens == 0) {
			s->st.rate_limited++;
			return;
		}
		s->tokens--;
	}
	s->accepted_any = 1;
	s->last_accept = b.ticks;
	if (b.count == IRQB_RING) {
		s->st.overflowed++;
		return;
	}
	slot = &b.ring[(b.head + b.count) % IRQB_RING];
	slot->seq = b.next_seq++;
	slot->src = src;
	slot->kind = s->cfg.kind;
	slot->payload = payload;
	b.count++;
	s->st.queued++;
}

void
irqb_tick(void)
{
	b.ticks++;
	for (uint32_t i = 0; i < b.num_sources; i++) {
		struct source *s = &b.sources[i];
		uint32_t room = s->cfg.bucket_max - s->tokens;

		if (s->cfg.bucket_max != 0)
			s->tokens += s->cfg.refill_per_tick < room ?
			    s->cfg.refill_per_tick :
			    room;
	}
}

int
irqb_pop(struct event *out)
{
	unsigned long irq = hal_irq_save();
	struct slot s;

	if (b.count == 0) {
		hal_irq_restore(irq);
		return -CELL_E_NOENT;
	}
	s = b.ring[b.head];
	b.head = (b.head + 1) % IRQB_RING;
	b.count--;
	b.sources[s.src].st.consumed++;
	uint32_t tick = b.ticks;
	hal_irq_restore(irq);

	obs_trace(OBS_TRACE_IRQ_DELIVERED, s.src, tick, s.seq);

	out->seq = s.seq;
	out->src = s.src;
	out->kind = s.kind;
	out->len = 4;
	le32_store(out->payload, s.payload);
	return 0;
}

struct irqb_stats
irqb_stats(uint32_t src)
{
	struct irqb_stats sum = { 0 };
	unsigned long irq = hal_irq_save();

	for (uint32_t i = 0; i < b.num_sources; i++) {
		const struct irqb_stats *st = &b.sources[i].st;

		if (src != IRQB_ALL && src != i)
			continue;
		sum.raised += st->raised;
		sum.debounced += st->debounced;
		sum.rate_limited += st->rate_limited;
		sum.overflowed += st->overflowed;
		sum.queued += st->queued;
		sum.consumed += st->consumed;
	}
	hal_irq_restore(irq);
	return sum;
}
