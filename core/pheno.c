/*
 * The phenotype loader. Decode, then act: every field of the untrusted .pbin
 * is checked against the buffer and against the limits in config.h before a
 * single value is copied out, and a refusal names the byte offset and field.
 * The records are read by the decoders of wire/pbin_codec.c (the ones the
 * compiler's encoders mirror), and every offset a refusal names is a field
 * of their layout tables (PBIN_AT).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "cellos/vm_abi.h"
#include "cellos_root_key.h"
#include "ed25519.h"
#include "kformat.h"
#include "pbin_codec.h"
#include "pheno.h"

#ifndef CELLOS_ACCEPT_UNSIGNED_PHENOTYPES
#define CELLOS_ACCEPT_UNSIGNED_PHENOTYPES 0
#endif

/* A bounded reader over the .pbin bytes. */
struct reader {
	const uint8_t *buf;
	size_t len;
	struct pheno_error *err;
};

/*
 * Record why the file is refused and return -code. fmt is a literal the
 * compiler checks against the values that follow; refuse() below passes
 * its two values as unsigned long long, so fmt has two %llu-type
 * conversions; a refusal with fewer values calls refuse_at itself.
 */
static int __attribute__((format(printf, 5, 6))) refuse_at(struct reader *r,
    int code, size_t offset, const char *field, const char *fmt, ...)
{
	va_list ap;

	if (r->err != NULL) {
		r->err->code = -code;
		r->err->offset = (uint32_t)offset;
		r->err->field = field;
		va_start(ap, fmt);
		kvsnprintf(r->err->detail, sizeof r->err->detail, fmt, ap);
		va_end(ap);
	}
	return -code;
}

#define refuse(r, code, offset, field, fmt, a, b)      \
	refuse_at((r), (code), (offset), (field), fmt, \
	    (unsigned long long)(a), (unsigned long long)(b))

/*
 * Where the tag and the len of the section whose content starts at off are
 * (what a refusal of the section as a whole points at).
 */
static size_t
tag_at(size_t off)
{
	return off - PBIN_SECTION_HDR_SIZE + PBIN_AT(section, tag);
}

static size_t
len_at(size_t off)
{
	return off - PBIN_SECTION_HDR_SIZE + PBIN_AT(section, len);
}

/* Whether [off, off+n) lies inside the buffer (overflow-safe). */
static int
within(const struct reader *r, size_t off, size_t n)
{
	return off <= r->len && n <= r->len - off;
}

int
pheno_channel_index(const struct phenotype *p, uint32_t channel_id)
{
	for (uint32_t i = 0; i < p->num_channels; i++) {
		if (p->channels[i].qos.channel_id == channel_id)
			return (int)i;
	}
	return -CELL_E_NOENT;
}

int
pheno_has_edge(const struct phenotype *p, uint32_t from, uint32_t to)
{
	uint32_t bit;

	if (from >= p->num_channels || to >= p->num_channels)
		return 0;
	bit = from * p->num_channels + to;
	return (p->adjacency[bit / 8] >> (bit % 8)) & 1;
}

static int
parse_header(struct reader *r, struct phenotype *p)
{
	struct pbin_header h;

	if (!within(r, 0, PBIN_HDR_SIZE))
		return refuse(r, CELL_E_TRUNCATED, r->len, "header",
		    "%llu bytes, the header alone needs %llu", r->len,
		    PBIN_HDR_SIZE);
	pbin_header_decode(r->buf, &h);
	if (h.magic != PBIN_MAGIC)
		return refuse(r, CELL_E_MAGIC, PBIN_OFF_MAGIC, "header.magic",
		    "0x%08llX, expected 0x%08llX", h.magic, PBIN_MAGIC);
	p->ver_major = h.ver_major;
	p->ver_minor = h.ver_minor;
	if (p->ver_major != PBIN_VER_MAJOR)
		return refuse(r, CELL_E_VERSION, PBIN_OFF_VER_MAJOR,
		    "header.ver_major", "%llu, this kernel reads %llu",
		    p->ver_major, PBIN_VER_MAJOR);
	if (p->ver_minor > PBIN_VER_MINOR)
		return refuse(r, CELL_E_VERSION, PBIN_OFF_VER_MINOR,
		    "header.ver_minor", "%llu, this kernel reads up to %llu",
		    p->ver_minor, PBIN_VER_MINOR);
	p->arch_id = h.arch_id;
	if (p->arch_id < PBIN_ARCH_X86_64 || p->arch_id > PBIN_ARCH_MAX)
		return refuse(r, CELL_E_RANGE, PBIN_OFF_ARCH, "header.arch_id",
		    "%llu, expected 1..%llu", p->arch_id, PBIN_ARCH_MAX);
	if (h.reserved != 0)
		return refuse(r, CELL_E_RANGE, PBIN_OFF_RESERVED,
		    "header.reserved", "%llu, must be %llu", h.reserved, 0);
	p->num_channels = h.num_channels;
	if (p->num_channels < 1 || p->num_channels > CHANNELS_MAX)
		return refuse(r, CELL_E_RANGE, PBIN_OFF_NUM_CHANNELS,
		    "header.num_channels", "%llu, expected 1..%llu",
		    p->num_channels, CHANNELS_MAX);
	p->quantum_ns = h.quantum_ns;
	if (p->quantum_ns < 1000 || p->quantum_ns > 1000000000u)
		return refuse(r, CELL_E_RANGE, PBIN_OFF_QUANTUM_NS,
		    "header.quantum_ns", "%llu, expected %llu..1000000000",
		    p->quantum_ns, 1000);
	return 0;
}

