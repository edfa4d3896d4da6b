/*
 * The .pbin records' codec; see pbin_codec.h. Every encoder and decoder
 * body is its record's layout table (include/cellos/pbin.h) expanded, so
 * none of them names an offset of its own.
 */
#include <stddef.h>
#include <stdint.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "cellos/pbin.h"
#include "layout.h"
#include "pbin_codec.h"
#include "signer.h"

/* Define rec's encoder and decoder from its table. */
#define PBIN_CODEC(rec, TABLE, type)                        \
	void pbin_##rec##_encode(uint8_t *b, const type *v) \
	{                                                   \
		TABLE(LAYOUT_ENCODE_ROW, ~)                 \
	}                                                   \
                                                            \
	void pbin_##rec##_decode(const uint8_t *b, type *v) \
	{                                                   \
		TABLE(LAYOUT_DECODE_ROW, ~)                 \
	}

PBIN_CODEC(header, PBIN_HEADER_LAYOUT, struct pbin_header)
PBIN_CODEC(qos, PBIN_QOS_LAYOUT, struct pbin_qos)
PBIN_CODEC(section, PBIN_SECTION_LAYOUT, struct pbin_section)
PBIN_CODEC(sched, PBIN_SCHED_LAYOUT, pbin_sched_t)
PBIN_CODEC(gene, PBIN_GENE_LAYOUT, pbin_gene_t)
PBIN_CODEC(program, PBIN_PROGRAM_LAYOUT, pbin_program_t)
PBIN_CODEC(gene_code, PBIN_GENE_CODE_LAYOUT, pbin_gene_code_t)
PBIN_CODEC(device, PBIN_DEVICE_LAYOUT, pbin_device_t)
PBIN_CODEC(signature, PBIN_SIGNATURE_LAYOUT, pbin_signature_t)

size_t
pbin_program_body(const pbin_program_t *h)
{
	return (size_t)h->insn_count * PBIN_INSN_SIZE + h->rodata_len;
}

size_t
pbin_program_bytes(const pbin_program_t *h)
{
	size_t body = pbin_program_body(h);

	return PBIN_PROGRAM_SIZE +
	    ((body + PBIN_PROGRAM_ALIGN - 1) &
		~(size_t)(PBIN_PROGRAM_ALIGN - 1));
}

void
pbin_writer_init(struct pbin_writer *w, uint8_t *buf, size_t cap)
{
	w->buf = buf;
	w->cap = cap;
	w->len = 0;
	w->overflow = 0;
}

/* Room for n more bytes, or NULL (and overflow) when they do not fit. */
static uint8_t *
reserve(struct pbin_writer *w, size_t n)
{
	uint8_t *at;

	if (w->overflow || n > w->cap - w->len) {
		w->overflow = 1;
		return NULL;
	}
	at = w->buf + w->len;
	w->len += n;
	return at;
}

void
pbin_put_bytes(struct pbin_writer *w, const void *bytes, size_t n)
{
	const uint8_t *src = bytes;
	uint8_t *at = reserve(w, n);

	for (size_t i = 0; at != NULL && i < n; i++)
		at[i] = src[i];
}

void
pbin_put_u32(struct pbin_writer *w, uint32_t v)
{
	uint8_t *at = reserve(w, 4);

	if (at != NULL)
		le32_store(at, v);
}

void
pbin_put_header(struct pbin_writer *w, const struct pbin_header *h)
{
	uint8_t *at = reserve(w, PBIN_HDR_SIZE);

	if (at != NULL)
		pbin_header_encode(at, h);
}

void
pbin_put_qos(struct pbin_writer *w, const struct pbin_qos *q)
{
	uint8_t *at = reserve(w, PBIN_QOS_SIZE);

	if (at != NULL)
		pbin_qos_encode(at, q);
}

void
pbin_put_section(struct pbin_writer *w, uint32_t tag, uint32_t len)
{
	struct pbin_section s = { tag, len };
	uint8_t *at = reserve(w, PBIN_SECTION_HDR_SIZE);

	if (at != NULL)
		pbin_section_encode(at, &s);
}

void
pbin_put_name(struct pbin_writer *w, const char *name, uint32_t len)
{
	pbin_put_section(w, PBIN_SEC_NAME, len);
	pbin_put_bytes(w, name, len);
}

void
pbin_put_sched(struct pbin_writer *w, const pbin_sched_t *s)
{
	uint8_t *at;

	pbin_put_section(w, PBIN_SEC_SCHED, PBIN_SCHED_SIZE);
	if ((at = reserve(w, PBIN_SCHED_SIZE)) != NULL)
		pbin_sched_encode(at, s);
}

void
pbin_put_queues(struct pbin_writer *w, const uint32_t *depth, uint32_t n)
{
	pbin_put_section(w, PBIN_SEC_QUEUES, n * PBIN_QUEUE_SIZE);
	for (uint32_t i = 0; i < n; i++)
		pbin_put_u32(w, depth[i]);
}

