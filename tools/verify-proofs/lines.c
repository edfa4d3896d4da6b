/*
 * The per-line checks of a captured log (verify.h): whatever a line is, it
 * must be something the kernel prints on a boot that proved itself.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cellos/errors.h"
#include "verify.h"

void
vp_problem(unsigned *problems, const char *path, unsigned long line,
    const char *fmt, ...)
{
	va_list ap;

	(*problems)++;
	if (line > 0)
		fprintf(stderr, "%s:%lu: ", path, line);
	else
		fprintf(stderr, "%s: ", path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Copy at most 72 bytes of s for a message, unprintable bytes as '?'. */
static const char *
quote(char *buf, size_t cap, const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len && n + 4 < cap && i < 72; i++)
		buf[n++] = s[i] >= 0x20 && s[i] < 0x7F ? s[i] : '?';
	if (len > 72 && n + 4 < cap) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

/*
 * The bytes of a line: NUL and CR each named (the first of each), any
 * other byte outside printable ASCII once. The kernel prints nothing else:
 * gene text is sanitized to printable ASCII before it reaches channel 0.
 */
static void
check_bytes(const struct plog *log, unsigned long lineno, const char *s,
    size_t len, unsigned *problems)
{
	int nul = 0, cr = 0, other = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\0' && !nul++)
			vp_problem(problems, log->path, lineno,
			    "a NUL byte at "
			    "column %zu",
			    i + 1);
		else if (c == '\r' && !cr++)
			vp_problem(problems, log->path, lineno,
			    "a CR byte at "
			    "column %zu (console lines end in LF alone, not "
			    "CRLF)",
			    i + 1);
		else if (c != '\0' && c != '\r' && (c < 0x20 || c > 0x7E) &&
		    !other++)
			vp_problem(problems, log->path, lineno,
			    "byte 0x%02X at "
			    "column %zu is not printable ASCII",
			    c, i + 1);
	}
}

/* Is this #E<digit> line one the CONTRACT defines (a marker or a stage)? */
static int
known_e_line(const char *s, size_t len)
{
	for (int m = 0; m < PLOG_SUCCESS; m++) {
		const char *p = plog_prefix((enum plog_marker)m);
		size_t plen = strlen(p);

		if (len >= plen && memcmp(s, p, plen) == 0)
			return 1;
	}
	/* "#E0 <boot-stage text>" */
	return len > 4 && memcmp(s, "#E0 ", 4) == 0;
}

/* The tag of a "#TAG ..." line: its length, or 0 when it has none. */
static size_t
tag_length(const char *s, size_t len)
{
	size_t n = 1;

	if (len == 0 || s[0] != '#')
		return 0;
	while (n < len &&
	    ((s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= 'a' && s[n] <= 'z') ||
		(s[n] >= '0' && s[n] <= '9') || s[n] == '/'))
		n++;
	if (n == 1 || (n < len && s[n] != ' '))
		return 0;
	return n - 1;
}

/* One line, without its LF; a trailing CR is reported and then ignored. */
static void
check_line(const struct plog *log, unsigned long lineno, const char *s,
    size_t len, unsigned *problems)
{
	static const char *const verdicts[] = { "PROOF FAILURE",
		"PROOF UNCHECKED" };
	char text[96];
	size_t tag;
	int verdict = 0;

	check_bytes(log, lineno, s, len, problems);
	if (len > 0 && s[len - 1] == '\r')
		len--;
	for (unsigned v = 0; v < 2; v++) {
		const char *at =
		    memmem(s, len, verdicts[v], strlen(verdicts[v]));

		if (at != NULL) {
			vp_problem(problems, log->path, lineno,
			    "the boot's "
			    "verdict is not success: \"%s\"",
			    quote(text, sizeof text, at,
				len - (size_t)(at - s)));
			verdict = 1;
		}
	}
	if (verdict)
		return;
	if (len == strlen("FULL PROOF SUCCESS") &&
	    memcmp(s, "FULL PROOF SUCCESS", len) == 0)
		return;
	if (len == 0) {
		vp_problem(problems, log->path, lineno,
		    "an empty line (every "
		    "console line is #-tagged or the verdict)");
		return;
	}
	if ((tag = tag_length(s, len)) == 0) {
		vp_problem(problems, log->path, lineno,
		    "not a #-tagged console "
		    "line and not the verdict FULL PROOF SUCCESS: \"%s\"",
		    quote(text, sizeof text, s, len));
		return;
	}
	if (tag == 1 && s[1] == 'W') {
		vp_problem(problems, log->path, lineno,
		    "a #W warning (a "
		    "fallback or damage), so this boot is not evidence: \"%s\"",
		    quote(text, sizeof text, s, len));
		return;
	}
	if (tag == 1 && s[1] == 'P' && len <= 3) {
		vp_problem(problems, log->path, lineno,
		    "a #P line without a "
		    "record");
		return;
	}
	if (len > 2 && s[1] == 'E' && s[2] >= '0' && s[2] <= '9' &&
	    !known_e_line(s, len))
		vp_problem(problems, log->path, lineno,
		    "not one of the "
		    "CONTRACT's proof lines (tags #E<n> are theirs): \"%s\"",
		    quote(text, sizeof text, s, len));
}

struct obs_ctx {
	const struct plog *log;
	unsigned *problems;
};

static void
obs_visit(void *ctx, const struct plog_obs_visit *v, const void *record)
{
	struct obs_ctx *c = ctx;

	if (record != NULL)
		return;
	if (v->column != 0)
		vp_problem(c->problems, c->log->path, v->lineno,
		    "the #P record "
		    "does not decode: %s: %s at column %zu",
		    v->what, cell_strerror(v->error), v->column);
	else
		vp_problem(c->problems, c->log->path, v->lineno,
		    "the #P record "
		    "does not decode: %s: %s",
		    v->what, cell_strerror(v->error));
}

void
vp_check_lines(const struct plog *log, unsigned *problems)
{
	struct obs_ctx ctx = { log, problems };
	unsigned long lineno = 0;

	if (log->len == 0) {
		vp_problem(problems, log->path, 0, "the log is empty");
		return;
	}
	for (size_t at = 0; at < log->len;) {
		const char *s = log->text + at;
		const char *nl = memchr(s, '\n', log->len - at);
		size_t len = nl ? (size_t)(nl - s) : log->len - at;

		lineno++;
		at += len + 1;
		check_line(log, lineno, s, len, problems);
		if (nl == NULL)
			vp_problem(problems, log->path, lineno,
			    "the last line "
			    "does not end in LF: the capture was cut short");
	}
	plog_each_obs(log, 0, obs_visit, &ctx);
}
