/*
 * verify-proofs: check captured proof logs (CONTRACT.md section 3).
 *
 *   verify-proofs [--ledger FILE] LOG...
 *   verify-proofs --ledger FILE --update-ledger LOG...
 *
 * For each log: every marker present once and in order, no PROOF FAILURE,
 * FULL PROOF SUCCESS the last line, E8 recomputed from the log's "#P"
 * records, E10 recomputed from its E2..E9 values. Across logs: every
 * E2..E10 value identical. Against the ledger ("E<n> name=XXXXXXXX" lines):
 * every value equal, and every value of the logs listed. Each problem is
 * named on stderr; then "# proofs ok (N log(s))" on stdout and exit 0, or
 * exit 1. --update-ledger rewrites the ledger from logs that pass every
 * other check (write a temporary, then rename).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prooflog.h"

#define LOGS_MAX 16
#define LEDGER_MAX 64

struct ledger_entry {
	int marker;
	char name[16];
	uint32_t value;
	unsigned long lineno;
	int used;
};

static const enum plog_marker proof_markers[] = {
	PLOG_E2, PLOG_E3, PLOG_E5, PLOG_E6, PLOG_E7, PLOG_E8, PLOG_E9, PLOG_E10
};
#define NPROOF (sizeof proof_markers / sizeof proof_markers[0])

/* The ledger's name for a marker: "E3" for the "#E3/E4" line. */
static const char *
ledger_tag(enum plog_marker m)
{
	static const char *const tags[PLOG_MARKERS] = {
		[PLOG_E2] = "E2", [PLOG_E3] = "E3", [PLOG_E5] = "E5",
		[PLOG_E6] = "E6", [PLOG_E7] = "E7", [PLOG_E8] = "E8",
		[PLOG_E9] = "E9", [PLOG_E10] = "E10",
	};
	return tags[m] ? tags[m] : "?";
}

static void
usage(FILE *to)
{
	fputs("usage: verify-proofs [--ledger FILE] [--update-ledger] LOG...\n",
	    to);
}

/* Read the ledger; problems go to stderr and count. */
static int
read_ledger(const char *path, struct ledger_entry *e, unsigned *count,
    unsigned *problems)
{
	FILE *f = fopen(path, "r");
	char line[256];
	unsigned long lineno = 0;

	*count = 0;
	if (f == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		(*problems)++;
		return -1;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		char tag[8], name[16], hex[16];
		int m = -1;

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if (sscanf(line, "%7s %15[^=]=%15s", tag, name, hex) != 3 ||
		    strlen(hex) != 8 || strspn(hex, "0123456789ABCDEF") != 8) {
			fprintf(stderr, "%s:%lu: expected \"E<n> name=XXXXXXXX\" "
			    "(8 upper-case hex digits)\n", path, lineno);
			(*problems)++;
			continue;
		}
		for (unsigned i = 0; i < NPROOF; i++) {
			if (strcmp(tag, ledger_tag(proof_markers[i])) == 0)
				m = (int)proof_markers[i];
		}
		if (m < 0) {
			fprintf(stderr, "%s:%lu: unknown proof line \"%s\" "
			    "(E2, E3, E5 .. E10)\n", path, lineno, tag);
			(*problems)++;
			continue;
		}
		if (*count == LEDGER_MAX) {
			fprintf(stderr, "%s:%lu: too many entries\n", path,
			    lineno);
			(*problems)++;
			break;
		}
		e[*count].marker = m;
		snprintf(e[*count].name, sizeof e[*count].name, "%s", name);
		e[*count].value = (uint32_t)strtoul(hex, NULL, 16);
		e[*count].lineno = lineno;
		e[*count].used = 0;
		(*count)++;
	}
	fclose(f);
	return 0;
}

