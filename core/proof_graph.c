/*
 * E3/E4, the channel graph and QoS proof. E4 is the phenotype itself: the
 * graph and QoS table loaded here come from it. E3 drives a scratch QoS
 * engine, set up from the same phenotype, through a fixed sequence: for 24
 * ticks, channel index i gets i+1 enqueue attempts, then every non-empty
 * queue gives up one message and the buckets refill. qos packs what came
 * out: OK count << 24 | BUSY count << 16 | DROP count << 8 | remaining GAS,
 * each to 8 bits. cg_crc is cg_hash() of the loaded graph.
 */
#include <stdint.h>

#include "cgraph.h"
#include "kprint.h"
#include "proof.h"
#include "proofs.h"
#include "qos.h"

#define E3_TICKS 24

int
proof_e3_graph(const struct phenotype *p)
{
	static struct qos q;	/* static: no large frames on kernel stacks */
	uint32_t attempts = 0, qos_word, cg_crc;

	cg_load(p);
	qos_init(&q, p);
	for (uint32_t t = 0; t < E3_TICKS; t++) {
		for (uint32_t i = 0; i < q.num_channels; i++) {
			for (uint32_t k = 0; k <= i; k++) {
				(void)qos_try_enqueue(&q, i);
				attempts++;
			}
		}
		for (uint32_t i = 0; i < q.num_channels; i++)
			qos_dequeued(&q, i);
		qos_tick(&q);
	}

	/* The engine's own books must balance. */
	uint32_t given = q.verdicts[QOS_OK] + q.verdicts[QOS_BUSY] +
	    q.verdicts[QOS_DROP] + q.verdicts[QOS_EGAS];
	if (given != attempts)
		return proof_fail(3, "QoS gave %u verdicts for %u attempts",
		    given, attempts);
	uint64_t spent = (uint64_t)attempts - q.verdicts[QOS_EGAS];
	if (q.gas + spent != p->sched.gas)
		return proof_fail(3, "GAS %llu + spent %llu != reservoir %u",
		    (unsigned long long)q.gas, (unsigned long long)spent,
		    p->sched.gas);
	for (uint32_t i = 0; i < q.num_channels; i++) {
		if (q.ch[i].tokens > q.ch[i].bucket_max ||
		    q.ch[i].queued > q.ch[i].depth)
			return proof_fail(3, "channel %u over its limits "
			    "(tokens %llu/%llu, queued %u/%u)", i,
			    (unsigned long long)q.ch[i].tokens,
			    (unsigned long long)q.ch[i].bucket_max,
			    q.ch[i].queued, q.ch[i].depth);
	}

	qos_word = (q.verdicts[QOS_OK] & 0xFFu) << 24 |
	    (q.verdicts[QOS_BUSY] & 0xFFu) << 16 |
	    (q.verdicts[QOS_DROP] & 0xFFu) << 8 | (uint32_t)(q.gas & 0xFFu);
	cg_crc = cg_hash();
	proof_record(PROOF_E3, qos_word, cg_crc);
	kprintf("#E3/E4 CG proof: qos=%08X cg_crc=%08X\n", qos_word, cg_crc);
	return 0;
}
