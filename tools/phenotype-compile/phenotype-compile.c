/*
 * phenotype-compile: compile a phenotype (YAML) into a .pbin.
 *
 *   phenotype-compile [--schema FILE] -o OUT.pbin IN.yaml
 *
 * The document is validated against the schema (schemas/ by default) and
 * the rules of compile.c. Every problem is reported as
 * IN.yaml:LINE:COLUMN: message on stderr, and then the exit status is 1
 * with no output file. The .pbin is written to a temporary next to OUT and
 * renamed; the same input gives the same bytes.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile.h"
#include "config.h"

static const char usage_line[] =
    "usage: phenotype-compile [--schema FILE] -o OUT.pbin IN.yaml\n";

static int
write_output(const char *path, const uint8_t *bytes, size_t len)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
	if ((f = fopen(tmp, "wb")) == NULL) {
		fprintf(stderr, "phenotype-compile: %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	if (fwrite(bytes, 1, len, f) != len || fflush(f) != 0 ||
	    fsync(fileno(f)) != 0) {
		fprintf(stderr, "phenotype-compile: %s: write error: %s\n", tmp,
		    strerror(errno));
		fclose(f);
		unlink(tmp);
		return -1;
	}
	fclose(f);
	if (rename(tmp, path) != 0) {
		fprintf(stderr, "phenotype-compile: %s: %s\n", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* Read the whole input file; NULL after a message when it cannot be read. */
static unsigned char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0;

	if (f == NULL) {
		fprintf(stderr, "phenotype-compile: %s: %s\n", path,
		    strerror(errno));
		return NULL;
	}
	for (;;) {
		if (n == cap) {
			unsigned char *grown;
			cap = cap ? 2 * cap : 4096;
			if (cap > (16u << 20) || (grown = realloc(buf, cap)) == NULL) {
				fprintf(stderr, "phenotype-compile: %s: larger "
				    "than 16 MiB\n", path);
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = grown;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "phenotype-compile: %s: read error\n", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

int
main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "schema", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static uint8_t pbin[PBIN_SIZE_MAX];
	const char *schema_path = CELLOS_SCHEMA_PATH, *out_path = NULL;
	struct schema schema;
	struct diag d = { NULL, 0, stderr };
	unsigned char *yaml;
	size_t yaml_len = 0;
	long n;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", options, NULL)) != -1) {
		switch (c) {
		case 's':
			schema_path = optarg;
			break;
		case 'o':
			out_path = optarg;
			break;
		case 'h':
			fputs(usage_line, stdout);
			fputs("\nCompile a phenotype YAML file into a .pbin "
			    "(docs/PHENOTYPES.md). Errors are\nreported as "
			    "FILE:LINE:COLUMN: message; on any error nothing is "
			    "written.\n", stdout);
			return 0;
		case ':':
			fprintf(stderr, "phenotype-compile: %s needs a value\n",
			    argv[optind - 1]);
			fputs(usage_line, stderr);
			return 2;
		default:
			fprintf(stderr, "phenotype-compile: unknown option '%s'\n",
			    argv[optind - 1]);
			fputs(usage_line, stderr);
			return 2;
		}
	}
	if (out_path == NULL || optind + 1 != argc) {
		fputs(usage_line, stderr);
		return 2;
	}
	d.file = argv[optind];
	if (schema_load(&schema, schema_path) != 0)
		return 1;
	if ((yaml = read_file(d.file, &yaml_len)) == NULL) {
		schema_free(&schema);
		return 1;
	}
	n = phenotype_compile(&schema, yaml, yaml_len, &d, pbin, sizeof pbin);
	free(yaml);
	schema_free(&schema);
	if (n < 0)
		return 1;
	return write_output(out_path, pbin, (size_t)n) == 0 ? 0 : 1;
}
