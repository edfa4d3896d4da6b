/* The trusted key set; see keyset_codec.h for the contract. */
#include <stddef.h>
#include <stdint.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "cellos/keyset.h"
#include "cellos/package.h"
#include "crypto.h"
#include "ed25519.h"
#include "keyset_codec.h"
#include "package_codec.h"
#include "rotation_codec.h"

static int
same_bytes(const uint8_t *a, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

static void
copy_bytes(uint8_t *dst, const uint8_t *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = src[i];
}

int
keyset_init(struct keyset *ks, uint32_t root_id,
    const uint8_t root_pub[KEYSET_PUBKEY_SIZE])
{
	struct keyset fresh = { 0 };
	int rc;

	if (ks == NULL || root_pub == NULL)
		return -CELL_E_INVAL;
	if ((rc = ed25519_pubkey_check(root_pub)) < 0)
		return rc;
	fresh.count = 1;
	fresh.keys[0].id = root_id;
	copy_bytes(fresh.keys[0].pubkey, root_pub, KEYSET_PUBKEY_SIZE);
	*ks = fresh;
	return 0;
}

static int
entry_is_zero(const keyset_entry_t *e)
{
	uint8_t acc = 0;

	for (unsigned i = 0; i < KEYSET_PUBKEY_SIZE; i++)
		acc |= e->pubkey[i];
	return e->id == 0 && e->flags == 0 && acc == 0;
}

/*
 * keyset_check's rules but the curve: what encode and rotate check of a set
 * in memory, whose keys were checked on the curve where they entered it
 * (keyset_init, keyset_decode, rotation_decode). A key check is a square
 * root in GF(p), most of a boot's key handling.
 */
static int
check_shape(const struct keyset *ks)
{
	if (ks == NULL)
		return -CELL_E_INVAL;
	if (ks->count == 0 || ks->count > KEYSET_KEYS_MAX)
		return -CELL_E_RANGE;
	for (uint32_t i = ks->count; i < KEYSET_KEYS_MAX; i++)
		if (!entry_is_zero(&ks->keys[i]))
			return -CELL_E_RESERVED;
	for (uint32_t i = 0; i < ks->count; i++)
		if ((ks->keys[i].flags & ~KEYSET_FLAGS_KNOWN) != 0)
			return -CELL_E_FLAGS;
	for (uint32_t i = 1; i < ks->count; i++)
		if (ks->keys[i].id <= ks->keys[i - 1].id)
			return -CELL_E_RANGE;
	if (ks->keys[ks->count - 1].flags & KEYSET_F_REVOKED)
		return -CELL_E_REVOKED;
	for (uint32_t i = 0; i < ks->count; i++)
		for (uint32_t j = i + 1; j < ks->count; j++)
			if (same_bytes(ks->keys[i].pubkey, ks->keys[j].pubkey,
				KEYSET_PUBKEY_SIZE))
				return -CELL_E_EXISTS;
	return 0;
}

int
keyset_check(const struct keyset *ks)
{
	int rc;

	if ((rc = check_shape(ks)) < 0)
		return rc;
	for (uint32_t i = 0; i < ks->count; i++)
		if ((rc = ed25519_pubkey_check(ks->keys[i].pubkey)) < 0)
			return rc;
	return 0;
}

static void
record_mac(const uint8_t *record, const uint8_t key[KEYSET_MAC_KEY_SIZE],
    uint8_t tag[KEYSET_MAC_SIZE])
{
	hmac_sha256(key, KEYSET_MAC_KEY_SIZE, record, KEYSET_OFF_MAC, tag);
}

int
keyset_encode(const struct keyset *ks,
    const uint8_t mac_key[KEYSET_MAC_KEY_SIZE], uint8_t *out, size_t cap)
{
	int rc;

	if ((rc = check_shape(ks)) < 0)
		return rc;
	if (mac_key == NULL)
		return -CELL_E_INVAL;
	if (out == NULL || cap < KEYSET_RECORD_SIZE)
		return -CELL_E_NOSPACE;
	for (unsigned i = 0; i < KEYSET_RECORD_SIZE; i++)
		out[i] = 0;
	le32_store(out + KEYSET_OFF_MAGIC, KEYSET_MAGIC);
	le16_store(out + KEYSET_OFF_FORMAT_VERSION, KEYSET_FORMAT_VERSION);
	le16_store(out + KEYSET_OFF_COUNT, (uint16_t)ks->count);
	le32_store(out + KEYSET_OFF_STATEMENT_VERSION, ks->statement_version);
	le32_store(out + KEYSET_OFF_SECURITY_COUNTER, ks->security_counter);
	for (uint32_t i = 0; i < ks->count; i++) {
		uint8_t *e = out + KEYSET_OFF_KEYS + i * KEYSET_ENTRY_SIZE;

		le32_store(e + KEYSET_ENTRY_OFF_ID, ks->keys[i].id);
		le32_store(e + KEYSET_ENTRY_OFF_FLAGS, ks->keys[i].flags);
		copy_bytes(e + KEYSET_ENTRY_OFF_PUBKEY, ks->keys[i].pubkey,
		    KEYSET_PUBKEY_SIZE);
	}
	record_mac(out, mac_key, out + KEYSET_OFF_MAC);
	return (int)KEYSET_RECORD_SIZE;
}

int
keyset_decode(const uint8_t *buf, size_t size,
    const uint8_t mac_key[KEYSET_MAC_KEY_SIZE], struct keyset *out)
{
	uint8_t tag[KEYSET_MAC_SIZE];
	struct keyset ks = { 0 };
	uint16_t count;
	int rc;

	if (mac_key == NULL)
		return -CELL_E_INVAL;
	if (buf == NULL || size < KEYSET_RECORD_SIZE)
		return -CELL_E_TRUNCATED;
	if (le32_load(buf + KEYSET_OFF_MAGIC) != KEYSET_MAGIC)
		return -CELL_E_MAGIC;
	if (le16_load(buf + KEYSET_OFF_FORMAT_VERSION) != KEYSET_FORMAT_VERSION)
		return -CELL_E_VERSION;
	if (size != KEYSET_RECORD_SIZE)
		return -CELL_E_LENGTH;
	record_mac(buf, mac_key, tag);
	rc = ct_equal(tag, buf + KEYSET_OFF_MAC, KEYSET_MAC_SIZE);
	crypto_wipe(tag, sizeof tag);
	if (!rc)
		return -CELL_E_BADMAC;

	/*
	 * Every slot is read, the unused ones too, so keyset_check sees
	 * bytes that should be zero and are not.
	 */
	count = le16_load(buf + KEYSET_OFF_COUNT);
	ks.count = count;
	ks.statement_version = le32_load(buf + KEYSET_OFF_STATEMENT_VERSION);
	ks.security_counter = le32_load(buf + KEYSET_OFF_SECURITY_COUNTER);
	for (uint32_t i = 0; i < KEYSET_KEYS_MAX; i++) {
		const uint8_t *e =
		    buf + KEYSET_OFF_KEYS + i * KEYSET_ENTRY_SIZE;

		ks.keys[i].id = le32_load(e + KEYSET_ENTRY_OFF_ID);
		ks.keys[i].flags = le32_load(e + KEYSET_ENTRY_OFF_FLAGS);
		copy_bytes(ks.keys[i].pubkey, e + KEYSET_ENTRY_OFF_PUBKEY,
		    KEYSET_PUBKEY_SIZE);
	}
	if ((rc = keyset_check(&ks)) < 0)
		return rc;
	if (out != NULL)
		*out = ks;
	return 0;
}

const keyset_entry_t *
keyset_active(const struct keyset *ks)
{
	if (ks == NULL || ks->count == 0 || ks->count > KEYSET_KEYS_MAX)
		return NULL;
	return &ks->keys[ks->count - 1];
}

int
keyset_lookup(const struct keyset *ks, uint32_t id, const keyset_entry_t **key)
{
	if (ks == NULL || ks->count > KEYSET_KEYS_MAX)
		return -CELL_E_NOENT;
	for (uint32_t i = 0; i < ks->count; i++) {
		if (ks->keys[i].id != id)
			continue;
		if (ks->keys[i].flags & KEYSET_F_REVOKED)
			return -CELL_E_REVOKED;
		if (key != NULL)
			*key = &ks->keys[i];
		return 0;
	}
	return -CELL_E_NOENT;
}

int
keyset_check_package(const struct keyset *ks, const struct package *pkg)
{
	const keyset_entry_t *key;
	uint32_t id, counter;
	int rc;

	if (ks == NULL || pkg == NULL || pkg->signed_bytes == NULL ||
	    pkg->signed_len < PACKAGE_HDR_SIZE)
		return -CELL_E_INVAL;
	id = le32_load(pkg->signed_bytes + PACKAGE_OFF_KEY_ID);
	counter = le32_load(pkg->signed_bytes + PACKAGE_OFF_SECURITY_COUNTER);
	if ((rc = keyset_lookup(ks, id, &key)) < 0)
		return rc;
	/*
	 * An older package is refused before its signature is checked: a
	 * refusal trusts nothing, and an authentic replay is the common case
	 * (a verification is most of the decision's cost).
	 */
	if (counter < ks->security_counter)
		return -CELL_E_ROLLBACK;
	return package_verify(pkg, key->pubkey);
}

int
keyset_rotate(struct keyset *ks, const struct rotation *r)
{
	uint8_t bytes[ROTATION_SIZE];
	struct rotation signed_r;
	const struct rotation_info *in;
	const keyset_entry_t *active;
	struct keyset next;
	int rc;

	if (ks == NULL || r == NULL)
		return -CELL_E_INVAL;
	if ((rc = check_shape(ks)) < 0)
		return rc;
	copy_bytes(bytes, r->body, ROTATION_BODY_SIZE);
	copy_bytes(bytes + ROTATION_BODY_SIZE, r->signature, ROTATION_SIG_SIZE);
	if ((rc = rotation_decode(bytes, sizeof bytes, &signed_r)) < 0)
		return rc;
	in = &signed_r.info;
	active = keyset_active(ks);
	if ((rc = rotation_verify(&signed_r, active->pubkey)) < 0)
		return rc;
	if (in->statement_version <= ks->statement_version)
		return -CELL_E_ROLLBACK;
	if (keyset_lookup(ks, in->new_key_id, NULL) != -CELL_E_NOENT)
		return -CELL_E_EXISTS;
	if (in->new_key_id <= active->id)
		return -CELL_E_RANGE;
	for (uint32_t i = 0; i < ks->count; i++)
		if (same_bytes(ks->keys[i].pubkey, in->new_pubkey,
			KEYSET_PUBKEY_SIZE))
			return -CELL_E_EXISTS;

	next = *ks;
	if (in->revokes)
		for (uint32_t i = 0; i < next.count; i++)
			if (next.keys[i].id == in->revoke_id)
				next.keys[i].flags |= KEYSET_F_REVOKED;
	if (next.count == KEYSET_KEYS_MAX) {
		uint32_t drop = 0;

		while (drop < next.count &&
		    !(next.keys[drop].flags & KEYSET_F_REVOKED))
			drop++;
		if (drop == next.count)
			return -CELL_E_NOSPACE;
		for (uint32_t i = drop; i + 1 < next.count; i++)
			next.keys[i] = next.keys[i + 1];
		next.count--;
		next.keys[next.count] = (keyset_entry_t){ 0 };
	}
	next.keys[next.count].id = in->new_key_id;
	next.keys[next.count].flags = 0;
	copy_bytes(next.keys[next.count].pubkey, in->new_pubkey,
	    KEYSET_PUBKEY_SIZE);
	next.count++;
	next.statement_version = in->statement_version;
	*ks = next;
	return 0;
}

int
keyset_raise_counter(struct keyset *ks, uint32_t counter)
{
	if (ks == NULL)
		return -CELL_E_INVAL;
	if (counter < ks->security_counter)
		return -CELL_E_ROLLBACK;
	ks->security_counter = counter;
	return 0;
}
