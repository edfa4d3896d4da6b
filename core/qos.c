/* QoS token buckets and GAS; see qos.h for the rules. */
#include <stdint.h>

#include "qos.h"

void
qos_init(struct qos *q, const struct phenotype *p)
{
	*q = (struct qos){ 0 };
	q->num_channels = p->num_channels;
	for (uint32_t i = 0; i < p->num_channels; i++) {
		const struct pbin_qos *r = &p->channels[i].qos;
		struct qos_channel *c = &q->ch[i];

		c->class = r->qos;
		c->priority = r->priority;
		c->tokens = r->bucket;
		c->bucket_max = r->bucket_max;
		c->refill_per_tick = r->refill_per_tick;
		c->depth = p->channels[i].queue_depth;
	}
	q->gas = p->sched.gas;
}

static enum qos_verdict
decide(struct qos *q, uint32_t index)
{
	struct qos_channel *c;

	if (q->gas == 0)
		return QOS_EGAS;
	q->gas--;
	if (index >= q->num_channels)
		return QOS_DROP;
	c = &q->ch[index];
	if (c->queued >= c->depth)
		return c->class == QOS_CLASS_RT ? QOS_BUSY : QOS_DROP;
	if (c->tokens == 0)
		return QOS_BUSY;
	c->tokens--;
	c->queued++;
	return QOS_OK;
}

enum qos_verdict
qos_try_enqueue(struct qos *q, uint32_t index)
{
	enum qos_verdict v = decide(q, index);

	q->verdicts[v]++;
	return v;
}

void
qos_dequeued(struct qos *q, uint32_t index)
{
	if (index < q->num_channels && q->ch[index].queued > 0)
		q->ch[index].queued--;
}

void
qos_tick(struct qos *q)
{
	for (uint32_t i = 0; i < q->num_channels; i++) {
		struct qos_channel *c = &q->ch[i];
		uint64_t room = c->bucket_max - c->tokens;

		c->tokens +=
		    c->refill_per_tick < room ? c->refill_per_tick : room;
	}
	q->ticks++;
}

const char *
qos_verdict_name(enum qos_verdict v)
{
	static const char *const names[QOS_VERDICTS] = { "OK", "BUSY", "DROP",
		"EGAS" };

	return (unsigned)v < QOS_VERDICTS ? names[v] : "?";
}
