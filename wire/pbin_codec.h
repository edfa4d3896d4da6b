/*
 * The .pbin records' codec (include/cellos/pbin.h), built from the layout
 * tables there: one encoder and one decoder per record, the named offsets
 * (PBIN_AT) and sizes (PBIN_SIZE) of their fields, a bounded writer that
 * lays out a whole file, and the gene and device kind names. The phenotype
 * compiler writes through it, the kernel's loader (core/pheno.c) reads
 * through it, and so does the built-in phenotype (core/pheno_builtin.c).
 *
 * The decoders only move bytes: the caller has checked that the record's
 * bytes are there, and validates the values afterwards.
 */
#ifndef CELLOS_PBIN_CODEC_H
#define CELLOS_PBIN_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "cellos/pbin.h"
#include "layout.h"

/* The 20-byte header, decoded. */
struct pbin_header {
	uint32_t magic;
	uint16_t ver_major, ver_minor;
	uint16_t arch_id;
	uint16_t reserved;
	uint32_t num_channels;
	uint32_t quantum_ns;
};

/*
 * One channel's QoS record as the kernel and the tools hold it: naturally
 * aligned (40 bytes in memory, with padding), never hashed or copied as
 * bytes. channel_qos_t is its packed 36-byte wire form.
 */
struct pbin_qos {
	uint32_t channel_id;
	uint32_t qos; /* enum channel_qos_class */
	uint32_t priority;
	uint64_t bucket; /* tokens at start */
	uint64_t bucket_max;
	uint64_t refill_per_tick;
};

/* A section's tag and length, decoded. */
struct pbin_section {
	uint32_t tag; /* enum pbin_section_tag */
	uint32_t len; /* bytes after the 8-byte section header */
};

LAYOUT_SHAPE(pbin_header_layout, PBIN_HEADER_LAYOUT, PBIN_HDR_SIZE);
LAYOUT_SHAPE(pbin_qos_layout, PBIN_QOS_LAYOUT, PBIN_QOS_SIZE);
LAYOUT_SHAPE(pbin_section_layout, PBIN_SECTION_LAYOUT, PBIN_SECTION_HDR_SIZE);
LAYOUT_SHAPE(pbin_sched_layout, PBIN_SCHED_LAYOUT, PBIN_SCHED_SIZE);
LAYOUT_SHAPE(pbin_gene_layout, PBIN_GENE_LAYOUT, PBIN_GENE_SIZE);
LAYOUT_SHAPE(pbin_program_layout, PBIN_PROGRAM_LAYOUT, PBIN_PROGRAM_SIZE);
LAYOUT_SHAPE(pbin_gene_code_layout, PBIN_GENE_CODE_LAYOUT, PBIN_GENE_CODE_SIZE);
LAYOUT_SHAPE(pbin_device_layout, PBIN_DEVICE_LAYOUT, PBIN_DEVICE_SIZE);
LAYOUT_SHAPE(pbin_signature_layout, PBIN_SIGNATURE_LAYOUT, PBIN_SIGNATURE_SIZE);

/* The pinned structs of pbin.h agree with the tables, field by field. */
PBIN_QOS_LAYOUT(LAYOUT_CHECK_ROW, channel_qos_t)
PBIN_SCHED_LAYOUT(LAYOUT_CHECK_ROW, pbin_sched_t)
PBIN_GENE_LAYOUT(LAYOUT_CHECK_ROW, pbin_gene_t)
PBIN_PROGRAM_LAYOUT(LAYOUT_CHECK_ROW, pbin_program_t)
PBIN_GENE_CODE_LAYOUT(LAYOUT_CHECK_ROW, pbin_gene_code_t)
PBIN_DEVICE_LAYOUT(LAYOUT_CHECK_ROW, pbin_device_t)
PBIN_SIGNATURE_LAYOUT(LAYOUT_CHECK_ROW, pbin_signature_t)
_Static_assert(sizeof(pbin_signature_t) == PBIN_SIGNATURE_SIZE,
    "pbin_signature_t");
_Static_assert(sizeof(channel_qos_t) == PBIN_QOS_SIZE, "channel_qos_t");
_Static_assert(sizeof(pbin_sched_t) == PBIN_SCHED_SIZE, "pbin_sched_t");
_Static_assert(sizeof(pbin_gene_t) == PBIN_GENE_SIZE, "pbin_gene_t");
_Static_assert(sizeof(pbin_program_t) == PBIN_PROGRAM_SIZE, "pbin_program_t");
_Static_assert(sizeof(pbin_gene_code_t) == PBIN_GENE_CODE_SIZE,
    "pbin_gene_code_t");
_Static_assert(sizeof(pbin_device_t) == PBIN_DEVICE_SIZE, "pbin_device_t");