static const char *const channel_fields[] = {
	"channels[].channel_id",
	"channels[].qos",
	"channels[].priority",
	"channels[].bucket",
	"channels[].bucket_max",
	"channels[].refill_per_tick",
};

static int
parse_channels(struct reader *r, struct phenotype *p, size_t off)
{
	if (!within(r, off, (size_t)p->num_channels * PBIN_QOS_SIZE))
		return refuse(r, CELL_E_TRUNCATED, r->len, "channels",
		    "file ends before channel %llu of %llu",
		    (r->len - off) / PBIN_QOS_SIZE, p->num_channels);
	for (uint32_t i = 0; i < p->num_channels; i++) {
		size_t at = off + (size_t)i * PBIN_QOS_SIZE;
		struct pbin_qos q;

		pbin_qos_decode(r->buf + at, &q);
		if (q.channel_id > 255)
			return refuse(r, CELL_E_RANGE,
			    at + PBIN_AT(qos, channel_id), channel_fields[0],
			    "%llu, expected 0..%llu", q.channel_id, 255);
		for (uint32_t j = 0; j < i; j++) {
			if (p->channels[j].qos.channel_id == q.channel_id)
				return refuse(r, CELL_E_RANGE,
				    at + PBIN_AT(qos, channel_id),
				    channel_fields[0],
				    "%llu repeats channel index %llu",
				    q.channel_id, j);
		}
		if (q.qos > QOS_CLASS_RT)
			return refuse(r, CELL_E_RANGE, at + PBIN_AT(qos, qos),
			    channel_fields[1],
			    "%llu, expected 0 (BE) or %llu (RT)", q.qos,
			    QOS_CLASS_RT);
		if (q.priority > 255)
			return refuse(r, CELL_E_RANGE,
			    at + PBIN_AT(qos, priority), channel_fields[2],
			    "%llu, expected 0..%llu", q.priority, 255);
		if (q.bucket_max < 1 || q.bucket_max > 1000000)
			return refuse(r, CELL_E_RANGE,
			    at + PBIN_AT(qos, bucket_max), channel_fields[4],
			    "%llu, expected 1..%llu", q.bucket_max, 1000000);
		if (q.bucket > q.bucket_max)
			return refuse(r, CELL_E_RANGE,
			    at + PBIN_AT(qos, bucket), channel_fields[3],
			    "%llu exceeds bucket_max %llu", q.bucket,
			    q.bucket_max);
		if (q.refill_per_tick > q.bucket_max)
			return refuse(r, CELL_E_RANGE,
			    at + PBIN_AT(qos, refill_per_tick),
			    channel_fields[5], "%llu exceeds bucket_max %llu",
			    q.refill_per_tick, q.bucket_max);
		p->channels[i].qos = q;
		p->channels[i].queue_depth = QUEUE_DEPTH_DEFAULT;
	}
	if (pheno_channel_index(p, 0) < 0)
		return refuse(r, CELL_E_RANGE, off, "channels",
		    "no channel with id %llu (the console) among %llu", 0,
		    p->num_channels);
	return 0;
}

static int
parse_name(struct reader *r, struct phenotype *p, size_t off, uint32_t len)
{
	if (len < 1 || len > PBIN_NAME_MAX)
		return refuse(r, CELL_E_LENGTH, len_at(off),
		    "sections.name.len", "%llu, expected 1..%llu", len,
		    PBIN_NAME_MAX);
	for (uint32_t i = 0; i < len; i++) {
		uint8_t ch = r->buf[off + i];
		if (ch < 0x20 || ch > 0x7E)
			return refuse(r, CELL_E_RANGE, off + i, "sections.name",
			    "byte 0x%02llX at index %llu is not printable ASCII",
			    ch, i);
		p->name[i] = (char)ch;
	}
	p->name[len] = '\0';
	return 0;
}

