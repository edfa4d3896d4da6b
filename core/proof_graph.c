/*
 * E3/E4, the channel graph and QoS proof. E4 is the phenotype itself: the
 * boot has loaded the channel graph from it (cg_load). E3 drives a scratch
 * QoS engine, set up from the same phenotype, through a fixed sequence: for
 * 24 ticks, channel index i gets i+1 enqueue attempts, then every non-empty
 * queue gives up one message and the buckets refill. qos packs what came
 * out: OK count << 24 | BUSY count << 16 | DROP count << 8 | remaining GAS,
 * each to 8 bits. cg_crc is cg_hash() of the loaded graph.
 *
 * The step checks the engine against the rules worked out per tick from
 * the phenotype's parameters alone (expected_verdicts), and the loaded
 * graph against the phenotype's own records, edge by edge.
 */
#include <stdint.h>

#include "cgraph.h"
#include "proof.h"
#include "proof_steps.h"
#include "qos.h"

#define E3_TICKS 24

static uint64_t
min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/*
 * The verdicts of the E3 sequence from the documented rules, one tick of
 * one channel at a time rather than attempt by attempt: of the attempts
 * GAS still pays for, min(attempts, free queue slots, tokens) are OK; the
 * rest are DROP (best effort) or BUSY (real time) when the queue is then
 * full, else BUSY (no token); the unpaid ones are EGAS. Attempts are paid
 * in the order they are made (tick, then channel, then attempt).
 */
static void
expected_verdicts(const struct phenotype *p, uint32_t counts[QOS_VERDICTS],
    uint64_t *gas_left)
{
	uint64_t tokens[CHANNELS_MAX], gas = p->sched.gas;
	uint32_t queued[CHANNELS_MAX];

	for (uint32_t i = 0; i < QOS_VERDICTS; i++)
		counts[i] = 0;
	for (uint32_t i = 0; i < p->num_channels; i++) {
		tokens[i] = p->channels[i].qos.bucket;
		queued[i] = 0;
	}
	for (uint32_t t = 0; t < E3_TICKS; t++) {
		for (uint32_t i = 0; i < p->num_channels; i++) {
			const struct pheno_channel *c = &p->channels[i];
			uint64_t paid = min64(i + 1, gas);
			uint64_t room = c->queue_depth - queued[i];
			uint64_t ok = min64(paid, min64(room, tokens[i]));

			gas -= paid;
			counts[QOS_EGAS] += (uint32_t)(i + 1 - paid);
			counts[QOS_OK] += (uint32_t)ok;
			tokens[i] -= ok;
			queued[i] += (uint32_t)ok;
			if (queued[i] == c->queue_depth &&
			    c->qos.qos != QOS_CLASS_RT)
				counts[QOS_DROP] += (uint32_t)(paid - ok);
			else
				counts[QOS_BUSY] += (uint32_t)(paid - ok);
		}
		for (uint32_t i = 0; i < p->num_channels; i++) {
			const struct pbin_qos *r = &p->channels[i].qos;

			if (queued[i] > 0)
				queued[i]--;
			tokens[i] = min64(tokens[i] + r->refill_per_tick,
			    r->bucket_max);
		}
	}
	*gas_left = gas;
}

/* The graph the boot loaded must be the phenotype's, edge by edge. */
static int
check_graph(const struct phenotype *p)
{
	if (cg_channels() != p->num_channels)
		return proof_fail(3,
		    "the graph has %u channels, the phenotype "
		    "%u",
		    cg_channels(), p->num_channels);
	for (uint32_t i = 0; i < p->num_channels; i++) {
		if (cg_channel_id(i) != p->channels[i].qos.channel_id)
			return proof_fail(3,
			    "graph channel %u has id %u, the "
			    "phenotype says %u",
			    i, cg_channel_id(i), p->channels[i].qos.channel_id);
		for (uint32_t j = 0; j < p->num_channels; j++) {
			if (cg_edge(i, j) != pheno_has_edge(p, i, j))
				return proof_fail(3,
				    "edge %u -> %u is %s in the "
				    "graph but %s in the phenotype",
				    i, j, cg_edge(i, j) ? "present" : "absent",
				    pheno_has_edge(p, i, j) ? "present" :
							      "absent");
		}
	}
	return 0;
}

int
proof_e3_graph(const struct phenotype *p)
{
	static struct qos q; /* static: no large frames on kernel stacks */
	static const char *const names[QOS_VERDICTS] = { "OK", "BUSY", "DROP",
		"EGAS" };
	uint32_t want[QOS_VERDICTS], qos_word;
	uint64_t want_gas;

	if (check_graph(p) < 0)
		return -1;
	qos_init(&q, p);
	for (uint32_t t = 0; t < E3_TICKS; t++) {
		for (uint32_t i = 0; i < q.num_channels; i++) {
			for (uint32_t k = 0; k <= i; k++)
				(void)qos_try_enqueue(&q, i);
		}
		for (uint32_t i = 0; i < q.num_channels; i++)
			qos_dequeued(&q, i);
		qos_tick(&q);
	}

	expected_verdicts(p, want, &want_gas);
	for (uint32_t v = 0; v < QOS_VERDICTS; v++) {
		if (q.verdicts[v] != want[v])
			return proof_fail(3,
			    "QoS gave %u %s verdicts, the rules "
			    "give %u",
			    q.verdicts[v], names[v], want[v]);
	}
	if (q.gas != want_gas)
		return proof_fail(3,
		    "QoS has %llu GAS left, the rules leave "
		    "%llu",
		    (unsigned long long)q.gas, (unsigned long long)want_gas);
	for (uint32_t i = 0; i < q.num_channels; i++) {
		if (q.ch[i].tokens > q.ch[i].bucket_max ||
		    q.ch[i].queued > q.ch[i].depth)
			return proof_fail(3,
			    "channel %u over its limits "
			    "(tokens %llu/%llu, queued %u/%u)",
			    i, (unsigned long long)q.ch[i].tokens,
			    (unsigned long long)q.ch[i].bucket_max,
			    q.ch[i].queued, q.ch[i].depth);
	}

	qos_word = (q.verdicts[QOS_OK] & 0xFFu) << 24 |
	    (q.verdicts[QOS_BUSY] & 0xFFu) << 16 |
	    (q.verdicts[QOS_DROP] & 0xFFu) << 8 | (uint32_t)(q.gas & 0xFFu);
	return proof_emit(PROOF_E3,
	    (const struct proof_field[]){ { "qos", qos_word },
		{ "cg_crc", cg_hash() } },
	    2);
}
