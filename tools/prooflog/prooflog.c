/* Reading captured console logs; see prooflog.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "ch0.h"
#include "crypto.h"
#include "obs_codec.h"
#include "parcel_codec.h"
#include "prooflog.h"

static const char *const prefixes[PLOG_MARKERS] = {
	[PLOG_E0_RAW] = "#E0 raw ",
	[PLOG_E0_INFO] = "#E0 info ",
	[PLOG_E1] = "#E1 handoff ",
	[PLOG_E2] = "#E2 PARCEL proof: ",
	[PLOG_E3] = "#E3/E4 CG proof: ",
	[PLOG_E5] = "#E5 ORG proof: ",
	[PLOG_E6] = "#E6 EVT proof: ",
	[PLOG_E7] = "#E7 UPD proof: ",
	[PLOG_E8] = "#E8 OBS proof: ",
	[PLOG_E9] = "#E9 SEC proof: ",
	[PLOG_E10] = "#E10 RELEASE proof: ",
	[PLOG_SUCCESS] = "FULL PROOF SUCCESS",
};

static const char *const req_none[] = { NULL };
static const char *const req_e2[] = { "frames", "parcel_hash", NULL };
static const char *const req_e3[] = { "qos", "cg_crc", NULL };
static const char *const req_e5[] = { "mito", "golgi", NULL };
static const char *const req_e6[] = { "delivered", "evt_hash", NULL };
static const char *const req_e7[] = { "old_sha", "new_sha", NULL };
static const char *const req_e8[] = { "entries", "obs_hash", NULL };
static const char *const req_e9[] = { "key", "mac16", NULL };
static const char *const req_e10[] = { "tag", "build", NULL };

const char *
plog_prefix(enum plog_marker m)
{
	return (unsigned)m < PLOG_MARKERS ? prefixes[m] : "?";
}

const char *
plog_name(enum plog_marker m)
{
	/* clang-format off */
	static const char *const names[PLOG_MARKERS] = {
		"#E0 raw", "#E0 info", "#E1 handoff", "#E2 PARCEL proof",
		"#E3/E4 CG proof", "#E5 ORG proof", "#E6 EVT proof",
		"#E7 UPD proof", "#E8 OBS proof", "#E9 SEC proof",
		"#E10 RELEASE proof", "FULL PROOF SUCCESS",
	};
	/* clang-format on */
	return (unsigned)m < PLOG_MARKERS ? names[m] : "?";
}

const char *const *
plog_required(enum plog_marker m)
{
	switch (m) {
	case PLOG_E2:
		return req_e2;
	case PLOG_E3:
		return req_e3;
	case PLOG_E5:
		return req_e5;
	case PLOG_E6:
		return req_e6;
	case PLOG_E7:
		return req_e7;
	case PLOG_E8:
		return req_e8;
	case PLOG_E9:
		return req_e9;
	case PLOG_E10:
		return req_e10;
	default:
		return req_none;
	}
}

