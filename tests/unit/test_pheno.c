/*
 * The phenotype loader: a hand-built .pbin loads with every field in place,
 * and each way of breaking one is refused with the offset and field that a
 * reader of CONTRACT.md would point at.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "cellos/vm_abi.h"
#include "pbin_builder.h"
#include "pheno.h"

/* Offsets in the good file below, computed from the layout by hand. */
#define OFF_CHANNELS 20
#define OFF_ADJ      (20 + 3 * 36) /* 128 */
#define OFF_SECTIONS (OFF_ADJ + 2) /* 9 bits -> 2 bytes: 130 */

static const uint32_t edges[][2] = { { 1, 0 }, { 2, 1 }, { 2, 0 } };

/* Three channels (ids 0, 5, 9), three edges, name, sched, queues, two genes, one device. */
static void
good(struct pb *p)
{
	pb_header(p, 1, PBIN_ARCH_HOSTED, 3);
	pb_channel(p, 0, QOS_CLASS_BE, 1, 4, 8, 2);
	pb_channel(p, 5, QOS_CLASS_RT, 7, 8, 8, 4);
	pb_channel(p, 9, QOS_CLASS_BE, 0, 0, 2, 0);
	pb_adjacency(p, 3, edges, 3);
	pb_section(p, PBIN_SEC_NAME, 4);
	memcpy(p->b + p->n, "unit", 4);
	p->n += 4;
	pb_sched(p, 100, 20, 5);
	pb_section(p, PBIN_SEC_QUEUES, 12);
	pb_u32(p, 8);
	pb_u32(p, 4);
	pb_u32(p, 1);
	pb_section(p, PBIN_SEC_GENES, 4 + 2 * 32);
	pb_u32(p, 2);
	pb_gene(p, 1, GENE_KIND_PEROXI_SANITIZE, 0, 10, 100, 64, 0, 0);
	pb_gene(p, 2, GENE_KIND_TESTGENE, 9, 10, 100, 64, 5, 0);
	pb_section(p, PBIN_SEC_DEVICES, 4 + 16);
	pb_u32(p, 1);
	pb_u32(p, PBIN_DEV_CONSOLE);
	pb_u32(p, 0);
	pb_u64(p, 0x3F8);
}

/* Offset of the first section after the name section (SCHED). */
#define OFF_SCHED   (OFF_SECTIONS + 8 + 4)
#define OFF_QUEUES  (OFF_SCHED + 8 + 16)
#define OFF_GENES   (OFF_QUEUES + 8 + 12)
#define OFF_GENE0   (OFF_GENES + 8 + 4)
#define OFF_GENE1   (OFF_GENE0 + 32)
#define OFF_DEVICES (OFF_GENE1 + 32)

static struct phenotype ph;

static void
test_good_file_loads(void **state)
{
	struct pb p;
	struct pheno_error err;

	(void)state;
	good(&p);
	assert_int_equal(p.n, OFF_DEVICES + 8 + 20);
	assert_int_equal(pheno_parse(p.b, p.n, &ph, &err), 0);
	assert_int_equal(ph.num_channels, 3);
	assert_int_equal(ph.arch_id, PBIN_ARCH_HOSTED);
	assert_int_equal(ph.channels[1].qos.channel_id, 5);
	assert_int_equal(ph.channels[1].qos.qos, QOS_CLASS_RT);
	assert_int_equal(ph.channels[0].qos.refill_per_tick, 2);
	assert_int_equal(ph.channels[2].queue_depth, 1);
	assert_true(pheno_has_edge(&ph, 1, 0));
	assert_true(pheno_has_edge(&ph, 2, 1));
	assert_true(pheno_has_edge(&ph, 2, 0));
	assert_false(pheno_has_edge(&ph, 0, 1));
	assert_false(pheno_has_edge(&ph, 0, 0));
	assert_string_equal(ph.name, "unit");
	assert_int_equal(ph.sched.gas, 100);
	assert_int_equal(ph.num_genes, 2);
	assert_int_equal(ph.genes[1].arg0, 5);
	assert_int_equal(ph.num_devices, 1);
	assert_int_equal(ph.devices[0].addr, 0x3F8);
	assert_int_equal(pheno_channel_index(&ph, 9), 2);
	assert_int_equal(pheno_channel_index(&ph, 4), -CELL_E_NOENT);
}

