/* The signed update package codec; see package_codec.h for the contract. */
#include <stddef.h>
#include <stdint.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "cellos/package.h"
#include "crypto.h"
#include "ed25519.h"
#include "package_codec.h"
#include "signer.h"

size_t
package_size(uint32_t len)
{
	size_t total = (size_t)len + PACKAGE_OVERHEAD;

	/* total wraps only where size_t is 32 bits wide. */
	if (len == 0 || total < PACKAGE_OVERHEAD)
		return 0;
	return total;
}

int
package_encode(uint8_t *out, size_t cap, const struct package_info *info,
    const void *payload, uint32_t len, const struct signer *signer,
    size_t *size)
{
	const uint8_t *src = payload;
	size_t total;
	int rc;

	if (info == NULL || payload == NULL || signer == NULL ||
	    signer->fn == NULL || size == NULL)
		return -CELL_E_INVAL;
	if (len == 0)
		return -CELL_E_RANGE;
	total = package_size(len);
	if (total == 0 || out == NULL || cap < total)
		return -CELL_E_NOSPACE;

	for (size_t i = 0; i < PACKAGE_HDR_SIZE; i++)
		out[i] = 0;
	le32_store(out + PACKAGE_OFF_MAGIC, PACKAGE_MAGIC);
	le16_store(out + PACKAGE_OFF_FORMAT_VERSION, PACKAGE_FORMAT_VERSION);
	le32_store(out + PACKAGE_OFF_KEY_ID, info->key_id);
	le32_store(out + PACKAGE_OFF_GENOME_VERSION, info->genome_version);
	le32_store(out + PACKAGE_OFF_SECURITY_COUNTER, info->security_counter);
	le32_store(out + PACKAGE_OFF_PAYLOAD_LEN, len);
	for (uint32_t i = 0; i < len; i++)
		out[PACKAGE_HDR_SIZE + i] = src[i];
	sha256(out + PACKAGE_HDR_SIZE, len, out + PACKAGE_OFF_PAYLOAD_SHA256);
	rc = signer->fn(signer->ctx, out, PACKAGE_HDR_SIZE + (size_t)len,
	    out + PACKAGE_HDR_SIZE + len);
	if (rc < 0)
		return rc;
	*size = total;
	return 0;
}

/* Whether every one of the n bytes at p is zero. */
static int
all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

int
package_decode(const uint8_t *buf, size_t size, uint32_t max_payload,
    struct package *out)
{
	uint8_t digest[SHA256_SIZE];
	uint32_t len;
	size_t room;

	if (buf == NULL || size < PACKAGE_HDR_SIZE)
		return -CELL_E_TRUNCATED;
	if (le32_load(buf + PACKAGE_OFF_MAGIC) != PACKAGE_MAGIC)
		return -CELL_E_MAGIC;
	if (le16_load(buf + PACKAGE_OFF_FORMAT_VERSION) !=
	    PACKAGE_FORMAT_VERSION)
		return -CELL_E_VERSION;
	if (le16_load(buf + PACKAGE_OFF_RESERVED_U16) != 0 ||
	    !all_zero(buf + PACKAGE_OFF_RESERVED, PACKAGE_RESERVED_SIZE))
		return -CELL_E_RESERVED;
	len = le32_load(buf + PACKAGE_OFF_PAYLOAD_LEN);
	if (len == 0)
		return -CELL_E_RANGE;
	if (len > max_payload)
		return -CELL_E_TOOLONG;
	/* Room after the header, compared without adding to len. */
	room = size - PACKAGE_HDR_SIZE;
	if (room < PACKAGE_SIG_SIZE || room - PACKAGE_SIG_SIZE < len)
		return -CELL_E_TRUNCATED;
	if (room - PACKAGE_SIG_SIZE != len)
		return -CELL_E_LENGTH;
	sha256(buf + PACKAGE_HDR_SIZE, len, digest);
	if (!ct_equal(digest, buf + PACKAGE_OFF_PAYLOAD_SHA256, SHA256_SIZE))
		return -CELL_E_BADHASH;

	if (out != NULL) {
		out->info.key_id = le32_load(buf + PACKAGE_OFF_KEY_ID);
		out->info.genome_version =
		    le32_load(buf + PACKAGE_OFF_GENOME_VERSION);
		out->info.security_counter =
		    le32_load(buf + PACKAGE_OFF_SECURITY_COUNTER);
		out->payload_len = len;
		for (unsigned i = 0; i < PACKAGE_DIGEST_SIZE; i++)
			out->payload_sha256[i] =
			    buf[PACKAGE_OFF_PAYLOAD_SHA256 + i];
		out->payload = buf + PACKAGE_HDR_SIZE;
		out->signed_bytes = buf;
		out->signed_len = PACKAGE_HDR_SIZE + (size_t)len;
		out->signature = buf + PACKAGE_HDR_SIZE + len;
		out->size = size;
	}
	return 0;
}

int
package_verify(const struct package *pkg,
    const uint8_t pub[ED25519_PUBKEY_SIZE])
{
	if (pkg == NULL || pub == NULL || pkg->signed_bytes == NULL ||
	    pkg->signature == NULL)
		return -CELL_E_INVAL;
	return ed25519_verify(pkg->signature, pkg->signed_bytes,
	    pkg->signed_len, pub);
}
