/*
 * verify-proofs: check captured proof logs (CONTRACT.md section 3).
 *
 *   verify-proofs [--ledger FILE] LOG...
 *   verify-proofs --ledger FILE --update-ledger LOG...
 *
 * Each log on its own: every line #-tagged or the verdict FULL PROOF
 * SUCCESS, the last line; no CR, NUL or other unprintable byte, a final
 * LF; no PROOF FAILURE / PROOF UNCHECKED text and no #W warning anywhere;
 * every marker once and in order; every #P record decodes; E8 recomputed
 * from the #P records before it, E10 from every E2..E9 value; the #E0 raw
 * line against the CONTRACT's enumerations and its own code, #E0 info
 * against #E0 raw; one "#I phenotype ... sha256=" line. Across the logs:
 * no log given twice, every E2..E10 line with the same fields in the same
 * order and the same values, whatever the order of the logs. Against the
 * ledger: every value equal, every ledger value seen, every log's
 * phenotype listed. Each problem is one "PATH:LINE: reason" line on
 * stderr; then "# proofs ok (N log(s))" on stdout and exit 0, or exit 1;
 * a usage error exits 2. --update-ledger rewrites the ledger from logs
 * that pass every other check (a temporary, fsynced, then renamed).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prooflog.h"
#include "verify.h"

#define LOGS_MAX 16

const enum plog_marker vp_proof_markers[VP_NPROOF] = { PLOG_E2, PLOG_E3,
	PLOG_E5, PLOG_E6, PLOG_E7, PLOG_E8, PLOG_E9, PLOG_E10 };

const char *
vp_ledger_tag(enum plog_marker m)
{
	static const char *const tags[PLOG_MARKERS] = {
		[PLOG_E2] = "E2",
		[PLOG_E3] = "E3",
		[PLOG_E5] = "E5",
		[PLOG_E6] = "E6",
		[PLOG_E7] = "E7",
		[PLOG_E8] = "E8",
		[PLOG_E9] = "E9",
		[PLOG_E10] = "E10",
	};
	return (unsigned)m < PLOG_MARKERS && tags[m] ? tags[m] : "?";
}

static void
usage(FILE *to)
{
	fputs(
	    "usage: verify-proofs [--ledger FILE] [--update-ledger] LOG...\n"
	    "  --ledger FILE, --ledger=FILE  hold the logs against this ledger\n"
	    "  --update-ledger  rewrite the ledger from logs that pass every\n"
	    "                   other check (needs --ledger)\n"
	    "  -h, --help       this text\n"
	    "Exit status: 0 the logs are proof, 1 a problem (each named on\n"
	    "stderr as PATH:LINE: reason), 2 a usage error.\n",
	    to);
}

/* The per-log checks of markers, verdict position, E8 and E10. */
static void
check_log(struct plog *log, unsigned *problems)
{
	uint32_t entries, hash;

	for (int m = 0; m < PLOG_MARKERS; m++) {
		if (!log->m[m].present)
			vp_problem(problems, log->path, 0,
			    "the %s line is missing",
			    plog_name((enum plog_marker)m));
	}
	if (log->success_line != 0 && log->success_line != log->last_line)
		vp_problem(problems, log->path, log->success_line,
		    "FULL PROOF "
		    "SUCCESS is not the last line (line %lu follows)",
		    log->last_line);
	if (log->m[PLOG_E8].present && !log->m[PLOG_E8].malformed) {
		/* Undecodable #P lines are named one by one by vp_check_lines. */
		(void)plog_recompute_e8(log, &entries, &hash);
		if (entries != (uint32_t)plog_field(log, PLOG_E8, "entries") ||
		    hash != (uint32_t)plog_field(log, PLOG_E8, "obs_hash"))
			vp_problem(problems, log->path, log->m[PLOG_E8].lineno,
			    "E8 is not recomputable from the log: its #P records "
			    "give entries=%08X obs_hash=%08X, the line says "
			    "entries=%08X obs_hash=%08X",
			    entries, hash,
			    (uint32_t)plog_field(log, PLOG_E8, "entries"),
			    (uint32_t)plog_field(log, PLOG_E8, "obs_hash"));
	}
	int complete = 1;
	for (unsigned i = 0; i < VP_NPROOF; i++)
		complete &= log->m[vp_proof_markers[i]].present &&
		    !log->m[vp_proof_markers[i]].malformed;
	if (complete) {
		uint32_t tag = plog_recompute_e10(log);
		if (tag != (uint32_t)plog_field(log, PLOG_E10, "tag"))
			vp_problem(problems, log->path, log->m[PLOG_E10].lineno,
			    "E10 tag=%08X is not the hash of this log's E2..E9 "
			    "values, every field in print order (%08X)",
			    (uint32_t)plog_field(log, PLOG_E10, "tag"), tag);
	}
}

static int
field_index(const struct plog_line *pl, const char *name)
{
	for (unsigned f = 0; f < pl->nfields; f++) {
		if (strcmp(pl->names[f], name) == 0)
			return (int)f;
	}
	return -1;
}