/* Build a file with make, apply one corruption and expect a refusal. */
static void
refused_from(void (*make)(struct pb *), void (*patch)(struct pb *), int code,
    uint32_t offset, const char *field)
{
	struct pb p;
	struct pheno_error err = { 0 };

	make(&p);
	patch(&p);
	assert_int_equal(pheno_parse(p.b, p.n, &ph, &err), code);
	assert_int_equal(err.code, code);
	assert_int_equal(err.offset, offset);
	assert_string_equal(err.field, field);
	assert_true(err.detail[0] != '\0');
}

/* A corruption of the v1.1 file good() writes. */
static void
refused(void (*patch)(struct pb *), int code, uint32_t offset,
    const char *field)
{
	refused_from(good, patch, code, offset, field);
}

/* clang-format off */
static void bad_magic(struct pb *p) { p->b[0] = 'X'; }
static void bad_major(struct pb *p) { p->b[4] = 2; }
static void new_minor(struct pb *p) { p->b[6] = 3; }
static void bad_arch(struct pb *p) { p->b[8] = PBIN_ARCH_MAX + 1; }
static void bad_reserved(struct pb *p) { p->b[10] = 1; }
static void no_channels(struct pb *p) { p->b[12] = 0; }
static void many_channels(struct pb *p) { p->b[12] = 17; }
static void short_quantum(struct pb *p) { le32_store(p->b + 16, 999); }
static void dup_channel(struct pb *p) { le32_store(p->b + OFF_CHANNELS + 36, 0); }
static void bad_class(struct pb *p) { le32_store(p->b + OFF_CHANNELS + 4, 2); }
static void bucket_over(struct pb *p) { le64_store(p->b + OFF_CHANNELS + 12, 9); }
static void refill_over(struct pb *p) { le64_store(p->b + OFF_CHANNELS + 28, 9); }
static void zero_max(struct pb *p) { le64_store(p->b + OFF_CHANNELS + 72 + 20, 0); }
static void no_console(struct pb *p) { le32_store(p->b + OFF_CHANNELS, 3); }
static void padding_bit(struct pb *p) { p->b[OFF_ADJ + 1] |= 0x80; }
static void unknown_tag(struct pb *p) { le32_store(p->b + OFF_SECTIONS, 6); }
static void twice(struct pb *p) { le32_store(p->b + OFF_DEVICES, PBIN_SEC_GENES); }
static void sched_len(struct pb *p) { le32_store(p->b + OFF_SCHED + 4, 12); }
static void zero_gas(struct pb *p) { le32_store(p->b + OFF_SCHED + 8, 0); }
static void zero_depth(struct pb *p) { le32_store(p->b + OFF_QUEUES + 8, 0); }
static void gene_id0(struct pb *p) { le32_store(p->b + OFF_GENE0, 0); }
static void gene_dup(struct pb *p) { le32_store(p->b + OFF_GENE1, 1); }
static void gene_kind(struct pb *p) { le32_store(p->b + OFF_GENE1 + 4, 7); }
static void gene_chan(struct pb *p) { le32_store(p->b + OFF_GENE1 + 8, 4); }
static void gene_cpu0(struct pb *p) { le32_store(p->b + OFF_GENE1 + 12, 0); }
static void gene_mem(struct pb *p) { le32_store(p->b + OFF_GENE1 + 20, GENE_MEM_MAX + 1); }
static void gene_target(struct pb *p) { le32_store(p->b + OFF_GENE1 + 24, 6); }
static void gene_behav(struct pb *p) { le32_store(p->b + OFF_GENE1 + 28, 3); }
static void gene_args(struct pb *p) { le32_store(p->b + OFF_GENE0 + 24, 1); }
static void genes_over(struct pb *p) { le32_store(p->b + OFF_GENES + 8, 9); }
static void genes_len(struct pb *p) { le32_store(p->b + OFF_GENES + 4, 4 + 31); }
static void dev_kind(struct pb *p) { le32_store(p->b + OFF_DEVICES + 12, 9); }
static void name_ctl(struct pb *p) { p->b[OFF_SECTIONS + 9] = '\n'; }
static void sec_len(struct pb *p) { le32_store(p->b + OFF_DEVICES + 4, 1000); }
static void v10_trailing(struct pb *p) { p->b[6] = 0; }
/* clang-format on */

