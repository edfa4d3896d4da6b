/* Hosted console: channel 0 is stdout (fd 1), written without stdio buffering. */
#include <errno.h>
#include <unistd.h>

#include "hal.h"

void
hal_console_write(const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(STDOUT_FILENO, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;	/* stdout is gone; there is nobody left to tell */
		buf += n;
		len -= (size_t)n;
	}
}
