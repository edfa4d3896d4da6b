/*
 * Parcel wire format (CONTRACT.md section 2): a 16-byte little-endian header
 * (channel_id, verb, flags, len), len payload bytes, and a 16-byte MAC over
 * header and payload when flag bit 0 is set.
 */
#ifndef CELLOS_PARCEL_H
#define CELLOS_PARCEL_H

#include <stdint.h>

#define PARCEL_HDR_SIZE    16u
#define PARCEL_MAC_SIZE    16u
#define PARCEL_F_MAC       0x1u
#define PARCEL_FLAGS_KNOWN PARCEL_F_MAC
/* Largest payload a parcel may carry; longer lengths are refused. */
#define PARCEL_PAYLOAD_MAX 4096u
#define PARCEL_FRAME_MAX \
	(PARCEL_HDR_SIZE + PARCEL_PAYLOAD_MAX + PARCEL_MAC_SIZE)

#define PARCEL_OFF_CHANNEL 0
#define PARCEL_OFF_VERB    4
#define PARCEL_OFF_FLAGS   8
#define PARCEL_OFF_LEN     12

enum parcel_verb {
	PARCEL_VERB_LOG = 1,  /* a text line */
	PARCEL_VERB_OBS = 2,  /* an OBS record */
	PARCEL_VERB_EVENT = 3 /* an event frame */
};

#endif