static void
test_each_refusal_names_offset_and_field(void **state)
{
	(void)state;
	refused(bad_magic, -CELL_E_MAGIC, 0, "header.magic");
	refused(bad_major, -CELL_E_VERSION, 4, "header.ver_major");
	refused(new_minor, -CELL_E_VERSION, 6, "header.ver_minor");
	refused(bad_arch, -CELL_E_RANGE, 8, "header.arch_id");
	refused(bad_reserved, -CELL_E_RANGE, 10, "header.reserved");
	refused(no_channels, -CELL_E_RANGE, 12, "header.num_channels");
	refused(many_channels, -CELL_E_RANGE, 12, "header.num_channels");
	refused(short_quantum, -CELL_E_RANGE, 16, "header.quantum_ns");
	refused(dup_channel, -CELL_E_RANGE, OFF_CHANNELS + 36,
	    "channels[].channel_id");
	refused(bad_class, -CELL_E_RANGE, OFF_CHANNELS + 4, "channels[].qos");
	refused(bucket_over, -CELL_E_RANGE, OFF_CHANNELS + 12,
	    "channels[].bucket");
	refused(refill_over, -CELL_E_RANGE, OFF_CHANNELS + 28,
	    "channels[].refill_per_tick");
	refused(zero_max, -CELL_E_RANGE, OFF_CHANNELS + 72 + 20,
	    "channels[].bucket_max");
	refused(no_console, -CELL_E_RANGE, OFF_CHANNELS, "channels");
	refused(padding_bit, -CELL_E_RANGE, OFF_ADJ + 1, "adjacency");
	refused(unknown_tag, -CELL_E_UNSUPPORTED, OFF_SECTIONS, "sections.tag");
	refused(twice, -CELL_E_RANGE, OFF_DEVICES, "sections.tag");
	refused(sched_len, -CELL_E_LENGTH, OFF_SCHED + 4, "sections.sched.len");
	refused(zero_gas, -CELL_E_RANGE, OFF_SCHED + 8, "sections.sched.gas");
	refused(zero_depth, -CELL_E_RANGE, OFF_QUEUES + 8, "sections.queues[]");
	refused(gene_id0, -CELL_E_RANGE, OFF_GENE0, "genes[].gene_id");
	refused(gene_dup, -CELL_E_RANGE, OFF_GENE1, "genes[].gene_id");
	refused(gene_kind, -CELL_E_RANGE, OFF_GENE1 + 4, "genes[].kind");
	refused(gene_chan, -CELL_E_RANGE, OFF_GENE1 + 8, "genes[].channel");
	refused(gene_cpu0, -CELL_E_RANGE, OFF_GENE1 + 12, "genes[].cpu_budget");
	refused(gene_mem, -CELL_E_RANGE, OFF_GENE1 + 20, "genes[].mem_budget");
	refused(gene_target, -CELL_E_RANGE, OFF_GENE1 + 24, "genes[].arg0");
	refused(gene_behav, -CELL_E_RANGE, OFF_GENE1 + 28, "genes[].arg1");
	refused(gene_args, -CELL_E_RANGE, OFF_GENE0 + 24, "genes[].arg0");
	refused(genes_over, -CELL_E_RANGE, OFF_GENES + 8,
	    "sections.genes.count");
	refused(genes_len, -CELL_E_LENGTH, OFF_GENES + 4,
	    "sections.genes.count");
	refused(dev_kind, -CELL_E_RANGE, OFF_DEVICES + 12, "devices[].kind");
	refused(name_ctl, -CELL_E_RANGE, OFF_SECTIONS + 9, "sections.name");
	refused(sec_len, -CELL_E_TRUNCATED, OFF_DEVICES + 4, "sections.len");
	refused(v10_trailing, -CELL_E_UNSUPPORTED, OFF_SECTIONS, "sections");
}

