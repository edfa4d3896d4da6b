/*
 * QoS: per-channel token buckets, queue-depth limits and a GAS reservoir.
 * Every enqueue attempt costs one unit of GAS, whatever its verdict; an
 * attempt that finds the reservoir empty gets QOS_EGAS. Then a full queue
 * gives QOS_DROP on a best-effort channel and QOS_BUSY (back-pressure, try
 * again) on a real-time one, an empty bucket gives QOS_BUSY, and otherwise
 * a token is taken and a queue slot reserved (QOS_OK). qos_tick() refills
 * each bucket by its refill_per_tick, never past bucket_max.
 */
#ifndef CELLOS_QOS_H
#define CELLOS_QOS_H

#include <stdint.h>

#include "config.h"
#include "pheno.h"

enum qos_verdict {
	QOS_OK = 0,
	QOS_BUSY = 1,
	QOS_DROP = 2,
	QOS_EGAS = 3,
	QOS_VERDICTS = 4
};

struct qos_channel {
	uint32_t class; /* enum channel_qos_class */
	uint32_t priority;
	uint64_t tokens;
	uint64_t bucket_max;
	uint64_t refill_per_tick;
	uint32_t depth;  /* queue slots */
	uint32_t queued; /* slots in use */
};

struct qos {
	uint32_t num_channels;
	struct qos_channel ch[CHANNELS_MAX];
	uint64_t gas;
	uint64_t ticks;
	uint32_t verdicts[QOS_VERDICTS]; /* how often each was given */
};

/* Set q up from the phenotype's QoS records, queue depths and GAS. */
void qos_init(struct qos *q, const struct phenotype *p);

/* One enqueue attempt on channel index; see the header comment. */
enum qos_verdict qos_try_enqueue(struct qos *q, uint32_t index);

/* A parcel left channel index's queue: free its slot. */
void qos_dequeued(struct qos *q, uint32_t index);

/* One tick: refill every bucket. Deterministic: no clock is read. */
void qos_tick(struct qos *q);

/* "OK", "BUSY", "DROP", "EGAS". */
const char *qos_verdict_name(enum qos_verdict v);

#endif
