/*
 * The phenotype compiler as a library: YAML text in, .pbin bytes out, every
 * problem reported through a struct diag. The command-line tool and the
 * in-process fuzzer both use it. The library touches no file itself: the
 * genes' objects (code:) are read through the caller's read_file, and
 * without one a code: is an error.
 */
#ifndef CELLOS_COMPILE_H
#define CELLOS_COMPILE_H

#include <stddef.h>
#include <stdint.h>

#include "schema.h"
#include "yamlval.h"

/* How genes' code: is compiled (phenotype-compile --code-dir, --native-genes). */
struct compile_options {
	const char *code_dir; /* where <object>.o files are; NULL: none */
	/* ignore every code: (a bytecode gene is then an error) */
	int native_genes;
	/*
	 * Read the whole file at path into a malloc'd *bytes (the compiler
	 * frees it): 0, or -1 with why[0..cap) saying what went wrong.
	 */
	int (*read_file)(const char *path, unsigned char **bytes, size_t *len,
	    char *why, size_t cap);
};

/*
 * Compile yaml[0..len) (d->file names it in messages) against schema into
 * out[0..cap). Returns the .pbin's length, or -1 when there were errors
 * (d->errors says how many; each was reported through d).
 */
long phenotype_compile(struct schema *schema, const unsigned char *yaml,
    size_t len, struct diag *d, uint8_t *out, size_t cap);

/*
 * phenotype_compile with genes' code: opts may be NULL (no code dir, code:
 * is an error). The .pbin is v1.2 when some gene has code, else v1.1.
 */
long phenotype_compile_with(struct schema *schema, const unsigned char *yaml,
    size_t len, const struct compile_options *opts, struct diag *d,
    uint8_t *out, size_t cap);

#endif