/*
 * Each limit's own edge loads: the refusals above are one step past it, so
 * a bound that slips by one (< for <=) is caught from either side.
 */
static struct phenotype *
loads_with(void (*patch)(struct pb *))
{
	struct pb p;
	struct pheno_error err = { 0 };

	good(&p);
	patch(&p);
	assert_int_equal(pheno_parse(p.b, p.n, &ph, &err), 0);
	return &ph;
}

/* clang-format off */
static void quantum_min(struct pb *p) { le32_store(p->b + 16, 1000); }
static void quantum_max(struct pb *p) { le32_store(p->b + 16, 1000000000); }
static void priority_max(struct pb *p) { le32_store(p->b + OFF_CHANNELS + 8, 255); }
static void bucket_full(struct pb *p) { le64_store(p->b + OFF_CHANNELS + 12, 8); }
static void refill_full(struct pb *p) { le64_store(p->b + OFF_CHANNELS + 28, 8); }
static void bucket_max_min(struct pb *p) { le64_store(p->b + OFF_CHANNELS + 72 + 20, 1); }
static void bucket_max_max(struct pb *p) { le64_store(p->b + OFF_CHANNELS + 20, 1000000); }
static void cpu_min(struct pb *p) { le32_store(p->b + OFF_GENE1 + 12, 1); }
static void mem_max(struct pb *p) { le32_store(p->b + OFF_GENE1 + 20, GENE_MEM_MAX); }
static void gas_min(struct pb *p) { le32_store(p->b + OFF_SCHED + 8, 1); }
static void gene_id_max(struct pb *p) { le32_store(p->b + OFF_GENE1, GENE_ID_MAX); }
static void dev_kind_max(struct pb *p) { le32_store(p->b + OFF_DEVICES + 12, PBIN_DEV_IRQ_LINE); }
/* clang-format on */

static void
test_each_limit_itself_loads(void **state)
{
	(void)state;
	assert_int_equal(loads_with(quantum_min)->quantum_ns, 1000);
	assert_int_equal(loads_with(quantum_max)->quantum_ns, 1000000000);
	assert_int_equal(loads_with(priority_max)->channels[0].qos.priority,
	    255);
	assert_int_equal(loads_with(bucket_full)->channels[0].qos.bucket, 8);
	assert_int_equal(loads_with(refill_full)
			     ->channels[0]
			     .qos.refill_per_tick,
	    8);
	assert_int_equal(loads_with(bucket_max_min)->channels[2].qos.bucket_max,
	    1);
	assert_int_equal(loads_with(bucket_max_max)->channels[0].qos.bucket_max,
	    1000000);
	assert_int_equal(loads_with(cpu_min)->genes[1].cpu_budget, 1);
	assert_int_equal(loads_with(mem_max)->genes[1].mem_budget,
	    GENE_MEM_MAX);
	assert_int_equal(loads_with(gas_min)->sched.gas, 1);
	assert_int_equal(loads_with(gene_id_max)->genes[1].gene_id,
	    GENE_ID_MAX);
	assert_int_equal(loads_with(dev_kind_max)->devices[0].kind,
	    PBIN_DEV_IRQ_LINE);
}

/*
 * v1.2: good() plus two programs (3 slots and 5 bytes of rodata padded to
 * 8; 2 slots and no rodata) and code for both genes, gene 2 on program 1.
 */
