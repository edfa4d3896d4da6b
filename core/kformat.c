/*
 * kvsnprintf and ksnprintf (kprint.h): formatting into a buffer only. Written
 * for the kernel: no allocation, no libc, a fixed stack budget. It calls
 * nothing of the HAL, so host tools can link what uses it (the verifier,
 * the phenotype loader) without a console; kprint.c sends to channel 0.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "kprint.h"

struct outbuf {
	char *buf;
	size_t size;
	size_t len;	/* length the output would have; may exceed size */
};

static void
out_char(struct outbuf *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void
out_number(struct outbuf *o, uint64_t v, unsigned base, int upper,
    int negative, unsigned width, char pad)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	unsigned n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v != 0);
	if (negative && pad == '0')
		out_char(o, '-');
	for (unsigned used = n + (negative ? 1u : 0u); used < width; used++)
		out_char(o, pad);
	if (negative && pad != '0')
		out_char(o, '-');
	while (n > 0)
		out_char(o, tmp[--n]);
}

int
kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf o = { buf, size, 0 };

	for (const char *p = fmt; *p != '\0'; p++) {
		if (*p != '%') {
			out_char(&o, *p);
			continue;
		}
		p++;
		char pad = ' ';
		unsigned width = 0;
		int precision = -1;	/* %.Ns / %.*s: at most N bytes */
		/* Argument size: 0 int, 1 long, 2 long long, 3 size_t.
		 * long and size_t are 4 or 8 bytes depending on the ABI
		 * (ILP32 or LP64), so each is fetched as its own type. */
		int longs = 0;
		if (*p == '0') {
			pad = '0';
			p++;
		}
		while (*p >= '0' && *p <= '9')
			width = width * 10 + (unsigned)(*p++ - '0');
		if (*p == '.') {
			p++;
			precision = 0;
			if (*p == '*') {
				int v = va_arg(ap, int);
				precision = v < 0 ? 0 : v;
				p++;
			}
			while (*p >= '0' && *p <= '9')
				precision = precision * 10 + (*p++ - '0');
		}
		while (*p == 'l' && longs < 2) {
			longs++;
			p++;
		}
		if (*p == 'z') {
			longs = 3;
			p++;
		}
		switch (*p) {
		case 'd': {
			int64_t v = longs == 0 ? va_arg(ap, int) :
			    longs == 1 ? va_arg(ap, long) :
			    longs == 2 ? va_arg(ap, long long) :
			    (int64_t)(intptr_t)va_arg(ap, size_t);
			uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
			out_number(&o, mag, 10, 0, v < 0, width, pad);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			uint64_t v = longs == 0 ? va_arg(ap, unsigned int) :
			    longs == 1 ? va_arg(ap, unsigned long) :
			    longs == 2 ? va_arg(ap, unsigned long long) :
			    va_arg(ap, size_t);
			unsigned base = *p == 'u' ? 10 : 16;
			out_number(&o, v, base, *p == 'X', 0, width, pad);
			break;
		}
		case 'p':
			out_char(&o, '0');
			out_char(&o, 'x');
			out_number(&o, (uint64_t)(uintptr_t)va_arg(ap, void *),
			    16, 0, 0, 16, '0');
			break;
		case 'c':
			out_char(&o, (char)va_arg(ap, int));
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			size_t n = 0;
			if (s == NULL)
				s = "(null)";
			while ((precision < 0 || n < (size_t)precision) &&
			    s[n] != '\0')
				n++;
			for (size_t i = n; i < width; i++)
				out_char(&o, ' ');
			for (size_t i = 0; i < n; i++)
				out_char(&o, s[i]);
			break;
		}
		case '%':
			out_char(&o, '%');
			break;
		case '\0':
			p--;	/* a lone '%' at the end: print nothing more */
			break;
		default:
			/* Unknown conversion: show it rather than guess. */
			out_char(&o, '%');
			out_char(&o, *p);
			break;
		}
	}
	if (size > 0)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len > 0x7FFFFFFF ? 0x7FFFFFFF : (int)o.len;
}

int
ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
