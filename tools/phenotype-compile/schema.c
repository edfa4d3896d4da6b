/* The schema validator; see schema.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"

#define DEPTH_MAX  64
#define VISITS_MAX 200000 /* aliases can make a small file a huge tree */

struct walk {
	struct schema *s;
	yaml_document_t *doc;
	struct diag *d;
	unsigned visits;
	int overflow;
};

/* ---- a small pattern matcher ---- */

/* Match one pattern atom at p against c; *next is the atom's end. */
static int
atom_match(const char *p, char c, const char **next)
{
	if (*p == '[') {
		int hit = 0;
		p++;
		while (*p != '\0' && *p != ']') {
			if (p[1] == '-' && p[2] != '\0' && p[2] != ']') {
				if (c >= p[0] && c <= p[2])
					hit = 1;
				p += 3;
			} else {
				if (c == *p)
					hit = 1;
				p++;
			}
		}
		*next = *p == ']' ? p + 1 : p;
		return hit;
	}
	if (*p == '\\' && p[1] != '\0') {
		*next = p + 2;
		return c == p[1];
	}
	*next = p + 1;
	return *p == '.' ? c != '\0' : c == *p;
}

static int
match_here(const char *p, const char *t)
{
	const char *next;

	if (*p == '\0')
		return 1;
	if (*p == '$' && p[1] == '\0')
		return *t == '\0';
	atom_match(p, 'x', &next); /* find where this atom ends */
	if (*next == '*' || *next == '+' || *next == '?') {
		char q = *next;
		const char *rest = next + 1;
		int n = 0, max = q == '?' ? 1 : 1 << 30;
		const char *end;

		while (t[n] != '\0' && n < max && atom_match(p, t[n], &end))
			n++;
		for (; n >= (q == '+' ? 1 : 0); n--) {
			if (match_here(rest, t + n))
				return 1;
		}
		return 0;
	}
	if (*t != '\0' && atom_match(p, *t, &next))
		return match_here(next, t + 1);
	return 0;
}

int
pattern_match(const char *pattern, const char *text)
{
	if (*pattern == '^')
		return match_here(pattern + 1, text);
	for (const char *t = text;; t++) {
		if (match_here(pattern, t))
			return 1;
		if (*t == '\0')
			return 0;
	}
}

/* ---- loading ---- */

