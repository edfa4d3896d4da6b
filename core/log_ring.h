/*
 * Channel 0's log ring (CFG_ENABLE_NONBLOCK_LOG). Every writer appends its
 * bytes whole to a ring and returns; whoever is not already draining the
 * ring drains it to the console. A writer that interrupts a drain (an
 * interrupt handler, say) only appends, so nobody waits for anybody, and
 * bytes that do not fit are dropped and counted: the next drain says how
 * many, on a "#W log ring dropped" line. With the option off, writes go
 * straight to hal_console_write.
 */
#ifndef CELLOS_LOG_RING_H
#define CELLOS_LOG_RING_H

#include <stddef.h>
#include <stdint.h>

struct log_ring_stats {
	uint64_t written; /* bytes that reached the console */
	uint64_t dropped; /* bytes dropped for want of room */
	uint64_t dropped_writes;
};

/* Write len bytes to channel 0 through the ring. Any context. */
void log_write(const char *buf, size_t len);

/* Drain whatever is buffered (unless a drain is under way). */
void log_flush(void);

/* Hold draining (tests: as if a drain were under way) or release it. */
void log_hold(int hold);

struct log_ring_stats log_stats(void);

/* Empty the ring and zero the counters (cell_reset). */
void log_reset(void);

#endif
