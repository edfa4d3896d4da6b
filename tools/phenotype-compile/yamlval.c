/* Scalar typing and diagnostics; see yamlval.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "yamlval.h"

const char *
yv_text(const yaml_node_t *node)
{
	return node != NULL && node->type == YAML_SCALAR_NODE ?
	    (const char *)node->data.scalar.value :
	    NULL;
}

static int
all_of(const char *s, const char *set)
{
	return *s != '\0' && strspn(s, set) == strlen(s);
}

int
yv_int(const yaml_node_t *node, struct yint *out)
{
	const char *s = yv_text(node);
	unsigned base = 10;
	uint64_t v = 0;

	if (s == NULL || node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return -1;
	out->negative = 0;
	if (*s == '-' || *s == '+') {
		out->negative = *s == '-';
		s++;
	}
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!all_of(s, "0123456789abcdefABCDEF"))
			return -1;
	} else if (s[0] == '0' && s[1] == 'o') {
		base = 8;
		s += 2;
		if (!all_of(s, "01234567"))
			return -1;
	} else if (!all_of(s, "0123456789")) {
		return -1;
	}
	for (; *s != '\0'; s++) {
		unsigned d = *s <= '9' ? (unsigned)(*s - '0') :
					 (unsigned)((*s | 0x20) - 'a' + 10);
		if (v > (UINT64_MAX - d) / base)
			return -1; /* does not fit in 64 bits */
		v = v * base + d;
	}
	out->magnitude = v;
	if (v == 0)
		out->negative = 0;
	return 0;
}

int
yint_cmp(struct yint a, struct yint b)
{
	if (a.negative != b.negative)
		return a.negative ? -1 : 1;
	if (a.magnitude == b.magnitude)
		return 0;
	return (a.magnitude < b.magnitude) != a.negative ? -1 : 1;
}

static int
is_float(const char *s)
{
	static const char *const specials[] = { ".inf", ".Inf", ".INF", "-.inf",
		"-.Inf", "-.INF", "+.inf", ".nan", ".NaN", ".NAN", NULL };
	int digits = 0, dot = 0;

	for (int i = 0; specials[i] != NULL; i++) {
		if (strcmp(s, specials[i]) == 0)
			return 1;
	}
	if (*s == '-' || *s == '+')
		s++;
	for (; *s != '\0' && *s != 'e' && *s != 'E'; s++) {
		if (*s == '.' && !dot)
			dot = 1;
		else if (*s >= '0' && *s <= '9')
			digits++;
		else
			return 0;
	}
	if (digits == 0)
		return 0;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		return all_of(s, "0123456789");
	}
	return dot;
}

enum yval_type
yv_type(const yaml_node_t *node)
{
	const char *s;
	struct yint i;

	if (node->type == YAML_MAPPING_NODE)
		return YV_MAP;
	if (node->type == YAML_SEQUENCE_NODE)
		return YV_SEQ;
	s = yv_text(node);
	if (node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return YV_STRING;
	if (*s == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
	    strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0)
		return YV_NULL;
	if (strcmp(s, "true") == 0 || strcmp(s, "True") == 0 ||
	    strcmp(s, "TRUE") == 0 || strcmp(s, "false") == 0 ||
	    strcmp(s, "False") == 0 || strcmp(s, "FALSE") == 0)
		return YV_BOOL;
	if (yv_int(node, &i) == 0)
		return YV_INT;
	if (is_float(s))
		return YV_FLOAT;
	return YV_STRING;
}

const char *
yv_type_phrase(enum yval_type t)
{
	static const char *const phrases[] = { "null", "a boolean",
		"an integer", "a float", "a string", "a mapping", "a list" };

	return phrases[t];
}

yaml_node_t *
yv_get(yaml_document_t *doc, const yaml_node_t *map, const char *key)
{
	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		const char *k = yv_text(yaml_document_get_node(doc, p->key));
		if (k != NULL && strcmp(k, key) == 0)
			return yaml_document_get_node(doc, p->value);
	}
	return NULL;
}

static void __attribute__((format(printf, 3, 0)))
vdiag(struct diag *d, yaml_mark_t mark, const char *fmt, va_list ap)
{
	d->errors++;
	if (d->to == NULL)
		return;
	fprintf(d->to, "%s:%zu:%zu: ", d->file, mark.line + 1, mark.column + 1);
	vfprintf(d->to, fmt, ap);
	fputc('\n', d->to);
}

void
diag_at(struct diag *d, const yaml_node_t *node, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(d, node->start_mark, fmt, ap);
	va_end(ap);
}

void
diag_mark(struct diag *d, yaml_mark_t mark, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(d, mark, fmt, ap);
	va_end(ap);
}
