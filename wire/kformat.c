/*
 * kvsnprintf, ksnprintf and kformat_argv (kformat.h): formatting into a
 * buffer only. Written for the kernel: no allocation, no libc, a fixed
 * stack budget. It calls nothing of the HAL, so host tools can link what
 * uses it (the verifier, the phenotype loader) without a console; kprint.c
 * sends to channel 0. One number engine (out_number) serves both the
 * compile-time formats and the genes' run-time ones.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "cellos/errors.h"
#include "kformat.h"

struct outbuf {
	char *buf;
	size_t size;
	size_t len;  /* length the output would have; may exceed size */
	size_t keep; /* bytes kept back for a terminator: 1 or 0 */
};

static void
out_char(struct outbuf *o, char c)
{
	if (o->len + o->keep < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void
out_number(struct outbuf *o, uint64_t v, unsigned base, int upper, int negative,
    unsigned width, char pad)
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
	struct outbuf o = { buf, size, 0, 1 };

	for (const char *p = fmt; *p != '\0'; p++) {
		if (*p != '%') {
			out_char(&o, *p);
			continue;
		}
		p++;
		char pad = ' ';
		unsigned width = 0;
		int precision = -1; /* %.Ns / %.*s: at most N bytes */
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
			    longs == 1         ? va_arg(ap, long) :
			    longs == 2         ? va_arg(ap, long long) :
					 (int64_t)(intptr_t)va_arg(ap, size_t);
			uint64_t mag =
			    v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
			out_number(&o, mag, 10, 0, v < 0, width, pad);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			uint64_t v = longs == 0 ? va_arg(ap, unsigned int) :
			    longs == 1          ? va_arg(ap, unsigned long) :
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
			p--; /* a lone '%' at the end: print nothing more */
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

/* The next format byte into *c: 0, -CELL_E_INVAL past fmt_max, or the reader's error. */
static int
next_byte(const struct kformat_src *src, uint64_t fmt, uint32_t *i, int *c)
{
	if (*i >= src->fmt_max)
		return -CELL_E_INVAL; /* no terminator in time */
	*c = src->byte(src->ctx, fmt + (*i)++);
	return *c < 0 ? *c : 0;
}

int
kformat_argv(char *buf, size_t cap, const struct kformat_src *src, uint64_t fmt,
    const uint64_t *argv, unsigned argc)
{
	struct outbuf o = { buf, cap, 0, 0 };
	uint32_t i = 0;
	unsigned next = 0;
	int c, rc;

	for (;;) {
		char pad = ' ';
		unsigned width = 0, digits = 0;
		uint32_t v;

		if ((rc = next_byte(src, fmt, &i, &c)) < 0)
			return rc;
		if (c == '\0')
			break;
		if (c != '%') {
			out_char(&o, (char)c);
			continue;
		}
		if ((rc = next_byte(src, fmt, &i, &c)) < 0)
			return rc;
		if (c == '%') {
			out_char(&o, '%');
			continue;
		}
		if (c == '0') {
			pad = '0';
			if ((rc = next_byte(src, fmt, &i, &c)) < 0)
				return rc;
		}
		while (c >= '0' && c <= '9') {
			if (++digits > 2)
				return -CELL_E_INVAL;
			width = width * 10 + (unsigned)(c - '0');
			if ((rc = next_byte(src, fmt, &i, &c)) < 0)
				return rc;
		}
		if (next >= argc)
			return -CELL_E_INVAL; /* more conversions than arguments */
		v = (uint32_t)argv[next];
		switch (c) {
		case 'u':
		case 'x':
		case 'X':
			out_number(&o, v, c == 'u' ? 10 : 16, c == 'X', 0,
			    width, pad);
			break;
		case 'd': {
			int32_t sv = (int32_t)v;

			out_number(&o,
			    sv < 0 ? 0u - (uint64_t)(int64_t)sv : (uint64_t)sv,
			    10, 0, sv < 0, width, pad);
			break;
		}
		case 'c':
			for (unsigned k = 1; k < width; k++)
				out_char(&o, ' ');
			out_char(&o, (char)v);
			break;
		case 's': {
			uint64_t s = argv[next];
			unsigned n = 0;
			int ch;

			/* Measure first, so width pads on the left. */
			while ((ch = src->byte(src->ctx, s + n)) > 0) {
				if (++n > src->str_max)
					return -CELL_E_INVAL;
			}
			if (ch < 0)
				return ch;
			for (unsigned k = n; k < width; k++)
				out_char(&o, ' ');
			for (unsigned k = 0; k < n; k++)
				out_char(&o, (char)src->byte(src->ctx, s + k));
			break;
		}
		default:
			return -CELL_E_INVAL;
		}
		next++;
	}
	if (next != argc)
		return -CELL_E_INVAL; /* arguments left over */
	return o.len > 0x7FFFFFFF ? 0x7FFFFFFF : (int)o.len;
}
