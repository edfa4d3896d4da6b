/*
 * Formatted output for the kernel core: a small printf that knows %s %c %d
 * %u %x %X %p and %%, with an optional '0' flag, a field width, a precision
 * for %s (%.12s, %.*s) and the l/ll/z length modifiers. No floating point. Output that does not fit a buffer is
 * cut and the return value says how long it would have been, like snprintf.
 */
#ifndef CELLOS_KPRINT_H
#define CELLOS_KPRINT_H

#include <stdarg.h>
#include <stddef.h>

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Format one line (or part of one) and send it to channel 0. The formatted
 * text is limited to KPRINT_MAX bytes; a longer line is cut and ends in "~"
 * so the cut is visible. Thread only.
 */
#define KPRINT_MAX 512
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Send bytes to channel 0 as they are. */
void kputs_raw(const char *s, size_t len);

#endif
