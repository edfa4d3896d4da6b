/* The key-rotation statement codec; see rotation_codec.h for the contract. */
#include <stddef.h>
#include <stdint.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "cellos/rotation.h"
#include "ed25519.h"
#include "rotation_codec.h"
#include "signer.h"

int
rotation_info_check(const struct rotation_info *info)
{
	if (info == NULL)
		return -CELL_E_INVAL;
	if (!info->revokes && info->revoke_id != 0)
		return -CELL_E_RESERVED;
	if (info->statement_version == 0)
		return -CELL_E_RANGE;
	if (info->revokes && info->revoke_id >= info->new_key_id)
		return -CELL_E_RANGE;
	return ed25519_pubkey_check(info->new_pubkey);
}

/* The 64 signed bytes of info (already checked). */
static void
write_body(uint8_t body[ROTATION_BODY_SIZE], const struct rotation_info *info)
{
	for (unsigned i = 0; i < ROTATION_BODY_SIZE; i++)
		body[i] = 0;
	le32_store(body + ROTATION_OFF_MAGIC, ROTATION_MAGIC);
	le16_store(body + ROTATION_OFF_FORMAT_VERSION, ROTATION_FORMAT_VERSION);
	le16_store(body + ROTATION_OFF_FLAGS,
	    info->revokes ? ROTATION_F_REVOKE : 0);
	le32_store(body + ROTATION_OFF_STATEMENT_VERSION,
	    info->statement_version);
	le32_store(body + ROTATION_OFF_NEW_KEY_ID, info->new_key_id);
	le32_store(body + ROTATION_OFF_REVOKE_ID, info->revoke_id);
	for (unsigned i = 0; i < ROTATION_PUBKEY_SIZE; i++)
		body[ROTATION_OFF_NEW_PUBKEY + i] = info->new_pubkey[i];
}

int
rotation_encode(uint8_t *out, size_t cap, const struct rotation_info *info,
    const struct signer *signer)
{
	int rc;

	if (signer == NULL || signer->fn == NULL)
		return -CELL_E_INVAL;
	if ((rc = rotation_info_check(info)) < 0)
		return rc;
	if (out == NULL || cap < ROTATION_SIZE)
		return -CELL_E_NOSPACE;
	write_body(out, info);
	rc = signer->fn(signer->ctx, out, ROTATION_BODY_SIZE,
	    out + ROTATION_BODY_SIZE);
	if (rc < 0)
		return rc;
	return (int)ROTATION_SIZE;
}

int
rotation_decode(const uint8_t *buf, size_t size, struct rotation *out)
{
	struct rotation_info info;
	uint16_t flags;
	uint8_t acc = 0;
	int rc;

	if (buf == NULL || size < ROTATION_SIZE)
		return -CELL_E_TRUNCATED;
	if (le32_load(buf + ROTATION_OFF_MAGIC) != ROTATION_MAGIC)
		return -CELL_E_MAGIC;
	if (le16_load(buf + ROTATION_OFF_FORMAT_VERSION) !=
	    ROTATION_FORMAT_VERSION)
		return -CELL_E_VERSION;
	if (size != ROTATION_SIZE)
		return -CELL_E_LENGTH;
	flags = le16_load(buf + ROTATION_OFF_FLAGS);
	if ((flags & ~ROTATION_FLAGS_KNOWN) != 0)
		return -CELL_E_FLAGS;
	for (unsigned i = 0; i < ROTATION_RESERVED_SIZE; i++)
		acc |= buf[ROTATION_OFF_RESERVED + i];
	if (acc != 0)
		return -CELL_E_RESERVED;
	info.statement_version =
	    le32_load(buf + ROTATION_OFF_STATEMENT_VERSION);
	info.new_key_id = le32_load(buf + ROTATION_OFF_NEW_KEY_ID);
	info.revokes = (flags & ROTATION_F_REVOKE) != 0;
	info.revoke_id = le32_load(buf + ROTATION_OFF_REVOKE_ID);
	for (unsigned i = 0; i < ROTATION_PUBKEY_SIZE; i++)
		info.new_pubkey[i] = buf[ROTATION_OFF_NEW_PUBKEY + i];
	if ((rc = rotation_info_check(&info)) < 0)
		return rc;

	if (out != NULL) {
		out->info = info;
		for (unsigned i = 0; i < ROTATION_BODY_SIZE; i++)
			out->body[i] = buf[i];
		for (unsigned i = 0; i < ROTATION_SIG_SIZE; i++)
			out->signature[i] = buf[ROTATION_BODY_SIZE + i];
	}
	return 0;
}

int
rotation_verify(const struct rotation *r,
    const uint8_t pub[ED25519_PUBKEY_SIZE])
{
	if (r == NULL || pub == NULL)
		return -CELL_E_INVAL;
	return ed25519_verify(r->signature, r->body, ROTATION_BODY_SIZE, pub);
}
