/*
 * Event frame (CONTRACT.md section 2): a 16-byte little-endian header
 * (seq, src, kind, len) and len <= 240 payload bytes.
 */
#ifndef CELLOS_EVENTS_H
#define CELLOS_EVENTS_H

#define EVENT_HDR_SIZE    16u
#define EVENT_PAYLOAD_MAX 240u
#define EVENT_FRAME_MAX   (EVENT_HDR_SIZE + EVENT_PAYLOAD_MAX)

#define EVENT_OFF_SEQ  0
#define EVENT_OFF_SRC  4
#define EVENT_OFF_KIND 8
#define EVENT_OFF_LEN  12

enum event_kind {
	EVENT_TIMER = 1,
	EVENT_BLOCK_IO = 2,
	EVENT_SERIAL_RX = 3,
	EVENT_NET_RX = 4,
	EVENT_CUSTOM = 16
};

#endif