/*
 * PBIN_SEC_SIGNATURE: the key id and the signature, kept for
 * pheno_check_signature; that it is the last section is checked once every
 * section has been read (an unknown section after it is refused as such).
 */
static int
parse_signature(struct reader *r, struct phenotype *p, size_t off, uint32_t len)
{
	pbin_signature_t sig;

	if (len != PBIN_SIGNATURE_SIZE)
		return refuse(r, CELL_E_LENGTH, len_at(off),
		    "sections.signature.len", "%llu, expected %llu", len,
		    PBIN_SIGNATURE_SIZE);
	pbin_signature_decode(r->buf + off, &sig);
	if (sig.reserved != 0)
		return refuse(r, CELL_E_RESERVED,
		    off + PBIN_AT(signature, reserved),
		    "sections.signature.reserved", "0x%08llX, expected %llu",
		    sig.reserved, 0);
	p->signed_by_key = 1;
	p->sig_key_id = sig.key_id;
	for (unsigned i = 0; i < 32; i++) {
		p->signature[i] = sig.r[i];
		p->signature[32 + i] = sig.s[i];
	}
	p->content_len = (uint32_t)(off - PBIN_SECTION_HDR_SIZE);
	return 0;
}

static int
parse_sched(struct reader *r, struct phenotype *p, size_t off, uint32_t len)
{
	pbin_sched_t v;

	if (len != PBIN_SCHED_SIZE)
		return refuse(r, CELL_E_LENGTH, len_at(off),
		    "sections.sched.len", "%llu, expected %llu", len,
		    PBIN_SCHED_SIZE);
	pbin_sched_decode(r->buf + off, &v);
	if (v.gas < 1)
		return refuse(r, CELL_E_RANGE, off + PBIN_AT(sched, gas),
		    "sections.sched.gas", "%llu, expected at least %llu", v.gas,
		    1);
	if (v.proof_quanta < 1 || v.proof_quanta > SCHED_QUANTA_MAX)
		return refuse(r, CELL_E_RANGE,
		    off + PBIN_AT(sched, proof_quanta),
		    "sections.sched.proof_quanta", "%llu, expected 1..%llu",
		    v.proof_quanta, SCHED_QUANTA_MAX);
	if (v.epoch_quanta < 1)
		return refuse(r, CELL_E_RANGE,
		    off + PBIN_AT(sched, epoch_quanta),
		    "sections.sched.epoch_quanta",
		    "%llu, expected at least %llu", v.epoch_quanta, 1);
	if (v.reserved != 0)
		return refuse(r, CELL_E_RANGE, off + PBIN_AT(sched, reserved),
		    "sections.sched.reserved", "%llu, must be %llu", v.reserved,
		    0);
	p->sched = v;
	return 0;
}

static int
parse_queues(struct reader *r, struct phenotype *p, size_t off, uint32_t len)
{
	if (len != p->num_channels * PBIN_QUEUE_SIZE)
		return refuse(r, CELL_E_LENGTH, len_at(off),
		    "sections.queues.len", "%llu, expected 4 x %llu channels",
		    len, p->num_channels);
	for (uint32_t i = 0; i < p->num_channels; i++) {
		size_t at = off + (size_t)i * PBIN_QUEUE_SIZE;
		uint32_t depth = le32_load(r->buf + at);

		if (depth < 1 || depth > QUEUE_DEPTH_MAX)
			return refuse(r, CELL_E_RANGE, at, "sections.queues[]",
			    "%llu, expected 1..%llu", depth, QUEUE_DEPTH_MAX);
		p->channels[i].queue_depth = depth;
	}
	return 0;
}

/* Read the u32 count that opens a table section and check it fits. */
static int
table_count(struct reader *r, size_t off, uint32_t len, uint32_t rec_size,
    uint32_t max, const char *field, uint32_t *count)
{
	if (len < PBIN_COUNT_SIZE)
		return refuse(r, CELL_E_LENGTH, len_at(off), field,
		    "section of %llu bytes has no room for its count (%llu)",
		    len, PBIN_COUNT_SIZE);
	*count = le32_load(r->buf + off);
	if (*count > max)
		return refuse(r, CELL_E_RANGE, off, field,
		    "count %llu, at most %llu", *count, max);
	if (len != PBIN_COUNT_SIZE + *count * rec_size)
		return refuse(r, CELL_E_LENGTH, len_at(off), field,
		    "section length %llu, expected %llu for its count", len,
		    PBIN_COUNT_SIZE + (uint64_t)*count * rec_size);
	return 0;
}