/* Offset of field in record rec (header, qos, sched, gene, ...). */
#define PBIN_AT(rec, field) offsetof(struct pbin_##rec##_layout, field)
_Static_assert(PBIN_AT(signature, r) == PBIN_SIGNATURE_SIGNED,
    "the signature covers the bytes before R");

/* Encode *v into the record's bytes at b; decode them back into *v. */
void pbin_header_encode(uint8_t *b, const struct pbin_header *v);
void pbin_header_decode(const uint8_t *b, struct pbin_header *v);
void pbin_qos_encode(uint8_t *b, const struct pbin_qos *v);
void pbin_qos_decode(const uint8_t *b, struct pbin_qos *v);
void pbin_section_encode(uint8_t *b, const struct pbin_section *v);
void pbin_section_decode(const uint8_t *b, struct pbin_section *v);
void pbin_sched_encode(uint8_t *b, const pbin_sched_t *v);
void pbin_sched_decode(const uint8_t *b, pbin_sched_t *v);
void pbin_gene_encode(uint8_t *b, const pbin_gene_t *v);
void pbin_gene_decode(const uint8_t *b, pbin_gene_t *v);
void pbin_program_encode(uint8_t *b, const pbin_program_t *v);
void pbin_program_decode(const uint8_t *b, pbin_program_t *v);
void pbin_gene_code_encode(uint8_t *b, const pbin_gene_code_t *v);
void pbin_gene_code_decode(const uint8_t *b, pbin_gene_code_t *v);
void pbin_device_encode(uint8_t *b, const pbin_device_t *v);
void pbin_device_decode(const uint8_t *b, pbin_device_t *v);
void pbin_signature_encode(uint8_t *b, const pbin_signature_t *v);
void pbin_signature_decode(const uint8_t *b, pbin_signature_t *v);

/* Bytes of one program's code and rodata (what the kernel's pool keeps). */
size_t pbin_program_body(const pbin_program_t *h);

/* Bytes a program takes in PBIN_SEC_PROGRAMS: header, body, padding. */
size_t pbin_program_bytes(const pbin_program_t *h);

/*
 * A .pbin laid out into buf[0..cap). Every pbin_put_* appends; a put that
 * does not fit sets overflow and writes nothing, and every later put does
 * nothing either, so len is then where the file stopped fitting.
 */
struct pbin_writer {
	uint8_t *buf;
	size_t cap;
	size_t len;
	int overflow;
};

void pbin_writer_init(struct pbin_writer *w, uint8_t *buf, size_t cap);
void pbin_put_bytes(struct pbin_writer *w, const void *bytes, size_t n);
void pbin_put_u32(struct pbin_writer *w, uint32_t v);
void pbin_put_header(struct pbin_writer *w, const struct pbin_header *h);
void pbin_put_qos(struct pbin_writer *w, const struct pbin_qos *q);
/* A section header: tag, then len bytes of content the caller puts next. */
void pbin_put_section(struct pbin_writer *w, uint32_t tag, uint32_t len);
void pbin_put_name(struct pbin_writer *w, const char *name, uint32_t len);
void pbin_put_sched(struct pbin_writer *w, const pbin_sched_t *s);
void pbin_put_queues(struct pbin_writer *w, const uint32_t *depth, uint32_t n);
void pbin_put_genes(struct pbin_writer *w, const pbin_gene_t *g, uint32_t n);
/* One program of PBIN_SEC_PROGRAMS: header, code, rodata, zero padding. */
void pbin_put_program(struct pbin_writer *w, const pbin_program_t *h,
    const uint8_t *code, const uint8_t *rodata);
void pbin_put_gene_code(struct pbin_writer *w, const pbin_gene_code_t *c,
    uint32_t n);
void pbin_put_devices(struct pbin_writer *w, const pbin_device_t *d,
    uint32_t n);

/*
 * End the file with PBIN_SEC_SIGNATURE: the section header and key_id,
 * then sign->fn's Ed25519 signature of every byte put so far (those
 * included). 0, -CELL_E_NOSPACE (overflow set), or the signer's error
 * (nothing of the signature put). Nothing may be put after it.
 */
struct signer;
int pbin_put_signature(struct pbin_writer *w, uint32_t key_id,
    const struct signer *sign);

/* The name of a gene kind ("mito_energy", ...), or NULL for none. */
const char *pbin_gene_kind_name(uint32_t kind);

/* The gene kind of a name, or 0 when no kind has that name. */
uint32_t pbin_gene_kind_value(const char *name);

/* The name of a device kind ("console", ...), or NULL for none. */
const char *pbin_device_kind_name(uint32_t kind);

/* The device kind of a name, or 0 when no kind has that name. */
uint32_t pbin_device_kind_value(const char *name);

#endif
