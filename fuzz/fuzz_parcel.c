/*
 * The parcel decoder on any bytes, with and without a MAC key. Properties:
 * a frame that decodes re-encodes to the same bytes; a MACed frame that
 * still verifies after any single bit flip is a crash.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parcel_codec.h"
#include "trust.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t again[PARCEL_FRAME_MAX], flipped[PARCEL_FRAME_MAX];
	static int keyed;
	const struct parcel_mac *mac;
	struct parcel p;
	int n;

	if (!keyed) {
		trust_reset();
		keyed = 1;
	}
	mac = trust_parcel_mac();
	(void)parcel_decode(data, size, &p, NULL);
	(void)parcel_decode_prefix(data, size, &p, NULL);
	n = parcel_decode(data, size, &p, mac);
	if (n < 0)
		return 0;
	/* decode(encode(x)) == x, byte for byte. */
	if (parcel_encode(again, sizeof again, p.channel_id, p.verb, p.flags,
		p.payload, p.len, mac) != n ||
	    memcmp(again, data, (size_t)n) != 0)
		abort();
	if (p.flags & PARCEL_F_MAC) {
		size_t bit =
		    size > 0 ? (size_t)data[size - 1] * 7 % ((size_t)n * 8) : 0;
		memcpy(flipped, data, (size_t)n);
		flipped[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		if (parcel_decode(flipped, (size_t)n, &p, mac) >= 0)
			abort(); /* a flipped bit went unnoticed */
	}
	return 0;
}
