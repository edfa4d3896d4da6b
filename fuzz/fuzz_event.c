/* The event-frame decoder on any bytes; decode(encode(x)) == x. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "event_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t again[EVENT_FRAME_MAX];
	struct event e;
	int n = event_unpack(data, size, &e);

	if (n < 0)
		return 0;
	if (event_pack(&e, again, sizeof again) != n ||
	    memcmp(again, data, (size_t)n) != 0)
		abort();
	return 0;
}
