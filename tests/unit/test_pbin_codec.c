/*
 * The .pbin record codec (wire/pbin_codec.c): each encoder puts each field
 * at the offset CONTRACT.md section 2 and include/cellos/pbin.h give,
 * written out here by hand; each decoder reads back what its encoder
 * wrote; the writer stops cleanly when the buffer is full; the kind tables
 * agree with the schema's enums; and the built-in phenotype, now written
 * by the encoders, is byte for byte the one that was spelled out by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "byteorder.h"
#include "cellos/pbin.h"
#include "pbin_codec.h"
#include "pheno.h"

static void
test_header_and_qos_at_contract_offsets(void **state)
{
	struct pbin_header h = { PBIN_MAGIC, 1, 2, 3, 0, 7, 1000000 }, hb;
	struct pbin_qos q = { 9, QOS_CLASS_RT, 200, 0x1111111122222222ull,
		0x3333333344444444ull, 0x5555555566666666ull },
			qb;
	uint8_t b[64];

	(void)state;
	memset(b, 0xEE, sizeof b);
	pbin_header_encode(b, &h);
	assert_memory_equal(b, "\x4F\x4E\x48\x50", 4); /* "ONHP" */
	assert_int_equal(le16_load(b + 4), 1);
	assert_int_equal(le16_load(b + 6), 2);
	assert_int_equal(le16_load(b + 8), 3);
	assert_int_equal(le16_load(b + 10), 0);
	assert_int_equal(le32_load(b + 12), 7);
	assert_int_equal(le32_load(b + 16), 1000000);
	assert_int_equal(b[20], 0xEE); /* 20 bytes, no more */
	pbin_header_decode(b, &hb);
	assert_memory_equal(&hb, &h, sizeof h);

	memset(b, 0xEE, sizeof b);
	pbin_qos_encode(b, &q);
	assert_int_equal(le32_load(b + 0), 9);
	assert_int_equal(le32_load(b + 4), QOS_CLASS_RT);
	assert_int_equal(le32_load(b + 8), 200);
	assert_true(le64_load(b + 12) == 0x1111111122222222ull);
	assert_true(le64_load(b + 20) == 0x3333333344444444ull);
	assert_true(le64_load(b + 28) == 0x5555555566666666ull);
	assert_int_equal(b[36], 0xEE); /* 36 bytes */
	memset(&qb, 0, sizeof qb);
	pbin_qos_decode(b, &qb);
	assert_int_equal(qb.channel_id, 9);
	assert_int_equal(qb.qos, QOS_CLASS_RT);
	assert_int_equal(qb.priority, 200);
	assert_true(qb.bucket == q.bucket && qb.bucket_max == q.bucket_max &&
	    qb.refill_per_tick == q.refill_per_tick);
}