static int
parse_genes(struct reader *r, struct phenotype *p, size_t off, uint32_t len)
{
	uint32_t count;
	int rc = table_count(r, off, len, PBIN_GENE_SIZE, GENES_MAX,
	    "sections.genes.count", &count);

	if (rc < 0)
		return rc;
	if (count < 1)
		return refuse(r, CELL_E_RANGE, off, "sections.genes.count",
		    "%llu, a phenotype needs at least %llu gene", count, 1);
	for (uint32_t i = 0; i < count; i++) {
		size_t at = off + PBIN_COUNT_SIZE + (size_t)i * PBIN_GENE_SIZE;
		pbin_gene_t v;

		pbin_gene_decode(r->buf + at, &v);
		if (v.gene_id < 1 || v.gene_id > GENE_ID_MAX)
			return refuse(r, CELL_E_RANGE,
			    at + PBIN_AT(gene, gene_id), "genes[].gene_id",
			    "%llu, expected 1..%llu", v.gene_id, GENE_ID_MAX);
		for (uint32_t j = 0; j < i; j++) {
			if (p->genes[j].gene_id == v.gene_id)
				return refuse(r, CELL_E_RANGE,
				    at + PBIN_AT(gene, gene_id),
				    "genes[].gene_id", "%llu repeats gene %llu",
				    v.gene_id, j);
		}
		if (v.kind < GENE_KIND_MITO_ENERGY || v.kind > GENE_KIND_MAX)
			return refuse(r, CELL_E_RANGE, at + PBIN_AT(gene, kind),
			    "genes[].kind", "%llu, expected 1..%llu", v.kind,
			    GENE_KIND_MAX);
		if (pheno_channel_index(p, v.channel) < 0)
			return refuse(r, CELL_E_RANGE,
			    at + PBIN_AT(gene, channel), "genes[].channel",
			    "channel %llu does not exist (%llu channels)",
			    v.channel, p->num_channels);
		if (v.cpu_budget < 1)
			return refuse(r, CELL_E_RANGE,
			    at + PBIN_AT(gene, cpu_budget),
			    "genes[].cpu_budget",
			    "%llu, expected at least %llu", v.cpu_budget, 1);
		if (v.mem_budget > GENE_MEM_MAX)
			return refuse(r, CELL_E_RANGE,
			    at + PBIN_AT(gene, mem_budget),
			    "genes[].mem_budget", "%llu, at most %llu",
			    v.mem_budget, GENE_MEM_MAX);
		if (v.kind == GENE_KIND_TESTGENE) {
			if (pheno_channel_index(p, v.arg0) < 0)
				return refuse(r, CELL_E_RANGE,
				    at + PBIN_AT(gene, arg0), "genes[].arg0",
				    "testgene target channel "
				    "%llu does not exist (%llu channels)",
				    v.arg0, p->num_channels);
			if (v.arg1 > 2)
				return refuse(r, CELL_E_RANGE,
				    at + PBIN_AT(gene, arg1), "genes[].arg1",
				    "testgene behaviour %llu, "
				    "expected 0..%llu",
				    v.arg1, 2);
		} else if (v.kind != GENE_KIND_BYTECODE &&
		    (v.arg0 != 0 || v.arg1 != 0)) {
			return refuse(r, CELL_E_RANGE, at + PBIN_AT(gene, arg0),
			    "genes[].arg0",
			    "%llu/%llu, must be 0 for this kind", v.arg0,
			    v.arg1);
		}
		p->genes[i] = v;
	}
	p->num_genes = count;
	return 0;
}

static int
parse_devices(struct reader *r, struct phenotype *p, size_t off, uint32_t len)
{
	uint32_t count;
	int rc = table_count(r, off, len, PBIN_DEVICE_SIZE, DEVICES_MAX,
	    "sections.devices.count", &count);

	if (rc < 0)
		return rc;
	for (uint32_t i = 0; i < count; i++) {
		size_t at =
		    off + PBIN_COUNT_SIZE + (size_t)i * PBIN_DEVICE_SIZE;
		pbin_device_t v;

		pbin_device_decode(r->buf + at, &v);
		if (v.kind < PBIN_DEV_CONSOLE || v.kind > PBIN_DEV_IRQ_LINE)
			return refuse(r, CELL_E_RANGE,
			    at + PBIN_AT(device, kind), "devices[].kind",
			    "%llu, expected 1..%llu", v.kind,
			    PBIN_DEV_IRQ_LINE);
		if (pheno_channel_index(p, v.channel) < 0)
			return refuse(r, CELL_E_RANGE,
			    at + PBIN_AT(device, channel), "devices[].channel",
			    "channel %llu does not exist "
			    "(%llu channels)",
			    v.channel, p->num_channels);
		p->devices[i] = v;
	}
	p->num_devices = count;
	return 0;
}