#define OFF_PROGRAMS  (OFF_DEVICES + 8 + 20)
#define OFF_PROG0     (OFF_PROGRAMS + 8 + 4)
#define OFF_PROG1     (OFF_PROG0 + 16 + 3 * 8 + 8)
#define OFF_GENE_CODE (OFF_PROG1 + 16 + 2 * 8)
#define OFF_CODE0     (OFF_GENE_CODE + 8 + 4)
#define OFF_CODE1     (OFF_CODE0 + 16)

static void
good_code(struct pb *p)
{
	good(p);
	p->b[6] = 2;
	pb_section(p, PBIN_SEC_PROGRAMS, 4 + (16 + 24 + 8) + (16 + 16));
	pb_u32(p, 2);
	pb_u32(p, 3); /* program 0: 3 slots, 5 bytes rodata, entry 1 */
	pb_u32(p, 5);
	pb_u32(p, 1);
	pb_u32(p, 0);
	for (int i = 0; i < 3; i++)
		pb_u64(p, 0x95u + (uint64_t)i * 0x100); /* arbitrary bytes */
	memcpy(p->b + p->n, "hello\0\0\0", 8);
	p->n += 8;
	pb_u32(p, 2); /* program 1: 2 slots, entry 0 */
	pb_u32(p, 0);
	pb_u32(p, 0);
	pb_u32(p, 0);
	pb_u64(p, 0xb7);
	pb_u64(p, 0x95);
	pb_section(p, PBIN_SEC_GENE_CODE, 4 + 2 * 16);
	pb_u32(p, 2);
	pb_u32(p, 1); /* gene 1 -> program 0, helpers 1 and 2 */
	pb_u32(p, 0);
	pb_u32(p, 0x6);
	pb_u32(p, 500);
	pb_u32(p, 2); /* gene 2 -> program 1, no helpers */
	pb_u32(p, 1);
	pb_u32(p, 0);
	pb_u32(p, VM_GAS_MAX);
}

static void
test_v12_code_loads(void **state)
{
	struct pb p;
	struct pheno_error err;

	(void)state;
	good_code(&p);
	assert_int_equal(p.n, OFF_CODE1 + 16);
	assert_int_equal(pheno_parse(p.b, p.n, &ph, &err), 0);
	assert_int_equal(ph.ver_minor, 2);
	assert_int_equal(ph.num_programs, 2);
	assert_int_equal(ph.programs[0].insn_count, 3);
	assert_int_equal(ph.programs[0].rodata_len, 5);
	assert_int_equal(ph.programs[0].entry, 1);
	assert_memory_equal(ph.programs[0].code, p.b + OFF_PROG0 + 16, 24);
	assert_memory_equal(ph.programs[0].rodata, "hello", 5);
	assert_int_equal(ph.programs[1].insn_count, 2);
	assert_memory_equal(ph.programs[1].code, p.b + OFF_PROG1 + 16, 16);
	assert_int_equal(ph.code_used, 24 + 5 + 16);
	assert_int_equal(ph.num_gene_code, 2);
	assert_int_equal(pheno_gene_code(&ph, 1)->program, 0);
	assert_int_equal(pheno_gene_code(&ph, 1)->helpers, 0x6);
	assert_int_equal(pheno_gene_code(&ph, 2)->program, 1);
	assert_int_equal(pheno_gene_code(&ph, 2)->gas, VM_GAS_MAX);
	assert_null(pheno_gene_code(&ph, 3));
}

/* A corruption of the v1.2 file good_code() writes. */
static void
refused_code(void (*patch)(struct pb *), int code, uint32_t offset,
    const char *field)
{
	refused_from(good_code, patch, code, offset, field);
}

