/*
 * The phenotype loader: a hand-built .pbin loads with every field in place,
 * and each way of breaking one is refused with the offset and field that a
 * reader of CONTRACT.md would point at.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cellos/errors.h"
#include "parcel.h"
#include "pbin_builder.h"
#include "pheno.h"

/* Offsets in the good file below, computed from the layout by hand. */
#define OFF_CHANNELS	20
#define OFF_ADJ		(20 + 3 * 36)	/* 128 */
#define OFF_SECTIONS	(OFF_ADJ + 2)	/* 9 bits -> 2 bytes: 130 */

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
#define OFF_SCHED	(OFF_SECTIONS + 8 + 4)
#define OFF_QUEUES	(OFF_SCHED + 8 + 16)
#define OFF_GENES	(OFF_QUEUES + 8 + 12)
#define OFF_GENE0	(OFF_GENES + 8 + 4)
#define OFF_GENE1	(OFF_GENE0 + 32)
#define OFF_DEVICES	(OFF_GENE1 + 32)

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

/* Apply one corruption to the good file and expect a refusal. */
static void
refused(void (*patch)(struct pb *), int code, uint32_t offset,
    const char *field)
{
	struct pb p;
	struct pheno_error err = { 0 };

	good(&p);
	patch(&p);
	assert_int_equal(pheno_parse(p.b, p.n, &ph, &err), code);
	assert_int_equal(err.code, code);
	assert_int_equal(err.offset, offset);
	assert_string_equal(err.field, field);
	assert_true(err.detail[0] != '\0');
}

static void bad_magic(struct pb *p) { p->b[0] = 'X'; }
static void bad_major(struct pb *p) { p->b[4] = 2; }
static void new_minor(struct pb *p) { p->b[6] = 2; }
static void bad_arch(struct pb *p) { p->b[8] = 4; }
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
static void gene_kind(struct pb *p) { le32_store(p->b + OFF_GENE1 + 4, 6); }
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
	refused(dup_channel, -CELL_E_RANGE, OFF_CHANNELS + 36, "channels[].channel_id");
	refused(bad_class, -CELL_E_RANGE, OFF_CHANNELS + 4, "channels[].qos");
	refused(bucket_over, -CELL_E_RANGE, OFF_CHANNELS + 12, "channels[].bucket");
	refused(refill_over, -CELL_E_RANGE, OFF_CHANNELS + 28, "channels[].refill_per_tick");
	refused(zero_max, -CELL_E_RANGE, OFF_CHANNELS + 72 + 20, "channels[].bucket_max");
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
	refused(genes_over, -CELL_E_RANGE, OFF_GENES + 8, "sections.genes.count");
	refused(genes_len, -CELL_E_LENGTH, OFF_GENES + 4, "sections.genes.count");
	refused(dev_kind, -CELL_E_RANGE, OFF_DEVICES + 12, "devices[].kind");
	refused(name_ctl, -CELL_E_RANGE, OFF_SECTIONS + 9, "sections.name");
	refused(sec_len, -CELL_E_TRUNCATED, OFF_DEVICES + 4, "sections.len");
	refused(v10_trailing, -CELL_E_UNSUPPORTED, OFF_SECTIONS, "sections");
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
	assert_int_equal(pheno_parse(big, sizeof big, &ph, &err), -CELL_E_LENGTH);
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
		cmocka_unit_test(test_every_truncation_is_refused_or_complete),
		cmocka_unit_test(test_v10_file_is_refused_for_want_of_genes),
		cmocka_unit_test(test_oversized_and_builtin),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
