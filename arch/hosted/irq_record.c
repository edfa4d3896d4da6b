/*
 * Reading an IRQ schedule recorded with --irq-record: a first line
 * "cellos-irq-record 1", then one "<dispatch point> <line>" per interrupt,
 * points never decreasing, lines 0 (timer), 2 or 3 (external).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hal.h"
#include "hosted.h"

static int
bad(const char *path, unsigned long line, size_t col, const char *msg)
{
	fprintf(stderr, "%s:%lu:%zu: %s\n", path, line, col, msg);
	return -1;
}

/* Parse an unsigned decimal at text[*col - 1]; advances *col. */
static int
number(const char *text, size_t *col, unsigned long long *out)
{
	const char *p = text + *col - 1;
	char *end;

	if (*p < '0' || *p > '9')
		return -1;
	errno = 0;
	*out = strtoull(p, &end, 10);
	if (errno != 0)
		return -1;
	*col += (size_t)(end - p);
	return 0;
}

int
hosted_irq_load_schedule(const char *path, struct hosted_irq_event **events,
    size_t *count)
{
	FILE *f = fopen(path, "r");
	char text[256];
	unsigned long lineno = 0;
	struct hosted_irq_event *ev = NULL;
	size_t n = 0, cap = 0;
	unsigned long long last = 0;

	if (f == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(text, sizeof text, f) != NULL) {
		unsigned long long point, line;
		size_t col = 1, len = strlen(text);

		lineno++;
		if (len > 0 && text[len - 1] != '\n' && !feof(f))
			goto fail_msg_long;
		if (len > 0 && text[len - 1] == '\n')
			text[--len] = '\0';
		if (lineno == 1) {
			if (strcmp(text, HOSTED_IRQ_RECORD_MAGIC) != 0) {
				bad(path, 1, 1,
				    "not an IRQ record (expected "
				    "the line \"" HOSTED_IRQ_RECORD_MAGIC
				    "\")");
				goto fail;
			}
			continue;
		}
		if (number(text, &col, &point) != 0) {
			bad(path, lineno, col,
			    "expected a dispatch point "
			    "(a whole number)");
			goto fail;
		}
		if (text[col - 1] != ' ') {
			bad(path, lineno, col,
			    "expected one space after the "
			    "dispatch point");
			goto fail;
		}
		col++;
		size_t line_col = col;
		if (number(text, &col, &line) != 0) {
			bad(path, lineno, col,
			    "expected an interrupt line "
			    "number");
			goto fail;
		}
		if (line != HAL_IRQ_TIMER && line != HAL_IRQ_EXT0 &&
		    line != HAL_IRQ_EXT1) {
			bad(path, lineno, line_col,
			    "interrupt line must be 0 "
			    "(timer), 2 or 3 (external)");
			goto fail;
		}
		if (text[col - 1] != '\0') {
			bad(path, lineno, col,
			    "unexpected text after the line "
			    "number");
			goto fail;
		}
		if (point < last) {
			bad(path, lineno, 1,
			    "dispatch points must not go "
			    "backwards");
			goto fail;
		}
		last = point;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			struct hosted_irq_event *grown =
			    realloc(ev, ncap * sizeof *ev);
			if (grown == NULL) {
				bad(path, lineno, 1, "out of memory");
				goto fail;
			}
			ev = grown;
			cap = ncap;
		}
		ev[n].point = point;
		ev[n].line = (uint32_t)line;
		n++;
	}
	if (lineno == 0) {
		bad(path, 1, 1, "empty file: not an IRQ record");
		goto fail;
	}
	fclose(f);
	*events = ev;
	*count = n;
	return 0;
fail_msg_long:
	bad(path, lineno, sizeof text - 1, "line too long");
fail:
	free(ev);
	fclose(f);
	return -1;
}
