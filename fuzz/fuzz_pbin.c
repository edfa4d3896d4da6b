/*
 * The phenotype loader on any bytes. What it accepts must be usable: the
 * channel graph loads and hashes, every gene's channel exists, parsing the
 * same bytes again gives the same phenotype, every program lies inside the
 * code pool, and the verifier can judge each gene's program.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cgraph.h"
#include "pheno.h"
#include "vm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct phenotype a, b;
	struct pheno_error err;

	if (pheno_parse(data, size, &a, &err) < 0) {
		if (err.field == NULL || err.offset > size)
			abort(); /* a refusal must say where */
		return 0;
	}
	if (pheno_parse(data, size, &b, &err) < 0)
		abort();
	/* The programs point into each copy's own pool: at the same offsets. */
	for (uint32_t i = 0; i < a.num_programs; i++) {
		const struct pheno_program *pa = &a.programs[i];
		size_t off = (size_t)(pa->code - a.code_pool);

		if (pa->code < a.code_pool ||
		    off + 8 * (size_t)pa->insn_count + pa->rodata_len >
			a.code_used ||
		    pa->rodata != pa->code + 8 * (size_t)pa->insn_count ||
		    b.programs[i].code != b.code_pool + off)
			abort();
		b.programs[i].code = pa->code;
		b.programs[i].rodata = pa->rodata;
	}
	if (memcmp(&a, &b, sizeof a) != 0)
		abort();
	for (uint32_t i = 0; i < a.num_gene_code; i++) {
		const pbin_gene_code_t *c = &a.gene_code[i];
		const struct pheno_program *pg = &a.programs[c->program];
		struct vm_verify_error verr;

		if (c->program >= a.num_programs)
			abort();
		(void)vm_verify(pg->code, pg->insn_count, pg->entry, c->helpers,
		    &verr);
	}
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
