/*
 * The key-rotation statement decoder and keyset_rotate on any bytes. The
 * seeds (fuzz/corpus/rotation/) are statements made by
 *   cellos-sign rotate --key keys/TEST-ONLY-root.pem
 *       --new keys/TEST-ONLY-next.pem --test-key ...
 * Properties, any failure an abort():
 *   - a statement that decodes is exactly 128 bytes, its new key passes
 *     ed25519_pubkey_check, it revokes only an older id, and it
 *     re-encodes to the same bytes (the signature copied);
 *   - applied to the key set {test root, id 0}, it is accepted exactly
 *     when its signature verifies under the root, its new id is not 0 and
 *     its key is not the root's; the set is untouched on refusal, and
 *     after success it keeps every rule of keyset_check, has the new key
 *     active, round-trips through its record, and refuses the same
 *     statement again.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cellos/rotation.h"
#include "ed25519.h"
#include "keyset_codec.h"
#include "rotation_codec.h"
#include "test_keys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t mac_key[KEYSET_MAC_KEY_SIZE] =
    "fuzz_rotation key set MAC key";

static int
copy_signature(void *ctx, const uint8_t *msg, size_t len, uint8_t sig[64])
{
	(void)msg;
	(void)len;
	memcpy(sig, ctx, 64);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t again[ROTATION_SIZE], rec[KEYSET_RECORD_SIZE];
	struct keyset ks, before, back;
	struct rotation r;
	struct signer s;
	int verdict, want, rc;

	if (rotation_decode(data, size, &r) != 0)
		return 0;
	if (size != ROTATION_SIZE ||
	    ed25519_pubkey_check(r.info.new_pubkey) != 0 ||
	    (r.info.revokes && r.info.revoke_id >= r.info.new_key_id) ||
	    (!r.info.revokes && r.info.revoke_id != 0) ||
	    r.info.statement_version == 0)
		abort();
	s = (struct signer){ copy_signature,
		(void *)(data + ROTATION_BODY_SIZE) };
	if (rotation_encode(again, sizeof again, &r.info, &s) !=
		(int)ROTATION_SIZE ||
	    memcmp(again, data, ROTATION_SIZE) != 0)
		abort();

	if (keyset_init(&ks, 0, fuzz_test_root_pub) != 0)
		abort();
	before = ks;
	verdict = rotation_verify(&r, fuzz_test_root_pub);
	if (verdict != 0)
		want = verdict;
	else if (r.info.new_key_id == 0 ||
	    memcmp(r.info.new_pubkey, fuzz_test_root_pub, 32) == 0)
		want = -CELL_E_EXISTS;
	else
		want = 0;
	if ((rc = keyset_rotate(&ks, &r)) != want)
		abort();
	if (rc != 0) {
		if (memcmp(&ks, &before, sizeof ks) != 0)
			abort();
		return 0;
	}
	if (keyset_check(&ks) != 0 || ks.count != 2 ||
	    keyset_active(&ks)->id != r.info.new_key_id ||
	    ks.statement_version != r.info.statement_version ||
	    keyset_lookup(&ks, 0, NULL) !=
		(r.info.revokes && r.info.revoke_id == 0 ? -CELL_E_REVOKED : 0))
		abort();
	if (keyset_encode(&ks, mac_key, rec, sizeof rec) !=
		(int)KEYSET_RECORD_SIZE ||
	    keyset_decode(rec, sizeof rec, mac_key, &back) != 0 ||
	    memcmp(&back, &ks, sizeof ks) != 0)
		abort();
	before = ks;
	if (keyset_rotate(&ks, &r) == 0 || memcmp(&ks, &before, sizeof ks) != 0)
		abort();
	return 0;
}