void
pbin_put_genes(struct pbin_writer *w, const pbin_gene_t *g, uint32_t n)
{
	uint8_t *at;

	pbin_put_section(w, PBIN_SEC_GENES,
	    PBIN_COUNT_SIZE + n * PBIN_GENE_SIZE);
	pbin_put_u32(w, n);
	for (uint32_t i = 0; i < n; i++) {
		if ((at = reserve(w, PBIN_GENE_SIZE)) != NULL)
			pbin_gene_encode(at, &g[i]);
	}
}

void
pbin_put_program(struct pbin_writer *w, const pbin_program_t *h,
    const uint8_t *code, const uint8_t *rodata)
{
	static const uint8_t zeros[PBIN_PROGRAM_ALIGN];
	size_t body = pbin_program_body(h);
	uint8_t *at;

	if ((at = reserve(w, PBIN_PROGRAM_SIZE)) != NULL)
		pbin_program_encode(at, h);
	pbin_put_bytes(w, code, (size_t)h->insn_count * PBIN_INSN_SIZE);
	pbin_put_bytes(w, rodata, h->rodata_len);
	pbin_put_bytes(w, zeros,
	    pbin_program_bytes(h) - PBIN_PROGRAM_SIZE - body);
}

void
pbin_put_gene_code(struct pbin_writer *w, const pbin_gene_code_t *c, uint32_t n)
{
	uint8_t *at;

	pbin_put_section(w, PBIN_SEC_GENE_CODE,
	    PBIN_COUNT_SIZE + n * PBIN_GENE_CODE_SIZE);
	pbin_put_u32(w, n);
	for (uint32_t i = 0; i < n; i++) {
		if ((at = reserve(w, PBIN_GENE_CODE_SIZE)) != NULL)
			pbin_gene_code_encode(at, &c[i]);
	}
}

void
pbin_put_devices(struct pbin_writer *w, const pbin_device_t *d, uint32_t n)
{
	uint8_t *at;

	pbin_put_section(w, PBIN_SEC_DEVICES,
	    PBIN_COUNT_SIZE + n * PBIN_DEVICE_SIZE);
	pbin_put_u32(w, n);
	for (uint32_t i = 0; i < n; i++) {
		if ((at = reserve(w, PBIN_DEVICE_SIZE)) != NULL)
			pbin_device_encode(at, &d[i]);
	}
}

int
pbin_put_signature(struct pbin_writer *w, uint32_t key_id,
    const struct signer *sign)
{
	uint8_t sig[ED25519_SIG_SIZE];
	pbin_signature_t v = { key_id, 0, { 0 }, { 0 } };
	size_t start = w->len;
	uint8_t *at;
	int rc;

	if (w->overflow || PBIN_SIGNATURE_SECTION > w->cap - w->len) {
		w->overflow = 1;
		return -CELL_E_NOSPACE;
	}
	pbin_put_section(w, PBIN_SEC_SIGNATURE, PBIN_SIGNATURE_SIZE);
	at = reserve(w, PBIN_SIGNATURE_SIZE);
	pbin_signature_encode(at, &v);
	rc = sign->fn(sign->ctx, w->buf,
	    w->len - PBIN_SIGNATURE_SIZE + PBIN_SIGNATURE_SIGNED, sig);
	if (rc < 0) {
		w->len = start;
		return rc;
	}
	for (unsigned i = 0; i < 32; i++) {
		v.r[i] = sig[i];
		v.s[i] = sig[32 + i];
	}
	pbin_signature_encode(at, &v);
	return 0;
}

struct kind_name {
	uint32_t value;
	const char *name;
};

#define PBIN_KIND_ROW(id, value, name) { value, name },
static const struct kind_name gene_kinds[] = { PBIN_GENE_KINDS(PBIN_KIND_ROW) };
static const struct kind_name device_kinds[] = { PBIN_DEVICE_KINDS(
    PBIN_KIND_ROW) };
#undef PBIN_KIND_ROW

static int
same_text(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static const char *
name_of(const struct kind_name *t, size_t n, uint32_t value)
{
	for (size_t i = 0; i < n; i++) {
		if (t[i].value == value)
			return t[i].name;
	}
	return NULL;
}

static uint32_t
value_of(const struct kind_name *t, size_t n, const char *name)
{
	for (size_t i = 0; name != NULL && i < n; i++) {
		if (same_text(t[i].name, name))
			return t[i].value;
	}
	return 0;
}

const char *
pbin_gene_kind_name(uint32_t kind)
{
	return name_of(gene_kinds, sizeof gene_kinds / sizeof gene_kinds[0],
	    kind);
}

uint32_t
pbin_gene_kind_value(const char *name)
{
	return value_of(gene_kinds, sizeof gene_kinds / sizeof gene_kinds[0],
	    name);
}

const char *
pbin_device_kind_name(uint32_t kind)
{
	return name_of(device_kinds,
	    sizeof device_kinds / sizeof device_kinds[0], kind);
}

uint32_t
pbin_device_kind_value(const char *name)
{
	return value_of(device_kinds,
	    sizeof device_kinds / sizeof device_kinds[0], name);
}
