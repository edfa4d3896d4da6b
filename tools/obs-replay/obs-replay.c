/*
 * obs-replay: read a captured console log from any target, decode every
 * "#P" line with the kernel's own decoders (never reading past a record),
 * print the records as text, recompute the E8 values and say whether they
 * match the log's E8 line. A corrupt line is reported as LOG:LINE[:COLUMN]
 * and skipped; the exit status is 1 if any line was corrupt or E8 does not
 * match, 2 on a usage error, else 0.
 *
 * --chrome-trace FILE writes the boot as Trace Event Format JSON (Perfetto,
 * chrome://tracing), through tools/outfile. The log has no clock common to
 * the whole boot (gene quanta count scheduler quanta, IRQs count bridge
 * ticks, marks carry no time at all), so the trace's one time axis is the
 * log itself: an event's ts is its console line number times
 * TRACE_US_PER_LINE, and everything appears in boot order. The original
 * quantum and tick numbers are kept in each event's args. Tracks, each
 * kind in its own process and every thread id used once:
 *   pid 1 "boot": tid 1 the boot steps (a slice from each MARK to its
 *     proof line), tid 2 the proof lines, tid 3 the kernel's SYS records;
 *   pid 2 "genes": one thread per gene id, a slice per quantum;
 *   pid 3 "IRQ sources": one thread per bridge source, an instant per
 *     delivery and per event record.
 * Gene and IRQ threads get tids 4, 5, ... in the order they first appear.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "event_codec.h"
#include "obs_codec.h"
#include "outfile.h"
#include "prooflog.h"

/* One console line is drawn as 1 ms. */
#define TRACE_US_PER_LINE 1000ull

enum { PID_BOOT = 1, PID_GENES = 2, PID_IRQS = 3 };
enum { TID_STEPS = 1, TID_PROOF = 2, TID_SYS = 3, TID_FIRST_FREE = 4 };

/* A gene or an IRQ source: its thread, and for a gene an open quantum. */
struct track {
	uint32_t id;
	unsigned long long tid;
	int open; /* a quantum began and has not ended */
};

struct tracks {
	struct track *v;
	size_t n, cap;
};

/* A boot step: where its MARK was and what it said. */
struct mark {
	unsigned long lineno;
	char name[2 * OBS_PAYLOAD_MAX + 1]; /* JSON-escaped */
};

struct replay {
	const char *path;
	int quiet;
	unsigned long bad;
	FILE *trace;
	int trace_first;
	int trace_failed; /* out of memory while tracing */
	unsigned long long next_tid;
	struct tracks genes, irqs;
	struct mark *marks;
	size_t nmarks, marks_cap;
};

static unsigned long long
ts_of(unsigned long lineno)
{
	return (unsigned long long)lineno * TRACE_US_PER_LINE;
}

static void trace_event(struct replay *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
trace_event(struct replay *r, const char *fmt, ...)
{
	va_list ap;

	if (r->trace == NULL)
		return;
	fputs(r->trace_first ? "\n  " : ",\n  ", r->trace);
	r->trace_first = 0;
	va_start(ap, fmt);
	vfprintf(r->trace, fmt, ap);
	va_end(ap);
}

static void
meta(struct replay *r, const char *what, int pid, unsigned long long tid,
    const char *key, const char *value)
{
	trace_event(r,
	    "{\"name\":\"%s\",\"ph\":\"M\",\"pid\":%d,\"tid\":%llu,"
	    "\"args\":{\"%s\":%s}}",
	    what, pid, tid, key, value);
}

/* The track for id, created (with its thread_name) on first sight. */
static struct track *
track_of(struct replay *r, struct tracks *t, int pid, uint32_t id)
{
	char name[64];

	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].id == id)
			return &t->v[i];
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct track *v = realloc(t->v, cap * sizeof *v);

		if (v == NULL) {
			r->trace_failed = 1;
			return NULL;
		}
		t->v = v;
		t->cap = cap;
	}
	struct track *k = &t->v[t->n++];
	k->id = id;
	k->tid = r->next_tid++;
	k->open = 0;
	snprintf(name, sizeof name, "\"%s %lu\"",
	    pid == PID_GENES ? "gene" : "irq source", (unsigned long)id);
	meta(r, "thread_name", pid, k->tid, "name", name);
	/* Sorted by id within the process, not by first sight. */
	snprintf(name, sizeof name, "%lu", (unsigned long)id);
	meta(r, "thread_sort_index", pid, k->tid, "sort_index", name);
	return k;
}

