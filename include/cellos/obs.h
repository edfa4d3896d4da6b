/*
 * OBS records: the payload of a channel-0 parcel with verb 2, carried on the
 * text console as a "#P <hex>" line. Little-endian, pinned:
 *
 *   u8  version   OBS_VERSION
 *   u8  type      enum obs_type
 *   u16 len       payload bytes that follow this 8-byte header
 *   u32 seq       record number within the boot, from 0
 *   len bytes     payload, by type:
 *     MARK   text naming a point in the boot ("E5 start")
 *     EVENT  an event frame (include/cellos/events.h) the bridge delivered
 *     SYS    u32 code, u32 a, u32 b: a kernel fact (enum obs_sys)
 *     TRACE  u32 what (enum obs_trace), u32 id, u32 at, u32 arg
 *
 * A record states its own length; a reader checks it against the parcel
 * before reading the payload, and refuses versions and types it does not
 * know.
 */
#ifndef CELLOS_OBS_H
#define CELLOS_OBS_H

#define OBS_VERSION     1u
#define OBS_HDR_SIZE    8u
#define OBS_PAYLOAD_MAX 64u

#define OBS_OFF_VERSION 0
#define OBS_OFF_TYPE    1
#define OBS_OFF_LEN     2
#define OBS_OFF_SEQ     4

enum obs_type { OBS_MARK = 1, OBS_EVENT = 2, OBS_SYS = 3, OBS_TRACE = 4 };

/* TRACE what: id / at / arg meaning. */
enum obs_trace {
	OBS_TRACE_QUANTUM_START = 1, /* gene id / quantum / CPU units so far */
	OBS_TRACE_QUANTUM_END = 2,   /* gene id / quantum / CPU units so far */
	OBS_TRACE_IRQ_DELIVERED =
	    3 /* bridge source / bridge tick / event seq */
};

/* SYS code: a / b meaning. */
enum obs_sys {
	OBS_SYS_PHENOTYPE = 1,   /* channels / genes */
	OBS_SYS_GENE_KILLED = 2, /* gene id / lyso reason */
	OBS_SYS_UPDATE = 3       /* strand / version */
};

#endif
