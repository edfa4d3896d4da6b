/* Decoding OBS records; see obs_codec.h. */
#include <stddef.h>
#include <stdint.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "obs_codec.h"

int
obs_decode(const uint8_t *buf, size_t len, struct obs_record *out)
{
	uint32_t version, type, plen;

	if (buf == NULL || len < OBS_HDR_SIZE)
		return -CELL_E_TRUNCATED;
	version = buf[OBS_OFF_VERSION];
	type = buf[OBS_OFF_TYPE];
	plen = le16_load(buf + OBS_OFF_LEN);
	if (version != OBS_VERSION)
		return -CELL_E_VERSION;
	if (plen > OBS_PAYLOAD_MAX)
		return -CELL_E_LENGTH;
	if (len < OBS_HDR_SIZE + plen)
		return -CELL_E_TRUNCATED;
	if (len != OBS_HDR_SIZE + plen)
		return -CELL_E_LENGTH;
	if (type < OBS_MARK || type > OBS_TRACE ||
	    (type == OBS_SYS && plen != 12) ||
	    (type == OBS_TRACE && plen != 16))
		return -CELL_E_RANGE;
	out->version = version;
	out->type = type;
	out->len = plen;
	out->seq = le32_load(buf + OBS_OFF_SEQ);
	out->payload = buf + OBS_HDR_SIZE;
	return 0;
}

const char *
obs_type_name(uint32_t type)
{
	static const char *const names[] = { "?", "MARK", "EVENT", "SYS",
		"TRACE" };

	return type <= OBS_TRACE ? names[type] : "?";
}
