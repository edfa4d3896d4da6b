/* Channel-0 framing; see ch0.h. */
#include <stddef.h>
#include <stdint.h>

#include "cellos/errors.h"
#include "ch0.h"

int
ch0_log_parcel(uint8_t *out, size_t cap, const char *text, uint32_t len)
{
	return parcel_encode(out, cap, 0, PARCEL_VERB_LOG, 0, text, len, NULL);
}

int
ch0_hex_line(char *out, size_t cap, const uint8_t *frame, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t need = 3 + 2 * len + 1; /* "#P " hex "\n" */

	if (out == NULL || cap < need + 1)
		return -CELL_E_NOSPACE;
	out[0] = '#';
	out[1] = 'P';
	out[2] = ' ';
	for (size_t i = 0; i < len; i++) {
		out[3 + 2 * i] = digits[frame[i] >> 4];
		out[4 + 2 * i] = digits[frame[i] & 0xF];
	}
	out[need - 1] = '\n';
	out[need] = '\0';
	return (int)need;
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
ch0_hex_decode(const char *hex, size_t hexlen, uint8_t *out, size_t cap,
    size_t *bad_index)
{
	if (hexlen % 2 != 0)
		return -CELL_E_LENGTH;
	if (hexlen / 2 > cap)
		return -CELL_E_NOSPACE;
	for (size_t i = 0; i < hexlen; i += 2) {
		int hi = hex_value(hex[i]);
		int lo = hex_value(hex[i + 1]);
		if (hi < 0 || lo < 0) {
			if (bad_index != NULL)
				*bad_index = hi < 0 ? i : i + 1;
			return -CELL_E_RANGE;
		}
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	return (int)(hexlen / 2);
}
