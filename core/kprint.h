/*
 * Output to channel 0 for the kernel core: formatted lines (kformat.h
 * does the formatting) and raw bytes, through the log ring.
 */
#ifndef CELLOS_KPRINT_H
#define CELLOS_KPRINT_H

#include <stddef.h>

#include "kformat.h"

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