/*
 * PBIN_SEC_PROGRAMS: u32 count, then per program a pbin_program_t, its
 * instructions, its rodata and zero padding to a multiple of 8. The bytes
 * are copied into p->code_pool; the verifier checks the instructions later,
 * per gene, when the scheduler loads them.
 */
static int
parse_programs(struct reader *r, struct phenotype *p, size_t off, uint32_t len)
{
	size_t end = off + len, at;
	uint32_t count;

	if (len < PBIN_COUNT_SIZE)
		return refuse(r, CELL_E_LENGTH, len_at(off),
		    "sections.programs.len",
		    "%llu bytes, no room for the count (%llu)", len,
		    PBIN_COUNT_SIZE);
	count = le32_load(r->buf + off);
	if (count < 1 || count > VM_PROGRAMS_MAX)
		return refuse(r, CELL_E_RANGE, off, "sections.programs.count",
		    "%llu, expected 1..%llu", count, VM_PROGRAMS_MAX);
	at = off + PBIN_COUNT_SIZE;
	for (uint32_t i = 0; i < count; i++) {
		struct pheno_program *pg = &p->programs[i];
		pbin_program_t h;
		size_t code_len, body, padded;

		if (end - at < PBIN_PROGRAM_SIZE)
			return refuse(r, CELL_E_TRUNCATED, at,
			    "programs[].header",
			    "program %llu of %llu has no "
			    "room for its header",
			    i, count);
		pbin_program_decode(r->buf + at, &h);
		pg->insn_count = h.insn_count;
		pg->rodata_len = h.rodata_len;
		pg->entry = h.entry;
		if (pg->insn_count < 1 || pg->insn_count > VM_INSNS_MAX)
			return refuse(r, CELL_E_RANGE,
			    at + PBIN_AT(program, insn_count),
			    "programs[].insn_count", "%llu, expected 1..%llu",
			    pg->insn_count, VM_INSNS_MAX);
		if (pg->rodata_len > VM_RODATA_MAX)
			return refuse(r, CELL_E_RANGE,
			    at + PBIN_AT(program, rodata_len),
			    "programs[].rodata_len", "%llu, at most %llu",
			    pg->rodata_len, VM_RODATA_MAX);
		if (pg->entry >= pg->insn_count)
			return refuse(r, CELL_E_RANGE,
			    at + PBIN_AT(program, entry), "programs[].entry",
			    "slot %llu of a %llu-slot program", pg->entry,
			    pg->insn_count);
		if (h.reserved != 0)
			return refuse(r, CELL_E_RANGE,
			    at + PBIN_AT(program, reserved),
			    "programs[].reserved", "%llu, must be %llu",
			    h.reserved, 0);
		at += PBIN_PROGRAM_SIZE;
		code_len = (size_t)pg->insn_count * PBIN_INSN_SIZE;
		body = pbin_program_body(&h);
		padded = pbin_program_bytes(&h) - PBIN_PROGRAM_SIZE;
		if (end - at < padded)
			return refuse(r, CELL_E_TRUNCATED, at,
			    "programs[].code",
			    "program %llu needs %llu bytes of code and rodata; "
			    "the section has fewer",
			    i, padded);
		if (PHENO_CODE_MAX - p->code_used < body)
			return refuse(r, CELL_E_NOSPACE, at, "programs[].code",
			    "programs take over %llu bytes (at program %llu)",
			    PHENO_CODE_MAX, i);
		for (size_t k = body; k < padded; k++) {
			if (r->buf[at + k] != 0)
				return refuse(r, CELL_E_RANGE, at + k,
				    "programs[].padding",
				    "byte 0x%02llX, must "
				    "be 0 (program %llu)",
				    r->buf[at + k], i);
		}
		for (size_t k = 0; k < body; k++)
			p->code_pool[p->code_used + k] = r->buf[at + k];
		pg->code = p->code_pool + p->code_used;
		pg->rodata = pg->code + code_len;
		p->code_used += (uint32_t)body;
		at += padded;
	}
	if (at != end)
		return refuse(r, CELL_E_LENGTH, at, "sections.programs.len",
		    "%llu bytes left over after %llu programs", end - at,
		    count);
	p->num_programs = count;
	return 0;
}