static void __attribute__((format(printf, 4, 5)))
problem(const struct plog *log, unsigned long line, unsigned *problems,
    const char *fmt, ...)
{
	va_list ap;

	(*problems)++;
	if (log->quiet)
		return;
	if (line > 0)
		fprintf(stderr, "%s:%lu: ", log->path, line);
	else
		fprintf(stderr, "%s: ", log->path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int
is_upper_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

/* Parse " name=XXXXXXXX" fields of a proof line (E2..E10). */
static int
parse_fields_into(struct plog *log, enum plog_marker m, const char *s,
    size_t len, unsigned long lineno, unsigned *problems)
{
	struct plog_line *pl = &log->m[m];
	const char *const *req = plog_required(m);
	size_t i = 0;

	pl->nfields = 0;
	while (i < len) {
		char name[16];
		size_t n = 0;

		while (i < len &&
		    ((s[i] >= 'a' && s[i] <= 'z') ||
			(s[i] >= '0' && s[i] <= '9') || s[i] == '_') &&
		    n < sizeof name - 1)
			name[n++] = s[i++];
		name[n] = '\0';
		if (i >= len || s[i] != '=' || n == 0) {
			problem(log, lineno, problems,
			    "%s line: expected "
			    "name=XXXXXXXX fields (name: a-z 0-9 _, at most 15), "
			    "found \"%s\"",
			    plog_name(m), name);
			return -1;
		}
		for (unsigned k = 0; k < pl->nfields; k++) {
			if (strcmp(pl->names[k], name) == 0) {
				problem(log, lineno, problems,
				    "%s line: field "
				    "%s appears twice",
				    plog_name(m), name);
				return -1;
			}
		}
		i++;
		if (len - i < 8) {
			problem(log, lineno, problems,
			    "%s line: field %s is "
			    "not 8 hex digits",
			    plog_name(m), name);
			return -1;
		}
		uint32_t v = 0;
		for (int k = 0; k < 8; k++) {
			if (!is_upper_hex(s[i + (size_t)k])) {
				problem(log, lineno, problems,
				    "%s line: field "
				    "%s is not 8 upper-case hex digits",
				    plog_name(m), name);
				return -1;
			}
			char c = s[i + (size_t)k];
			v = v << 4 |
			    (uint32_t)(c <= '9' ? c - '0' : c - 'A' + 10);
		}
		i += 8;
		if (i < len && s[i] != ' ') {
			problem(log, lineno, problems,
			    "%s line: field %s is "
			    "longer than 8 hex digits",
			    plog_name(m), name);
			return -1;
		}
		if (i < len)
			i++;
		if (pl->nfields == PLOG_FIELDS_MAX) {
			char max[8];
			snprintf(max, sizeof max, "%d", PLOG_FIELDS_MAX);
			problem(log, lineno, problems,
			    "%s line: more than %s "
			    "fields",
			    plog_name(m), max);
			return -1;
		}
		memcpy(pl->names[pl->nfields], name, n + 1);
		pl->values[pl->nfields++] = v;
	}
	for (unsigned k = 0; req[k] != NULL; k++) {
		if (k >= pl->nfields || strcmp(pl->names[k], req[k]) != 0) {
			problem(log, lineno, problems,
			    "%s line: field %s "
			    "missing or out of place",
			    plog_name(m), req[k]);
			return -1;
		}
	}
	return 0;
}

/* As parse_fields_into; a line that does not parse keeps no fields. */
static int
parse_fields(struct plog *log, enum plog_marker m, const char *s, size_t len,
    unsigned long lineno, unsigned *problems)
{
	if (parse_fields_into(log, m, s, len, lineno, problems) == 0)
		return 0;
	log->m[m].malformed = 1;
	log->m[m].nfields = 0;
	return -1;
}

int
plog_load(struct plog *log, const char *path, unsigned *problems)
{
	struct stat st;
	FILE *f;
	long size;

	memset(log, 0, sizeof *log);
	log->path = path;
	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		(*problems)++;
		return -1;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "%s: not a regular file\n", path);
		fclose(f);
		(*problems)++;
		return -1;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "%s: cannot determine the size\n", path);
		fclose(f);
		(*problems)++;
		return -1;
	}
	errno = 0;
	log->text = malloc((size_t)size + 1);
	if (log->text == NULL ||
	    fread(log->text, 1, (size_t)size, f) != (size_t)size || ferror(f)) {
		fprintf(stderr, "%s: read error%s%s\n", path,
		    errno != 0 ? ": " : "", errno != 0 ? strerror(errno) : "");
		fclose(f);
		free(log->text);
		log->text = NULL;
		(*problems)++;
		return -1;
	}
	fclose(f);
	log->len = (size_t)size;
	log->text[size] = '\0';
	plog_index(log, problems);
	return 0;
}

void
plog_index(struct plog *log, unsigned *problems)
{
	unsigned long lineno = 0;
	int last_marker = -1;
	unsigned long boot_stage_lines = 0;

	for (size_t at = 0; at < log->len;) {
		const char *s = log->text + at;
		const char *nl = memchr(s, '\n', log->len - at);
		size_t len = nl ? (size_t)(nl - s) : log->len - at;
		size_t next = at + len + 1;

		lineno++;
		if (len > 0 && s[len - 1] == '\r')
			len--;
		at = next;
		if (len == 0)
			continue;
		log->last_line = lineno;
		if (len >= 14 && strncmp(s, "PROOF FAILURE:", 14) == 0 &&
		    log->failure_line == 0) {
			log->failure_line = lineno;
			continue;
		}
		if (len > 4 && strncmp(s, "#E0 ", 4) == 0 &&
		    strncmp(s, "#E0 raw ", 8) != 0 &&
		    strncmp(s, "#E0 info ", 9) != 0) {
			boot_stage_lines++;
			continue;
		}
		for (int m = 0; m < PLOG_MARKERS; m++) {
			size_t plen = strlen(prefixes[m]);

			if (len < plen || strncmp(s, prefixes[m], plen) != 0)
				continue;
			if (m == PLOG_SUCCESS && len != plen)
				continue;
			if (log->m[m].present) {
				char first[24];
				snprintf(first, sizeof first, "%lu",
				    log->m[m].lineno);
				problem(log, lineno, problems,
				    "%s line appears "
				    "again (first at line %s)",
				    plog_name((enum plog_marker)m), first);
				break;
			}
			log->m[m].present = 1;
			log->m[m].lineno = lineno;
			if (m < last_marker) {
				problem(log, lineno, problems,
				    "%s line is out "
				    "of order: it comes after the %s line",
				    plog_name((enum plog_marker)m),
				    plog_name((enum plog_marker)last_marker));
			}
			if (m > last_marker)
				last_marker = m;
			/* E0 and E1 differ per target: verify-proofs checks them. */
			if (m >= PLOG_E2 && m <= PLOG_E10)
				parse_fields(log, (enum plog_marker)m, s + plen,
				    len - plen, lineno, problems);
			if (m == PLOG_SUCCESS)
				log->success_line = lineno;
			break;
		}
	}
	if (boot_stage_lines == 0)
		problem(log, 0, problems,
		    "no #E0 boot-stage line (such as "
		    "\"#E0 hosted start\")");
}