static void
quantum_end(struct replay *r, struct track *k, unsigned long long ts,
    uint32_t quantum, uint32_t cpu)
{
	trace_event(r,
	    "{\"name\":\"gene %lu\",\"cat\":\"gene\",\"ph\":\"E\","
	    "\"pid\":%d,\"tid\":%llu,\"ts\":%llu,\"args\":{\"quantum\":%lu,"
	    "\"cpu\":%lu}}",
	    (unsigned long)k->id, PID_GENES, k->tid, ts, (unsigned long)quantum,
	    (unsigned long)cpu);
	k->open = 0;
}

/*
 * A quantum whose end record is missing (a damaged log) ends where the log
 * shows something that cannot happen inside it: the next quantum of any
 * gene (one runs at a time) or the next boot step.
 */
static void
quanta_lost_end(struct replay *r, unsigned long long ts)
{
	for (size_t i = 0; i < r->genes.n; i++) {
		struct track *k = &r->genes.v[i];

		if (!k->open)
			continue;
		trace_event(r,
		    "{\"name\":\"gene %lu\",\"cat\":\"gene\","
		    "\"ph\":\"E\",\"pid\":%d,\"tid\":%llu,\"ts\":%llu,"
		    "\"args\":{\"end\":\"not in the log\"}}",
		    (unsigned long)k->id, PID_GENES, k->tid, ts);
		k->open = 0;
	}
}

/* Printable ASCII, quotes and backslashes escaped: safe in a JSON string. */
static void
json_text(char *out, const uint8_t *p, uint32_t len)
{
	size_t n = 0;

	for (uint32_t i = 0; i < len; i++) {
		char c = p[i] >= 0x20 && p[i] < 0x7F ? (char)p[i] : '?';
		if (c == '"' || c == '\\')
			out[n++] = '\\';
		out[n++] = c;
	}
	out[n] = '\0';
}