/* PBIN_SEC_GENE_CODE: which program runs which gene (checked later). */
static int
parse_gene_code(struct reader *r, struct phenotype *p, size_t off, uint32_t len)
{
	uint32_t count;
	int rc = table_count(r, off, len, PBIN_GENE_CODE_SIZE, GENES_MAX,
	    "sections.gene_code.count", &count);

	if (rc < 0)
		return rc;
	if (count < 1)
		return refuse(r, CELL_E_RANGE, off, "sections.gene_code.count",
		    "%llu, expected 1..%llu", count, GENES_MAX);
	for (uint32_t i = 0; i < count; i++) {
		size_t at =
		    off + PBIN_COUNT_SIZE + (size_t)i * PBIN_GENE_CODE_SIZE;
		pbin_gene_code_t v;

		pbin_gene_code_decode(r->buf + at, &v);
		for (uint32_t j = 0; j < i; j++) {
			if (p->gene_code[j].gene_id == v.gene_id)
				return refuse(r, CELL_E_RANGE,
				    at + PBIN_AT(gene_code, gene_id),
				    "gene_code[].gene_id",
				    "gene %llu has a "
				    "second entry (first at %llu)",
				    v.gene_id, j);
		}
		if (v.helpers & ~(uint32_t)VM_HELPERS_ALL)
			return refuse(r, CELL_E_RANGE,
			    at + PBIN_AT(gene_code, helpers),
			    "gene_code[].helpers",
			    "mask 0x%08llX has bits "
			    "outside 0x%08llX",
			    v.helpers, VM_HELPERS_ALL);
		if (v.gas < 1 || v.gas > VM_GAS_MAX)
			return refuse(r, CELL_E_RANGE,
			    at + PBIN_AT(gene_code, gas), "gene_code[].gas",
			    "%llu, expected 1..%llu", v.gas, VM_GAS_MAX);
		p->gene_code[i] = v;
	}
	p->num_gene_code = count;
	return 0;
}

/*
 * The checks across sections, once all are read: every gene_code entry
 * names a gene and a program that exist, and every bytecode gene has one.
 * off is where the gene_code section's entries start.
 */
static int
check_gene_code(struct reader *r, struct phenotype *p, size_t off)
{
	for (uint32_t i = 0; i < p->num_gene_code; i++) {
		const pbin_gene_code_t *c = &p->gene_code[i];
		size_t at = off + (size_t)i * PBIN_GENE_CODE_SIZE;
		uint32_t g;

		for (g = 0; g < p->num_genes; g++) {
			if (p->genes[g].gene_id == c->gene_id)
				break;
		}
		if (g == p->num_genes)
			return refuse(r, CELL_E_RANGE,
			    at + PBIN_AT(gene_code, gene_id),
			    "gene_code[].gene_id",
			    "gene %llu is not in the genes section (%llu genes)",
			    c->gene_id, p->num_genes);
		if (c->program >= p->num_programs)
			return refuse(r, CELL_E_RANGE,
			    at + PBIN_AT(gene_code, program),
			    "gene_code[].program",
			    "%llu, the phenotype has "
			    "%llu programs",
			    c->program, p->num_programs);
	}
	for (uint32_t g = 0; g < p->num_genes; g++) {
		if (p->genes[g].kind == GENE_KIND_BYTECODE &&
		    pheno_gene_code(p, p->genes[g].gene_id) == NULL)
			return refuse(r, CELL_E_RANGE, off, "gene_code",
			    "bytecode gene %llu has no program (%llu entries)",
			    p->genes[g].gene_id, p->num_gene_code);
	}
	return 0;
}

const pbin_gene_code_t *
pheno_gene_code(const struct phenotype *p, uint32_t gene_id)
{
	for (uint32_t i = 0; i < p->num_gene_code; i++) {
		if (p->gene_code[i].gene_id == gene_id)
			return &p->gene_code[i];
	}
	return NULL;
}