static int
same_sequence(const struct plog_line *a, const struct plog_line *b)
{
	if (a->nfields != b->nfields)
		return 0;
	for (unsigned f = 0; f < a->nfields; f++) {
		if (strcmp(a->names[f], b->names[f]) != 0)
			return 0;
	}
	return 1;
}

static void
names_of(char *buf, size_t cap, const struct plog_line *pl)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned f = 0; f < pl->nfields && n < cap; f++)
		n += (size_t)snprintf(buf + n, cap - n, "%s%s", f ? " " : "",
		    pl->names[f]);
}

/*
 * Every proof line of every log with the same fields, in the same order,
 * with the same values. The verdict and the number of problems do not
 * depend on the order of the logs: a field one log lacks is named on that
 * log; when the logs disagree on a line's field order or on a value, every
 * log is named, each against the first log that differs from it.
 */
static void
check_across(const struct plog *logs, int n, unsigned *problems)
{
	for (unsigned k = 0; k < VP_NPROOF; k++) {
		enum plog_marker m = vp_proof_markers[k];
		char union_names[PLOG_FIELDS_MAX * 4][16];
		int union_owner[PLOG_FIELDS_MAX * 4], nunion = 0, missing = 0;

		/* A malformed line has no fields: its problem is named. */
		for (int i = 0; i < n; i++) {
			const struct plog_line *pl = &logs[i].m[m];

			for (unsigned f = 0; pl->present && f < pl->nfields;
			     f++) {
				int u;
				for (u = 0; u < nunion; u++) {
					if (strcmp(union_names[u],
						pl->names[f]) == 0)
						break;
				}
				if (u == nunion &&
				    nunion < PLOG_FIELDS_MAX * 4) {
					memcpy(union_names[u], pl->names[f],
					    16);
					union_owner[u] = i;
					nunion++;
				}
			}
		}
		for (int i = 0; i < n; i++) {
			const struct plog_line *pl = &logs[i].m[m];

			for (int u = 0;
			     pl->present && !pl->malformed && u < nunion; u++) {
				const struct plog *o = &logs[union_owner[u]];

				if (field_index(pl, union_names[u]) >= 0)
					continue;
				missing = 1;
				vp_problem(problems, logs[i].path, pl->lineno,
				    "%s "
				    "has no field %s=, which %s:%lu has",
				    plog_name(m), union_names[u], o->path,
				    o->m[m].lineno);
			}
		}
		/* Field order, when every log has the same set. */
		int agree = 1, first = -1;
		for (int i = 0; !missing && i < n; i++) {
			if (!logs[i].m[m].present || logs[i].m[m].malformed)
				continue;
			if (first < 0)
				first = i;
			else if (!same_sequence(&logs[first].m[m],
				     &logs[i].m[m]))
				agree = 0;
		}
		for (int i = 0; !agree && i < n; i++) {
			const struct plog_line *pl = &logs[i].m[m];
			char mine[PLOG_FIELDS_MAX * 17],
			    theirs[PLOG_FIELDS_MAX * 17];
			int j;

			if (!pl->present || pl->malformed)
				continue;
			for (j = 0; j < n; j++) {
				if (logs[j].m[m].present &&
				    !logs[j].m[m].malformed &&
				    !same_sequence(pl, &logs[j].m[m]))
					break;
			}
			names_of(mine, sizeof mine, pl);
			names_of(theirs, sizeof theirs, &logs[j].m[m]);
			vp_problem(problems, logs[i].path, pl->lineno,
			    "%s fields "
			    "in the order %s, but %s:%lu has %s",
			    plog_name(m), mine, logs[j].path,
			    logs[j].m[m].lineno, theirs);
		}
		/* Values, among the logs that have the field. */
		for (int u = 0; u < nunion; u++) {
			int64_t v0 = -1;
			int differ = 0;

			for (int i = 0; i < n; i++) {
				int64_t v =
				    plog_field(&logs[i], m, union_names[u]);
				if (v < 0)
					continue;
				if (v0 < 0)
					v0 = v;
				else if (v != v0)
					differ = 1;
			}
			for (int i = 0; differ && i < n; i++) {
				int64_t v =
				    plog_field(&logs[i], m, union_names[u]);
				int64_t w = -1;
				int j;

				if (v < 0)
					continue;
				for (j = 0; j < n; j++) {
					w = plog_field(&logs[j], m,
					    union_names[u]);
					if (w >= 0 && w != v)
						break;
				}
				vp_problem(problems, logs[i].path,
				    logs[i].m[m].lineno,
				    "%s %s=%08X, but %s:%lu "
				    "has %08X: the logs disagree",
				    vp_ledger_tag(m), union_names[u],
				    (uint32_t)v, logs[j].path,
				    logs[j].m[m].lineno, (uint32_t)w);
			}
		}
	}
}

/*
 * No log given twice: the same file (by device and inode, whatever the
 * path says) or byte-identical contents. Each pair is named once, on the
 * later log.
 */
