/*
 * "#P" lines decoded by the layouts of CONTRACT.md (the parcel frame) and
 * include/cellos/obs.h (the OBS record) alone, with no kernel code: the
 * independent reader test_proof_values (E8) and test_obs_emit check the
 * kernel's records with. Include after cmocka.h.
 */
#ifndef CELLOS_OBS_LINES_H
#define CELLOS_OBS_LINES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct obs_seen {
	uint32_t type, seq, len;
	uint8_t payload[64];
};

static inline int
obs_hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static inline uint32_t
obs_le32(const uint8_t *d)
{
	return (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 |
	    (uint32_t)d[3] << 24;
}

/*
 * Decode the hex of one "#P" line (the text after "#P ", without its
 * newline) into its parcel frame and OBS record: a channel-0, verb-2
 * parcel without a MAC, holding a version-1 record. Returns the frame's
 * size.
 */
static inline size_t
decode_p_line(const char *hex, size_t hexlen, uint8_t *frame,
    struct obs_seen *r)
{
	size_t n = hexlen / 2;

	assert_true(hexlen % 2 == 0 && n >= 16 + 8 && n <= 16 + 8 + 64);
	for (size_t i = 0; i < n; i++) {
		int hi = obs_hex_nibble(hex[2 * i]),
		    lo = obs_hex_nibble(hex[2 * i + 1]);

		assert_true(hi >= 0 && lo >= 0);
		frame[i] = (uint8_t)(hi << 4 | lo);
	}
	assert_int_equal(obs_le32(frame), 0);     /* channel 0 */
	assert_int_equal(obs_le32(frame + 4), 2); /* verb: OBS */
	assert_int_equal(obs_le32(frame + 8), 0); /* no MAC */
	assert_int_equal(obs_le32(frame + 12), n - 16);
	assert_int_equal(frame[16], 1); /* OBS version */
	r->type = frame[17];
	r->len = (uint32_t)frame[18] | (uint32_t)frame[19] << 8;
	r->seq = obs_le32(frame + 20);
	assert_int_equal(r->len, n - 24);
	memcpy(r->payload, frame + 24, r->len);
	return n;
}

#endif
