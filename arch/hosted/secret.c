/*
 * --secret FILE: the device secret the hosted machine hands the kernel
 * (cell_machine_secret), instead of the disk's provisioned slot. FILE holds
 * exactly 32 bytes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cell.h"
#include "hosted.h"

static uint8_t secret[32];

int
hosted_load_secret(const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t n;
	int extra;

	if (f == NULL) {
		fprintf(stderr, "cellos-hosted: --secret %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	n = fread(secret, 1, sizeof secret, f);
	extra = fgetc(f);
	fclose(f);
	if (n != sizeof secret || extra != EOF) {
		fprintf(stderr,
		    "cellos-hosted: --secret %s: expected exactly %zu "
		    "bytes, the file has %s\n",
		    path, sizeof secret, n < sizeof secret ? "fewer" : "more");
		return -1;
	}
	cell_machine_secret = secret;
	return 0;
}
