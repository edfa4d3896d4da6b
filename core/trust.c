/*
 * Trust keys. Every key in use is derived with HKDF-SHA-256 from the
 * device secret, which this image does not hold: the boot reads it from
 * the disk's provisioned slot (core/disk.h) or takes it from the machine,
 * and hands it to trust_set_secret. The parcel MAC key stays in this file;
 * trust_derive hands a key for a named purpose (the updater's device key,
 * the key set's MAC key) to its caller, which wipes it once its HMAC state
 * is set up.
 */
#include <stddef.h>
#include <stdint.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "config.h"
#include "crypto.h"
#include "parcel_codec.h"
#include "trust.h"

static uint8_t secret[TRUST_SECRET_SIZE]; /* zero until provided */
static int have_secret;
static const char root_salt[] = "cell_os trust v1";

static uint32_t active_key;
static uint32_t key_version;
static uint8_t mac_key[TRUST_MAC_KEY_SIZE];
/* HMAC's inner and outer states after the key blocks: a MAC then costs only
 * the message's blocks and the outer block, not the two key blocks again. */
static struct hmac_sha256_ctx mac_base;

/*
 * root key id = HKDF(salt "cell_os trust v1", device secret, "root key" || id);
 * MAC key    = HKDF-Expand(root key, "parcel mac" || version), both u32 LE.
 */
static void
derive_mac_key(void)
{
	uint8_t info[12] = { 'r', 'o', 'o', 't', ' ', 'k', 'e', 'y' };
	uint8_t root[32];
	uint8_t mac_info[14] = { 'p', 'a', 'r', 'c', 'e', 'l', ' ', 'm', 'a',
		'c' };

	le32_store(info + 8, active_key);
	hkdf_sha256((const uint8_t *)root_salt, sizeof root_salt - 1, secret,
	    sizeof secret, info, sizeof info, root, sizeof root);
	le32_store(mac_info + 10, key_version);
	hkdf_sha256_expand(root, mac_info, sizeof mac_info, mac_key,
	    sizeof mac_key);
	crypto_wipe(root, sizeof root);
	hmac_sha256_init(&mac_base, mac_key, sizeof mac_key);
}

void
trust_reset(void)
{
	crypto_wipe(secret, sizeof secret);
	have_secret = 0;
	active_key = 0;
	key_version = 0;
	derive_mac_key();
}

void
trust_set_secret(const uint8_t s[TRUST_SECRET_SIZE])
{
	for (unsigned i = 0; i < TRUST_SECRET_SIZE; i++)
		secret[i] = s[i];
	have_secret = 1;
	derive_mac_key();
}

int
trust_has_secret(void)
{
	return have_secret;
}

uint32_t
trust_active_key(void)
{
	return active_key;
}

uint32_t
trust_key_version(void)
{
	return key_version;
}

void
trust_use_key(uint32_t id, uint32_t version)
{
	active_key = id;
	key_version = version;
	derive_mac_key();
}

void
trust_mac16(const void *msg, size_t len, uint8_t tag[PARCEL_MAC_SIZE])
{
	struct hmac_sha256_ctx ctx = mac_base;
	uint8_t full[32];

	hmac_sha256_update(&ctx, msg, len);
	hmac_sha256_final(&ctx, full);
	for (unsigned i = 0; i < PARCEL_MAC_SIZE; i++)
		tag[i] = full[i];
	crypto_wipe(full, sizeof full);
}

void
trust_derive(const char *label, uint8_t key[32])
{
	size_t n = 0;

	while (label[n] != '\0')
		n++;
	hkdf_sha256((const uint8_t *)root_salt, sizeof root_salt - 1, secret,
	    sizeof secret, label, n, key, 32);
}

static void
parcel_mac_hook(const void *ctx, const uint8_t *msg, size_t len,
    uint8_t tag[PARCEL_MAC_SIZE])
{
	(void)ctx;
	trust_mac16(msg, len, tag);
}

const struct parcel_mac *
trust_parcel_mac(void)
{
	static const struct parcel_mac hook = { parcel_mac_hook, NULL };

	return &hook;
}