static int
parse_sections(struct reader *r, struct phenotype *p, size_t off)
{
	size_t gene_code_at = 0;
	uint32_t seen = 0;

	if (p->ver_minor == 0) {
		if (off != r->len)
			return refuse(r, CELL_E_UNSUPPORTED, off, "sections",
			    "%llu bytes after the adjacency in a v1.0 file "
			    "(sections need minor %llu)",
			    r->len - off, 1);
		return refuse(r, CELL_E_VERSION, PBIN_OFF_VER_MINOR,
		    "header.ver_minor",
		    "v1.%llu has no genes section; this "
		    "kernel needs v1.%llu or later",
		    p->ver_minor, 1);
	}
	while (off < r->len) {
		struct pbin_section sec;
		uint32_t tag, len;
		int rc;

		if (!within(r, off, PBIN_SECTION_HDR_SIZE))
			return refuse(r, CELL_E_TRUNCATED, off, "sections",
			    "%llu bytes left, a section header needs %llu",
			    r->len - off, PBIN_SECTION_HDR_SIZE);
		pbin_section_decode(r->buf + off, &sec);
		tag = sec.tag;
		len = sec.len;
		off += PBIN_SECTION_HDR_SIZE;
		if (!within(r, off, len))
			return refuse(r, CELL_E_TRUNCATED, len_at(off),
			    "sections.len", "%llu, only %llu bytes remain", len,
			    r->len - off);
		if (tag < PBIN_SEC_NAME || tag > PBIN_SEC_MAX)
			return refuse(r, CELL_E_UNSUPPORTED, tag_at(off),
			    "sections.tag",
			    "unknown section tag %llu (known "
			    "1..%llu)",
			    tag, PBIN_SEC_MAX);
		if (tag >= PBIN_SEC_PROGRAMS && tag <= PBIN_SEC_GENE_CODE &&
		    p->ver_minor < 2)
			return refuse(r, CELL_E_UNSUPPORTED, tag_at(off),
			    "sections.tag",
			    "section %llu needs v1.2, the "
			    "header says v1.%llu",
			    tag, p->ver_minor);
		if (seen & (1u << tag))
			return refuse_at(r, CELL_E_RANGE, tag_at(off),
			    "sections.tag", "section %u appears twice",
			    (unsigned)tag);
		seen |= 1u << tag;
		switch (tag) {
		case PBIN_SEC_NAME:
			rc = parse_name(r, p, off, len);
			break;
		case PBIN_SEC_SCHED:
			rc = parse_sched(r, p, off, len);
			break;
		case PBIN_SEC_QUEUES:
			rc = parse_queues(r, p, off, len);
			break;
		case PBIN_SEC_GENES:
			rc = parse_genes(r, p, off, len);
			break;
		case PBIN_SEC_DEVICES:
			rc = parse_devices(r, p, off, len);
			break;
		case PBIN_SEC_PROGRAMS:
			rc = parse_programs(r, p, off, len);
			break;
		case PBIN_SEC_SIGNATURE:
			rc = parse_signature(r, p, off, len);
			break;
		default:
			gene_code_at = off + PBIN_COUNT_SIZE;
			rc = parse_gene_code(r, p, off, len);
			break;
		}
		if (rc < 0)
			return rc;
		off += len;
	}
	if ((seen & (1u << PBIN_SEC_SIGNATURE)) &&
	    p->content_len + PBIN_SIGNATURE_SECTION != r->len)
		return refuse(r, CELL_E_RANGE, p->content_len,
		    "sections.signature",
		    "the signature section at offset %llu is not the last of "
		    "the file's %llu bytes",
		    p->content_len, r->len);
	if (!(seen & (1u << PBIN_SEC_SCHED)))
		return refuse_at(r, CELL_E_TRUNCATED, r->len, "sections.sched",
		    "required section %u missing", (unsigned)PBIN_SEC_SCHED);
	if (!(seen & (1u << PBIN_SEC_GENES)))
		return refuse_at(r, CELL_E_TRUNCATED, r->len, "sections.genes",
		    "required section %u missing", (unsigned)PBIN_SEC_GENES);
	if (!(seen & (1u << PBIN_SEC_PROGRAMS)) !=
	    !(seen & (1u << PBIN_SEC_GENE_CODE)))
		return refuse(r, CELL_E_TRUNCATED, r->len, "sections",
		    "section %llu comes only with section %llu",
		    PBIN_SEC_PROGRAMS, PBIN_SEC_GENE_CODE);
	return check_gene_code(r, p, gene_code_at);
}

int
pheno_parse(const uint8_t *buf, size_t len, struct phenotype *out,
    struct pheno_error *err)
{
	struct reader r = { buf, len, err };
	struct phenotype *p = out;
	size_t off, adj_len;
	int rc;

