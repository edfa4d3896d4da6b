/*
 * A validator for the JSON-Schema keywords schemas/phenotype.schema.yaml
 * uses: type, enum, minimum, maximum, minLength, maxLength, pattern,
 * properties, required, additionalProperties (false), items, minItems,
 * maxItems, $defs and $ref ("#/$defs/<name>"). Each violation is reported
 * at the offending node with its path ("channels[2].bucket").
 */
#ifndef CELLOS_SCHEMA_H
#define CELLOS_SCHEMA_H

#include <yaml.h>

#include "yamlval.h"

struct schema {
	yaml_document_t doc;
	yaml_node_t *root;
};

/* Load the schema at path. 0, or -1 after a FILE:LINE:COLUMN message. */
int schema_load(struct schema *s, const char *path);
void schema_free(struct schema *s);

/* Validate the document's root node; every problem goes to d. */
void schema_validate(struct schema *s, yaml_document_t *doc, struct diag *d);

/* Whether text matches pattern (^, $, literals, ., [a-z_], *, +, ?). */
int pattern_match(const char *pattern, const char *text);

#endif