/* The per-log checks. */
static void
check_log(struct plog *log, unsigned *problems)
{
	uint32_t entries, hash;
	unsigned long bad;

	for (int m = 0; m < PLOG_MARKERS; m++) {
		if (!log->m[m].present) {
			fprintf(stderr, "%s: the %s line is missing\n",
			    log->path, plog_name((enum plog_marker)m));
			(*problems)++;
		}
	}
	if (log->failure_line != 0) {
		fprintf(stderr, "%s:%lu: the boot reports a PROOF FAILURE\n",
		    log->path, log->failure_line);
		(*problems)++;
	}
	if (log->success_line != 0 && log->success_line != log->last_line) {
		fprintf(stderr, "%s:%lu: FULL PROOF SUCCESS is not the last line "
		    "(line %lu follows)\n", log->path, log->success_line,
		    log->last_line);
		(*problems)++;
	}
	if (log->m[PLOG_E8].present) {
		bad = plog_recompute_e8(log, &entries, &hash);
		if (bad != 0) {
			fprintf(stderr, "%s: %lu #P record(s) before the E8 line "
			    "do not decode (run obs-replay for details)\n",
			    log->path, bad);
			(*problems)++;
		}
		if (entries != (uint32_t)plog_field(log, PLOG_E8, "entries") ||
		    hash != (uint32_t)plog_field(log, PLOG_E8, "obs_hash")) {
			fprintf(stderr, "%s:%lu: E8 is not recomputable from the "
			    "log: its #P records give entries=%08X obs_hash=%08X, "
			    "the line says entries=%08X obs_hash=%08X\n",
			    log->path, log->m[PLOG_E8].lineno, entries, hash,
			    (uint32_t)plog_field(log, PLOG_E8, "entries"),
			    (uint32_t)plog_field(log, PLOG_E8, "obs_hash"));
			(*problems)++;
		}
	}
	int complete = 1;
	for (unsigned i = 0; i + 1 < NPROOF; i++)
		complete &= log->m[proof_markers[i]].present;
	if (complete && log->m[PLOG_E10].present) {
		uint32_t tag = plog_recompute_e10(log);
		if (tag != (uint32_t)plog_field(log, PLOG_E10, "tag")) {
			fprintf(stderr, "%s:%lu: E10 tag=%08X is not the hash of "
			    "this log's E2..E9 values (%08X)\n", log->path,
			    log->m[PLOG_E10].lineno,
			    (uint32_t)plog_field(log, PLOG_E10, "tag"), tag);
			(*problems)++;
		}
	}
}

/* Every value of every log must equal the first log's. */
static void
check_across(struct plog *logs, int n, unsigned *problems)
{
	for (int i = 1; i < n; i++) {
		for (unsigned k = 0; k < NPROOF; k++) {
			enum plog_marker m = proof_markers[k];
			const struct plog_line *a = &logs[0].m[m], *b = &logs[i].m[m];

			if (!a->present || !b->present)
				continue;
			for (unsigned f = 0; f < a->nfields; f++) {
				int64_t v = plog_field(&logs[i], m, a->names[f]);
				if (v < 0) {
					fprintf(stderr, "%s:%lu: %s has no field "
					    "%s, which %s has\n", logs[i].path,
					    b->lineno, plog_name(m),
					    a->names[f], logs[0].path);
					(*problems)++;
				} else if ((uint32_t)v != a->values[f]) {
					fprintf(stderr, "%s:%lu: %s %s=%08X "
					    "differs from %s:%lu (%08X)\n",
					    logs[i].path, b->lineno,
					    ledger_tag(m), a->names[f],
					    (uint32_t)v, logs[0].path, a->lineno,
					    a->values[f]);
					(*problems)++;
				}
			}
		}
	}
}

