/*
 * kv_counter: an example gene that counts boots in the persistent store.
 * On its first quantum it reads the u32 under its key "count" (absent: 0),
 * stores it plus one, and logs the new value once; after that it idles.
 */
#include "cellos_gene.h"

#define KEY     "count"
#define KEY_LEN ((uint32_t)(sizeof KEY - 1))

struct kv_state {
	uint32_t done; /* 1 once this boot's count is stored */
};

/* First quantum: count this boot in the store and log it; then idle. */
int
gene(struct gene_vm_ctx *ctx, void *state)
{
	struct kv_state *st = state;
	uint32_t count = 0;
	uint64_t args[1];
	long rc;

	(void)ctx;
	if (st->done)
		return 0;
	st->done = 1;
	rc = helper_kv_get(KEY, KEY_LEN, &count, sizeof count);
	if (rc == -CELL_E_NOENT) {
		count = 0;
	} else if (rc != (long)sizeof count) {
		args[0] = (uint64_t)rc;
		(void)helper_log("kv_counter: get failed %d", args, 1);
		return 0;
	}
	count++;
	rc = helper_kv_put(KEY, KEY_LEN, &count, sizeof count);
	args[0] = rc < 0 ? (uint64_t)rc : count;
	(void)helper_log(rc < 0 ? "kv_counter: put failed %d" :
				  "kv_counter: count=%u",
	    args, 1);
	return 0;
}
