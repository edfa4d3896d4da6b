/* Emitting OBS records and keeping their index; see obs_emit.h. */
#include <stddef.h>
#include <stdint.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "ch0.h"
#include "crypto.h"
#include "kprint.h"
#include "obs_emit.h"
#include "parcel_codec.h"

static struct {
	uint32_t seq;
	uint32_t by_type[OBS_TRACE + 1];
	struct sha256_ctx hash;
	int hash_ready;
	int no_trace;
} ix;

void
obs_reset(void)
{
	for (unsigned i = 0; i <= OBS_TRACE; i++)
		ix.by_type[i] = 0;
	ix.seq = 0;
	sha256_init(&ix.hash);
	ix.hash_ready = 1;
	ix.no_trace = 0;
}

void
obs_tracing(int on)
{
	ix.no_trace = !on;
}

int
obs_emit(uint32_t type, const void *payload, uint32_t len)
{
	uint8_t rec[OBS_HDR_SIZE + OBS_PAYLOAD_MAX];
	uint8_t frame[PARCEL_HDR_SIZE + sizeof rec];
	char line[4 + 2 * sizeof frame + 2];
	const uint8_t *src = payload;
	int n;

	if (type < OBS_MARK || type > OBS_TRACE)
		return -CELL_E_RANGE;
	if (len > OBS_PAYLOAD_MAX)
		return -CELL_E_LENGTH;
	if (!ix.hash_ready)
		obs_reset();
	rec[OBS_OFF_VERSION] = OBS_VERSION;
	rec[OBS_OFF_TYPE] = (uint8_t)type;
	le16_store(rec + OBS_OFF_LEN, (uint16_t)len);
	le32_store(rec + OBS_OFF_SEQ, ix.seq);
	for (uint32_t i = 0; i < len; i++)
		rec[OBS_HDR_SIZE + i] = src[i];
	n = parcel_encode(frame, sizeof frame, 0, PARCEL_VERB_OBS, 0, rec,
	    OBS_HDR_SIZE + len, NULL);
	if (n < 0)
		return n;
	sha256_update(&ix.hash, frame, (size_t)n);
	ix.seq++;
	ix.by_type[type]++;
	n = ch0_hex_line(line, sizeof line, frame, (size_t)n);
	if (n > 0)
		kputs_raw(line, (size_t)n);
	return 0;
}

void
obs_mark(const char *text)
{
	uint32_t len = 0;

	while (text[len] != '\0' && len < OBS_PAYLOAD_MAX)
		len++;
	(void)obs_emit(OBS_MARK, text, len);
}

void
obs_sys(uint32_t code, uint32_t a, uint32_t b)
{
	uint8_t p[12];

	le32_store(p, code);
	le32_store(p + 4, a);
	le32_store(p + 8, b);
	(void)obs_emit(OBS_SYS, p, sizeof p);
}

void
obs_trace(uint32_t what, uint32_t id, uint32_t at, uint32_t arg)
{
	uint8_t p[16];

	if (ix.no_trace)
		return;
	le32_store(p, what);
	le32_store(p + 4, id);
	le32_store(p + 8, at);
	le32_store(p + 12, arg);
	(void)obs_emit(OBS_TRACE, p, sizeof p);
}

uint32_t
obs_count(uint32_t type)
{
	if (type == 0)
		return ix.seq;
	return type <= OBS_TRACE ? ix.by_type[type] : 0;
}

uint32_t
obs_index_hash(void)
{
	struct sha256_ctx copy;

	if (!ix.hash_ready)
		obs_reset();
	copy = ix.hash;
	return sha256_final_le32(&copy);
}
