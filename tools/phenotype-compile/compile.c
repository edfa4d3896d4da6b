/*
 * The phenotype compiler; see compile.h and docs/PHENOTYPES.md. After the
 * schema, it checks what a schema cannot state (unique channel ids and
 * names, a console, edges and targets naming channels that exist, no
 * duplicate edges, bucket and refill within bucket_max, unique gene ids,
 * target and behaviour only on a testgene, arg0/arg1 only on a bytecode
 * gene, unique helpers), reads each gene's code: object (bpf_elf.c), runs
 * the kernel's verifier (core/vm_verify.c) on it with the gene's helpers,
 * and writes the .pbin (include/cellos/pbin.h) through the record encoders
 * the kernel's loader decodes with (wire/pbin_codec.c): v1.2 with PROGRAMS
 * and GENE_CODE when some gene has code, else v1.1.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "bpf_elf.h"
#include "cellos/pbin.h"
#include "cellos/vm_abi.h"
#include "compile.h"
#include "config.h"
#include "pbin_codec.h"
#include "vm.h"

/* One program of PBIN_SEC_PROGRAMS: an object and entry, read once. */
struct program {
	const char *object; /* the YAML's object: text */
	const char *entry;
	struct bpf_prog prog;
};

struct channel {
	const yaml_node_t *node;
	const char *name;
	struct pbin_qos qos; /* the record as written */
	uint32_t depth;
};

struct compiled {
	const char *name;
	uint16_t arch_id;
	uint32_t quantum_ns;
	pbin_sched_t sched;
	uint32_t n;
	struct channel ch[CHANNELS_MAX];
	uint8_t adjacency[(CHANNELS_MAX * CHANNELS_MAX + 7) / 8];
	uint32_t num_genes;
	pbin_gene_t genes[GENES_MAX];
	uint32_t num_devices;
	pbin_device_t devices[DEVICES_MAX];
	uint32_t num_programs;
	struct program programs[VM_PROGRAMS_MAX];
	uint32_t num_gene_code;
	pbin_gene_code_t gene_code[GENES_MAX];
};

struct ctx {
	yaml_document_t *doc;
	struct diag *d;
	struct compiled *c;
	const struct compile_options *opts;
};

static uint64_t
u64_of(yaml_document_t *doc, const yaml_node_t *map, const char *key,
    uint64_t dflt)
{
	struct yint v;
	const yaml_node_t *n = yv_get(doc, map, key);

	if (n == NULL || yv_int(n, &v) != 0 || v.negative)
		return dflt;
	return v.magnitude;
}

static const char *
text_of(yaml_document_t *doc, const yaml_node_t *map, const char *key)
{
	return yv_text(yv_get(doc, map, key));
}

static size_t
seq_len(const yaml_node_t *seq)
{
	if (seq == NULL || seq->type != YAML_SEQUENCE_NODE)
		return 0;
	return (size_t)(seq->data.sequence.items.top -
	    seq->data.sequence.items.start);
}

static yaml_node_t *
seq_at(yaml_document_t *doc, const yaml_node_t *seq, size_t i)
{
	return yaml_document_get_node(doc, seq->data.sequence.items.start[i]);
}

/*
 * A channel reference (a name or an id) to a channel index; reports and
 * returns -1 when there is no such channel.
 */
static int
channel_ref(struct ctx *x, const yaml_node_t *ref, const char *path)
{
	struct yint v;

	if (yv_type(ref) == YV_INT && yv_int(ref, &v) == 0) {
		for (uint32_t i = 0; i < x->c->n; i++) {
			if (!v.negative &&
			    x->c->ch[i].qos.channel_id == v.magnitude)
				return (int)i;
		}
		diag_at(x->d, ref, "%s: no channel has id %s", path,
		    yv_text(ref));
		return -1;
	}
	for (uint32_t i = 0; i < x->c->n; i++) {
		if (strcmp(x->c->ch[i].name, yv_text(ref)) == 0)
			return (int)i;
	}
	diag_at(x->d, ref, "%s: no channel is named \"%s\"", path,
	    yv_text(ref));
	return -1;
}

