/*
 * The golden ledger (verify.h): reading it strictly, holding the logs
 * against it, and rewriting it from logs that passed every other check.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outfile.h"
#include "verify.h"

#define LEDGER_FILE_MAX (1u << 20)

static const char default_header[] =
    "# The golden proof ledger: the E2..E10 values every target must print,\n"
    "# and the phenotypes whose boots they are the evidence of.\n"
    "# Rewrite only on purpose: ./cellos verify --update-ledger "
    "build/proof/*.log\n";

/*
 * Read a whole file into a NUL-terminated buffer (the caller frees it).
 * Returns the buffer, or NULL with the reason on stderr.
 */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (f == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return NULL;
	}
	buf = malloc(LEDGER_FILE_MAX + 1);
	if (buf == NULL) {
		fprintf(stderr, "%s: out of memory\n", path);
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, LEDGER_FILE_MAX + 1, f);
	if (ferror(f) || n > LEDGER_FILE_MAX) {
		fprintf(stderr, "%s: %s\n", path,
		    ferror(f) ? "read error" :
				"larger than 1 MiB: not a ledger");
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int
is_upper_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

static int
is_pheno_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/* "phenotype NAME sha256=<64 HEX>", the prefix already matched. */
static void
read_pheno(struct ledger *l, unsigned long lineno, const char *s, size_t len,
    unsigned *problems)
{
	struct ledger_pheno p;
	size_t n = 0, at = strlen("phenotype ");

	memset(&p, 0, sizeof p);
	while (at < len && is_pheno_char(s[at]) && n < sizeof p.name - 1)
		p.name[n++] = s[at++];
	if (n == 0 || len - at != strlen(" sha256=") + 64 ||
	    memcmp(s + at, " sha256=", 8) != 0) {
		vp_problem(problems, l->path, lineno,
		    "expected \"phenotype NAME "
		    "sha256=<64 upper-case hex digits>\" (NAME: A-Z a-z 0-9 . _ "
		    "-, at most %d)",
		    PLOG_PHENO_NAME_MAX - 1);
		return;
	}
	at += 8;
	for (unsigned k = 0; k < 64; k++) {
		if (!is_upper_hex(s[at + k])) {
			vp_problem(problems, l->path, lineno,
			    "phenotype %s: "
			    "sha256= is not 64 upper-case hex digits (column "
			    "%zu)",
			    p.name, at + k + 1);
			return;
		}
	}
	memcpy(p.sha256, s + at, 64);
	for (unsigned k = 0; k < l->nphenos; k++) {
		if (strcmp(l->p[k].name, p.name) == 0) {
			vp_problem(problems, l->path, lineno,
			    "phenotype %s is "
			    "listed twice (first at line %lu)",
			    p.name, l->p[k].lineno);
			return;
		}
		if (strcmp(l->p[k].sha256, p.sha256) == 0) {
			vp_problem(problems, l->path, lineno,
			    "phenotype %s has "
			    "the sha256 of phenotype %s (line %lu): one phenotype "
			    "listed twice",
			    p.name, l->p[k].name, l->p[k].lineno);
			return;
		}
	}
	if (l->nphenos == LEDGER_PHENOS_MAX) {
		vp_problem(problems, l->path, lineno, "more than %d phenotypes",
		    LEDGER_PHENOS_MAX);
		return;
	}
	p.lineno = lineno;
	l->p[l->nphenos++] = p;
}

/* "E<n> name=XXXXXXXX". */
static void
read_value(struct ledger *l, unsigned long lineno, const char *s, size_t len,
    unsigned *problems)
{
	struct ledger_value v;
	size_t at = 0, n = 0;
	int m = -1;

	memset(&v, 0, sizeof v);
	while (at < len && s[at] != ' ')
		at++;
	for (unsigned k = 0; k < VP_NPROOF; k++) {
		const char *tag = vp_ledger_tag(vp_proof_markers[k]);
		if (strlen(tag) == at && memcmp(s, tag, at) == 0)
			m = (int)vp_proof_markers[k];
	}
	if (m < 0) {
		vp_problem(problems, l->path, lineno,
		    "expected \"E<n> "
		    "name=XXXXXXXX\" (E2, E3, E5 .. E10) or \"phenotype NAME "
		    "sha256=<64 HEX>\", found \"%.*s\"",
		    (int)(at < 16 ? at : 16), s);
		return;
	}
	at++;
	while (at < len &&
	    ((s[at] >= 'a' && s[at] <= 'z') || (s[at] >= '0' && s[at] <= '9') ||
		s[at] == '_') &&
	    n < sizeof v.name - 1)
		v.name[n++] = s[at++];
	if (n == 0 || at >= len || s[at] != '=' || len - at != 9) {
		vp_problem(problems, l->path, lineno,
		    "expected \"%s "
		    "name=XXXXXXXX\" (name: a-z 0-9 _, at most 15; 8 upper-case "
		    "hex digits, nothing after)",
		    vp_ledger_tag(m));
		return;
	}
	at++;
	for (unsigned k = 0; k < 8; k++) {
		char c = s[at + k];
		if (!is_upper_hex(c)) {
			vp_problem(problems, l->path, lineno,
			    "%s %s= is not 8 "
			    "upper-case hex digits",
			    vp_ledger_tag(m), v.name);
			return;
		}
		v.value = v.value << 4 |
		    (uint32_t)(c <= '9' ? c - '0' : c - 'A' + 10);
	}
	for (unsigned k = 0; k < l->nvalues; k++) {
		if ((int)l->v[k].marker == m &&
		    strcmp(l->v[k].name, v.name) == 0) {
			vp_problem(problems, l->path, lineno,
			    "%s %s is listed "
			    "twice (first at line %lu)",
			    vp_ledger_tag(m), v.name, l->v[k].lineno);
			return;
		}
	}
	if (l->nvalues == LEDGER_VALUES_MAX) {
		vp_problem(problems, l->path, lineno, "more than %d values",
		    LEDGER_VALUES_MAX);
		return;
	}
	v.marker = (enum plog_marker)m;
	v.lineno = lineno;
	l->v[l->nvalues++] = v;
}

int
ledger_read(struct ledger *l, const char *path, unsigned *problems)
{
	unsigned long lineno = 0;
	size_t len;
	char *text;

	memset(l, 0, sizeof *l);
	l->path = path;
	if ((text = slurp(path, &len)) == NULL) {
		(*problems)++;
		return -1;
	}
	for (size_t at = 0; at < len;) {
		const char *s = text + at;
		const char *nl = memchr(s, '\n', len - at);
		size_t n = nl ? (size_t)(nl - s) : len - at;
		const char *bad;

		lineno++;
		at += n + 1;
		if ((bad = memchr(s, '\0', n)) != NULL ||
		    (bad = memchr(s, '\r', n)) != NULL) {
			vp_problem(problems, path, lineno,
			    "a %s byte at column "
			    "%zu",
			    *bad == '\r' ? "CR" : "NUL", (size_t)(bad - s) + 1);
			continue;
		}
		if (n == 0 || s[0] == '#')
			continue;
		if (n >= 10 && memcmp(s, "phenotype ", 10) == 0)
			read_pheno(l, lineno, s, n, problems);
		else
			read_value(l, lineno, s, n, problems);
	}
	free(text);
	return 0;
}

void
ledger_check(struct ledger *l, const struct plog *logs,
    const struct plog_pheno *phenos, int n, unsigned *problems)
{
	if (l->nphenos == 0)
		vp_problem(problems, l->path, 0,
		    "lists no phenotype (a line "
		    "\"phenotype NAME sha256=<64 HEX>\" for each phenotype whose "
		    "boots its values are)");
	for (int i = 0; i < n; i++) {
		const struct plog *log = &logs[i];
		const struct plog_pheno *ph = &phenos[i];

		if (log->text == NULL)
			continue;
		for (unsigned k = 0; k < VP_NPROOF; k++) {
			enum plog_marker m = vp_proof_markers[k];
			const struct plog_line *pl = &log->m[m];

			for (unsigned f = 0; pl->present && f < pl->nfields;
			     f++) {
				unsigned j;

				for (j = 0; j < l->nvalues; j++) {
					if (l->v[j].marker == m &&
					    strcmp(l->v[j].name,
						pl->names[f]) == 0)
						break;
				}
				if (j == l->nvalues) {
					vp_problem(problems, log->path,
					    pl->lineno,
					    "%s %s=%08X is not in the ledger %s",
					    vp_ledger_tag(m), pl->names[f],
					    pl->values[f], l->path);
					continue;
				}
				if (l->v[j].value != pl->values[f])
					vp_problem(problems, log->path,
					    pl->lineno,
					    "%s %s=%08X differs from the ledger "
					    "(%s:%lu says %08X)",
					    vp_ledger_tag(m), pl->names[f],
					    pl->values[f], l->path,
					    l->v[j].lineno, l->v[j].value);
			}
		}
		/* Every ledger value on the log's line (a missing or malformed
		 * line is named already). */
		for (unsigned j = 0; j < l->nvalues; j++) {
			const struct plog_line *pl = &log->m[l->v[j].marker];

			if (pl->present && !pl->malformed &&
			    plog_field(log, l->v[j].marker, l->v[j].name) < 0)
				vp_problem(problems, log->path, pl->lineno,
				    "%s has "
				    "no field %s=, which the ledger (%s:%lu) lists",
				    plog_name(l->v[j].marker), l->v[j].name,
				    l->path, l->v[j].lineno);
		}
		if (ph->lineno == 0)
			continue; /* its phenotype line's problem is named */
		unsigned j;
		for (j = 0; j < l->nphenos; j++) {
			if (strcmp(l->p[j].sha256, ph->sha256) == 0)
				break;
		}
		if (j == l->nphenos)
			vp_problem(problems, log->path, ph->lineno,
			    "phenotype %s "
			    "sha256=%s is not in the ledger %s: these values are "
			    "not evidence for it",
			    ph->name, ph->sha256, l->path);
		else if (strcmp(l->p[j].name, ph->name) != 0)
			vp_problem(problems, log->path, ph->lineno,
			    "phenotype %s "
			    "has the sha256 that the ledger (%s:%lu) lists for %s",
			    ph->name, l->path, l->p[j].lineno, l->p[j].name);
	}
}

/* The leading comment lines of the old ledger, or the default header. */
static void
header(const char *path, char *out, size_t cap)
{
	size_t len, n = 0;
	char *text = NULL;
	FILE *f;

	/* A missing ledger is a new one: no message. */
	if ((f = fopen(path, "rb")) != NULL) {
		fclose(f);
		text = slurp(path, &len);
	}
	for (size_t at = 0; text != NULL && at < len && text[at] == '#';) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t l = nl ? (size_t)(nl - (text + at)) + 1 : len - at;

		if (memchr(text + at, '\r', l) != NULL ||
		    memchr(text + at, '\0', l) != NULL || n + l + 1 >= cap)
			break;
		memcpy(out + n, text + at, l);
		n += l;
		if (nl == NULL)
			out[n++] = '\n';
		at += l;
	}
	free(text);
	out[n] = '\0';
	if (n == 0)
		snprintf(out, cap, "%s", default_header);
}

