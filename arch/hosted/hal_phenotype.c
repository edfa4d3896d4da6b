/*
 * The hosted phenotype: the file given with --phenotype, read whole (so an
 * oversized file reaches the loader at its true size, to be refused), bytes
 * handed over by a fuzzer, or the built-in hosted.linux.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cellos/pbin.h"
#include "config.h"
#include "hal.h"
#include "hosted.h"

#define FILE_MAX (16u << 20)

static uint8_t *file_bytes;                 /* a --phenotype file, malloc'd */
static uint8_t set_copy[PBIN_SIZE_MAX + 1]; /* hosted_set_phenotype's */
static const uint8_t *current;
static size_t current_len;

int
hosted_load_phenotype(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long size;

	if (f == NULL) {
		fprintf(stderr, "cellos-hosted: %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (unsigned long)size > FILE_MAX) {
		fprintf(stderr,
		    "cellos-hosted: %s: not a readable file of at most "
		    "%u bytes\n",
		    path, FILE_MAX);
		fclose(f);
		return -1;
	}
	buf = malloc((size_t)size + 1);
	if (buf == NULL || fread(buf, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "cellos-hosted: %s: read error\n", path);
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	free(file_bytes);
	file_bytes = buf;
	current = file_bytes;
	current_len = (size_t)size;
	return 0;
}

void
hosted_set_phenotype(const uint8_t *bytes, size_t len)
{
	/* One byte past the kernel's limit is enough for it to refuse a
	 * longer blob as oversized. */
	size_t n = len < sizeof set_copy ? len : sizeof set_copy;

	memcpy(set_copy, bytes, n);
	current = set_copy;
	current_len = n;
}

#ifndef CELLOS_NO_DEFAULT_PHENOTYPE
/* The built-in phenotype (default_phenotype.S). */
extern const uint8_t hosted_default_pbin[];
extern const uint8_t hosted_default_pbin_end[];

void
hosted_use_default_phenotype(void)
{
	current = hosted_default_pbin;
	current_len = (size_t)(hosted_default_pbin_end - hosted_default_pbin);
}
#else
void
hosted_use_default_phenotype(void)
{
	/* Built without the phenotype compiler: the kernel's fallback boots. */
	current = NULL;
	current_len = 0;
}
#endif

const uint8_t *
hal_phenotype(size_t *len)
{
	*len = current_len;
	return current;
}

uint32_t
hal_pbin_arch(void)
{
	return PBIN_ARCH_HOSTED;
}
