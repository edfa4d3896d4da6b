/*
 * proof-genome: write the E7 proof's genome image of a version, the bytes
 * core/proof_update.c makes (make_genome) and the build signs into the
 * proof's packages.
 *
 *   proof-genome --version N --length BYTES -o FILE
 *
 * The stream: x = 0x9E3779B9 ^ (N * 0x85EBCA6B) (mod 2^32); for every four
 * bytes, x ^= x << 13, x ^= x >> 17, x ^= x << 5 (xorshift32), then x's
 * bytes little-endian; the last step is cut at BYTES. E7 checks the
 * installed payload against its own stream byte for byte, so the two
 * cannot drift apart unnoticed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outfile.h"

static const char usage[] =
    "usage: proof-genome --version N --length BYTES -o FILE\n";

static int
number(const char *opt, const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-' ||
	    *out > max) {
		fprintf(stderr,
		    "proof-genome: %s %s: expected a number 0..%lu\n", opt, s,
		    max);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	const char *out = NULL;
	unsigned long version = 0, length = 0;
	int have_v = 0, have_l = 0;
	static uint8_t image[65536];

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage, stdout);
			return 0;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "proof-genome: %s: %s\n", a,
			    strncmp(a, "-", 1) == 0 ? "needs a value" :
						      "unexpected argument");
			fputs(usage, stderr);
			return 2;
		}
		if (strcmp(a, "--version") == 0) {
			if (number(a, argv[++i], 0xFFFFFFFFul, &version) < 0)
				return 2;
			have_v = 1;
		} else if (strcmp(a, "--length") == 0) {
			if (number(a, argv[++i], sizeof image, &length) < 0 ||
			    length == 0) {
				if (length == 0)
					fprintf(stderr,
					    "proof-genome: --length: "
					    "at least 1\n");
				return 2;
			}
			have_l = 1;
		} else if (strcmp(a, "-o") == 0) {
			out = argv[++i];
		} else {
			fprintf(stderr, "proof-genome: unknown option '%s'\n",
			    a);
			fputs(usage, stderr);
			return 2;
		}
	}
	if (!have_v || !have_l || out == NULL) {
		fputs(usage, stderr);
		return 2;
	}
	uint32_t x = 0x9E3779B9u ^ ((uint32_t)version * 0x85EBCA6Bu);
	for (unsigned long off = 0; off < length; off += 4) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		for (unsigned long i = 0; i < 4 && off + i < length; i++)
			image[off + i] = (uint8_t)(x >> (8 * i));
	}
	return outfile_write("proof-genome", out, image, length) == 0 ? 0 : 1;
}
