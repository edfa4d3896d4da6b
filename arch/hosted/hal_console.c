/*
 * Hosted console: channel 0 is stdout (fd 1), written without stdio
 * buffering, or another fd, or nowhere (the fuzzers and the benchmarks).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cellos/exit.h"
#include "hal.h"
#include "hosted.h"

static int console_fd = STDOUT_FILENO;

void
hosted_console_to(int fd)
{
	console_fd = fd;
}

void
hal_console_write(const char *buf, size_t len)
{
	if (console_fd < 0)
		return;
	while (len > 0) {
		ssize_t n = write(console_fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr,
			    "cellos-hosted: channel 0: %s: the proof "
			    "cannot be written; stopping\n",
			    n < 0 ? strerror(errno) : "nothing written");
			_exit(CELL_EXIT_NOSTART);
		}
		buf += n;
		len -= (size_t)n;
	}
}