static void
load_channels(struct ctx *x, const yaml_node_t *list)
{
	struct compiled *c = x->c;

	c->n = (uint32_t)seq_len(list);
	for (uint32_t i = 0; i < c->n; i++) {
		const yaml_node_t *m = seq_at(x->doc, list, i);
		struct channel *ch = &c->ch[i];

		ch->node = m;
		ch->qos.channel_id = (uint32_t)u64_of(x->doc, m, "id", 0);
		ch->name = text_of(x->doc, m, "name");
		ch->qos.qos = strcmp(text_of(x->doc, m, "qos"), "RT") == 0 ?
		    QOS_CLASS_RT :
		    QOS_CLASS_BE;
		ch->qos.priority = (uint32_t)u64_of(x->doc, m, "priority", 0);
		ch->qos.bucket = u64_of(x->doc, m, "bucket", 0);
		ch->qos.bucket_max = u64_of(x->doc, m, "bucket_max", 1);
		ch->qos.refill_per_tick =
		    u64_of(x->doc, m, "refill_per_tick", 0);
		ch->depth = (uint32_t)u64_of(x->doc, m, "queue_depth",
		    QUEUE_DEPTH_DEFAULT);
	}
}

static void
check_channels(struct ctx *x, const yaml_node_t *list)
{
	struct compiled *c = x->c;
	int console = 0;

	for (uint32_t i = 0; i < c->n; i++) {
		struct channel *ch = &c->ch[i];
		const yaml_node_t *m = ch->node;

		if (ch->qos.channel_id == 0)
			console = 1;
		for (uint32_t j = 0; j < i; j++) {
			if (c->ch[j].qos.channel_id == ch->qos.channel_id)
				diag_at(x->d, yv_get(x->doc, m, "id"),
				    "channels[%u].id: %u is already the id of "
				    "channels[%u] (line %zu)",
				    i, ch->qos.channel_id, j,
				    c->ch[j].node->start_mark.line + 1);
			if (strcmp(c->ch[j].name, ch->name) == 0)
				diag_at(x->d, yv_get(x->doc, m, "name"),
				    "channels[%u].name: \"%s\" is already the "
				    "name of channels[%u] (line %zu)",
				    i, ch->name, j,
				    c->ch[j].node->start_mark.line + 1);
		}
		if (ch->qos.bucket > ch->qos.bucket_max)
			diag_at(x->d, yv_get(x->doc, m, "bucket"),
			    "channels[%u].bucket: %llu exceeds bucket_max %llu",
			    i, (unsigned long long)ch->qos.bucket,
			    (unsigned long long)ch->qos.bucket_max);
		if (ch->qos.refill_per_tick > ch->qos.bucket_max)
			diag_at(x->d, yv_get(x->doc, m, "refill_per_tick"),
			    "channels[%u].refill_per_tick: %llu exceeds "
			    "bucket_max %llu",
			    i, (unsigned long long)ch->qos.refill_per_tick,
			    (unsigned long long)ch->qos.bucket_max);
	}
	if (!console)
		diag_at(x->d, list,
		    "channels: no channel has id 0 (the console "
		    "every phenotype needs)");
}

static void
load_edges(struct ctx *x, const yaml_node_t *list)
{
	struct compiled *c = x->c;
	size_t n = seq_len(list);
	char path[64];

	for (size_t i = 0; i < n; i++) {
		const yaml_node_t *m = seq_at(x->doc, list, i);
		int from, to;
		uint32_t bit;

		snprintf(path, sizeof path, "edges[%zu].from", i);
		from = channel_ref(x, yv_get(x->doc, m, "from"), path);
		snprintf(path, sizeof path, "edges[%zu].to", i);
		to = channel_ref(x, yv_get(x->doc, m, "to"), path);
		if (from < 0 || to < 0)
			continue;
		bit = (uint32_t)from * c->n + (uint32_t)to;
		if (c->adjacency[bit / 8] & (1u << (bit % 8))) {
			diag_at(x->d, m, "edges[%zu]: %s -> %s is listed twice",
			    i, c->ch[from].name, c->ch[to].name);
			continue;
		}
		c->adjacency[bit / 8] |= (uint8_t)(1u << (bit % 8));
	}
}

