/*
 * Hosted console: channel 0 is stdout (fd 1), written without stdio
 * buffering, or another fd, or nowhere (the fuzzers and the benchmarks).
 */
#include <errno.h>
#include <unistd.h>

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
		if (n <= 0)
			return;	/* stdout is gone; there is nobody left to tell */
		buf += n;
		len -= (size_t)n;
	}
}