/* clang-format off */
static void code_in_v11(struct pb *p) { p->b[6] = 1; }
static void prog_count0(struct pb *p) { le32_store(p->b + OFF_PROGRAMS + 8, 0); }
static void prog_count9(struct pb *p) { le32_store(p->b + OFF_PROGRAMS + 8, VM_PROGRAMS_MAX + 1); }
static void prog_insns0(struct pb *p) { le32_store(p->b + OFF_PROG0, 0); }
static void prog_insns_big(struct pb *p) { le32_store(p->b + OFF_PROG0, VM_INSNS_MAX + 1); }
static void prog_rodata_big(struct pb *p) { le32_store(p->b + OFF_PROG0 + 4, VM_RODATA_MAX + 1); }
static void prog_entry(struct pb *p) { le32_store(p->b + OFF_PROG0 + 8, 3); }
static void prog_reserved(struct pb *p) { le32_store(p->b + OFF_PROG0 + 12, 1); }
static void prog_padding(struct pb *p) { p->b[OFF_PROG0 + 16 + 24 + 6] = 1; }
static void prog_overrun(struct pb *p) { le32_store(p->b + OFF_PROG1, 3); }
static void prog_leftover(struct pb *p) { le32_store(p->b + OFF_PROGRAMS + 8, 1); }
static void code_dup(struct pb *p) { le32_store(p->b + OFF_CODE1, 1); }
static void code_helpers(struct pb *p) { le32_store(p->b + OFF_CODE0 + 8, 0x1); }
static void code_gas0(struct pb *p) { le32_store(p->b + OFF_CODE0 + 12, 0); }
static void code_gas_big(struct pb *p) { le32_store(p->b + OFF_CODE1 + 12, VM_GAS_MAX + 1); }
static void code_gene(struct pb *p) { le32_store(p->b + OFF_CODE1, 3); }
static void code_program(struct pb *p) { le32_store(p->b + OFF_CODE1 + 4, 2); }
static void code_count(struct pb *p) { le32_store(p->b + OFF_GENE_CODE + 8, 0); le32_store(p->b + OFF_GENE_CODE + 4, 4); p->n = OFF_GENE_CODE + 12; }
static void code_missing(struct pb *p) { p->n = OFF_GENE_CODE; }
static void bytecode_native(struct pb *p) { le32_store(p->b + OFF_GENE_CODE + 8, 1); le32_store(p->b + OFF_GENE_CODE + 4, 4 + 16); p->n = OFF_CODE1; le32_store(p->b + OFF_GENE1 + 4, GENE_KIND_BYTECODE); }
/* clang-format on */

/* A v1.1 file with a gene_code section and no programs section. */
static void
gene_code_in_v11(struct pb *p)
{
	good(p);
	pb_section(p, PBIN_SEC_GENE_CODE, 4 + 16);
	pb_u32(p, 1);
	pb_u32(p, 1);
	pb_u32(p, 0);
	pb_u32(p, 0);
	pb_u32(p, 500);
}

static void
no_patch(struct pb *p)
{
	(void)p;
}

static void
test_v12_each_refusal_names_offset_and_field(void **state)
{
	(void)state;
	refused_code(code_in_v11, -CELL_E_UNSUPPORTED, OFF_PROGRAMS,
	    "sections.tag");
	/* gene_code alone is v1.2 too; it starts where programs does. */
	refused_from(gene_code_in_v11, no_patch, -CELL_E_UNSUPPORTED,
	    OFF_PROGRAMS, "sections.tag");
	refused_code(prog_count0, -CELL_E_RANGE, OFF_PROGRAMS + 8,
	    "sections.programs.count");
	refused_code(prog_count9, -CELL_E_RANGE, OFF_PROGRAMS + 8,
	    "sections.programs.count");
	refused_code(prog_insns0, -CELL_E_RANGE, OFF_PROG0,
	    "programs[].insn_count");
	refused_code(prog_insns_big, -CELL_E_RANGE, OFF_PROG0,
	    "programs[].insn_count");
	refused_code(prog_rodata_big, -CELL_E_RANGE, OFF_PROG0 + 4,
	    "programs[].rodata_len");
	refused_code(prog_entry, -CELL_E_RANGE, OFF_PROG0 + 8,
	    "programs[].entry");
	refused_code(prog_reserved, -CELL_E_RANGE, OFF_PROG0 + 12,
	    "programs[].reserved");
	refused_code(prog_padding, -CELL_E_RANGE, OFF_PROG0 + 16 + 24 + 6,
	    "programs[].padding");
	refused_code(prog_overrun, -CELL_E_TRUNCATED, OFF_PROG1 + 16,
	    "programs[].code");
	refused_code(prog_leftover, -CELL_E_LENGTH, OFF_PROG1,
	    "sections.programs.len");
	refused_code(code_dup, -CELL_E_RANGE, OFF_CODE1, "gene_code[].gene_id");
	refused_code(code_helpers, -CELL_E_RANGE, OFF_CODE0 + 8,
	    "gene_code[].helpers");
	refused_code(code_gas0, -CELL_E_RANGE, OFF_CODE0 + 12,
	    "gene_code[].gas");
	refused_code(code_gas_big, -CELL_E_RANGE, OFF_CODE1 + 12,
	    "gene_code[].gas");
	refused_code(code_gene, -CELL_E_RANGE, OFF_CODE1,
	    "gene_code[].gene_id");
	refused_code(code_program, -CELL_E_RANGE, OFF_CODE1 + 4,
	    "gene_code[].program");
	refused_code(code_count, -CELL_E_RANGE, OFF_GENE_CODE + 8,
	    "sections.gene_code.count");
	refused_code(code_missing, -CELL_E_TRUNCATED, OFF_GENE_CODE,
	    "sections");
	refused_code(bytecode_native, -CELL_E_RANGE, OFF_CODE0, "gene_code");
}

