/*
 * The key set's block copy (core/keystore.c) on any bytes, two ways, by the
 * input's first byte:
 *   even: the next 512 bytes are a copy as it is on the disk. A copy that
 *         decodes re-encodes with its sequence number to the same block.
 *   odd:  the input builds a valid copy (a key set of its root id and
 *         public key, its sequence number), which must decode to the same
 *         key set and sequence; then one bit the input chooses is flipped
 *         anywhere in the block, and the copy must be refused.
 * Any broken property is an abort(). The device secret is a fixed fuzzing
 * value (the MAC key comes from it by trust_derive, as on a device).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "byteorder.h"
#include "hal.h"
#include "keystore.h"
#include "trust.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t secret[TRUST_SECRET_SIZE] = "fuzz_keystore device secret";

static void
as_on_disk(const uint8_t *data, size_t size)
{
	uint8_t block[HAL_BLOCK_SIZE] = { 0 }, again[HAL_BLOCK_SIZE];
	struct keyset ks;
	uint64_t seq;

	memcpy(block, data, size < sizeof block ? size : sizeof block);
	if (keystore_decode(block, &seq, &ks) != 0)
		return;
	if (seq == 0 || keystore_encode(&ks, seq, again) != 0 ||
	    memcmp(again, block, sizeof block) != 0)
		abort();
}

static void
built_then_flipped(const uint8_t *data, size_t size)
{
	uint8_t in[4 + KEYSET_PUBKEY_SIZE + 8 + 2] = { 0 };
	uint8_t block[HAL_BLOCK_SIZE], again[HAL_BLOCK_SIZE];
	struct keyset ks, back;
	uint64_t seq, got;
	unsigned bit;

	memcpy(in, data, size < sizeof in ? size : sizeof in);
	if (keyset_init(&ks, le32_load(in), in + 4) != 0)
		return;
	seq = le64_load(in + 4 + KEYSET_PUBKEY_SIZE) | 1u; /* never 0 */
	if (keystore_encode(&ks, seq, block) != 0)
		abort();
	if (keystore_decode(block, &got, &back) != 0 || got != seq ||
	    keystore_encode(&back, got, again) != 0 ||
	    memcmp(again, block, sizeof block) != 0)
		abort();
	bit = le16_load(in + 4 + KEYSET_PUBKEY_SIZE + 8) % (8 * HAL_BLOCK_SIZE);
	block[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	if (keystore_decode(block, &got, &back) == 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	trust_reset();
	trust_set_secret(secret);
	if (size == 0)
		return 0;
	if (data[0] & 1)
		built_then_flipped(data + 1, size - 1);
	else
		as_on_disk(data + 1, size - 1);
	return 0;
}
