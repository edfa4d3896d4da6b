/*
 * obs-replay: read a captured console log from any target, decode every
 * "#P" line with the kernel's own decoders (never reading past a record),
 * print the records as text, recompute the E8 values and say whether they
 * match the log's E8 line. --chrome-trace FILE writes the gene quanta and
 * IRQ deliveries as Chrome trace JSON (opens in Perfetto / chrome://tracing).
 * A corrupt line is reported as LOG:LINE[:COLUMN] and skipped; the exit
 * status is 1 if any line was corrupt or E8 does not match, else 0.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "event_codec.h"
#include "obs_codec.h"
#include "prooflog.h"

/* Chrome trace time: one quantum or one bridge tick is drawn as 1 ms. */
#define TRACE_US_PER_QUANTUM 1000u

struct replay {
	const char *path;
	int quiet;
	unsigned long bad;
	FILE *trace;
	int trace_first;
	unsigned long long now_us;	/* time of the latest trace record */
};

static void
trace_event(struct replay *r, const char *fmt, ...)
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
print_record(struct replay *r, unsigned long lineno,
    const struct obs_record *rec)
{
	const uint8_t *p = rec->payload;

	if (!r->quiet)
		printf("%lu: seq=%u %s", lineno, rec->seq,
		    obs_type_name(rec->type));
	switch (rec->type) {
	case OBS_MARK:
		if (!r->quiet) {
			printf(" \"");
			for (uint32_t i = 0; i < rec->len; i++)
				putchar(p[i] >= 0x20 && p[i] < 0x7F ? p[i] : '?');
			printf("\"");
		}
		if (r->trace != NULL) {
			char name[2 * OBS_PAYLOAD_MAX + 1];
			size_t n = 0;
			/* JSON-safe: printable ASCII, quotes and backslashes escaped. */
			for (uint32_t i = 0; i < rec->len; i++) {
				char c = p[i] >= 0x20 && p[i] < 0x7F ? (char)p[i] : '?';
				if (c == '"' || c == '\\')
					name[n++] = '\\';
				name[n++] = c;
			}
			name[n] = '\0';
			trace_event(r, "{\"name\":\"%s\",\"cat\":\"mark\","
			    "\"ph\":\"i\",\"s\":\"g\",\"pid\":1,\"tid\":0,"
			    "\"ts\":%llu}", name, r->now_us);
		}
		break;
	case OBS_SYS:
		if (!r->quiet)
			printf(" code=%u a=%u b=%u", le32_load(p),
			    le32_load(p + 4), le32_load(p + 8));
		break;
	case OBS_TRACE: {
		uint32_t what = le32_load(p), id = le32_load(p + 4);
		uint32_t at = le32_load(p + 8), arg = le32_load(p + 12);
		static const char *const whats[] = { "?", "quantum_start",
		    "quantum_end", "irq_delivered" };

		if (!r->quiet)
			printf(" %s id=%u at=%u arg=%u", what <= 3 ? whats[what] :
			    "?", id, at, arg);
		r->now_us = (unsigned long long)at * TRACE_US_PER_QUANTUM;
		if (what == OBS_TRACE_QUANTUM_START)
			trace_event(r, "{\"name\":\"gene %u\",\"cat\":\"gene\","
			    "\"ph\":\"B\",\"pid\":1,\"tid\":%u,\"ts\":%llu,"
			    "\"args\":{\"cpu\":%u}}", id, id,
			    (unsigned long long)at * TRACE_US_PER_QUANTUM, arg);
		else if (what == OBS_TRACE_QUANTUM_END)
			trace_event(r, "{\"name\":\"gene %u\",\"cat\":\"gene\","
			    "\"ph\":\"E\",\"pid\":1,\"tid\":%u,\"ts\":%llu,"
			    "\"args\":{\"cpu\":%u}}", id, id,
			    (unsigned long long)at * TRACE_US_PER_QUANTUM +
			    TRACE_US_PER_QUANTUM - 1, arg);
		else if (what == OBS_TRACE_IRQ_DELIVERED)
			trace_event(r, "{\"name\":\"irq src %u\",\"cat\":\"irq\","
			    "\"ph\":\"i\",\"s\":\"t\",\"pid\":2,\"tid\":%u,"
			    "\"ts\":%llu,\"args\":{\"seq\":%u}}", id, id,
			    (unsigned long long)at * TRACE_US_PER_QUANTUM, arg);
		break;
	}
	case OBS_EVENT: {
		struct event e;
		if (event_unpack(p, rec->len, &e) < 0) {
			if (!r->quiet)
				printf(" (event frame does not decode)");
			break;
		}
		if (!r->quiet)
			printf(" event seq=%u src=%u kind=%s", e.seq, e.src,
			    event_kind_name(e.kind));
		break;
	}
	default:
		break;
	}
	if (!r->quiet)
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

static void
usage(FILE *to)
{
	fputs("usage: obs-replay [--quiet] [--chrome-trace FILE] LOG\n", to);
}

int
main(int argc, char **argv)
{
	struct replay r = { .trace_first = 1 };
	const char *trace_path = NULL, *log_path = NULL;
	char tmp[4096];
	struct plog log;
	unsigned problems = 0;
	uint32_t entries, hash;
	int status = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--chrome-trace") == 0 && i + 1 < argc)
			trace_path = argv[++i];
		else if (strcmp(argv[i], "--quiet") == 0)
			r.quiet = 1;
		else if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (argv[i][0] == '-' || log_path != NULL) {
			fprintf(stderr, "obs-replay: unexpected argument '%s'\n",
			    argv[i]);
			usage(stderr);
			return 2;
		} else
			log_path = argv[i];
	}
	if (log_path == NULL) {
		usage(stderr);
		return 2;
	}
	if (plog_load(&log, log_path, &problems) != 0)
		return 1;
	r.path = log_path;
	if (trace_path != NULL) {
		snprintf(tmp, sizeof tmp, "%s.tmp.%ld", trace_path,
		    (long)getpid());
		if ((r.trace = fopen(tmp, "w")) == NULL) {
			fprintf(stderr, "%s: %s\n", tmp, strerror(errno));
			plog_free(&log);
			return 1;
		}
		fputs("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[", r.trace);
	}
	plog_each_obs(&log, 0, visit, &r);
	if (r.bad != 0)
		status = 1;

	if (!log.m[PLOG_E8].present) {
		fprintf(stderr, "%s: no #E8 line to compare with\n", log_path);
		status = 1;
	} else {
		plog_recompute_e8(&log, &entries, &hash);
		int ok = entries == (uint32_t)plog_field(&log, PLOG_E8, "entries") &&
		    hash == (uint32_t)plog_field(&log, PLOG_E8, "obs_hash");
		printf("# E8 recomputed: entries=%08X obs_hash=%08X: %s\n",
		    entries, hash, ok ? "matches the log" :
		    "DOES NOT match the log");
		if (!ok)
			status = 1;
	}
	if (r.trace != NULL) {
		fputs("\n]}\n", r.trace);
		if (fclose(r.trace) != 0 || rename(tmp, trace_path) != 0) {
			fprintf(stderr, "%s: %s\n", trace_path, strerror(errno));
			unlink(tmp);
			status = 1;
		}
	}
	plog_free(&log);
	return status;
}
