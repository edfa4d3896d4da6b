/*
 * A phenotype built by hand for the scheduler tests (test_sched.c,
 * test_vm_host.c): channels with roomy buckets and queues, edges one by one.
 */
#ifndef CELLOS_SCHED_FIXTURE_H
#define CELLOS_SCHED_FIXTURE_H

#include <stdint.h>
#include <string.h>

#include "pheno.h"

static struct phenotype ph;

/* n channels (ids 0..n-1), roomy buckets and queues, no edges yet. */
static inline void
channels(uint32_t n)
{
	memset(&ph, 0, sizeof ph);
	ph.num_channels = n;
	for (uint32_t i = 0; i < n; i++) {
		ph.channels[i].qos.channel_id = i;
		ph.channels[i].qos.bucket = 8;
		ph.channels[i].qos.bucket_max = 8;
		ph.channels[i].qos.refill_per_tick = 8;
		ph.channels[i].queue_depth = 8;
	}
	ph.sched.gas = 1000;
	ph.sched.epoch_quanta = 1000;
}

/* The edge from index from to index to. */
static inline void
edge(uint32_t from, uint32_t to)
{
	uint32_t bit = from * ph.num_channels + to;

	ph.adjacency[bit / 8] |= (uint8_t)(1u << (bit % 8));
}

#endif
