/*
 * Trust keys. The device secret below stands in for a per-device secret that
 * real hardware would keep in fuses or a secure element; QEMU and the hosted
 * process have no such store, so the proof boots use this provisioned value
 * and say so in docs/PROOFS.md. Every key in use is derived from it with
 * HKDF-SHA-256. The parcel MAC key stays in this file; trust_derive hands
 * a key for a named purpose (the updater's device key) to its one caller,
 * which wipes it once its HMAC state is set up.
 */
#include <stddef.h>
#include <stdint.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "config.h"
#include "crypto.h"
#include "parcel_codec.h"
#include "trust.h"

static const uint8_t device_secret[32] = {
	0x63, 0x65, 0x6c, 0x6c, 0x5f, 0x6f, 0x73, 0x20,	/* "cell_os " */
	0x70, 0x72, 0x6f, 0x76, 0x69, 0x73, 0x69, 0x6f,	/* "provisio" */
	0x6e, 0x65, 0x64, 0x20, 0x64, 0x65, 0x76, 0x69,	/* "ned devi" */
	0x63, 0x65, 0x20, 0x73, 0x65, 0x63, 0x72, 0x65,	/* "ce secre" */
};
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
	uint8_t mac_info[14] = { 'p', 'a', 'r', 'c', 'e', 'l', ' ', 'm', 'a', 'c' };

	le32_store(info + 8, active_key);
	hkdf_sha256((const uint8_t *)root_salt, sizeof root_salt - 1,
	    device_secret, sizeof device_secret, info, sizeof info, root,
	    sizeof root);
	le32_store(mac_info + 10, key_version);
	hkdf_sha256_expand(root, mac_info, sizeof mac_info, mac_key,
	    sizeof mac_key);
	crypto_wipe(root, sizeof root);
	hmac_sha256_init(&mac_base, mac_key, sizeof mac_key);
}

void
trust_reset(void)
{
	active_key = 0;
	key_version = 0;
	derive_mac_key();
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

int
trust_activate(uint32_t id)
{
	if (id >= TRUST_KEYS)
		return -CELL_E_RANGE;
	active_key = id;
	key_version++;
	derive_mac_key();
	return 0;
}

void
trust_rotate(void)
{
	(void)trust_activate((active_key + 1) % TRUST_KEYS);
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
	hkdf_sha256((const uint8_t *)root_salt, sizeof root_salt - 1,
	    device_secret, sizeof device_secret, label, n, key, 32);
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
