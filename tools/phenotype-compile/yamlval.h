/*
 * What a YAML scalar is (libyaml leaves that to us): the YAML 1.2 core
 * schema's rules for plain scalars, quoted scalars always being strings.
 * Plus diagnostics in the FILE:LINE:COLUMN form every error uses.
 */
#ifndef CELLOS_YAMLVAL_H
#define CELLOS_YAMLVAL_H

#include <stdint.h>
#include <stdio.h>
#include <yaml.h>

enum yval_type {
	YV_NULL,
	YV_BOOL,
	YV_INT,
	YV_FLOAT,
	YV_STRING,
	YV_MAP,
	YV_SEQ
};

struct yint {
	int negative;
	uint64_t magnitude;
};

/* The type of node, by the core schema. */
enum yval_type yv_type(const yaml_node_t *node);

/* "a string", "an integer", ... for messages. */
const char *yv_type_phrase(enum yval_type t);

/* Parse an integer scalar (decimal, 0x hex, 0o octal, optional sign). 0 or -1. */
int yv_int(const yaml_node_t *node, struct yint *out);

/* Compare two integers: <0, 0, >0. */
int yint_cmp(struct yint a, struct yint b);

/* The scalar's text (NUL-terminated by libyaml) or NULL for non-scalars. */
const char *yv_text(const yaml_node_t *node);

/* Look up key in a mapping node; NULL when absent. */
yaml_node_t *yv_get(yaml_document_t *doc, const yaml_node_t *map,
    const char *key);

/* The diagnostics sink: every error goes through here. */
struct diag {
	const char *file;
	unsigned errors;
	FILE *to; /* where messages go; NULL: count them only */
};

void diag_at(struct diag *d, const yaml_node_t *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_mark(struct diag *d, yaml_mark_t mark, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