static uint32_t
helper_mask(struct ctx *x, uint32_t gene, const yaml_node_t *list)
{
	uint32_t mask = 0;

	for (size_t k = 0; k < seq_len(list); k++) {
		const yaml_node_t *item = seq_at(x->doc, list, k);
		const char *name = yv_text(item);
		uint32_t id = 0;

		for (uint32_t h = 1; name != NULL && h < VM_HELPERS_MAX; h++) {
			if (strcmp(vm_helper_name(h), name) == 0)
				id = h;
		}
		if (id == 0) {
			diag_at(x->d, item,
			    "genes[%u].code.helpers[%zu]: no "
			    "helper is named \"%s\"",
			    gene, k, name ? name : "");
			continue;
		}
		if (mask & (1u << id))
			diag_at(x->d, item,
			    "genes[%u].code.helpers[%zu]: "
			    "\"%s\" is listed twice",
			    gene, k, name);
		mask |= 1u << id;
	}
	return mask;
}

/*
 * The program of object+entry: one read earlier, or read now from the
 * code directory. Returns its index, or -1 after a message at the
 * object: value.
 */
static int
program_for(struct ctx *x, uint32_t gene, const yaml_node_t *object,
    const char *entry)
{
	const struct compile_options *o = x->opts;
	struct compiled *c = x->c;
	struct program *p;
	char path[4096], why[BPF_ELF_MSG_MAX];
	unsigned char *bytes = NULL;
	size_t len = 0;
	int rc;

	for (uint32_t k = 0; k < c->num_programs; k++) {
		if (strcmp(c->programs[k].object, yv_text(object)) == 0 &&
		    strcmp(c->programs[k].entry, entry) == 0)
			return (int)k;
	}
	if (o == NULL || o->code_dir == NULL || o->read_file == NULL) {
		diag_at(x->d, object,
		    "genes[%u].code.object: a gene's code "
		    "needs --code-dir (the directory of the gene objects), or "
		    "--native-genes to ignore code:",
		    gene);
		return -1;
	}
	if (c->num_programs == VM_PROGRAMS_MAX) {
		diag_at(x->d, object,
		    "genes[%u].code.object: more than %d "
		    "programs (VM_PROGRAMS_MAX)",
		    gene, VM_PROGRAMS_MAX);
		return -1;
	}
	snprintf(path, sizeof path, "%s/%s.o", o->code_dir, yv_text(object));
	if (o->read_file(path, &bytes, &len, why, sizeof why) != 0) {
		diag_at(x->d, object, "genes[%u].code.object: %s: %s", gene,
		    path, why);
		return -1;
	}
	p = &c->programs[c->num_programs];
	rc = bpf_elf_load(bytes, len, entry, &p->prog, why, sizeof why);
	free(bytes);
	if (rc < 0) {
		diag_at(x->d, object, "genes[%u].code.object: %s: %s", gene,
		    path, why);
		return -1;
	}
	p->object = yv_text(object);
	p->entry = entry;
	return (int)c->num_programs++;
}

