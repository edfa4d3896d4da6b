/*
 * The phenotype compiler as a library: YAML text in, .pbin bytes out, every
 * problem reported through a struct diag. The command-line tool and the
 * in-process fuzzer both use it; neither the library nor the fuzzer touches
 * a file.
 */
#ifndef CELLOS_COMPILE_H
#define CELLOS_COMPILE_H

#include <stddef.h>
#include <stdint.h>

#include "schema.h"
#include "yamlval.h"

/*
 * Compile yaml[0..len) (d->file names it in messages) against schema into
 * out[0..cap). Returns the .pbin's length, or -1 when there were errors
 * (d->errors says how many; each was reported through d).
 */
long phenotype_compile(struct schema *schema, const unsigned char *yaml,
    size_t len, struct diag *d, uint8_t *out, size_t cap);

#endif
