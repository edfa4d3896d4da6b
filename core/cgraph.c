/* The channel graph and its message queues; see cgraph.h. */
#include <stdint.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "cgraph.h"
#include "crypto.h"
#include "pbin_codec.h"

#define NO_MSG 0xFFFFu

struct pool_msg {
	struct cg_msg m;
	uint16_t next;
};

static struct {
	uint32_t n;
	struct pbin_qos qos[CHANNELS_MAX];
	uint32_t depth[CHANNELS_MAX];
	uint8_t adjacency[(CHANNELS_MAX * CHANNELS_MAX + 7) / 8];
	uint16_t head[CHANNELS_MAX], tail[CHANNELS_MAX];
	uint32_t queued[CHANNELS_MAX];
	uint16_t free_list;
	struct pool_msg pool[MSG_POOL];
} cg;

void
cg_load(const struct phenotype *p)
{
	cg.n = p->num_channels;
	for (uint32_t i = 0; i < CHANNELS_MAX; i++) {
		if (i < p->num_channels) {
			cg.qos[i] = p->channels[i].qos;
			cg.depth[i] = p->channels[i].queue_depth;
		} else {
			cg.qos[i] = (struct pbin_qos){ 0 };
			cg.depth[i] = 0;
		}
		cg.head[i] = cg.tail[i] = NO_MSG;
		cg.queued[i] = 0;
	}
	for (uint32_t i = 0; i < sizeof cg.adjacency; i++)
		cg.adjacency[i] = p->adjacency[i];
	for (uint32_t i = 0; i < MSG_POOL; i++)
		cg.pool[i].next = (uint16_t)(i + 1 < MSG_POOL ? i + 1 : NO_MSG);
	cg.free_list = 0;
}

uint32_t
cg_channels(void)
{
	return cg.n;
}

uint32_t
cg_channel_id(uint32_t index)
{
	return index < cg.n ? cg.qos[index].channel_id : 0xFFFFFFFFu;
}

int
cg_index(uint32_t channel_id)
{
	for (uint32_t i = 0; i < cg.n; i++) {
		if (cg.qos[i].channel_id == channel_id)
			return (int)i;
	}
	return -CELL_E_NOENT;
}

int
cg_edge(uint32_t from, uint32_t to)
{
	uint32_t bit;

	if (from >= cg.n || to >= cg.n)
		return 0;
	bit = from * cg.n + to;
	return (cg.adjacency[bit / 8] >> (bit % 8)) & 1;
}

int
cg_next_hop(uint32_t from, uint32_t to)
{
	uint8_t first_hop[CHANNELS_MAX];
	uint8_t queue[CHANNELS_MAX];
	uint32_t head = 0, tail = 0;

	if (from >= cg.n || to >= cg.n || from == to)
		return -CELL_E_INVAL;
	for (uint32_t i = 0; i < cg.n; i++)
		first_hop[i] = 0xFF;
	/* Breadth first from `from`, remembering which first hop led where. */
	for (uint32_t i = 0; i < cg.n; i++) {
		if (i != from && cg_edge(from, i)) {
			first_hop[i] = (uint8_t)i;
			queue[tail++] = (uint8_t)i;
		}
	}
	while (head < tail) {
		uint32_t at = queue[head++];

		if (at == to)
			return (int)first_hop[at];
		for (uint32_t i = 0; i < cg.n; i++) {
			if (i != from && first_hop[i] == 0xFF &&
			    cg_edge(at, i)) {
				first_hop[i] = first_hop[at];
				queue[tail++] = (uint8_t)i;
			}
		}
	}
	return -CELL_E_ROUTE;
}

int
cg_push(uint32_t index, uint32_t from_gene, uint32_t from_channel,
    uint32_t verb, const void *payload, uint32_t len)
{
	const uint8_t *src = payload;
	uint16_t slot;
	struct cg_msg *m;

	if (index >= cg.n)
		return -CELL_E_INVAL;
	if (len > MSG_PAYLOAD_MAX)
		return -CELL_E_LENGTH;
	if (cg.free_list == NO_MSG)
		return -CELL_E_NOSPACE;
	slot = cg.free_list;
	cg.free_list = cg.pool[slot].next;
	m = &cg.pool[slot].m;
	m->from_gene = from_gene;
	m->from_channel = from_channel;
	m->verb = verb;
	m->len = len;
	for (uint32_t i = 0; i < len; i++)
		m->payload[i] = src[i];
	cg.pool[slot].next = NO_MSG;
	if (cg.tail[index] == NO_MSG)
		cg.head[index] = slot;
	else
		cg.pool[cg.tail[index]].next = slot;
	cg.tail[index] = slot;
	cg.queued[index]++;
	return 0;
}

int
cg_pop(uint32_t index, struct cg_msg *out)
{
	uint16_t slot;

	if (index >= cg.n || cg.head[index] == NO_MSG)
		return -CELL_E_NOENT;
	slot = cg.head[index];
	*out = cg.pool[slot].m;
	cg.head[index] = cg.pool[slot].next;
	if (cg.head[index] == NO_MSG)
		cg.tail[index] = NO_MSG;
	cg.pool[slot].next = cg.free_list;
	cg.free_list = slot;
	cg.queued[index]--;
	return 0;
}

uint32_t
cg_queued(uint32_t index)
{
	return index < cg.n ? cg.queued[index] : 0;
}

uint32_t
cg_purge_sender(uint32_t gene_id, void (*on_removed)(uint32_t index))
{
	uint32_t removed = 0;

	for (uint32_t i = 0; i < cg.n; i++) {
		uint16_t prev = NO_MSG, slot = cg.head[i];

		while (slot != NO_MSG) {
			uint16_t next = cg.pool[slot].next;

			if (cg.pool[slot].m.from_gene != gene_id) {
				prev = slot;
				slot = next;
				continue;
			}
			if (prev == NO_MSG)
				cg.head[i] = next;
			else
				cg.pool[prev].next = next;
			if (cg.tail[i] == slot)
				cg.tail[i] = prev;
			cg.pool[slot].next = cg.free_list;
			cg.free_list = slot;
			cg.queued[i]--;
			removed++;
			if (on_removed != NULL)
				on_removed(i);
			slot = next;
		}
	}
	return removed;
}

uint32_t
cg_hash(void)
{
	struct sha256_ctx h;
	uint8_t rec[PBIN_QOS_SIZE + 4];

	sha256_init(&h);
	for (uint32_t i = 0; i < cg.n; i++) {
		pbin_qos_encode(rec, &cg.qos[i]);
		le32_store(rec + PBIN_QOS_SIZE, cg.depth[i]);
		sha256_update(&h, rec, sizeof rec);
	}
	sha256_update(&h, cg.adjacency, (cg.n * cg.n + 7) / 8);
	return sha256_final_le32(&h);
}