static void
test_section_records_at_offsets(void **state)
{
	pbin_sched_t s = { 64, 8, 4, 0 }, sb;
	pbin_gene_t g = { 1, 2, 3, 4, 5, 6, 7, 8 }, gb;
	pbin_program_t p = { 10, 11, 12, 0 }, pb;
	pbin_gene_code_t c = { 21, 22, 23, 24 }, cb;
	pbin_device_t d = { PBIN_DEV_BLOCK, 5, 0x0102030405060708ull }, db;
	struct pbin_section sec = { PBIN_SEC_GENES, 36 }, secb;
	uint8_t b[64];

	(void)state;
	memset(b, 0xEE, sizeof b);
	pbin_sched_encode(b, &s);
	assert_int_equal(le32_load(b + 0), 64); /* gas */
	assert_int_equal(le32_load(b + 4), 8);  /* proof_quanta */
	assert_int_equal(le32_load(b + 8), 4);  /* epoch_quanta */
	assert_int_equal(le32_load(b + 12), 0);
	assert_int_equal(b[16], 0xEE);
	pbin_sched_decode(b, &sb);
	assert_memory_equal(&sb, &s, sizeof s);

	memset(b, 0xEE, sizeof b);
	pbin_gene_encode(b, &g);
	for (uint32_t i = 0; i < 8; i++)
		assert_int_equal(le32_load(b + 4 * i), i + 1);
	assert_int_equal(b[32], 0xEE);
	pbin_gene_decode(b, &gb);
	assert_memory_equal(&gb, &g, sizeof g);

	memset(b, 0xEE, sizeof b);
	pbin_program_encode(b, &p);
	assert_int_equal(le32_load(b + 0), 10); /* insn_count */
	assert_int_equal(le32_load(b + 4), 11); /* rodata_len */
	assert_int_equal(le32_load(b + 8), 12); /* entry */
	assert_int_equal(le32_load(b + 12), 0);
	assert_int_equal(b[16], 0xEE);
	pbin_program_decode(b, &pb);
	assert_memory_equal(&pb, &p, sizeof p);
	/* 10 slots of 8 bytes and 11 of rodata: 91, padded to 96. */
	assert_int_equal(pbin_program_body(&p), 91);
	assert_int_equal(pbin_program_bytes(&p), 16 + 96);

	memset(b, 0xEE, sizeof b);
	pbin_gene_code_encode(b, &c);
	for (uint32_t i = 0; i < 4; i++)
		assert_int_equal(le32_load(b + 4 * i), 21 + i);
	assert_int_equal(b[16], 0xEE);
	pbin_gene_code_decode(b, &cb);
	assert_memory_equal(&cb, &c, sizeof c);

	memset(b, 0xEE, sizeof b);
	pbin_device_encode(b, &d);
	assert_int_equal(le32_load(b + 0), PBIN_DEV_BLOCK);
	assert_int_equal(le32_load(b + 4), 5);
	assert_true(le64_load(b + 8) == 0x0102030405060708ull);
	assert_int_equal(b[16], 0xEE);
	pbin_device_decode(b, &db);
	assert_memory_equal(&db, &d, sizeof d);

	memset(b, 0xEE, sizeof b);
	pbin_section_encode(b, &sec);
	assert_int_equal(le32_load(b), PBIN_SEC_GENES);
	assert_int_equal(le32_load(b + 4), 36);
	assert_int_equal(b[8], 0xEE);
	pbin_section_decode(b, &secb);
	assert_int_equal(secb.tag, PBIN_SEC_GENES);
	assert_int_equal(secb.len, 36);
}

/* A program section: header, code, rodata, zero padding to 8. */
static void
test_writer_program_and_overflow(void **state)
{
	static const uint8_t code[16] = { 0xB7, 0, 0, 0, 1, 0, 0, 0, 0x95, 0, 0,
		0, 0, 0, 0, 0 };
	static const uint8_t rodata[3] = { 'a', 'b', 'c' };
	pbin_program_t p = { 2, 3, 1, 0 };
	pbin_gene_t g = { 1, GENE_KIND_TESTGENE, 0, 1, 2, 3, 0, 0 };
	uint8_t b[64];
	struct pbin_writer w;

	(void)state;
	memset(b, 0xEE, sizeof b);
	pbin_writer_init(&w, b, sizeof b);
	pbin_put_program(&w, &p, code, rodata);
	assert_false(w.overflow);
	assert_int_equal(w.len, 16 + 16 + 3 + 5);
	assert_int_equal(le32_load(b), 2);
	assert_memory_equal(b + 16, code, 16);
	assert_memory_equal(b + 32, "abc\0\0\0\0\0", 8);
	assert_int_equal(b[40], 0xEE);

	/* GENES with one gene is 8 + 4 + 32 bytes: 43 do not hold it. */
	memset(b, 0xEE, sizeof b);
	pbin_writer_init(&w, b, 43);
	pbin_put_genes(&w, &g, 1);
	assert_true(w.overflow);
	assert_int_equal(w.len, 12);   /* the header and the count */
	assert_int_equal(b[12], 0xEE); /* the gene was not written */
	pbin_put_u32(&w, 1);           /* nor is anything after it */
	assert_int_equal(w.len, 12);
	pbin_writer_init(&w, b, 44);
	pbin_put_genes(&w, &g, 1);
	assert_false(w.overflow);
	assert_int_equal(w.len, 44);
	assert_int_equal(le32_load(b), PBIN_SEC_GENES);
	assert_int_equal(le32_load(b + 4), 36);
	assert_int_equal(le32_load(b + 8), 1);
	assert_int_equal(le32_load(b + 12 + 4), GENE_KIND_TESTGENE);
}