/* A gene's code: mapping (the schema has checked its shape). */
static void
load_code(struct ctx *x, uint32_t gene, const pbin_gene_t *g,
    const yaml_node_t *code)
{
	struct compiled *c = x->c;
	const yaml_node_t *object = yv_get(x->doc, code, "object");
	const char *entry = text_of(x->doc, code, "entry");
	const struct bpf_prog *p;
	struct vm_verify_error err;
	pbin_gene_code_t *gc;
	uint32_t mask;
	int prog;

	mask = helper_mask(x, gene, yv_get(x->doc, code, "helpers"));
	prog = program_for(x, gene, object, entry != NULL ? entry : "gene");
	if (prog < 0)
		return;
	p = &c->programs[prog].prog;
	if (vm_verify(p->code, p->insn_count, p->entry, mask, &err) != 0) {
		diag_at(x->d, code, "gene %u: %s: slot %u: %s", g->gene_id,
		    yv_text(object), err.insn, err.reason);
		return;
	}
	gc = &c->gene_code[c->num_gene_code++];
	gc->gene_id = g->gene_id;
	gc->program = (uint32_t)prog;
	gc->helpers = mask;
	gc->gas = (uint32_t)u64_of(x->doc, code, "gas", 1);
}

static void
load_genes(struct ctx *x, const yaml_node_t *list)
{
	static const char *const behaviours[] = { "well_behaved", "rogue_route",
		"budget_hog" };
	struct compiled *c = x->c;
	char path[64];

	c->num_genes = (uint32_t)seq_len(list);
	for (uint32_t i = 0; i < c->num_genes; i++) {
		const yaml_node_t *m = seq_at(x->doc, list, i);
		const yaml_node_t *budget = yv_get(x->doc, m, "budget");
		const yaml_node_t *target = yv_get(x->doc, m, "target");
		const yaml_node_t *behaviour = yv_get(x->doc, m, "behaviour");
		const yaml_node_t *code = yv_get(x->doc, m, "code");
		const yaml_node_t *arg0 = yv_get(x->doc, m, "arg0");
		const yaml_node_t *arg1 = yv_get(x->doc, m, "arg1");
		pbin_gene_t *g = &c->genes[i];
		int ch;

		g->gene_id = (uint32_t)u64_of(x->doc, m, "id", 0);
		g->kind = pbin_gene_kind_value(text_of(x->doc, m, "kind"));
		snprintf(path, sizeof path, "genes[%u].channel", i);
		ch = channel_ref(x, yv_get(x->doc, m, "channel"), path);
		g->channel = ch >= 0 ? c->ch[ch].qos.channel_id : 0;
		g->cpu_budget = (uint32_t)u64_of(x->doc, budget, "cpu", 1);
		g->io_budget = (uint32_t)u64_of(x->doc, budget, "io", 0);
		g->mem_budget = (uint32_t)u64_of(x->doc, budget, "mem", 0);
		g->arg0 = g->arg1 = 0;
		for (uint32_t j = 0; j < i; j++) {
			if (c->genes[j].gene_id == g->gene_id)
				diag_at(x->d, yv_get(x->doc, m, "id"),
				    "genes[%u].id: %u is already the id of "
				    "genes[%u]",
				    i, g->gene_id, j);
		}
		if (x->opts != NULL && x->opts->native_genes) {
			if (g->kind == GENE_KIND_BYTECODE)
				diag_at(x->d, yv_get(x->doc, m, "kind"),
				    "genes[%u].kind: a bytecode gene has no "
				    "native step (--native-genes)",
				    i);
		} else if (code != NULL) {
			load_code(x, i, g, code);
		} else if (g->kind == GENE_KIND_BYTECODE) {
			diag_at(x->d, m,
			    "genes[%u]: a bytecode gene needs "
			    "code:",
			    i);
		}
		if (g->kind == GENE_KIND_BYTECODE) {
			g->arg0 = (uint32_t)u64_of(x->doc, m, "arg0", 0);
			g->arg1 = (uint32_t)u64_of(x->doc, m, "arg1", 0);
		} else if (arg0 != NULL || arg1 != NULL) {
			diag_at(x->d, arg0 != NULL ? arg0 : arg1,
			    "genes[%u].%s: "
			    "only a bytecode gene takes arg0 and arg1",
			    i, arg0 != NULL ? "arg0" : "arg1");
		}
		if (g->kind != GENE_KIND_TESTGENE) {
			if (target != NULL)
				diag_at(x->d, target,
				    "genes[%u].target: only a "
				    "testgene takes a target",
				    i);
			if (behaviour != NULL)
				diag_at(x->d, behaviour,
				    "genes[%u].behaviour: only "
				    "a testgene takes a behaviour",
				    i);
			continue;
		}
		if (target == NULL) {
			diag_at(x->d, m,
			    "genes[%u]: a testgene needs a target "
			    "channel",
			    i);
			continue;
		}
		snprintf(path, sizeof path, "genes[%u].target", i);
		ch = channel_ref(x, target, path);
		g->arg0 = ch >= 0 ? c->ch[ch].qos.channel_id : 0;
		for (uint32_t b = 0; behaviour != NULL && b < 3; b++) {
			if (strcmp(yv_text(behaviour), behaviours[b]) == 0)
				g->arg1 = b;
		}
	}
}