/*
 * A v1.2 file of two programs whose bodies (code and rodata, without the
 * padding to 8 bytes) take code_bytes of the loader's pool: program 0 of
 * VM_INSNS_MAX slots and VM_RODATA_MAX - 3 bytes of rodata, program 1 of
 * the rest, one slot per 8 bytes and the remainder as rodata. Both are
 * padded, so the padding (which the pool does not hold) would overflow
 * an exactly full pool. Returns where program 1's code starts.
 */
static size_t
big_code(struct pb *p, size_t code_bytes)
{
	size_t ro0 = VM_RODATA_MAX - 3, body0 = VM_INSNS_MAX * 8 + ro0;
	size_t rest = code_bytes - body0, slots = rest / 8, ro1 = rest % 8;
	size_t pad0 = (8 - body0 % 8) % 8, pad1 = (8 - ro1) % 8, at1;

	good(p);
	p->b[6] = 2;
	pb_section(p, PBIN_SEC_PROGRAMS,
	    (uint32_t)(4 + 16 + body0 + pad0 + 16 + rest + pad1));
	pb_u32(p, 2);
	pb_u32(p, VM_INSNS_MAX);
	pb_u32(p, (uint32_t)ro0);
	pb_u32(p, 0);
	pb_u32(p, 0);
	for (size_t i = 0; i < body0; i++)
		pb_u8(p, (uint8_t)(i * 7 + 1));
	for (size_t i = 0; i < pad0; i++)
		pb_u8(p, 0);
	pb_u32(p, (uint32_t)slots);
	pb_u32(p, (uint32_t)ro1);
	pb_u32(p, 0);
	pb_u32(p, 0);
	at1 = p->n;
	for (size_t i = 0; i < rest; i++)
		pb_u8(p, (uint8_t)(i * 5 + 3));
	for (size_t i = 0; i < pad1; i++)
		pb_u8(p, 0);
	pb_section(p, PBIN_SEC_GENE_CODE, 4 + 2 * 16);
	pb_u32(p, 2);
	for (uint32_t g = 1; g <= 2; g++) {
		pb_u32(p, g); /* gene g -> program g - 1, no helpers */
		pb_u32(p, g - 1);
		pb_u32(p, 0);
		pb_u32(p, 500);
	}
	return at1;
}

