/*
 * phenotype-compile --sign KEY: the .pbin's signature section
 * (include/cellos/pbin.h, PBIN_SEC_SIGNATURE), made with OpenSSL's
 * Ed25519 from an unencrypted PKCS#8 PEM private key (what cellos-sign
 * keygen writes), laid out by wire/pbin_codec.c and checked again with the
 * kernel's own loader and verifier before anything is written.
 */
#include <errno.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cellos/errors.h"
#include "ed25519.h"
#include "openssl_ed25519.h"
#include "pbin_codec.h"
#include "pheno.h"
#include "sign.h"
#include "signer.h"

/* The first OpenSSL error, for a message. */
static const char *
openssl_reason(void)
{
	unsigned long e = ERR_get_error();
	const char *r = e != 0 ? ERR_reason_error_string(e) : NULL;

	ERR_clear_error();
	return r != NULL ? r : "no reason given";
}

long
pbin_sign(uint8_t *pbin, size_t len, size_t cap, const char *key_path,
    uint32_t key_id)
{
	uint8_t pub[ED25519_PUBKEY_SIZE];
	size_t publen = sizeof pub;
	struct pheno_error err = { 0 };
	static struct phenotype p;
	struct pbin_writer w;
	struct signer signer;
	EVP_PKEY *k = NULL;
	long rc = -1;
	FILE *f;
	int n;

	if ((f = fopen(key_path, "rb")) == NULL) {
		fprintf(stderr, "phenotype-compile: --sign %s: %s\n", key_path,
		    strerror(errno));
		return -1;
	}
	k = PEM_read_PrivateKey(f, NULL, openssl_no_passphrase, NULL);
	fclose(f);
	if (k == NULL) {
		fprintf(stderr,
		    "phenotype-compile: --sign %s: not an "
		    "unencrypted PEM private key (%s)\n",
		    key_path, openssl_reason());
		return -1;
	}
	if (EVP_PKEY_get_base_id(k) != EVP_PKEY_ED25519 ||
	    EVP_PKEY_get_raw_public_key(k, pub, &publen) != 1 ||
	    publen != sizeof pub) {
		fprintf(stderr,
		    "phenotype-compile: --sign %s: not an Ed25519 "
		    "key\n",
		    key_path);
		goto out;
	}
	pbin_writer_init(&w, pbin, cap);
	w.len = len;
	signer = (struct signer){ openssl_ed25519_sign, k };
	if ((n = pbin_put_signature(&w, key_id, &signer)) < 0) {
		if (n == -CELL_E_NOSPACE)
			fprintf(stderr,
			    "phenotype-compile: with its %u-byte "
			    "signature the phenotype is %zu bytes, more than "
			    "the %zu a phenotype may have\n",
			    PBIN_SIGNATURE_SECTION,
			    len + PBIN_SIGNATURE_SECTION, cap);
		else
			fprintf(stderr,
			    "phenotype-compile: --sign %s: signing "
			    "failed (%s)\n",
			    key_path, openssl_reason());
		goto out;
	}
	/* The kernel's loader and verifier must accept what was signed. */
	if ((n = pheno_parse(pbin, w.len, &p, &err)) < 0 ||
	    (n = ed25519_verify(p.signature, pbin,
		 p.content_len + PBIN_SECTION_HDR_SIZE + PBIN_SIGNATURE_SIGNED,
		 pub)) < 0 ||
	    p.content_len != len) {
		fprintf(stderr,
		    "phenotype-compile: the signed phenotype does "
		    "not load or verify with the kernel's own code (%s); "
		    "nothing written\n",
		    cell_strerror(n));
		goto out;
	}
	rc = (long)w.len;
out:
	EVP_PKEY_free(k);
	return rc;
}
