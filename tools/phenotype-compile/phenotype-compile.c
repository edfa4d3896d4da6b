/*
 * phenotype-compile: compile a phenotype (YAML) into a .pbin.
 *
 *   phenotype-compile [--schema FILE] [--code-dir DIR] [--native-genes]
 *       [--sign KEY.pem [--key-id N]] -o OUT.pbin IN.yaml
 *
 * The document is validated against the schema (schemas/ by default) and
 * the rules of compile.c. A gene's code: names an object DIR/<object>.o
 * (genes/bpf/, docs/GENES.md); --native-genes ignores every code: so the
 * same phenotype boots its native genes. Every problem is reported as
 * IN.yaml:LINE:COLUMN: message on stderr, and then the exit status is 1
 * with no output file. The .pbin is written to a temporary next to OUT and
 * renamed; the same input gives the same bytes. --sign appends the
 * signature section (sign.c), Ed25519 by the private key KEY.pem as key id
 * N (default 0), which is deterministic too.
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
#include "outfile.h"
#include "sign.h"

static const char usage_line[] =
    "usage: phenotype-compile [--schema FILE] [--code-dir DIR] "
    "[--native-genes]\n"
    "                         [--sign KEY.pem [--key-id N]] -o OUT.pbin "
    "IN.yaml\n";

#define FILE_SIZE_MAX (16u << 20)

/*
 * Read the whole file at path into a malloc'd buffer: 0, or -1 with why
 * saying what went wrong (compile_options.read_file).
 */
static int
slurp(const char *path, unsigned char **bytes, size_t *len, char *why,
    size_t cap)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t size = 0, n = 0;

	if (f == NULL) {
		snprintf(why, cap, "%s", strerror(errno));
		return -1;
	}
	for (;;) {
		size_t got;

		if (n == size) {
			unsigned char *grown;

			size = size ? 2 * size : 4096;
			if (size > FILE_SIZE_MAX ||
			    (grown = realloc(buf, size)) == NULL) {
				snprintf(why, cap, "larger than %u MiB",
				    FILE_SIZE_MAX >> 20);
				free(buf);
				fclose(f);
				return -1;
			}
			buf = grown;
		}
		got = fread(buf + n, 1, size - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(why, cap, "read error: %s", strerror(errno));
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	*bytes = buf;
	*len = n;
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "schema", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ "code-dir", required_argument, NULL, 'c' },
		{ "native-genes", no_argument, NULL, 'n' },
		{ "sign", required_argument, NULL, 'k' },
		{ "key-id", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static uint8_t pbin[PBIN_SIZE_MAX];
	const char *schema_path = CELLOS_SCHEMA_PATH, *out_path = NULL;
	const char *sign_key = NULL, *key_id_text = NULL;
	unsigned long key_id = 0;
	char *end;
	struct schema schema;
	struct compile_options opts = { NULL, 0, slurp };
	struct diag d = { NULL, 0, stderr };
	unsigned char *yaml = NULL;
	size_t yaml_len = 0;
	char why[256];
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
		case 'c':
			opts.code_dir = optarg;
			break;
		case 'n':
			opts.native_genes = 1;
			break;
		case 'k':
			sign_key = optarg;
			break;
		case 'i':
			key_id_text = optarg;
			break;
		case 'h':
			fputs(usage_line, stdout);
			fputs(
			    "\nCompile a phenotype YAML file into a .pbin "
			    "(docs/PHENOTYPES.md). Errors are\nreported as "
			    "FILE:LINE:COLUMN: message; on any error nothing is "
			    "written.\n\n"
			    "  --code-dir DIR   where the genes' code: objects "
			    "are (DIR/<object>.o)\n"
			    "  --native-genes   ignore every code: (the genes run "
			    "their native steps)\n"
			    "  --sign KEY.pem   end the .pbin with a signature "
			    "section: Ed25519 by\n"
			    "                   this private key (PKCS#8 PEM)\n"
			    "  --key-id N       the signing key's id (default 0, "
			    "the root key)\n",
			    stdout);
			return 0;
		case ':':
			fprintf(stderr, "phenotype-compile: %s needs a value\n",
			    argv[optind - 1]);
			fputs(usage_line, stderr);
			return 2;
		default:
			if (optopt != 0 &&
			    strncmp(argv[optind - 1], "--", 2) != 0)
				fprintf(stderr,
				    "phenotype-compile: unknown "
				    "option '-%c'\n",
				    optopt);
			else
				fprintf(stderr,
				    "phenotype-compile: unknown "
				    "option '%s'\n",
				    argv[optind - 1]);
			fputs(usage_line, stderr);
			return 2;
		}
	}
	if (out_path == NULL || optind + 1 != argc) {
		fprintf(stderr, "phenotype-compile: %s\n",
		    out_path == NULL   ? "missing -o OUT.pbin" :
			optind == argc ? "no IN.yaml given" :
					 "one IN.yaml only");
		fputs(usage_line, stderr);
		return 2;
	}
	if (key_id_text != NULL) {
		errno = 0;
		key_id = strtoul(key_id_text, &end, 0);
		if (sign_key == NULL || *key_id_text == '-' ||
		    *key_id_text == '\0' || *end != '\0' || errno != 0 ||
		    key_id > UINT32_MAX) {
			fprintf(stderr,
			    "phenotype-compile: --key-id '%s': %s\n",
			    key_id_text,
			    sign_key == NULL ?
				"goes with --sign" :
				"expected a number from 0 to 4294967295");
			return 2;
		}
	}
	d.file = argv[optind];
	if (schema_load(&schema, schema_path) != 0)
		return 1;
	if (slurp(d.file, &yaml, &yaml_len, why, sizeof why) != 0) {
		fprintf(stderr, "phenotype-compile: %s: %s\n", d.file, why);
		schema_free(&schema);
		return 1;
	}
	n = phenotype_compile_with(&schema, yaml, yaml_len, &opts, &d, pbin,
	    sizeof pbin);
	free(yaml);
	schema_free(&schema);
	if (n < 0)
		return 1;
	if (sign_key != NULL &&
	    (n = pbin_sign(pbin, (size_t)n, sizeof pbin, sign_key,
		 (uint32_t)key_id)) < 0)
		return 1;
	return outfile_write("phenotype-compile", out_path, pbin, (size_t)n) ==
		0 ?
	    0 :
	    1;
}