/* Programs may fill the pool to its last byte, and not one byte more. */
static void
test_v12_code_pool_exactly_full(void **state)
{
	static struct pb p;
	struct pheno_error err = { 0 };
	size_t at1 = big_code(&p, PHENO_CODE_MAX);

	(void)state;
	assert_int_equal(pheno_parse(p.b, p.n, &ph, &err), 0);
	assert_int_equal(ph.num_programs, 2);
	assert_int_equal(ph.code_used, PHENO_CODE_MAX);
	/* 12288 - 8192 - 1021 = 3075 bytes: 384 slots, 3 bytes of rodata */
	assert_int_equal(ph.programs[1].insn_count, 384);
	assert_int_equal(ph.programs[1].rodata_len, 3);
	assert_memory_equal(ph.programs[1].code, p.b + at1, 3075);
	/* in the pool right after program 0's last rodata byte (its file
	 * has 3 bytes of padding and program 1's header in between) */
	assert_int_equal(ph.programs[1].code[-1], p.b[at1 - 16 - 3 - 1]);

	at1 = big_code(&p, PHENO_CODE_MAX + 1);
	assert_int_equal(pheno_parse(p.b, p.n, &ph, &err), -CELL_E_NOSPACE);
	assert_int_equal(err.code, -CELL_E_NOSPACE);
	assert_int_equal(err.offset, at1);
	assert_string_equal(err.field, "programs[].code");
}

static void
test_v12_every_truncation_is_refused(void **state)
{
	struct pb p;
	struct pheno_error err;

	(void)state;
	good_code(&p);
	for (size_t cut = OFF_PROGRAMS + 1; cut < p.n; cut++) {
		assert_true(pheno_parse(p.b, cut, &ph, &err) < 0);
		assert_true(err.offset <= cut);
	}
}

static void
test_every_truncation_is_refused_or_complete(void **state)
{
	struct pb p;
	struct pheno_error err;

	(void)state;
	good(&p);
	for (size_t cut = 0; cut < p.n; cut++) {
		int rc = pheno_parse(p.b, cut, &ph, &err);
		/* Cut just before the optional DEVICES section, the file is a
		 * complete phenotype without devices; every other cut fails. */
		if (cut == OFF_DEVICES) {
			assert_int_equal(rc, 0);
			assert_int_equal(ph.num_devices, 0);
			continue;
		}
		assert_true(rc < 0);
		assert_true(err.offset <= cut);
	}
}

static void
test_v10_file_is_refused_for_want_of_genes(void **state)
{
	struct pb p;
	struct pheno_error err;

	(void)state;
	pb_header(&p, 0, PBIN_ARCH_HOSTED, 1);
	pb_channel(&p, 0, 0, 0, 1, 1, 1);
	pb_adjacency(&p, 1, NULL, 0);
	assert_int_equal(pheno_parse(p.b, p.n, &ph, &err), -CELL_E_VERSION);
	assert_string_equal(err.field, "header.ver_minor");
}

static void
test_oversized_and_builtin(void **state)
{
	static uint8_t big[PBIN_SIZE_MAX + 1];
	struct pheno_error err;
	const uint8_t *b;
	size_t len;

	(void)state;
	assert_int_equal(pheno_parse(big, sizeof big, &ph, &err),
	    -CELL_E_LENGTH);
	b = pheno_builtin(&len);
	assert_int_equal(pheno_parse(b, len, &ph, &err), 0);
	assert_int_equal(ph.num_channels, 1);
	assert_int_equal(ph.num_genes, 1);
	assert_int_equal(ph.genes[0].kind, GENE_KIND_PEROXI_SANITIZE);
	assert_string_equal(ph.name, "builtin.minimal");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_file_loads),
		cmocka_unit_test(test_each_refusal_names_offset_and_field),
		cmocka_unit_test(test_each_limit_itself_loads),
		cmocka_unit_test(test_every_truncation_is_refused_or_complete),
		cmocka_unit_test(test_v10_file_is_refused_for_want_of_genes),
		cmocka_unit_test(test_oversized_and_builtin),
		cmocka_unit_test(test_v12_code_loads),
		cmocka_unit_test(test_v12_each_refusal_names_offset_and_field),
		cmocka_unit_test(test_v12_code_pool_exactly_full),
		cmocka_unit_test(test_v12_every_truncation_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
