/*
 * The phenotype loader on any bytes. What it accepts must be usable: the
 * channel graph loads and hashes, every gene's channel exists, and parsing
 * the same bytes again gives the same phenotype.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cgraph.h"
#include "pheno.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct phenotype a, b;
	struct pheno_error err;

	if (pheno_parse(data, size, &a, &err) < 0) {
		if (err.field == NULL || err.offset > size)
			abort();	/* a refusal must say where */
		return 0;
	}
	if (pheno_parse(data, size, &b, &err) < 0 || memcmp(&a, &b, sizeof a))
		abort();
	for (uint32_t i = 0; i < a.num_genes; i++) {
		if (pheno_channel_index(&a, a.genes[i].channel) < 0)
			abort();
	}
	cg_load(&a);
	(void)cg_hash();
	for (uint32_t i = 0; i < a.num_channels; i++)
		(void)cg_next_hop(i, 0);
	return 0;
}