/* The names in schemas/phenotype.schema.yaml's "kind: {enum: [...]}" lines. */
static int
schema_enums(char names[2][8][32], int counts[2])
{
	FILE *f =
	    fopen(CELLOS_SOURCE_DIR "/schemas/phenotype.schema.yaml", "r");
	char line[512];
	int found = 0;

	assert_non_null(f);
	while (found < 2 && fgets(line, sizeof line, f) != NULL) {
		char *p = strstr(line, "kind: {enum: [");

		if (p == NULL)
			continue;
		p += strlen("kind: {enum: [");
		counts[found] = 0;
		for (char *t = strtok(p, ", ]}\n"); t != NULL;
		     t = strtok(NULL, ", ]}\n")) {
			assert_true(counts[found] < 8);
			snprintf(names[found][counts[found]++], 32, "%s", t);
		}
		found++;
	}
	fclose(f);
	return found;
}

static void
test_kind_tables_match_the_schema(void **state)
{
	char names[2][8][32];
	int counts[2];

	(void)state;
	/* The genes' kind enum comes first in the schema, then the devices'. */
	assert_int_equal(schema_enums(names, counts), 2);
	assert_int_equal(counts[0], GENE_KIND_MAX);
	for (int i = 0; i < counts[0]; i++) {
		uint32_t kind = (uint32_t)i + 1;

		assert_string_equal(pbin_gene_kind_name(kind), names[0][i]);
		assert_int_equal(pbin_gene_kind_value(names[0][i]), kind);
	}
	assert_null(pbin_gene_kind_name(0));
	assert_null(pbin_gene_kind_name(GENE_KIND_MAX + 1));
	assert_int_equal(pbin_gene_kind_value("mito"), 0);
	assert_int_equal(pbin_gene_kind_value(NULL), 0);
	assert_int_equal(GENE_KIND_PEROXI_SANITIZE, 4);
	assert_int_equal(GENE_KIND_BYTECODE, 6);

	assert_int_equal(counts[1], PBIN_DEV_IRQ_LINE);
	for (int i = 0; i < counts[1]; i++) {
		uint32_t kind = (uint32_t)i + 1;

		assert_string_equal(pbin_device_kind_name(kind), names[1][i]);
		assert_int_equal(pbin_device_kind_value(names[1][i]), kind);
	}
	assert_null(pbin_device_kind_name(0));
	assert_int_equal(pbin_device_kind_value("disk"), 0);
}

/*
 * The built-in minimal phenotype, as it was spelled out byte by byte
 * before the encoders wrote it: the same 148 bytes.
 */
#define U16(v) (uint8_t)(v), (uint8_t)((v) >> 8)
#define U32(v) U16(v), U16((v) >> 16)
#define U64(v) U32(v), U32((uint64_t)(v) >> 32)

static void
test_builtin_bytes(void **state)
{
	/* clang-format off */
	static const uint8_t want[] = {
		/* header: magic, 1.1, arch 3, reserved, 1 channel, 1 ms */
		U32(0x50484E4Fu), U16(1), U16(1), U16(3), U16(0),
		U32(1), U32(1000000),
		/* channel 0: BE, priority 0, bucket 4 of 4, refill 1 */
		U32(0), U32(0), U32(0), U64(4), U64(4), U64(1),
		/* adjacency: 1 bit, no edge */
		0x00,
		/* NAME (1) */
		U32(1), U32(15),
		'b', 'u', 'i', 'l', 't', 'i', 'n', '.', 'm', 'i', 'n', 'i',
		'm', 'a', 'l',
		/* SCHED (2): gas 64, 8 quanta, epoch 4 */
		U32(2), U32(16), U32(64), U32(8), U32(4), U32(0),
		/* GENES (4): one peroxi_sanitize (4) on the console */
		U32(4), U32(4 + 32), U32(1),
		U32(1), U32(4), U32(0), U32(8), U32(256), U32(64), U32(0),
		U32(0),
	};
	/* clang-format on */
	const uint8_t *b;
	size_t len;

	(void)state;
	b = pheno_builtin(&len);
	assert_int_equal(len, sizeof want);
	assert_int_equal(len, 148);
	assert_memory_equal(b, want, sizeof want);
	/* The second call returns the same bytes, not a second copy. */
	assert_ptr_equal(pheno_builtin(&len), b);
	assert_int_equal(len, sizeof want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_and_qos_at_contract_offsets),
		cmocka_unit_test(test_section_records_at_offsets),
		cmocka_unit_test(test_writer_program_and_overflow),
		cmocka_unit_test(test_kind_tables_match_the_schema),
		cmocka_unit_test(test_builtin_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
