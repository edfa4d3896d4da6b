/*
 * The built-in minimal phenotype, booted when the given one is refused: one
 * channel (the console), no edges, one gene (the peroxisome, so text still
 * reaches channel 0 sanitized). It is a .pbin v1.1 written on first use by
 * the same record encoders the phenotype compiler uses (wire/pbin_codec.c),
 * so that it goes through the same loader as any other phenotype.
 */
#include <stddef.h>
#include <stdint.h>

#include "pbin_codec.h"
#include "pheno.h"

static const char builtin_name[] = "builtin.minimal";

/*
 * Any valid arch id would do (the built-in phenotype's arch is never
 * checked); a fixed one keeps its bytes the same when a board is added.
 */
static const struct pbin_header builtin_header = {
	.magic = PBIN_MAGIC,
	.ver_major = 1,
	.ver_minor = 1,
	.arch_id = PBIN_ARCH_HOSTED,
	.reserved = 0,
	.num_channels = 1,
	.quantum_ns = 1000000, /* 1 ms */
};

/* Channel 0: the console, best effort, priority 0, bucket 4 of 4, refill 1. */
static const struct pbin_qos builtin_console = {
	.channel_id = 0,
	.qos = QOS_CLASS_BE,
	.priority = 0,
	.bucket = 4,
	.bucket_max = 4,
	.refill_per_tick = 1,
};

static const pbin_sched_t builtin_sched = {
	.gas = 64,
	.proof_quanta = 8,
	.epoch_quanta = 4,
	.reserved = 0,
};

/* The peroxisome on the console. */
static const pbin_gene_t builtin_gene = {
	.gene_id = 1,
	.kind = GENE_KIND_PEROXI_SANITIZE,
	.channel = 0,
	.cpu_budget = 8,
	.io_budget = 256,
	.mem_budget = 64,
	.arg0 = 0,
	.arg1 = 0,
};

/* Header, one channel, its 1-bit adjacency, then NAME, SCHED and GENES. */
#define BUILTIN_BYTES                                                   \
	(PBIN_HDR_SIZE + PBIN_QOS_SIZE + 1 + PBIN_SECTION_HDR_SIZE +    \
	    sizeof builtin_name - 1 + PBIN_SECTION_HDR_SIZE +           \
	    PBIN_SCHED_SIZE + PBIN_SECTION_HDR_SIZE + PBIN_COUNT_SIZE + \
	    PBIN_GENE_SIZE)

static uint8_t builtin_pbin[BUILTIN_BYTES];
static size_t builtin_len;

const uint8_t *
pheno_builtin(size_t *len)
{
	if (builtin_len == 0) {
		static const uint8_t no_edges = 0x00;
		struct pbin_writer w;

		pbin_writer_init(&w, builtin_pbin, sizeof builtin_pbin);
		pbin_put_header(&w, &builtin_header);
		pbin_put_qos(&w, &builtin_console);
		pbin_put_bytes(&w, &no_edges, 1);
		pbin_put_name(&w, builtin_name, sizeof builtin_name - 1);
		pbin_put_sched(&w, &builtin_sched);
		pbin_put_genes(&w, &builtin_gene, 1);
		/* BUILTIN_BYTES is exact: the writer fills it, no more. */
		builtin_len = w.len;
	}
	*len = builtin_len;
	return builtin_pbin;
}