static void
trace_record(struct replay *r, unsigned long lineno,
    const struct obs_record *rec)
{
	const uint8_t *p = rec->payload;
	unsigned long long ts = ts_of(lineno);
	struct track *k;

	switch (rec->type) {
	case OBS_MARK:
		quanta_lost_end(r, ts);
		if (r->nmarks == r->marks_cap) {
			size_t cap = r->marks_cap ? 2 * r->marks_cap : 16;
			struct mark *m = realloc(r->marks, cap * sizeof *m);

			if (m == NULL) {
				r->trace_failed = 1;
				return;
			}
			r->marks = m;
			r->marks_cap = cap;
		}
		r->marks[r->nmarks].lineno = lineno;
		json_text(r->marks[r->nmarks].name, p, rec->len);
		r->nmarks++;
		break;
	case OBS_SYS: {
		static const char *const codes[] = { "sys ?",
			"phenotype loaded", "gene killed", "update applied" };
		uint32_t code = le32_load(p);

		trace_event(r,
		    "{\"name\":\"%s\",\"cat\":\"sys\",\"ph\":\"i\","
		    "\"s\":\"t\",\"pid\":%d,\"tid\":%d,\"ts\":%llu,\"args\":"
		    "{\"code\":%lu,\"a\":%lu,\"b\":%lu}}",
		    code <= 3 ? codes[code] : codes[0], PID_BOOT, TID_SYS, ts,
		    (unsigned long)code, (unsigned long)le32_load(p + 4),
		    (unsigned long)le32_load(p + 8));
		break;
	}
	case OBS_TRACE: {
		uint32_t what = le32_load(p), id = le32_load(p + 4);
		uint32_t at = le32_load(p + 8), arg = le32_load(p + 12);

		if (what == OBS_TRACE_QUANTUM_START) {
			if ((k = track_of(r, &r->genes, PID_GENES, id)) == NULL)
				return;
			quanta_lost_end(r, ts);
			trace_event(r,
			    "{\"name\":\"gene %lu\",\"cat\":\"gene\","
			    "\"ph\":\"B\",\"pid\":%d,\"tid\":%llu,\"ts\":%llu,"
			    "\"args\":{\"quantum\":%lu,\"cpu\":%lu}}",
			    (unsigned long)id, PID_GENES, k->tid, ts,
			    (unsigned long)at, (unsigned long)arg);
			k->open = 1;
		} else if (what == OBS_TRACE_QUANTUM_END) {
			if ((k = track_of(r, &r->genes, PID_GENES, id)) == NULL)
				return;
			if (k->open) /* an end without its start is dropped */
				quantum_end(r, k, ts, at, arg);
		} else if (what == OBS_TRACE_IRQ_DELIVERED) {
			if ((k = track_of(r, &r->irqs, PID_IRQS, id)) == NULL)
				return;
			trace_event(r,
			    "{\"name\":\"irq delivered\",\"cat\":"
			    "\"irq\",\"ph\":\"i\",\"s\":\"t\",\"pid\":%d,"
			    "\"tid\":%llu,\"ts\":%llu,\"args\":{\"source\":%lu,"
			    "\"tick\":%lu,\"seq\":%lu}}",
			    PID_IRQS, k->tid, ts, (unsigned long)id,
			    (unsigned long)at, (unsigned long)arg);
		}
		break;
	}
	case OBS_EVENT: {
		struct event e;

		if (event_unpack(p, rec->len, &e) < 0)
			break;
		if ((k = track_of(r, &r->irqs, PID_IRQS, e.src)) == NULL)
			return;
		trace_event(r,
		    "{\"name\":\"event %s\",\"cat\":\"event\","
		    "\"ph\":\"i\",\"s\":\"t\",\"pid\":%d,\"tid\":%llu,"
		    "\"ts\":%llu,\"args\":{\"source\":%lu,\"seq\":%lu}}",
		    event_kind_name(e.kind), PID_IRQS, k->tid, ts,
		    (unsigned long)e.src, (unsigned long)e.seq);
		break;
	}
	default:
		break;
	}
}

static void
print_record(struct replay *r, unsigned long lineno,
    const struct obs_record *rec)
{
	const uint8_t *p = rec->payload;

	trace_record(r, lineno, rec);
	if (r->quiet)
		return;
	printf("%lu: seq=%u %s", lineno, rec->seq, obs_type_name(rec->type));
	switch (rec->type) {
	case OBS_MARK:
		printf(" \"");
		for (uint32_t i = 0; i < rec->len; i++)
			putchar(p[i] >= 0x20 && p[i] < 0x7F ? p[i] : '?');
		printf("\"");
		break;
	case OBS_SYS:
		printf(" code=%u a=%u b=%u", le32_load(p), le32_load(p + 4),
		    le32_load(p + 8));
		break;
	case OBS_TRACE: {
		uint32_t what = le32_load(p);
		static const char *const whats[] = { "?", "quantum_start",
			"quantum_end", "irq_delivered" };

		printf(" %s id=%u at=%u arg=%u", what <= 3 ? whats[what] : "?",
		    le32_load(p + 4), le32_load(p + 8), le32_load(p + 12));
		break;
	}
	case OBS_EVENT: {
		struct event e;

		if (event_unpack(p, rec->len, &e) < 0)
			printf(" (event frame does not decode)");
		else
			printf(" event seq=%u src=%u kind=%s", e.seq, e.src,
			    event_kind_name(e.kind));
		break;
	}
	default:
		break;
	}
	putchar('\n');
}

static void
visit(void *ctx, const struct plog_obs_visit *v, const void *record)
{
	struct replay *r = ctx;

	if (record == NULL) {
		r->bad++;
		if (v->column != 0)
			fprintf(stderr, "%s:%lu:%zu: %s: %s\n", r->path,
			    v->lineno, v->column, v->what,
			    cell_strerror(v->error));
		else
			fprintf(stderr, "%s:%lu: %s: %s\n", r->path, v->lineno,
			    v->what, cell_strerror(v->error));
		return;
	}
	print_record(r, v->lineno, record);
}