static void
load_devices(struct ctx *x, const yaml_node_t *list)
{
	struct compiled *c = x->c;
	char path[64];

	c->num_devices = (uint32_t)seq_len(list);
	for (uint32_t i = 0; i < c->num_devices; i++) {
		const yaml_node_t *m = seq_at(x->doc, list, i);
		pbin_device_t *d = &c->devices[i];
		int ch;

		d->kind = pbin_device_kind_value(text_of(x->doc, m, "kind"));
		snprintf(path, sizeof path, "devices[%u].channel", i);
		ch = channel_ref(x, yv_get(x->doc, m, "channel"), path);
		d->channel = ch >= 0 ? c->ch[ch].qos.channel_id : 0;
		d->addr = u64_of(x->doc, m, "addr", 0);
	}
}

/* A program's header in PBIN_SEC_PROGRAMS. */
static pbin_program_t
program_header(const struct bpf_prog *p)
{
	return (pbin_program_t){ p->insn_count, p->rodata_len, p->entry, 0 };
}

/* All programs together must fit the kernel's code pool (PHENO_CODE_MAX). */
static void
check_code_size(struct ctx *x, const yaml_node_t *genes)
{
	uint32_t total = 0;

	for (uint32_t k = 0; k < x->c->num_programs; k++) {
		pbin_program_t h = program_header(&x->c->programs[k].prog);

		total += (uint32_t)pbin_program_body(&h);
	}
	if (total > PHENO_CODE_MAX)
		diag_at(x->d, genes,
		    "genes: the %u programs take %u bytes of "
		    "code and rodata, at most %d (PHENO_CODE_MAX)",
		    x->c->num_programs, total, PHENO_CODE_MAX);
}

/* The rules beyond the schema; the document has passed the schema. */
static void
compile(struct ctx *x, const yaml_node_t *root)
{
	struct compiled *c = x->c;
	const yaml_node_t *sched = yv_get(x->doc, root, "scheduler");
	const char *arch = text_of(x->doc, root, "arch");

	c->name = text_of(x->doc, root, "name");
	c->arch_id = strcmp(arch, "x86_64") == 0 ? PBIN_ARCH_X86_64 :
	    strcmp(arch, "arm64") == 0           ? PBIN_ARCH_ARM64 :
	    strcmp(arch, "arm_m") == 0           ? PBIN_ARCH_ARM_M :
						   PBIN_ARCH_HOSTED;
	c->quantum_ns = (uint32_t)u64_of(x->doc, root, "quantum_ns", 0);
	c->sched.gas = (uint32_t)u64_of(x->doc, sched, "gas", 1);
	c->sched.proof_quanta =
	    (uint32_t)u64_of(x->doc, sched, "proof_quanta", 1);
	c->sched.epoch_quanta =
	    (uint32_t)u64_of(x->doc, sched, "epoch_quanta", 1);
	c->sched.reserved = 0;
	load_channels(x, yv_get(x->doc, root, "channels"));
	check_channels(x, yv_get(x->doc, root, "channels"));
	load_edges(x, yv_get(x->doc, root, "edges"));
	load_genes(x, yv_get(x->doc, root, "genes"));
	check_code_size(x, yv_get(x->doc, root, "genes"));
	load_devices(x, yv_get(x->doc, root, "devices"));
}