int
schema_load(struct schema *s, const char *path)
{
	yaml_parser_t parser;
	FILE *f = fopen(path, "rb");
	int ok;

	if (f == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	ok = yaml_parser_load(&parser, &s->doc);
	if (!ok) {
		fprintf(stderr, "%s:%zu:%zu: schema: %s\n", path,
		    parser.problem_mark.line + 1,
		    parser.problem_mark.column + 1,
		    parser.problem ? parser.problem : "YAML error");
	}
	yaml_parser_delete(&parser);
	fclose(f);
	if (!ok)
		return -1;
	s->root = yaml_document_get_root_node(&s->doc);
	if (s->root == NULL || s->root->type != YAML_MAPPING_NODE) {
		fprintf(stderr, "%s: the schema is not a mapping\n", path);
		yaml_document_delete(&s->doc);
		return -1;
	}
	return 0;
}

void
schema_free(struct schema *s)
{
	yaml_document_delete(&s->doc);
}

/* ---- validating ---- */

/* How a path is shown: the root has none. */
static const char *
shown(const char *path)
{
	return *path ? path : "(top level)";
}

static yaml_node_t *
skey(struct walk *w, const yaml_node_t *sch, const char *key)
{
	return yv_get(&w->s->doc, sch, key);
}

static int
type_name_matches(const char *name, enum yval_type t)
{
	if (strcmp(name, "object") == 0)
		return t == YV_MAP;
	if (strcmp(name, "array") == 0)
		return t == YV_SEQ;
	if (strcmp(name, "integer") == 0)
		return t == YV_INT;
	if (strcmp(name, "number") == 0)
		return t == YV_INT || t == YV_FLOAT;
	if (strcmp(name, "string") == 0)
		return t == YV_STRING;
	if (strcmp(name, "boolean") == 0)
		return t == YV_BOOL;
	if (strcmp(name, "null") == 0)
		return t == YV_NULL;
	return 0;
}

static const char *
type_phrase_of(const char *name)
{
	if (strcmp(name, "object") == 0)
		return "a mapping";
	if (strcmp(name, "array") == 0)
		return "a list";
	if (strcmp(name, "integer") == 0)
		return "an integer";
	if (strcmp(name, "number") == 0)
		return "a number";
	if (strcmp(name, "string") == 0)
		return "a string";
	if (strcmp(name, "boolean") == 0)
		return "a boolean";
	return "null";
}

/* Check the "type" keyword; 0 when node fits. */
static int
check_type(struct walk *w, const yaml_node_t *type, const yaml_node_t *node,
    const char *path)
{
	enum yval_type t = yv_type(node);
	char expected[96] = "";

	if (type->type == YAML_SCALAR_NODE) {
		if (type_name_matches(yv_text(type), t))
			return 0;
		snprintf(expected, sizeof expected, "%s",
		    type_phrase_of(yv_text(type)));
	} else if (type->type == YAML_SEQUENCE_NODE) {
		for (yaml_node_item_t *i = type->data.sequence.items.start;
		     i < type->data.sequence.items.top; i++) {
			const char *n =
			    yv_text(yaml_document_get_node(&w->s->doc, *i));
			if (n == NULL)
				continue;
			if (type_name_matches(n, t))
				return 0;
			size_t len = strlen(expected);
			snprintf(expected + len, sizeof expected - len, "%s%s",
			    len ? " or " : "", type_phrase_of(n));
		}
	}
	if (t == YV_STRING &&
	    node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    strspn(yv_text(node), "0123456789") == strlen(yv_text(node)) &&
	    strstr(expected, "integer") != NULL) {
		diag_at(w->d, node, "%s: %s does not fit in 64 bits",
		    shown(path), yv_text(node));
	} else if (node->type == YAML_SCALAR_NODE) {
		diag_at(w->d, node, "%s: expected %s, found %s \"%s\"",
		    shown(path), expected, yv_type_phrase(t), yv_text(node));
	} else {
		diag_at(w->d, node, "%s: expected %s, found %s", shown(path),
		    expected, yv_type_phrase(t));
	}
	return -1;
}

static void validate(struct walk *w, const yaml_node_t *node,
    const yaml_node_t *sch, const char *path, unsigned depth);

static long
schema_long(const yaml_node_t *n)
{
	const char *s = yv_text(n);

	return s ? strtol(s, NULL, 10) : 0;
}

static void
check_scalar(struct walk *w, const yaml_node_t *node, const yaml_node_t *sch,
    const char *path)
{
	const yaml_node_t *k;
	enum yval_type t = yv_type(node);

	if (t == YV_INT) {
		struct yint v, limit;
		if (yv_int(node, &v) != 0)
			return;
		if ((k = skey(w, sch, "minimum")) != NULL &&
		    yv_int(k, &limit) == 0 && yint_cmp(v, limit) < 0)
			diag_at(w->d, node, "%s: %s is below the minimum %s",
			    path, yv_text(node), yv_text(k));
		if ((k = skey(w, sch, "maximum")) != NULL &&
		    yv_int(k, &limit) == 0 && yint_cmp(v, limit) > 0)
			diag_at(w->d, node, "%s: %s is above the maximum %s",
			    path, yv_text(node), yv_text(k));
	}
	if (t == YV_STRING) {
		const char *text = yv_text(node);
		size_t len = strlen(text);

		if ((k = skey(w, sch, "minLength")) != NULL &&
		    (long)len < schema_long(k))
			diag_at(w->d, node,
			    "%s: \"%s\" is shorter than %ld "
			    "characters",
			    path, text, schema_long(k));
		if ((k = skey(w, sch, "maxLength")) != NULL &&
		    (long)len > schema_long(k))
			diag_at(w->d, node,
			    "%s: \"%s\" is longer than %ld "
			    "characters",
			    path, text, schema_long(k));
		if ((k = skey(w, sch, "pattern")) != NULL &&
		    !pattern_match(yv_text(k), text))
			diag_at(w->d, node, "%s: \"%s\" does not match %s",
			    path, text, yv_text(k));
	}
	if ((k = skey(w, sch, "enum")) != NULL &&
	    k->type == YAML_SEQUENCE_NODE) {
		char choices[256] = "";
		int hit = 0;

		for (yaml_node_item_t *i = k->data.sequence.items.start;
		     i < k->data.sequence.items.top; i++) {
			const char *c =
			    yv_text(yaml_document_get_node(&w->s->doc, *i));
			size_t len = strlen(choices);
			if (c == NULL)
				continue;
			if (node->type == YAML_SCALAR_NODE &&
			    strcmp(c, yv_text(node)) == 0)
				hit = 1;
			snprintf(choices + len, sizeof choices - len, "%s%s",
			    len ? ", " : "", c);
		}
		if (!hit && node->type == YAML_SCALAR_NODE)
			diag_at(w->d, node, "%s: \"%s\" is not one of: %s",
			    shown(path), yv_text(node), choices);
		else if (!hit)
			diag_at(w->d, node, "%s: expected one of: %s, found %s",
			    shown(path), choices,
			    yv_type_phrase(yv_type(node)));
	}
}

static void
check_mapping(struct walk *w, const yaml_node_t *node, const yaml_node_t *sch,
    const char *path, unsigned depth)
{
	const yaml_node_t *props = skey(w, sch, "properties");
	const yaml_node_t *req = skey(w, sch, "required");
	const yaml_node_t *extra = skey(w, sch, "additionalProperties");
	int closed = extra != NULL && yv_text(extra) != NULL &&
	    strcmp(yv_text(extra), "false") == 0;
	char sub[512];

	for (yaml_node_pair_t *p = node->data.mapping.pairs.start;
	     p < node->data.mapping.pairs.top; p++) {
		const yaml_node_t *key = yaml_document_get_node(w->doc, p->key);
		const yaml_node_t *val =
		    yaml_document_get_node(w->doc, p->value);
		const char *name = yv_text(key);
		const yaml_node_t *psch;

		if (name == NULL) {
			diag_at(w->d, key, "%s: keys must be plain words",
			    shown(path));
			continue;
		}
		for (yaml_node_pair_t *q = node->data.mapping.pairs.start;
		     q < p; q++) {
			const char *other =
			    yv_text(yaml_document_get_node(w->doc, q->key));
			if (other != NULL && strcmp(other, name) == 0) {
				diag_at(w->d, key, "%s: duplicate key \"%s\"",
				    shown(path), name);
				break;
			}
		}
		psch = props ? yv_get(&w->s->doc, props, name) : NULL;
		if (psch == NULL) {
			if (closed)
				diag_at(w->d, key, "%s: unknown key \"%s\"",
				    shown(path), name);
			continue;
		}
		snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "",
		    name);
		validate(w, val, psch, sub, depth + 1);
	}
	if (req != NULL && req->type == YAML_SEQUENCE_NODE) {
		for (yaml_node_item_t *i = req->data.sequence.items.start;
		     i < req->data.sequence.items.top; i++) {
			const char *name =
			    yv_text(yaml_document_get_node(&w->s->doc, *i));
			if (name != NULL && yv_get(w->doc, node, name) == NULL)
				diag_at(w->d, node,
				    "%s: missing required key \"%s\"",
				    shown(path), name);
		}
	}
}

