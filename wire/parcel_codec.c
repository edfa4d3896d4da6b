/* The parcel codec; see parcel.h for the contract. */
#include <stddef.h>
#include <stdint.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "crypto.h"
#include "parcel_codec.h"

size_t
parcel_frame_size(uint32_t len, uint32_t flags)
{
	if ((flags & ~PARCEL_FLAGS_KNOWN) != 0 || len > PARCEL_PAYLOAD_MAX)
		return 0;
	return PARCEL_HDR_SIZE + (size_t)len +
	    ((flags & PARCEL_F_MAC) ? PARCEL_MAC_SIZE : 0);
}

int
parcel_encode(uint8_t *out, size_t cap, uint32_t channel_id, uint32_t verb,
    uint32_t flags, const void *payload, uint32_t len,
    const struct parcel_mac *mac)
{
	const uint8_t *src = payload;
	size_t frame;

	if ((flags & ~PARCEL_FLAGS_KNOWN) != 0)
		return -CELL_E_FLAGS;
	if (len > PARCEL_PAYLOAD_MAX)
		return -CELL_E_LENGTH;
	if ((len > 0 && payload == NULL) ||
	    ((flags & PARCEL_F_MAC) && (mac == NULL || mac->fn == NULL)))
		return -CELL_E_INVAL;
	frame = parcel_frame_size(len, flags);
	if (out == NULL || cap < frame)
		return -CELL_E_NOSPACE;

	le32_store(out + PARCEL_OFF_CHANNEL, channel_id);
	le32_store(out + PARCEL_OFF_VERB, verb);
	le32_store(out + PARCEL_OFF_FLAGS, flags);
	le32_store(out + PARCEL_OFF_LEN, len);
	for (uint32_t i = 0; i < len; i++)
		out[PARCEL_HDR_SIZE + i] = src[i];
	if (flags & PARCEL_F_MAC)
		mac->fn(mac->ctx, out, PARCEL_HDR_SIZE + len,
		    out + PARCEL_HDR_SIZE + len);
	return (int)frame;
}

/*
 * Validate buf as one frame. exact: the frame must fill buf. Checks every
 * field before reading through it; the MAC last, once the frame is known to
 * be whole.
 */
static int
decode_frame(const uint8_t *buf, size_t size, int exact, struct parcel *out,
    const struct parcel_mac *mac)
{
	uint32_t flags, len;
	size_t frame;

	if (buf == NULL || size < PARCEL_HDR_SIZE)
		return -CELL_E_TRUNCATED;
	flags = le32_load(buf + PARCEL_OFF_FLAGS);
	len = le32_load(buf + PARCEL_OFF_LEN);
	if ((flags & ~PARCEL_FLAGS_KNOWN) != 0)
		return -CELL_E_FLAGS;
	if (len > PARCEL_PAYLOAD_MAX)
		return -CELL_E_LENGTH;
	frame = parcel_frame_size(len, flags);
	if (size < frame)
		return -CELL_E_TRUNCATED;
	if (exact && size != frame)
		return -CELL_E_LENGTH;
	if (flags & PARCEL_F_MAC) {
		uint8_t tag[PARCEL_MAC_SIZE];

		if (mac == NULL || mac->fn == NULL)
			return -CELL_E_BADMAC;
		mac->fn(mac->ctx, buf, PARCEL_HDR_SIZE + len, tag);
		if (!ct_equal(tag, buf + PARCEL_HDR_SIZE + len,
			PARCEL_MAC_SIZE))
			return -CELL_E_BADMAC;
	}
	if (out != NULL) {
		out->channel_id = le32_load(buf + PARCEL_OFF_CHANNEL);
		out->verb = le32_load(buf + PARCEL_OFF_VERB);
		out->flags = flags;
		out->len = len;
		out->payload = buf + PARCEL_HDR_SIZE;
		out->mac =
		    (flags & PARCEL_F_MAC) ? buf + PARCEL_HDR_SIZE + len : NULL;
	}
	return (int)frame;
}

int
parcel_decode_prefix(const uint8_t *buf, size_t size, struct parcel *out,
    const struct parcel_mac *mac)
{
	return decode_frame(buf, size, 0, out, mac);
}

int
parcel_decode(const uint8_t *buf, size_t size, struct parcel *out,
    const struct parcel_mac *mac)
{
	return decode_frame(buf, size, 1, out, mac);
}
