/*
 * The key set record decoder on any bytes. The input is decoded as it is
 * (it will nearly always fail its MAC) and again with its MAC made right
 * under the fuzzer's key, so every field rule behind the MAC is reached.
 * Properties, any failure an abort(): a record that decodes keeps every
 * rule of keyset_check and re-encodes to the same bytes; under another key
 * it is refused as a bad MAC; one flipped bit anywhere after the version
 * is refused as a bad MAC too. The seeds (fuzz/corpus/keyset/) are records
 * of one to eight keys built from the test keys and fresh keys.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cellos/keyset.h"
#include "crypto.h"
#include "keyset_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t mac_key[KEYSET_MAC_KEY_SIZE] =
    "fuzz_keyset record MAC key";

static void
check(const uint8_t *data, size_t size)
{
	static const uint8_t other[KEYSET_MAC_KEY_SIZE] = "another key";
	uint8_t again[KEYSET_RECORD_SIZE], flipped[KEYSET_RECORD_SIZE];
	struct keyset ks;
	size_t bit;

	if (keyset_decode(data, size, mac_key, &ks) != 0)
		return;
	if (size != KEYSET_RECORD_SIZE || keyset_check(&ks) != 0 ||
	    keyset_active(&ks) != &ks.keys[ks.count - 1])
		abort();
	if (keyset_encode(&ks, mac_key, again, sizeof again) !=
		(int)KEYSET_RECORD_SIZE ||
	    memcmp(again, data, size) != 0)
		abort();
	if (keyset_decode(data, size, other, NULL) != -CELL_E_BADMAC)
		abort();
	bit = 48 + (size_t)data[7] * 11 % ((KEYSET_RECORD_SIZE - 6) * 8);
	memcpy(flipped, data, size);
	flipped[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	if (keyset_decode(flipped, size, mac_key, NULL) != -CELL_E_BADMAC)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t fixed[KEYSET_RECORD_SIZE];

	check(data, size);
	if (size != KEYSET_RECORD_SIZE)
		return 0;
	memcpy(fixed, data, size);
	hmac_sha256(mac_key, sizeof mac_key, fixed, KEYSET_OFF_MAC,
	    fixed + KEYSET_OFF_MAC);
	check(fixed, size);
	return 0;
}
