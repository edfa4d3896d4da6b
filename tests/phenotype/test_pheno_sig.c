/*
 * test_pheno_sig UNSIGNED SIGNED WRONG-KEY OTHER-ID FLIPPED TRAILING -- the
 * kernel's phenotype acceptance (core/pheno.c, pheno_check_signature) under
 * both policies, on files tests/phenotype/signed.sh made with
 * phenotype-compile and checked with OpenSSL: with signatures required
 * (what the boards' images do) only SIGNED (by the root test key, id 0)
 * passes; UNSIGNED is refused as unsigned, WRONG-KEY (TEST-ONLY-next as
 * id 0) and FLIPPED (one bit changed) with a bad signature, OTHER-ID with
 * an untrusted key id; accepting unsigned ones (the hosted builds) lets
 * UNSIGNED through and still refuses the rest. TRAILING (a byte after the
 * signature) does not even parse. Each refusal names its field.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cellos/errors.h"
#include "pheno.h"

static int failures;

static size_t
load(const char *path, uint8_t *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL) {
		perror(path);
		exit(2);
	}
	n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

/* path under policy accept_unsigned: want (0 or -CELL_E_*) and field. */
static void
check(const char *path, int accept_unsigned, int want, const char *field)
{
	static uint8_t buf[PBIN_SIZE_MAX + 1];
	static struct phenotype p;
	struct pheno_error err = { 0 };
	size_t n = load(path, buf, sizeof buf);
	int rc;

	if ((rc = pheno_parse(buf, n, &p, &err)) == 0)
		rc = pheno_check_signature(buf, n, &p, accept_unsigned, &err);
	if (rc != want || (want != 0 && strcmp(err.field, field) != 0)) {
		printf("FAIL: %s (accept unsigned %d): %d %s (%s), expected %d "
		       "%s\n",
		    path, accept_unsigned, rc, rc ? err.field : "",
		    rc ? err.detail : "", want, field);
		failures++;
		return;
	}
	printf("ok: %s (accept unsigned %d): %s%s%s\n", path, accept_unsigned,
	    rc == 0 ? "accepted" : cell_strerror(rc), rc ? ", " : "",
	    rc ? err.field : "");
}

int
main(int argc, char **argv)
{
	uint8_t pub[32];

	if (argc != 7) {
		fprintf(stderr,
		    "usage: test_pheno_sig UNSIGNED SIGNED WRONG-KEY "
		    "OTHER-ID FLIPPED TRAILING\n");
		return 2;
	}
	for (int accept = 0; accept <= 1; accept++) {
		check(argv[1], accept, accept ? 0 : -CELL_E_NOENT, "signature");
		check(argv[2], accept, 0, "");
		check(argv[3], accept, -CELL_E_BADSIG, "signature.sig");
		check(argv[4], accept, -CELL_E_NOENT, "signature.key_id");
		check(argv[5], accept, -CELL_E_BADSIG, "signature.sig");
		check(argv[6], accept, -CELL_E_RANGE, "sections.signature");
	}
	/* The trusted keys: the root (id 0 in the test build) and nothing else. */
	if (pheno_trusted_key(0, pub) != 0 ||
	    pheno_trusted_key(1, pub) != -CELL_E_NOENT) {
		printf("FAIL: pheno_trusted_key: only id 0 is trusted\n");
		failures++;
	}
	if (failures != 0)
		printf("%d failure(s)\n", failures);
	return failures != 0;
}
