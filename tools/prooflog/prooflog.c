/* Reading captured console logs; see prooflog.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ch0.h"
#include "crypto.h"
#include "obs.h"
#include "parcel.h"
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
	static const char *const names[PLOG_MARKERS] = {
		"#E0 raw", "#E0 info", "#E1 handoff", "#E2 PARCEL proof",
		"#E3/E4 CG proof", "#E5 ORG proof", "#E6 EVT proof",
		"#E7 UPD proof", "#E8 OBS proof", "#E9 SEC proof",
		"#E10 RELEASE proof", "FULL PROOF SUCCESS",
	};
	return (unsigned)m < PLOG_MARKERS ? names[m] : "?";
}

const char *const *
plog_required(enum plog_marker m)
{
	switch (m) {
	case PLOG_E2: return req_e2;
	case PLOG_E3: return req_e3;
	case PLOG_E5: return req_e5;
	case PLOG_E6: return req_e6;
	case PLOG_E7: return req_e7;
	case PLOG_E8: return req_e8;
	case PLOG_E9: return req_e9;
	case PLOG_E10: return req_e10;
	default: return req_none;
	}
}

static void
problem(const struct plog *log, unsigned long line, unsigned *problems,
    const char *fmt, const char *a, const char *b)
{
	(*problems)++;
	if (log->quiet)
		return;
	if (line > 0)
		fprintf(stderr, "%s:%lu: ", log->path, line);
	else
		fprintf(stderr, "%s: ", log->path);
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
}

static int
is_upper_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

/* Parse " name=XXXXXXXX" fields of a proof line (E2..E10). */
static int
parse_fields(struct plog *log, enum plog_marker m, const char *s, size_t len,
    unsigned long lineno, unsigned *problems)
{
	struct plog_line *pl = &log->m[m];
	const char *const *req = plog_required(m);
	size_t i = 0;

	pl->nfields = 0;
	while (i < len) {
		char name[16];
		size_t n = 0;

		while (i < len && s[i] != '=' && s[i] != ' ' && n < sizeof name - 1)
			name[n++] = s[i++];
		name[n] = '\0';
		if (i >= len || s[i] != '=' || n == 0) {
			problem(log, lineno, problems, "%s line: expected "
			    "name=XXXXXXXX fields, found \"%s\"", plog_name(m), name);
			return -1;
		}
		i++;
		if (len - i < 8) {
			problem(log, lineno, problems, "%s line: field %s is "
			    "not 8 hex digits", plog_name(m), name);
			return -1;
		}
		uint32_t v = 0;
		for (int k = 0; k < 8; k++) {
			if (!is_upper_hex(s[i + (size_t)k])) {
				problem(log, lineno, problems, "%s line: field "
				    "%s is not 8 upper-case hex digits",
				    plog_name(m), name);
				return -1;
			}
			char c = s[i + (size_t)k];
			v = v << 4 | (uint32_t)(c <= '9' ? c - '0' : c - 'A' + 10);
		}
		i += 8;
		if (i < len && s[i] != ' ') {
			problem(log, lineno, problems, "%s line: field %s is "
			    "longer than 8 hex digits", plog_name(m), name);
			return -1;
		}
		if (i < len)
			i++;
		if (pl->nfields == PLOG_FIELDS_MAX) {
			problem(log, lineno, problems, "%s line: more than %s "
			    "fields", plog_name(m), "6");
			return -1;
		}
		memcpy(pl->names[pl->nfields], name, n + 1);
		pl->values[pl->nfields++] = v;
	}
	for (unsigned k = 0; req[k] != NULL; k++) {
		if (k >= pl->nfields || strcmp(pl->names[k], req[k]) != 0) {
			problem(log, lineno, problems, "%s line: field %s "
			    "missing or out of place", plog_name(m), req[k]);
			return -1;
		}
	}
	return 0;
}

/* Check the shape of the E0 raw, E0 info and E1 lines (values differ per target). */
static int
shape_ok(enum plog_marker m, const char *s, size_t len)
{
	static const char *const e0_keys[] = { "code=0x", " arch=", " tier=",
	    " raw=", " feat_mask=", " intr=", " timer=", " console=", " ram=",
	    " dma32=0x", NULL };
	static const char *const e1_keys[] = { "base=", " len=", " mem=",
	    " cons=", NULL };
	const char *const *keys;
	char line[512];

	if (len >= sizeof line)
		return 0;
	memcpy(line, s, len);
	line[len] = '\0';
	if (m == PLOG_E0_INFO)
		return len >= 2 && line[0] == '"' && line[len - 1] == '"';
	keys = m == PLOG_E0_RAW ? e0_keys : e1_keys;
	const char *at = line;
	for (unsigned k = 0; keys[k] != NULL; k++) {
		at = strstr(at, keys[k]);
		if (at == NULL)
			return 0;
		at += strlen(keys[k]);
	}
	return 1;
}

int
plog_load(struct plog *log, const char *path, unsigned *problems)
{
	FILE *f;
	long size;

	memset(log, 0, sizeof *log);
	log->path = path;
	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
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
	log->text = malloc((size_t)size + 1);
	if (log->text == NULL || fread(log->text, 1, (size_t)size, f) !=
	    (size_t)size) {
		fprintf(stderr, "%s: read error\n", path);
		fclose(f);
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
				problem(log, lineno, problems, "%s line appears "
				    "again (first at line %s)",
				    plog_name((enum plog_marker)m), first);
				break;
			}
			log->m[m].present = 1;
			log->m[m].lineno = lineno;
			if (m < last_marker) {
				problem(log, lineno, problems, "%s line is out "
				    "of order: it comes after the %s line",
				    plog_name((enum plog_marker)m),
				    plog_name((enum plog_marker)last_marker));
			}
			if (m > last_marker)
				last_marker = m;
			if (m >= PLOG_E2 && m <= PLOG_E10)
				parse_fields(log, (enum plog_marker)m, s + plen,
				    len - plen, lineno, problems);
			else if (m <= PLOG_E1 && !shape_ok((enum plog_marker)m,
			    s + plen, len - plen))
				problem(log, lineno, problems, "%s line does not "
				    "have the CONTRACT's fields%s",
				    plog_name((enum plog_marker)m), "");
			if (m == PLOG_SUCCESS)
				log->success_line = lineno;
			break;
		}
	}
	if (boot_stage_lines == 0)
		problem(log, 0, problems, "no #E0 boot-stage line (such as "
		    "\"#E0 hosted start\")%s%s", "", "");
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
	uint8_t digest[32];

	sha256_init(&sum.hash);
	plog_each_obs(log, log->m[PLOG_E8].present ? log->m[PLOG_E8].lineno : 0,
	    e8_visit, &sum);
	sha256_final(&sum.hash, digest);
	*entries = sum.entries;
	*hash = le32_load(digest);
	return sum.bad;
}

uint32_t
plog_recompute_e10(const struct plog *log)
{
	static const enum plog_marker order[] = {
		PLOG_E2, PLOG_E3, PLOG_E5, PLOG_E6, PLOG_E7, PLOG_E8, PLOG_E9
	};
	uint8_t bytes[sizeof order / sizeof order[0] * 8];

	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		const char *const *req = plog_required(order[i]);
		le32_store(bytes + 8 * i, (uint32_t)plog_field(log, order[i], req[0]));
		le32_store(bytes + 8 * i + 4, (uint32_t)plog_field(log, order[i], req[1]));
	}
	return sha256_le32(bytes, sizeof bytes);
}
