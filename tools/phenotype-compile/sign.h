/* phenotype-compile --sign: see sign.c. */
#ifndef CELLOS_PHENOTYPE_SIGN_H
#define CELLOS_PHENOTYPE_SIGN_H

#include <stddef.h>
#include <stdint.h>

/*
 * Append PBIN_SEC_SIGNATURE to the len-byte phenotype in pbin[0..cap),
 * signed with the Ed25519 private key in the PEM file key_path as key_id.
 * The new length, or -1 after naming the problem on stderr.
 */
long pbin_sign(uint8_t *pbin, size_t len, size_t cap, const char *key_path,
    uint32_t key_id);

#endif
