/*
 * Helpers shared by the unit tests: capturing what the kernel writes to
 * channel 0 (stdout in the hosted HAL), reading files, and CRC32C by its
 * definition (the reference the kernel's table and engines, and the
 * on-disk layouts, are checked against).
 */
#ifndef CELLOS_TESTUTIL_H
#define CELLOS_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Redirect fd 1 into a temporary file until capture_end. */
struct capture {
	int saved_fd;
	FILE *tmp;
};

static inline void
capture_begin(struct capture *c)
{
	fflush(stdout);
	c->tmp = tmpfile();
	c->saved_fd = dup(STDOUT_FILENO);
	dup2(fileno(c->tmp), STDOUT_FILENO);
}

/* Stop capturing; returns what was written (malloc'd, NUL-terminated). */
static inline char *
capture_end(struct capture *c)
{
	long n;
	char *text;

	fflush(stdout);
	dup2(c->saved_fd, STDOUT_FILENO);
	close(c->saved_fd);
	n = ftell(c->tmp);
	text = calloc(1, (size_t)n + 1);
	rewind(c->tmp);
	if (n > 0 && fread(text, 1, (size_t)n, c->tmp) != (size_t)n)
		text[0] = '\0';
	fclose(c->tmp);
	return text;
}

/* Count the lines of text that start with prefix. */
static inline int
count_lines_with(const char *text, const char *prefix)
{
	int n = 0;
	size_t plen = strlen(prefix);

	for (const char *p = text; p != NULL && *p != '\0';) {
		if (strncmp(p, prefix, plen) == 0)
			n++;
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return n;
}

/* CRC32C (Castagnoli, reflected 0x82F63B78), one bit at a time. */
static inline uint32_t
crc32c_bitwise(const uint8_t *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int b = 0; b < 8; b++)
			c = (c >> 1) ^ (0x82F63B78u & (0u - (c & 1)));
	}
	return ~c;
}

#endif
