/*
 * The signing hook of the signed formats' encoders (package, rotation
 * statement). wire/ only verifies signatures; the host tool and the tests
 * supply a signer (OpenSSL's Ed25519), so no private key code or key
 * material ever lives in the layer the kernel links.
 */
#ifndef CELLOS_SIGNER_H
#define CELLOS_SIGNER_H

#include <stddef.h>
#include <stdint.h>

#include "ed25519.h"

/*
 * Write the Ed25519 signature (R || S) of msg[0..len) under the key behind
 * ctx. 0, or a negative CELL_E_* the encoder passes on.
 */
typedef int (*signer_fn)(void *ctx, const uint8_t *msg, size_t len,
    uint8_t sig[ED25519_SIG_SIZE]);

struct signer {
	signer_fn fn;
	void *ctx;
};

#endif
