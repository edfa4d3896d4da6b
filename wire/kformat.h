/*
 * Formatting into a buffer, for the kernel and the host tools alike (no
 * HAL, no libc): a small printf that knows %s %c %d %u %x %X %p and %%,
 * with an optional '0' flag, a field width, a precision for %s (%.12s,
 * %.*s) and the l/ll/z length modifiers. No floating point. Output that
 * does not fit a buffer is cut and the return value says how long it would
 * have been, like snprintf. kprint.h sends formatted lines to channel 0.
 */
#ifndef CELLOS_KFORMAT_H
#define CELLOS_KFORMAT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Formats that arrive at run time (the genes' log and format helpers,
 * include/cellos/vm_abi.h "Formats"): the format and %s strings are read
 * a byte at a time through byte(ctx, addr), which returns the byte or a
 * negative CELL_E_* code when addr is not readable; the arguments are
 * argv[0..argc). The conversions are %u %d %x %X %c %s and %%, each with
 * an optional '0' flag and a width of at most two digits; %d prints its
 * argument as a signed 32-bit number, %u %x %X as unsigned 32-bit, %c its
 * low byte, %s the string at the address it holds.
 */
struct kformat_src {
	int (*byte)(void *ctx, uint64_t addr);
	void *ctx;
	uint32_t fmt_max; /* the format's bytes, its NUL included */
	uint32_t str_max; /* a %s string's bytes, without its NUL */
};

/*
 * Format the string at fmt with argv into buf[0..cap) (no terminator).
 * Returns the full length, which may exceed cap; -CELL_E_INVAL for a bad
 * format (an unknown conversion, a wider width, too few or too many
 * arguments, no terminator within the limits); or byte()'s error, as is.
 */
int kformat_argv(char *buf, size_t cap, const struct kformat_src *src,
    uint64_t fmt, const uint64_t *argv, unsigned argc);

#endif
