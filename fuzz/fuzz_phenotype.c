/*
 * The phenotype compiler, in process, on any YAML text: no file is read or
 * written (the schema, embedded at build time, is parsed once), messages
 * are counted, not printed. What it compiles the kernel's loader must
 * accept.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "compile.h"
#include "pheno.h"
#include "schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* schemas/phenotype.schema.yaml (fuzz/embed.cmake). */
extern const unsigned char phenotype_schema[];
extern const size_t phenotype_schema_len;

/* What schema_load does, from the embedded bytes: 0, or -1 (bad schema). */
static int
schema_load_embedded(struct schema *s)
{
	yaml_parser_t parser;
	int ok;

	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, phenotype_schema,
	    phenotype_schema_len);
	ok = yaml_parser_load(&parser, &s->doc);
	yaml_parser_delete(&parser);
	if (!ok)
		return -1;
	s->root = yaml_document_get_root_node(&s->doc);
	return s->root != NULL && s->root->type == YAML_MAPPING_NODE ? 0 : -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct schema schema;
	static int loaded;
	static uint8_t pbin[PBIN_SIZE_MAX];
	static struct phenotype p;
	struct diag d = { "fuzz.yaml", 0, NULL };
	struct pheno_error err;
	long n;

	if (!loaded) {
		if (schema_load_embedded(&schema) != 0)
			abort();
		loaded = 1;
	}
	n = phenotype_compile(&schema, data, size, &d, pbin, sizeof pbin);
	if (n >= 0 && pheno_parse(pbin, (size_t)n, &p, &err) != 0)
		abort(); /* the compiler wrote what the kernel refuses */
	if (n < 0 && d.errors == 0)
		abort(); /* a failure without a message */
	return 0;
}