void
plog_free(struct plog *log)
{
	free(log->text);
	log->text = NULL;
}

int64_t
plog_field(const struct plog *log, enum plog_marker m, const char *name)
{
	const struct plog_line *pl = &log->m[m];

	if (!pl->present)
		return -1;
	for (unsigned i = 0; i < pl->nfields; i++) {
		if (strcmp(pl->names[i], name) == 0)
			return pl->values[i];
	}
	return -1;
}

unsigned long
plog_each_obs(const struct plog *log, unsigned long before, plog_obs_fn fn,
    void *ctx)
{
	static uint8_t frame[PARCEL_FRAME_MAX];
	unsigned long lineno = 0, visited = 0;

	for (size_t at = 0; at < log->len;) {
		const char *s = log->text + at;
		const char *nl = memchr(s, '\n', log->len - at);
		size_t len = nl ? (size_t)(nl - s) : log->len - at;
		struct plog_obs_visit v = { 0 };
		struct parcel p;
		struct obs_record rec;
		size_t bad = 0;
		int n, rc;

		lineno++;
		at += len + 1;
		if (before != 0 && lineno >= before)
			break;
		if (len > 0 && s[len - 1] == '\r')
			len--;
		if (len < 3 || strncmp(s, "#P ", 3) != 0)
			continue;
		visited++;
		v.lineno = lineno;
		n = ch0_hex_decode(s + 3, len - 3, frame, sizeof frame, &bad);
		if (n < 0) {
			v.error = n;
			v.what = "hex";
			v.column = n == -CELL_E_RANGE ? 4 + bad : 0;
			fn(ctx, &v, NULL);
			continue;
		}
		v.frame = frame;
		v.frame_len = (size_t)n;
		rc = parcel_decode(frame, (size_t)n, &p, NULL);
		if (rc < 0 || p.channel_id != 0 || p.verb != PARCEL_VERB_OBS) {
			v.error = rc < 0 ? rc : -CELL_E_RANGE;
			v.what = "parcel";
			fn(ctx, &v, NULL);
			continue;
		}
		rc = obs_decode(p.payload, p.len, &rec);
		if (rc < 0) {
			v.error = rc;
			v.what = "obs";
			fn(ctx, &v, NULL);
			continue;
		}
		fn(ctx, &v, &rec);
	}
	return visited;
}

struct e8_sum {
	struct sha256_ctx hash;
	uint32_t entries;
	unsigned long bad;
};

static void
e8_visit(void *ctx, const struct plog_obs_visit *v, const void *record)
{
	struct e8_sum *sum = ctx;

	if (record == NULL) {
		sum->bad++;
		return;
	}
	sha256_update(&sum->hash, v->frame, v->frame_len);
	sum->entries++;
}

unsigned long
plog_recompute_e8(const struct plog *log, uint32_t *entries, uint32_t *hash)
{
	struct e8_sum sum = { .entries = 0, .bad = 0 };

	sha256_init(&sum.hash);
	plog_each_obs(log, log->m[PLOG_E8].present ? log->m[PLOG_E8].lineno : 0,
	    e8_visit, &sum);
	*entries = sum.entries;
	*hash = sha256_final_le32(&sum.hash);
	return sum.bad;
}

uint32_t
plog_recompute_e10(const struct plog *log)
{
	static const enum plog_marker order[] = { PLOG_E2, PLOG_E3, PLOG_E5,
		PLOG_E6, PLOG_E7, PLOG_E8, PLOG_E9 };
	struct sha256_ctx ctx;
	uint8_t word[4];

	sha256_init(&ctx);
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		const struct plog_line *pl = &log->m[order[i]];

		for (unsigned f = 0; pl->present && f < pl->nfields; f++) {
			le32_store(word, pl->values[f]);
			sha256_update(&ctx, word, sizeof word);
		}
	}
	return sha256_final_le32(&ctx);
}