/* Which proof line ends the boot step a MARK starts ("E6 events": #E6). */
static int
mark_marker(const char *name)
{
	static const struct {
		const char *tag;
		enum plog_marker m;
	} steps[] = {
		{ "E2", PLOG_E2 },
		{ "E3", PLOG_E3 },
		{ "E5", PLOG_E5 },
		{ "E6", PLOG_E6 },
		{ "E7", PLOG_E7 },
		{ "E8", PLOG_E8 },
		{ "E9", PLOG_E9 },
		{ "E10", PLOG_E10 },
	};
	size_t n = strcspn(name, " ");

	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (strlen(steps[i].tag) == n &&
		    strncmp(name, steps[i].tag, n) == 0)
			return (int)steps[i].m;
	return -1;
}

/*
 * The boot track, once every record is read: a slice per boot step, from
 * its MARK to its proof line (or, when that is missing or out of place,
 * to the next MARK or the last line), then an instant per proof line.
 */
static void
trace_boot(struct replay *r, const struct plog *log)
{
	unsigned long last = log->last_line;
	enum plog_marker order[PLOG_MARKERS];
	size_t n = 0;

	for (size_t i = 0; i < r->nmarks; i++) {
		unsigned long from = r->marks[i].lineno, to;
		unsigned long limit = i + 1 < r->nmarks ?
		    r->marks[i + 1].lineno :
		    (last > from ? last : from);
		int m = mark_marker(r->marks[i].name);

		to = limit;
		if (m >= 0 && log->m[m].present && log->m[m].lineno > from &&
		    log->m[m].lineno <= limit)
			to = log->m[m].lineno;
		trace_event(r,
		    "{\"name\":\"%s\",\"cat\":\"step\",\"ph\":\"B\","
		    "\"pid\":%d,\"tid\":%d,\"ts\":%llu}",
		    r->marks[i].name, PID_BOOT, TID_STEPS, ts_of(from));
		trace_event(r,
		    "{\"name\":\"%s\",\"cat\":\"step\",\"ph\":\"E\","
		    "\"pid\":%d,\"tid\":%d,\"ts\":%llu}",
		    r->marks[i].name, PID_BOOT, TID_STEPS, ts_of(to));
	}
	/* The proof lines by line number (a bad log may misorder them). */
	for (int m = 0; m < PLOG_MARKERS; m++) {
		if (!log->m[m].present)
			continue;
		size_t j = n++;
		while (
		    j > 0 && log->m[order[j - 1]].lineno > log->m[m].lineno) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = (enum plog_marker)m;
	}
	for (size_t i = 0; i < n; i++)
		trace_event(r,
		    "{\"name\":\"%s\",\"cat\":\"proof\",\"ph\":\"i\","
		    "\"s\":\"t\",\"pid\":%d,\"tid\":%d,\"ts\":%llu}",
		    plog_name(order[i]), PID_BOOT, TID_PROOF,
		    ts_of(log->m[order[i]].lineno));
	/* A quantum still open at the end of the log ends with it. */
	quanta_lost_end(r, ts_of(last));
}

static void
trace_begin(struct replay *r)
{
	fputs("{\"displayTimeUnit\":\"ms\",\"otherData\":{\"time_axis\":"
	      "\"console line number (1 line = 1 ms); the log has no common "
	      "clock\"},\"traceEvents\":[",
	    r->trace);
	meta(r, "process_name", PID_BOOT, 0, "name", "\"boot\"");
	meta(r, "process_sort_index", PID_BOOT, 0, "sort_index", "1");
	meta(r, "thread_name", PID_BOOT, TID_STEPS, "name", "\"boot steps\"");
	meta(r, "thread_name", PID_BOOT, TID_PROOF, "name", "\"proof lines\"");
	meta(r, "thread_name", PID_BOOT, TID_SYS, "name", "\"kernel records\"");
	meta(r, "process_name", PID_GENES, 0, "name", "\"genes\"");
	meta(r, "process_sort_index", PID_GENES, 0, "sort_index", "2");
	meta(r, "process_name", PID_IRQS, 0, "name", "\"IRQ sources\"");
	meta(r, "process_sort_index", PID_IRQS, 0, "sort_index", "3");
}

