/*
 * The channel graph: the channels of the loaded phenotype, the directed
 * edges between them (the adjacency bitset), and one FIFO of messages per
 * channel, drawn from a fixed pool. Channels are named by index (their
 * position in the phenotype) inside the kernel and by channel_id outside.
 */
#ifndef CELLOS_CGRAPH_H
#define CELLOS_CGRAPH_H

#include <stdint.h>

#include "cellos/errors.h"
#include "config.h"
#include "pheno.h"

struct cg_msg {
	uint32_t from_gene;    /* gene id of the sender, 0 for the kernel */
	uint32_t from_channel; /* index */
	uint32_t verb;
	uint32_t len;
	uint8_t payload[MSG_PAYLOAD_MAX];
};

/* Load the graph of p: channels, edges, empty queues. */
void cg_load(const struct phenotype *p);

/* Number of channels; channel_id of index; index of channel_id or -CELL_E_NOENT. */
uint32_t cg_channels(void);
uint32_t cg_channel_id(uint32_t index);
int cg_index(uint32_t channel_id);

/* Whether the graph has the edge from -> to (indices). */
int cg_edge(uint32_t from, uint32_t to);

/*
 * The first hop of a shortest path from -> to (indices) along the graph's
 * edges, ties going to the lowest index; -CELL_E_ROUTE when to cannot be
 * reached, -CELL_E_INVAL for from == to or an index out of range.
 */
int cg_next_hop(uint32_t from, uint32_t to);

/*
 * Append a message to channel index's queue. The caller has already had
 * QoS reserve the slot; -CELL_E_NOSPACE means the shared pool is empty,
 * -CELL_E_LENGTH a payload over MSG_PAYLOAD_MAX.
 */
int cg_push(uint32_t index, uint32_t from_gene, uint32_t from_channel,
    uint32_t verb, const void *payload, uint32_t len);

/* Take the oldest message of channel index into *out: 0 or -CELL_E_NOENT. */
int cg_pop(uint32_t index, struct cg_msg *out);

/* Messages queued on channel index. */
uint32_t cg_queued(uint32_t index);

/*
 * Remove every queued message sent by gene_id (the lysosome reclaiming a
 * dead gene); calls on_removed(index) for each so QoS can free the slot.
 * Returns how many were removed.
 */
uint32_t cg_purge_sender(uint32_t gene_id, void (*on_removed)(uint32_t index));

/*
 * cg_crc of the E3/E4 line: SHA-256 (first four bytes, little-endian) over
 * the arch-independent parts of the loaded graph: each channel's 36-byte QoS
 * record (encoded as in the .pbin, pbin_qos_encode) and u32 queue depth, then
 * the adjacency bitset.
 */
uint32_t cg_hash(void);

#endif
