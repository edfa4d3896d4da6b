/*
 * The channel graph: edges from the adjacency bitset, shortest-path next
 * hops worked out by hand, FIFO order, the shared pool's limit, purging a
 * dead sender's messages, and cg_hash against SHA-256 by OpenSSL over the
 * serialization described in cgraph.h.
 */
#include <openssl/sha.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cellos/errors.h"
#include "cgraph.h"

static struct phenotype ph;

static void
set_edge(uint32_t from, uint32_t to)
{
	uint32_t bit = from * ph.num_channels + to;

	ph.adjacency[bit / 8] |= (uint8_t)(1u << (bit % 8));
}

/*
 * Five channels (ids 0, 10, 20, 30, 40):
 *   1 -> 0, 2 -> 1, 2 -> 3, 3 -> 0, 4 -> 3
 * so from 2 the console is two hops away by 1 or by 3; the lower index wins.
 */
static void
load(void)
{
	memset(&ph, 0, sizeof ph);
	ph.num_channels = 5;
	for (uint32_t i = 0; i < 5; i++) {
		ph.channels[i].qos.channel_id = i * 10;
		ph.channels[i].qos.bucket_max = 4;
		ph.channels[i].queue_depth = 4;
	}
	set_edge(1, 0);
	set_edge(2, 1);
	set_edge(2, 3);
	set_edge(3, 0);
	set_edge(4, 3);
	cg_load(&ph);
}

static void
test_edges_and_ids(void **state)
{
	(void)state;
	load();
	assert_int_equal(cg_channels(), 5);
	assert_true(cg_edge(1, 0));
	assert_true(cg_edge(4, 3));
	assert_false(cg_edge(0, 1));
	assert_false(cg_edge(2, 0));
	assert_false(cg_edge(5, 0));
	assert_int_equal(cg_index(30), 3);
	assert_int_equal(cg_index(31), -CELL_E_NOENT);
	assert_int_equal(cg_channel_id(4), 40);
	assert_int_equal(cg_channel_id(5), 0xFFFFFFFFu); /* past the last */
}

/* A chain 0 -> 1 -> 2 -> 3 -> 4 and a shortcut 1 -> 3: routes off the console. */
static void
test_next_hop_along_a_chain(void **state)
{
	(void)state;
	load();
	memset(ph.adjacency, 0, sizeof ph.adjacency);
	for (uint32_t i = 0; i < 4; i++)
		set_edge(i, i + 1);
	set_edge(1, 3);
	cg_load(&ph);
	assert_int_equal(cg_next_hop(0, 4), 1);
	assert_int_equal(cg_next_hop(0, 2), 1);
	assert_int_equal(cg_next_hop(1, 4), 3); /* by the shortcut */
	assert_int_equal(cg_next_hop(2, 4), 3);
	assert_int_equal(cg_next_hop(4, 0), -CELL_E_ROUTE);
	assert_int_equal(cg_next_hop(3, 1), -CELL_E_ROUTE);
}

static void
test_next_hop(void **state)
{
	(void)state;
	load();
	assert_int_equal(cg_next_hop(1, 0), 0);
	assert_int_equal(cg_next_hop(2, 0), 1); /* via 1, not 3 */
	assert_int_equal(cg_next_hop(4, 0), 3);
	assert_int_equal(cg_next_hop(0, 4), -CELL_E_ROUTE);
	assert_int_equal(cg_next_hop(3, 1), -CELL_E_ROUTE);
	assert_int_equal(cg_next_hop(2, 2), -CELL_E_INVAL);
	/* Five channels: index 5 is none, at either end. */
	assert_int_equal(cg_next_hop(5, 0), -CELL_E_INVAL);
	assert_int_equal(cg_next_hop(0, 5), -CELL_E_INVAL);
}

static void
test_fifo_and_pool_limit(void **state)
{
	struct cg_msg m;
	uint32_t pushed = 0;

	(void)state;
	load();
	for (uint32_t i = 0; i < 3; i++)
		assert_int_equal(cg_push(0, 7, 1, i, &i, sizeof i), 0);
	for (uint32_t i = 0; i < 3; i++) {
		assert_int_equal(cg_pop(0, &m), 0);
		assert_int_equal(m.verb, i);
		assert_int_equal(m.from_gene, 7);
		assert_memory_equal(m.payload, &i, sizeof i);
	}
	assert_int_equal(cg_pop(0, &m), -CELL_E_NOENT);
	while (cg_push(pushed % 5, 1, 0, 0, "x", 1) == 0)
		pushed++;
	assert_int_equal(pushed, MSG_POOL);
	assert_int_equal(cg_push(0, 1, 0, 0, "x", 1), -CELL_E_NOSPACE);
	assert_int_equal(cg_push(0, 1, 0, 0, "x", MSG_PAYLOAD_MAX + 1),
	    -CELL_E_LENGTH);
	assert_int_equal(cg_pop(3, &m), 0);
	assert_int_equal(cg_push(0, 1, 0, 0, "x", 1), 0);
}

static uint32_t removed_on[5];

static void
count_removed(uint32_t index)
{
	removed_on[index]++;
}

static void
test_purge_sender(void **state)
{
	struct cg_msg m;

	(void)state;
	load();
	memset(removed_on, 0, sizeof removed_on);
	cg_push(0, 1, 0, 100, NULL, 0);
	cg_push(0, 2, 0, 101, NULL, 0);
	cg_push(0, 1, 0, 102, NULL, 0);
	cg_push(3, 2, 0, 103, NULL, 0);
	cg_push(3, 1, 0, 104, NULL, 0);
	assert_int_equal(cg_purge_sender(1, count_removed), 3);
	assert_int_equal(removed_on[0], 2);
	assert_int_equal(removed_on[3], 1);
	assert_int_equal(cg_queued(0), 1);
	assert_int_equal(cg_pop(0, &m), 0);
	assert_int_equal(m.verb, 101);
	assert_int_equal(cg_pop(3, &m), 0);
	assert_int_equal(m.verb, 103);
	assert_int_equal(cg_pop(3, &m), -CELL_E_NOENT);
	/* The tail was repaired: appending still works. */
	assert_int_equal(cg_push(3, 1, 0, 105, NULL, 0), 0);
	assert_int_equal(cg_pop(3, &m), 0);
	assert_int_equal(m.verb, 105);
}

static void
test_hash_matches_openssl_over_the_documented_bytes(void **state)
{
	uint8_t bytes[5 * 40 + 4];
	uint8_t digest[32];
	size_t n = 0;

	(void)state;
	load();
	for (uint32_t i = 0; i < 5; i++) {
		memset(bytes + n, 0, 40);
		bytes[n] = (uint8_t)(i * 10); /* channel_id LE */
		bytes[n + 20] = 4;            /* bucket_max LE */
		bytes[n + 36] = 4;            /* queue depth LE */
		n += 40;
	}
	memcpy(bytes + n, ph.adjacency, 4); /* 25 bits -> 4 bytes */
	n += 4;
	SHA256(bytes, n, digest);
	assert_int_equal(cg_hash(),
	    (uint32_t)digest[0] | (uint32_t)digest[1] << 8 |
		(uint32_t)digest[2] << 16 | (uint32_t)digest[3] << 24);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edges_and_ids),
		cmocka_unit_test(test_next_hop),
		cmocka_unit_test(test_next_hop_along_a_chain),
		cmocka_unit_test(test_fifo_and_pool_limit),
		cmocka_unit_test(test_purge_sender),
		cmocka_unit_test(
		    test_hash_matches_openssl_over_the_documented_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