static int
cmp_pheno(const void *a, const void *b)
{
	const struct plog_pheno *x = *(const struct plog_pheno *const *)a;
	const struct plog_pheno *y = *(const struct plog_pheno *const *)b;
	int c = strcmp(x->name, y->name);

	return c != 0 ? c : strcmp(x->sha256, y->sha256);
}

int
ledger_write(const char *path, const struct plog *logs,
    const struct plog_pheno *phenos, int n)
{
	const struct plog_pheno *distinct[LEDGER_PHENOS_MAX];
	char head[LEDGER_HEADER_MAX];
	struct outfile out;
	unsigned nd = 0;

	for (int i = 0; i < n; i++) {
		unsigned k;
		for (k = 0; k < nd; k++) {
			if (strcmp(distinct[k]->sha256, phenos[i].sha256) == 0)
				break;
		}
		if (k < nd)
			continue;
		if (nd == LEDGER_PHENOS_MAX) {
			fprintf(stderr, "%s: more than %d phenotypes\n", path,
			    LEDGER_PHENOS_MAX);
			return -1;
		}
		distinct[nd++] = &phenos[i];
	}
	qsort(distinct, nd, sizeof distinct[0], cmp_pheno);
	header(path, head, sizeof head);

	if (outfile_open(&out, "verify-proofs", path) != 0)
		return -1;
	fputs(head, out.f);
	for (unsigned k = 0; k < nd; k++)
		fprintf(out.f, "phenotype %s sha256=%s\n", distinct[k]->name,
		    distinct[k]->sha256);
	for (unsigned k = 0; k < VP_NPROOF; k++) {
		const struct plog_line *pl = &logs[0].m[vp_proof_markers[k]];
		for (unsigned j = 0; j < pl->nfields; j++)
			fprintf(out.f, "%s %s=%08X\n",
			    vp_ledger_tag(vp_proof_markers[k]), pl->names[j],
			    pl->values[j]);
	}
	return outfile_commit(&out);
}
