/*
 * The phenotype compiler, in process, on any YAML text: no file is read or
 * written (the schema is loaded once), messages are counted, not printed.
 * What it compiles the kernel's loader must accept.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "compile.h"
#include "pheno.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
		if (schema_load(&schema, CELLOS_SCHEMA_PATH) != 0)
			abort();
		loaded = 1;
	}
	n = phenotype_compile(&schema, data, size, &d, pbin, sizeof pbin);
	if (n >= 0 && pheno_parse(pbin, (size_t)n, &p, &err) != 0)
		abort();	/* the compiler wrote what the kernel refuses */
	if (n < 0 && d.errors == 0)
		abort();	/* a failure without a message */
	return 0;
}
