/* Hosted machine: leaving it is exit(); a panic is abort() for the sanitizers. */
#include <stdio.h>
#include <stdlib.h>

#include "hal.h"

void
hal_exit(int status)
{
	exit(status);
}

void
hal_panic(const char *why)
{
	fprintf(stderr, "cellos-hosted: kernel panic: %s\n", why);
	abort();
}

const char *
hal_machine_unsupported(void)
{
	return NULL; /* signals are always there */
}
