/*
 * The phenotype loader: validates a .pbin (include/cellos/pbin.h) completely
 * before the kernel acts on any of it, and unpacks it into fixed tables. The
 * same code runs in the kernel, in tools/pbin-dump and in the fuzzers; the
 * records' byte layout and codec are wire/pbin_codec.h.
 */
#ifndef CELLOS_PHENO_H
#define CELLOS_PHENO_H

#include <stddef.h>
#include <stdint.h>

#include "cellos/errors.h"
#include "cellos/pbin.h"
#include "config.h"
#include "pbin_codec.h"

/* A channel: its QoS record (naturally aligned) and its queue depth. */
struct pheno_channel {
	struct pbin_qos qos;
	uint32_t queue_depth;
};

/* One program of PBIN_SEC_PROGRAMS; code and rodata point into code_pool. */
struct pheno_program {
	uint32_t insn_count; /* 8-byte slots */
	uint32_t rodata_len;
	uint32_t entry;
	const uint8_t *code;   /* insn_count * 8 bytes */
	const uint8_t *rodata; /* rodata_len bytes */
};

struct phenotype {
	uint16_t ver_major, ver_minor;
	uint16_t arch_id;
	uint32_t quantum_ns;
	uint32_t num_channels;
	struct pheno_channel channels[CHANNELS_MAX];
	uint8_t adjacency[(CHANNELS_MAX * CHANNELS_MAX + 7) / 8];
	char name[PBIN_NAME_MAX + 1];
	pbin_sched_t sched;
	uint32_t num_genes;
	pbin_gene_t genes[GENES_MAX];
	uint32_t num_devices;
	pbin_device_t devices[DEVICES_MAX];
	/* v1.2: the genes' bytecode (empty when every gene runs natively). */
	uint32_t num_programs;
	struct pheno_program programs[VM_PROGRAMS_MAX];
	uint32_t num_gene_code;
	pbin_gene_code_t gene_code[GENES_MAX];
	uint32_t code_used;                /* bytes of code_pool in use */
	uint8_t code_pool[PHENO_CODE_MAX]; /* the programs' bytes, copied */
	/*
	 * PBIN_SEC_SIGNATURE. content_len: the bytes before it (the whole file
	 * when unsigned), the phenotype's identity (the ledger's SHA-256).
	 */
	uint32_t content_len;
	int signed_by_key; /* the file has a signature */
	uint32_t sig_key_id;
	uint8_t signature[64]; /* R || S */
};

/* Where and why a .pbin was refused. */
struct pheno_error {
	int code;          /* -CELL_E_* */
	uint32_t offset;   /* byte offset of the offending field */
	const char *field; /* e.g. "header.magic", "channels[2].bucket" */
	char detail[96];   /* the values involved, human readable */
};

/*
 * Parse and validate buf[0..len). Returns 0 and fills *out, or a negative
 * CELL_E_* code with *err saying where; *out is then unspecified.
 */
int pheno_parse(const uint8_t *buf, size_t len, struct phenotype *out,
    struct pheno_error *err);

/* Index of channel_id in p->channels, or -CELL_E_NOENT. */
int pheno_channel_index(const struct phenotype *p, uint32_t channel_id);

/* Whether the adjacency bitset has the edge from index a to index b. */
int pheno_has_edge(const struct phenotype *p, uint32_t from_index,
    uint32_t to_index);

/*
 * The PBIN_SEC_GENE_CODE entry of gene_id, or NULL when that gene runs its
 * kind's native step function.
 */
const pbin_gene_code_t *pheno_gene_code(const struct phenotype *p,
    uint32_t gene_id);

/*
 * The public key of a key id phenotypes may be signed by: 0 and *pub, or
 * -CELL_E_NOENT. For now only the root key the image was built with
 * (cellos_root_key.h); the device's key set can take its place here.
 */
int pheno_trusted_key(uint32_t key_id, uint8_t pub[32]);

/* Whether this image accepts unsigned phenotypes (CMake option
 * CELLOS_ACCEPT_UNSIGNED_PHENOTYPES: development builds, fuzzers). */
int pheno_accept_unsigned(void);

/*
 * Whether buf[0..len), which pheno_parse turned into *p, may boot: signed,
 * in its last section, by a key pheno_trusted_key knows, the signature
 * verifying over every byte before it; or unsigned and accept_unsigned.
 * A signature present is always checked. 0, or with *err saying where:
 * -CELL_E_NOENT (unsigned; a key id not trusted), -CELL_E_RANGE /
 * -CELL_E_INVAL / -CELL_E_BADSIG (ed25519_verify's refusals).
 */
int pheno_check_signature(const uint8_t *buf, size_t len,
    const struct phenotype *p, int accept_unsigned, struct pheno_error *err);

/* pheno_check_signature with this image's policy (pheno_accept_unsigned). */
int pheno_authenticate(const uint8_t *buf, size_t len,
    const struct phenotype *p, struct pheno_error *err);

/* The built-in minimal phenotype booted when the given one is refused. */
const uint8_t *pheno_builtin(size_t *len);

#endif