static void
usage(FILE *to)
{
	fputs("usage: obs-replay [--quiet] [--chrome-trace FILE] [--] LOG\n",
	    to);
}

static void
help(void)
{
	usage(stdout);
	fputs(
	    "\nDecode the \"#P\" OBS records of a captured console log, "
	    "print them and\nrecompute the #E8 values against the log's.\n\n"
	    "  --quiet               print only the E8 verdict\n"
	    "  --chrome-trace FILE   also write the boot as Trace Event Format "
	    "JSON\n"
	    "                        (Perfetto, chrome://tracing); "
	    "docs/DEBUGGING.md\n"
	    "  -h, --help            this text\n\n"
	    "Exit status: 0 when every line decodes and E8 matches, 1 when "
	    "not, 2 on a\nusage error.\n",
	    stdout);
}

int
main(int argc, char **argv)
{
	struct replay r = { .trace_first = 1, .next_tid = TID_FIRST_FREE };
	const char *trace_path = NULL, *log_path = NULL;
	struct outfile out;
	struct plog log;
	unsigned problems = 0;
	uint32_t entries, hash;
	int status = 0, options = 1;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (options && strcmp(a, "--") == 0) {
			options = 0;
		} else if (options && strcmp(a, "--chrome-trace") == 0) {
			if (i + 1 >= argc || argv[i + 1][0] == '\0') {
				fprintf(stderr,
				    "obs-replay: --chrome-trace "
				    "needs a FILE\n");
				usage(stderr);
				return 2;
			}
			trace_path = argv[++i];
		} else if (options && strncmp(a, "--chrome-trace=", 15) == 0) {
			if (a[15] == '\0') {
				fprintf(stderr,
				    "obs-replay: --chrome-trace "
				    "needs a FILE\n");
				usage(stderr);
				return 2;
			}
			trace_path = a + 15;
		} else if (options && strcmp(a, "--quiet") == 0) {
			r.quiet = 1;
		} else if (options &&
		    (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)) {
			help();
			return 0;
		} else if (options && a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "obs-replay: unknown option '%s'\n", a);
			usage(stderr);
			return 2;
		} else if (log_path != NULL) {
			fprintf(stderr,
			    "obs-replay: unexpected argument '%s' "
			    "(one LOG only)\n",
			    a);
			usage(stderr);
			return 2;
		} else {
			log_path = a;
		}
	}
	if (log_path == NULL) {
		fprintf(stderr, "obs-replay: no LOG given\n");
		usage(stderr);
		return 2;
	}
	if (plog_load(&log, log_path, &problems) != 0)
		return 1;
	r.path = log_path;
	if (trace_path != NULL) {
		if (outfile_open(&out, "obs-replay", trace_path) != 0) {
			plog_free(&log);
			return 1;
		}
		r.trace = out.f;
		trace_begin(&r);
	}
	plog_each_obs(&log, 0, visit, &r);
	if (r.bad != 0)
		status = 1;

	if (!log.m[PLOG_E8].present) {
		fprintf(stderr, "%s: no #E8 line to compare with\n", log_path);
		status = 1;
	} else {
		plog_recompute_e8(&log, &entries, &hash);
		int ok =
		    entries == (uint32_t)plog_field(&log, PLOG_E8, "entries") &&
		    hash == (uint32_t)plog_field(&log, PLOG_E8, "obs_hash");
		printf("# E8 recomputed: entries=%08X obs_hash=%08X: %s\n",
		    entries, hash,
		    ok ? "matches the log" : "DOES NOT match the log");
		if (!ok)
			status = 1;
	}
	if (r.trace != NULL) {
		trace_boot(&r, &log);
		fputs("\n]}\n", r.trace);
		if (r.trace_failed) {
			fprintf(stderr, "obs-replay: %s: out of memory\n",
			    trace_path);
			outfile_abort(&out);
			status = 1;
		} else if (outfile_commit(&out) != 0) {
			status = 1;
		}
	}
	free(r.genes.v);
	free(r.irqs.v);
	free(r.marks);
	plog_free(&log);
	return status;
}
