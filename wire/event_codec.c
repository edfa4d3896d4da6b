/* Event frames; see events.h. */
#include <stddef.h>
#include <stdint.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "event_codec.h"

int
event_kind_known(uint32_t kind)
{
	return (kind >= EVENT_TIMER && kind <= EVENT_NET_RX) ||
	    kind == EVENT_CUSTOM;
}

const char *
event_kind_name(uint32_t kind)
{
	switch (kind) {
	case EVENT_TIMER:
		return "TIMER";
	case EVENT_BLOCK_IO:
		return "BLOCK_IO";
	case EVENT_SERIAL_RX:
		return "SERIAL_RX";
	case EVENT_NET_RX:
		return "NET_RX";
	case EVENT_CUSTOM:
		return "CUSTOM";
	default:
		return "?";
	}
}

int
event_pack(const struct event *e, uint8_t *out, size_t cap)
{
	if (e->len > EVENT_PAYLOAD_MAX)
		return -CELL_E_LENGTH;
	if (!event_kind_known(e->kind))
		return -CELL_E_RANGE;
	if (out == NULL || cap < EVENT_HDR_SIZE + e->len)
		return -CELL_E_NOSPACE;
	le32_store(out + EVENT_OFF_SEQ, e->seq);
	le32_store(out + EVENT_OFF_SRC, e->src);
	le32_store(out + EVENT_OFF_KIND, e->kind);
	le32_store(out + EVENT_OFF_LEN, e->len);
	for (uint32_t i = 0; i < e->len; i++)
		out[EVENT_HDR_SIZE + i] = e->payload[i];
	return (int)(EVENT_HDR_SIZE + e->len);
}

int
event_unpack(const uint8_t *buf, size_t size, struct event *out)
{
	uint32_t len, kind;

	if (buf == NULL || size < EVENT_HDR_SIZE)
		return -CELL_E_TRUNCATED;
	len = le32_load(buf + EVENT_OFF_LEN);
	if (len > EVENT_PAYLOAD_MAX)
		return -CELL_E_LENGTH;
	if (size < EVENT_HDR_SIZE + len)
		return -CELL_E_TRUNCATED;
	if (size != EVENT_HDR_SIZE + len)
		return -CELL_E_LENGTH;
	kind = le32_load(buf + EVENT_OFF_KIND);
	if (!event_kind_known(kind))
		return -CELL_E_RANGE;
	out->seq = le32_load(buf + EVENT_OFF_SEQ);
	out->src = le32_load(buf + EVENT_OFF_SRC);
	out->kind = kind;
	out->len = len;
	for (uint32_t i = 0; i < len; i++)
		out->payload[i] = buf[EVENT_HDR_SIZE + i];
	return (int)(EVENT_HDR_SIZE + len);
}