/* A cursor over one line, for the phenotype line's fixed shape. */
struct cursor {
	const char *s;
	size_t len, at;
};

static int
take_text(struct cursor *c, const char *text)
{
	size_t n = strlen(text);

	if (c->len - c->at < n || memcmp(c->s + c->at, text, n) != 0)
		return -1;
	c->at += n;
	return 0;
}

/* Decimal digits (1..9 of them, no leading zero) into *v. */
static int
take_decimal(struct cursor *c, unsigned *v)
{
	size_t start = c->at;

	*v = 0;
	while (c->at < c->len && c->s[c->at] >= '0' && c->s[c->at] <= '9' &&
	    c->at - start < 9)
		*v = *v * 10 + (unsigned)(c->s[c->at++] - '0');
	if (c->at == start || (c->s[start] == '0' && c->at - start > 1))
		return -1;
	return 0;
}

static int
is_name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-';
}

/* Parse the rest of a "#I phenotype " line; on failure *what names the part. */
static int
parse_pheno(struct cursor *c, struct plog_pheno *p, const char **what)
{
	unsigned count;
	size_t n = 0;

	while (c->at < c->len && is_name_char(c->s[c->at]) &&
	    n < sizeof p->name - 1)
		p->name[n++] = c->s[c->at++];
	p->name[n] = '\0';
	if (n == 0 || (c->at < c->len && is_name_char(c->s[c->at]))) {
		*what = "a name (A-Z a-z 0-9 . _ -, at most 63)";
		return -1;
	}
	if (take_text(c, " v") < 0 || take_decimal(c, &p->major) < 0 ||
	    take_text(c, ".") < 0 || take_decimal(c, &p->minor) < 0) {
		*what = "\" vMAJOR.MINOR\"";
		return -1;
	}
	if (take_text(c, " sha256=") < 0) {
		*what = "\" sha256=\" and 64 upper-case hex digits";
		return -1;
	}
	for (n = 0; n < 64; n++) {
		if (c->at >= c->len || !is_upper_hex(c->s[c->at])) {
			*what = "64 upper-case hex digits";
			return -1;
		}
		p->sha256[n] = c->s[c->at++];
	}
	p->sha256[64] = '\0';
	if (take_text(c, ": ") < 0 || take_decimal(c, &count) < 0 ||
	    take_text(c, " channels, ") < 0 || take_decimal(c, &count) < 0 ||
	    take_text(c, " genes, ") < 0 || take_decimal(c, &count) < 0 ||
	    take_text(c, " devices") < 0) {
		*what = "\": N channels, G genes, D devices\"";
		return -1;
	}
	if (c->at != c->len) {
		*what = "the end of the line";
		return -1;
	}
	return 0;
}

int
plog_phenotype(const struct plog *log, struct plog_pheno *out,
    unsigned *problems)
{
	static const char prefix[] = "#I phenotype ";
	unsigned long lineno = 0, first = 0;
	int good = 0;

	memset(out, 0, sizeof *out);
	for (size_t at = 0; at < log->len;) {
		const char *s = log->text + at;
		const char *nl = memchr(s, '\n', log->len - at);
		size_t len = nl ? (size_t)(nl - s) : log->len - at;
		struct cursor c = { s, len, sizeof prefix - 1 };
		struct plog_pheno p;
		const char *what = NULL;
		char where[48], col[24];

		lineno++;
		at += len + 1;
		if (len > 0 && s[len - 1] == '\r')
			c.len = --len;
		if (len < sizeof prefix - 1 ||
		    memcmp(s, prefix, sizeof prefix - 1) != 0)
			continue;
		if (first != 0) {
			snprintf(where, sizeof where, "%lu", first);
			problem(log, lineno, problems,
			    "a second #I phenotype "
			    "line (the first is line %s)",
			    where);
			good = 0;
			continue;
		}
		first = lineno;
		memset(&p, 0, sizeof p);
		p.lineno = lineno;
		if (parse_pheno(&c, &p, &what) < 0) {
			snprintf(col, sizeof col, "%zu", c.at + 1);
			problem(log, lineno, problems,
			    "the #I phenotype line "
			    "is not \"#I phenotype NAME vMAJOR.MINOR "
			    "sha256=<64 HEX>: N channels, G genes, D devices\": "
			    "column %s: expected %s",
			    col, what);
			continue;
		}
		*out = p;
		good = 1;
	}
	if (first == 0)
		problem(log, 0, problems,
		    "no \"#I phenotype NAME vMAJOR.MINOR "
		    "sha256=<64 HEX>: ...\" line: the boot does not say which "
		    "phenotype it proved");
	return good ? 0 : -1;
}