/* ---- output ---- */

/* PBIN_SEC_PROGRAMS and PBIN_SEC_GENE_CODE (v1.2), when there is code. */
static void
emit_code(const struct compiled *c, struct pbin_writer *w)
{
	uint32_t len = PBIN_COUNT_SIZE;

	if (c->num_programs == 0)
		return;
	for (uint32_t k = 0; k < c->num_programs; k++) {
		pbin_program_t h = program_header(&c->programs[k].prog);

		len += (uint32_t)pbin_program_bytes(&h);
	}
	pbin_put_section(w, PBIN_SEC_PROGRAMS, len);
	pbin_put_u32(w, c->num_programs);
	for (uint32_t k = 0; k < c->num_programs; k++) {
		const struct bpf_prog *p = &c->programs[k].prog;
		pbin_program_t h = program_header(p);

		pbin_put_program(w, &h, p->code, p->rodata);
	}
	pbin_put_gene_code(w, c->gene_code, c->num_gene_code);
}

static void
emit(const struct compiled *c, struct pbin_writer *w)
{
	struct pbin_header h = {
		.magic = PBIN_MAGIC,
		.ver_major = PBIN_VER_MAJOR,
		.ver_minor = c->num_programs > 0 ? 2 : 1, /* 1.1 as before */
		.arch_id = c->arch_id,
		.reserved = 0,
		.num_channels = c->n,
		.quantum_ns = c->quantum_ns,
	};
	uint32_t depth[CHANNELS_MAX];

	pbin_put_header(w, &h);
	for (uint32_t i = 0; i < c->n; i++) {
		pbin_put_qos(w, &c->ch[i].qos);
		depth[i] = c->ch[i].depth;
	}
	pbin_put_bytes(w, c->adjacency, (c->n * c->n + 7) / 8);
	pbin_put_name(w, c->name, (uint32_t)strlen(c->name));
	pbin_put_sched(w, &c->sched);
	pbin_put_queues(w, depth, c->n);
	pbin_put_genes(w, c->genes, c->num_genes);
	emit_code(c, w);
	pbin_put_devices(w, c->devices, c->num_devices);
}

long
phenotype_compile(struct schema *schema, const unsigned char *yaml, size_t len,
    struct diag *d, uint8_t *out, size_t cap)
{
	return phenotype_compile_with(schema, yaml, len, NULL, d, out, cap);
}

long
phenotype_compile_with(struct schema *schema, const unsigned char *yaml,
    size_t len, const struct compile_options *opts, struct diag *d,
    uint8_t *out, size_t cap)
{
	static struct compiled compiled;
	yaml_parser_t parser;
	yaml_document_t doc;
	struct pbin_writer w;
	int ok;

	memset(&compiled, 0, sizeof compiled);
	pbin_writer_init(&w, out, cap);
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, yaml, len);
	ok = yaml_parser_load(&parser, &doc);
	if (!ok) {
		yaml_mark_t mark = parser.problem_mark;
		diag_mark(d, mark, "YAML syntax error: %s%s%s",
		    parser.problem ? parser.problem : "unknown",
		    parser.context ? " " : "",
		    parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		return -1;
	}
	yaml_parser_delete(&parser);
	schema_validate(schema, &doc, d);
	if (d->errors == 0) {
		struct ctx x = { &doc, d, &compiled, opts };
		compile(&x, yaml_document_get_root_node(&doc));
	}
	if (d->errors == 0) {
		emit(&compiled, &w);
		if (w.overflow) {
			yaml_mark_t start = { 0, 0, 0 };
			diag_mark(d, start,
			    "the phenotype compiles to more than "
			    "%zu bytes",
			    cap);
		}
	}
	yaml_document_delete(&doc);
	return d->errors == 0 ? (long)w.len : -1;
}
