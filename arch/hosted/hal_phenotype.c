/*
 * The hosted phenotype: the file given with --phenotype, read whole into a
 * static buffer (one byte larger than the kernel accepts, so an oversized
 * file is seen as such by the loader rather than cut), or none.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "hal.h"
#include "hosted.h"

static uint8_t file_bytes[PBIN_SIZE_MAX + 1];
static size_t file_len;
static int have_file;

int
hosted_load_phenotype(const char *path)
{
	FILE *f = fopen(path, "rb");

	if (f == NULL) {
		fprintf(stderr, "cellos-hosted: %s: %s\n", path, strerror(errno));
		return -1;
	}
	file_len = fread(file_bytes, 1, sizeof file_bytes, f);
	if (ferror(f)) {
		fprintf(stderr, "cellos-hosted: %s: read error\n", path);
		fclose(f);
		return -1;
	}
	fclose(f);
	have_file = 1;
	return 0;
}

#ifndef CELLOS_NO_DEFAULT_PHENOTYPE
/* The built-in phenotype (default_phenotype.S). */
extern const uint8_t hosted_default_pbin[];
extern const uint8_t hosted_default_pbin_end[];

void
hosted_use_default_phenotype(void)
{
	hosted_set_phenotype(hosted_default_pbin,
	    (size_t)(hosted_default_pbin_end - hosted_default_pbin));
}
#else
void
hosted_use_default_phenotype(void)
{
	/* Built without the phenotype compiler: the kernel's fallback boots. */
}
#endif

void
hosted_set_phenotype(const uint8_t *bytes, size_t len)
{
	size_t n = len < sizeof file_bytes ? len : sizeof file_bytes;

	memcpy(file_bytes, bytes, n);
	file_len = n;
	have_file = 1;
}

const uint8_t *
hal_phenotype(size_t *len)
{
	if (!have_file) {
		*len = 0;
		return NULL;
	}
	*len = file_len;
	return file_bytes;
}