static void
check_duplicates(const struct plog *logs, const struct stat *st, int n,
    unsigned *problems)
{
	for (int j = 1; j < n; j++) {
		for (int i = 0; i < j; i++) {
			if (logs[i].text == NULL || logs[j].text == NULL)
				continue;
			if (st[i].st_dev == st[j].st_dev &&
			    st[i].st_ino == st[j].st_ino)
				vp_problem(problems, logs[j].path, 0,
				    "the same "
				    "file as %s: a log given twice is not a "
				    "second boot",
				    logs[i].path);
			else if (logs[i].len == logs[j].len &&
			    memcmp(logs[i].text, logs[j].text, logs[i].len) ==
				0)
				vp_problem(problems, logs[j].path, 0,
				    "byte-"
				    "identical to %s: a log given twice is not a "
				    "second boot",
				    logs[i].path);
		}
	}
}

/*
 * One phenotype name, one sha256: two logs that give the same name
 * different hashes (or one hash two names) cannot both be evidence. Each
 * pair is named once, on the later log.
 */
static void
check_phenos(const struct plog *logs, const struct plog_pheno *ph, int n,
    unsigned *problems)
{
	for (int j = 1; j < n; j++) {
		for (int i = 0; i < j; i++) {
			int same_name, same_sha;

			if (ph[i].lineno == 0 || ph[j].lineno == 0)
				continue;
			same_name = strcmp(ph[i].name, ph[j].name) == 0;
			same_sha = strcmp(ph[i].sha256, ph[j].sha256) == 0;
			if (same_name != same_sha)
				vp_problem(problems, logs[j].path, ph[j].lineno,
				    "phenotype %s sha256=%s, but %s:%lu has "
				    "phenotype %s sha256=%s",
				    ph[j].name, ph[j].sha256, logs[i].path,
				    ph[i].lineno, ph[i].name, ph[i].sha256);
		}
	}
}

int
main(int argc, char **argv)
{
	static struct plog logs[LOGS_MAX];
	static struct plog_pheno phenos[LOGS_MAX];
	static struct stat st[LOGS_MAX];
	static struct ledger ledger;
	const char *ledger_path = NULL, *paths[LOGS_MAX];
	unsigned problems = 0;
	int update = 0, n = 0, options = 1;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (options && strcmp(a, "--") == 0) {
			options = 0;
		} else if (options && strcmp(a, "--ledger") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr,
				    "verify-proofs: --ledger needs a "
				    "FILE\n");
				usage(stderr);
				return 2;
			}
			ledger_path = argv[++i];
		} else if (options && strncmp(a, "--ledger=", 9) == 0) {
			ledger_path = a + 9;
		} else if (options && strcmp(a, "--update-ledger") == 0) {
			update = 1;
		} else if (options &&
		    (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)) {
			usage(stdout);
			return 0;
		} else if (options && a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "verify-proofs: unknown option '%s'\n",
			    a);
			usage(stderr);
			return 2;
		} else if (n == LOGS_MAX) {
			fprintf(stderr, "verify-proofs: at most %d logs\n",
			    LOGS_MAX);
			return 2;
		} else {
			paths[n++] = a;
		}
	}
	if (n == 0) {
		fprintf(stderr, "verify-proofs: no LOG given\n");
		usage(stderr);
		return 2;
	}
	if (ledger_path != NULL && ledger_path[0] == '\0') {
		fprintf(stderr, "verify-proofs: --ledger needs a FILE\n");
		return 2;
	}
	if (update && ledger_path == NULL) {
		fprintf(stderr,
		    "verify-proofs: --update-ledger needs --ledger "
		    "FILE\n");
		return 2;
	}
	for (int i = 0; i < n; i++) {
		if (plog_load(&logs[i], paths[i], &problems) != 0)
			continue;
		if (stat(paths[i], &st[i]) != 0) {
			vp_problem(&problems, paths[i], 0, "%s",
			    strerror(errno));
			plog_free(&logs[i]);
			continue;
		}
		vp_check_lines(&logs[i], &problems);
		check_log(&logs[i], &problems);
		vp_check_substrate(&logs[i], &problems);
		(void)plog_phenotype(&logs[i], &phenos[i], &problems);
	}
	check_duplicates(logs, st, n, &problems);
	check_across(logs, n, &problems);
	check_phenos(logs, phenos, n, &problems);
	if (ledger_path != NULL && !update &&
	    ledger_read(&ledger, ledger_path, &problems) == 0)
		ledger_check(&ledger, logs, phenos, n, &problems);
	if (update && problems == 0 &&
	    ledger_write(ledger_path, logs, phenos, n) != 0)
		problems++;
	for (int k = 0; k < n; k++)
		plog_free(&logs[k]);
	if (problems != 0) {
		fprintf(stderr, "verify-proofs: %u problem(s)%s\n", problems,
		    update ? "; the ledger was not rewritten" : "");
		return 1;
	}
	if (update)
		printf("# ledger %s rewritten from %d log(s)\n", ledger_path,
		    n);
	printf("# proofs ok (%d log(s))\n", n);
	return 0;
}