static void
check_ledger(const char *path, struct ledger_entry *e, unsigned count,
    struct plog *logs, int n, unsigned *problems)
{
	for (int i = 0; i < n; i++) {
		for (unsigned k = 0; k < NPROOF; k++) {
			enum plog_marker m = proof_markers[k];
			const struct plog_line *pl = &logs[i].m[m];

			for (unsigned f = 0; pl->present && f < pl->nfields; f++) {
				unsigned j;

				for (j = 0; j < count; j++) {
					if (e[j].marker == (int)m &&
					    strcmp(e[j].name, pl->names[f]) == 0)
						break;
				}
				if (j == count) {
					fprintf(stderr, "%s:%lu: %s %s=%08X is "
					    "not in the ledger %s\n", logs[i].path,
					    pl->lineno, ledger_tag(m),
					    pl->names[f], pl->values[f], path);
					(*problems)++;
					continue;
				}
				e[j].used = 1;
				if (e[j].value != pl->values[f]) {
					fprintf(stderr, "%s:%lu: %s %s=%08X "
					    "differs from the ledger (%s:%lu "
					    "says %08X)\n", logs[i].path,
					    pl->lineno, ledger_tag(m),
					    pl->names[f], pl->values[f], path,
					    e[j].lineno, e[j].value);
					(*problems)++;
				}
			}
		}
	}
	for (unsigned j = 0; j < count; j++) {
		if (!e[j].used) {
			fprintf(stderr, "%s:%lu: %s %s is in the ledger but in "
			    "no log\n", path, e[j].lineno,
			    ledger_tag((enum plog_marker)e[j].marker), e[j].name);
			(*problems)++;
		}
	}
}

static int
write_ledger(const char *path, const struct plog *log)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
	if ((f = fopen(tmp, "w")) == NULL) {
		fprintf(stderr, "%s: %s\n", tmp, strerror(errno));
		return -1;
	}
	fprintf(f, "# The golden proof ledger: the E2..E10 values every target "
	    "must print.\n# Rewrite only on purpose: ./cellos verify "
	    "--update-ledger build/proof/*.log\n");
	for (unsigned k = 0; k < NPROOF; k++) {
		const struct plog_line *pl = &log->m[proof_markers[k]];
		for (unsigned f2 = 0; f2 < pl->nfields; f2++)
			fprintf(f, "%s %s=%08X\n", ledger_tag(proof_markers[k]),
			    pl->names[f2], pl->values[f2]);
	}
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0) {
		fprintf(stderr, "%s: write error\n", tmp);
		fclose(f);
		unlink(tmp);
		return -1;
	}
	fclose(f);
	if (rename(tmp, path) != 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static struct plog logs[LOGS_MAX];
	static struct ledger_entry ledger[LEDGER_MAX];
	const char *ledger_path = NULL;
	unsigned problems = 0, count = 0;
	int update = 0, n = 0, i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--ledger") == 0 && i + 1 < argc) {
			ledger_path = argv[++i];
		} else if (strncmp(argv[i], "--ledger=", 9) == 0) {
			ledger_path = argv[i] + 9;
		} else if (strcmp(argv[i], "--update-ledger") == 0) {
			update = 1;
		} else if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "verify-proofs: unknown option '%s'\n",
			    argv[i]);
			usage(stderr);
			return 2;
		} else {
			break;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	if (update && ledger_path == NULL) {
		fprintf(stderr, "verify-proofs: --update-ledger needs --ledger "
		    "FILE\n");
		return 2;
	}
	if (argc - i > LOGS_MAX) {
		fprintf(stderr, "verify-proofs: at most %d logs\n", LOGS_MAX);
		return 2;
	}
	for (; i < argc; i++) {
		plog_load(&logs[n], argv[i], &problems);
		if (logs[n].text != NULL)
			check_log(&logs[n], &problems);
		n++;
	}
	check_across(logs, n, &problems);
	if (ledger_path != NULL && !update &&
	    read_ledger(ledger_path, ledger, &count, &problems) == 0)
		check_ledger(ledger_path, ledger, count, logs, n, &problems);
	if (update && problems == 0 && write_ledger(ledger_path, &logs[0]) != 0)
		problems++;
	for (int k = 0; k < n; k++)
		plog_free(&logs[k]);
	if (problems != 0) {
		fprintf(stderr, "verify-proofs: %u problem(s)%s\n", problems,
		    update ? "; the ledger was not rewritten" : "");
		return 1;
	}
	if (update)
		printf("# ledger %s rewritten from %d log(s)\n", ledger_path, n);
	printf("# proofs ok (%d log(s))\n", n);
	return 0;
}
