/*
 * Channel-0 framing: text log lines as parcels, and binary records carried
 * on the text console as "#P <lower-case hex of the whole frame>" lines.
 */
#ifndef CELLOS_CH0_H
#define CELLOS_CH0_H

#include <stddef.h>
#include <stdint.h>

#include "cellos/errors.h"
#include "parcel_codec.h"

/* Encode text[0..len) as a channel-0 log-line parcel (verb 1, no MAC). */
int ch0_log_parcel(uint8_t *out, size_t cap, const char *text, uint32_t len);

/*
 * Write "#P <hex>\n" for frame[0..len) into out[0..cap) with a terminating
 * NUL. Returns the line length (without the NUL) or -CELL_E_NOSPACE.
 */
int ch0_hex_line(char *out, size_t cap, const uint8_t *frame, size_t len);

/*
 * Decode the hex of a "#P " line (text after the prefix, up to but not
 * including the newline) into out[0..cap). Returns the byte count, or
 * -CELL_E_LENGTH (odd number of digits), -CELL_E_RANGE (a character that is
 * not a lower-case hex digit; *bad_index says which), -CELL_E_NOSPACE.
 */
int ch0_hex_decode(const char *hex, size_t hexlen, uint8_t *out, size_t cap,
    size_t *bad_index);

#endif
