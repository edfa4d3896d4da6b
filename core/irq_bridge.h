/*
 * The IRQ bridge: turns interrupts into event frames. Each source has a
 * debounce window and a token bucket, both counted in bridge ticks (the
 * timer's interrupts), never in nanoseconds, so a run is the same on every
 * machine. An interrupt handler calls irqb_capture, which only counts and
 * queues: an interrupt inside the debounce window is dropped as a bounce,
 * one that finds the bucket empty is dropped as rate-limited, one that finds
 * the ring full is dropped as overflow, and any other becomes the next event
 * (seq numbers count delivered events only). For every source, at any time:
 * raised = debounced + rate_limited + overflowed + queued, and queued =
 * consumed + still in the ring.
 */
#ifndef CELLOS_IRQ_BRIDGE_H
#define CELLOS_IRQ_BRIDGE_H

#include <stdint.h>

#include "cellos/errors.h"
#include "config.h"
#include "event_codec.h"

struct irqb_source_cfg {
	uint32_t kind;           /* enum event_kind of its events */
	uint32_t debounce_ticks; /* 0: none; n: at most one per n ticks */
	uint32_t bucket_max;     /* 0: no rate limit */
	uint32_t refill_per_tick;
};

struct irqb_stats {
	uint32_t raised;
	uint32_t debounced;
	uint32_t rate_limited;
	uint32_t overflowed;
	uint32_t queued;   /* became events */
	uint32_t consumed; /* taken by irqb_pop */
};

/* Forget every source and event (cell_reset). Thread only. */
void irqb_reset(void);

/* Add a source; returns its id (0, 1, ...) or -CELL_E_NOSPACE / -CELL_E_INVAL. */
int irqb_add_source(const struct irqb_source_cfg *cfg);

/*
 * An interrupt from src, with a payload word for its event. Interrupt
 * context (or with interrupts disabled); constant time.
 */
void irqb_capture(uint32_t src, uint32_t payload);

/* One bridge tick: refill every bucket. Interrupt context (the timer). */
void irqb_tick(void);

/*
 * Take the oldest event into *out (payload: the u32 LE payload word):
 * 0, or -CELL_E_NOENT when the ring is empty. Thread only.
 */
int irqb_pop(struct event *out);

/* Counters of one source, or of all together when src is IRQB_ALL. */
#define IRQB_ALL 0xFFFFFFFFu
struct irqb_stats irqb_stats(uint32_t src);

#endif