	if (buf == NULL || out == NULL)
		return refuse_at(&r, CELL_E_INVAL, 0, "buffer", "no buffer");
	if (len > PBIN_SIZE_MAX)
		return refuse(&r, CELL_E_LENGTH, 0, "file",
		    "%llu bytes, at most %llu", len, PBIN_SIZE_MAX);
	for (size_t i = 0; i < sizeof *p; i++)
		((uint8_t *)p)[i] = 0;
	if ((rc = parse_header(&r, p)) < 0)
		return rc;
	off = PBIN_HDR_SIZE;
	if ((rc = parse_channels(&r, p, off)) < 0)
		return rc;
	off += (size_t)p->num_channels * PBIN_QOS_SIZE;
	adj_len = (p->num_channels * p->num_channels + 7) / 8;
	if (!within(&r, off, adj_len))
		return refuse(&r, CELL_E_TRUNCATED, r.len, "adjacency",
		    "needs %llu bytes, %llu remain", adj_len, r.len - off);
	for (size_t i = 0; i < adj_len; i++)
		p->adjacency[i] = buf[off + i];
	/* Bits past N*N in the last byte must be clear: nothing hides there. */
	if ((p->num_channels * p->num_channels) % 8 != 0) {
		uint8_t spare = (uint8_t)(0xFFu
		    << ((p->num_channels * p->num_channels) % 8));
		if (p->adjacency[adj_len - 1] & spare)
			return refuse(&r, CELL_E_RANGE, off + adj_len - 1,
			    "adjacency",
			    "padding bits 0x%02llX set past the "
			    "%llu edges",
			    p->adjacency[adj_len - 1] & spare,
			    p->num_channels * p->num_channels);
	}
	off += adj_len;
	p->content_len = (uint32_t)len; /* unless a signature ends it */
	if ((rc = parse_sections(&r, p, off)) < 0)
		return rc;
	if (p->name[0] == '\0') {
		static const char unnamed[] = "unnamed";
		for (size_t i = 0; i < sizeof unnamed; i++)
			p->name[i] = unnamed[i];
	}
	return 0;
}

/* The image's policy: whether a phenotype without a signature is accepted. */
int
pheno_accept_unsigned(void)
{
	return CELLOS_ACCEPT_UNSIGNED_PHENOTYPES;
}

int
pheno_trusted_key(uint32_t key_id, uint8_t pub[ED25519_PUBKEY_SIZE])
{
	static const uint8_t root[ED25519_PUBKEY_SIZE] = CELLOS_ROOT_PUBKEY;

	if (key_id != CELLOS_ROOT_KEY_ID)
		return -CELL_E_NOENT;
	for (unsigned i = 0; i < ED25519_PUBKEY_SIZE; i++)
		pub[i] = root[i];
	return 0;
}

int
pheno_check_signature(const uint8_t *buf, size_t len, const struct phenotype *p,
    int accept_unsigned, struct pheno_error *err)
{
	struct reader r = { buf, len, err };
	uint8_t pub[ED25519_PUBKEY_SIZE];
	size_t at = p->content_len;
	int rc;

	if (!p->signed_by_key) {
		if (accept_unsigned)
			return 0;
		return refuse_at(&r, CELL_E_NOENT, len, "signature",
		    "unsigned (no section %u); this image boots only signed "
		    "phenotypes",
		    (unsigned)PBIN_SEC_SIGNATURE);
	}
	if (at + PBIN_SIGNATURE_SECTION != len)
		return refuse_at(&r, CELL_E_INVAL, at, "signature",
		    "not the phenotype these bytes parse to");
	at += PBIN_SECTION_HDR_SIZE;
	if (pheno_trusted_key(p->sig_key_id, pub) < 0)
		return refuse(&r, CELL_E_NOENT, at + PBIN_AT(signature, key_id),
		    "signature.key_id",
		    "%llu, not a key this image trusts "
		    "(it trusts its root, id %llu)",
		    p->sig_key_id, CELLOS_ROOT_KEY_ID);
	rc = ed25519_verify(p->signature, buf, at + PBIN_SIGNATURE_SIGNED, pub);
	if (rc < 0)
		return refuse(&r, -rc, at + PBIN_SIGNATURE_SIGNED,
		    "signature.sig",
		    "does not verify under key %llu over the "
		    "%llu bytes before it",
		    p->sig_key_id, at + PBIN_SIGNATURE_SIGNED);
	return 0;
}

int
pheno_authenticate(const uint8_t *buf, size_t len, const struct phenotype *p,
    struct pheno_error *err)
{
	return pheno_check_signature(buf, len, p, pheno_accept_unsigned(), err);
}
