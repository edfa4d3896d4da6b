/*
 * kprintf and kputs_raw (kprint.h): formatted and raw output to channel 0,
 * through the log ring. The formatting itself is kformat.c.
 */
#include <stdarg.h>
#include <stddef.h>

#include "kprint.h"
#include "log_ring.h"

void
kputs_raw(const char *s, size_t len)
{
	log_write(s, len);
}

void
kprintf(const char *fmt, ...)
{
	char line[KPRINT_MAX + 1];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n > KPRINT_MAX) {
		/* Cut, and say so: keep the newline if the caller asked for one. */
		size_t flen = 0;
		while (fmt[flen] != '\0')
			flen++;
		int newline = flen > 0 && fmt[flen - 1] == '\n';
		line[KPRINT_MAX - 2] = '~';
		line[KPRINT_MAX - 1] = newline ? '\n' : '~';
		n = KPRINT_MAX;
	}
	log_write(line, (size_t)n);
}