static void
check_sequence(struct walk *w, const yaml_node_t *node, const yaml_node_t *sch,
    const char *path, unsigned depth)
{
	const yaml_node_t *items = skey(w, sch, "items");
	const yaml_node_t *k;
	size_t n = (size_t)(node->data.sequence.items.top -
	    node->data.sequence.items.start);
	char sub[512];

	if ((k = skey(w, sch, "minItems")) != NULL && (long)n < schema_long(k))
		diag_at(w->d, node, "%s: %zu item(s), at least %ld required",
		    path, n, schema_long(k));
	if ((k = skey(w, sch, "maxItems")) != NULL && (long)n > schema_long(k))
		diag_at(w->d, node, "%s: %zu items, at most %ld allowed", path,
		    n, schema_long(k));
	if (items == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		snprintf(sub, sizeof sub, "%s[%zu]", path, i);
		validate(w,
		    yaml_document_get_node(w->doc,
			node->data.sequence.items.start[i]),
		    items, sub, depth + 1);
	}
}

/* Resolve "#/$defs/<name>". */
static const yaml_node_t *
resolve(struct walk *w, const char *ref)
{
	static const char prefix[] = "#/$defs/";

	if (strncmp(ref, prefix, sizeof prefix - 1) != 0)
		return NULL;
	return yv_get(&w->s->doc, skey(w, w->s->root, "$defs"),
	    ref + sizeof prefix - 1);
}

static void
validate(struct walk *w, const yaml_node_t *node, const yaml_node_t *sch,
    const char *path, unsigned depth)
{
	const yaml_node_t *k;

	if (w->overflow)
		return;
	if (++w->visits > VISITS_MAX || depth > DEPTH_MAX) {
		diag_at(w->d, node,
		    "%s: the document is too large or too deeply "
		    "nested (aliases?)",
		    shown(path));
		w->overflow = 1;
		return;
	}
	if (sch == NULL || sch->type != YAML_MAPPING_NODE)
		return;
	if ((k = skey(w, sch, "$ref")) != NULL) {
		const yaml_node_t *target =
		    resolve(w, yv_text(k) ? yv_text(k) : "");
		if (target != NULL)
			validate(w, node, target, path, depth + 1);
	}
	if ((k = skey(w, sch, "type")) != NULL &&
	    check_type(w, k, node, path) != 0)
		return;
	if (node->type == YAML_MAPPING_NODE)
		check_mapping(w, node, sch, path, depth);
	else if (node->type == YAML_SEQUENCE_NODE)
		check_sequence(w, node, sch, path, depth);
	if (node->type == YAML_SCALAR_NODE || skey(w, sch, "enum") != NULL)
		check_scalar(w, node, sch, path);
}

void
schema_validate(struct schema *s, yaml_document_t *doc, struct diag *d)
{
	struct walk w = { s, doc, d, 0, 0 };
	yaml_node_t *root = yaml_document_get_root_node(doc);

	if (root == NULL) {
		yaml_mark_t start = { 0, 0, 0 };
		diag_mark(d, start,
		    "the file is empty: expected a phenotype "
		    "mapping");
		return;
	}
	validate(&w, root, s->root, "", 0);
}
