/* Channel 0's log ring; see log_ring.h. */
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "hal.h"
#include "kformat.h"
#include "log_ring.h"

static struct {
	char buf[LOG_RING_SIZE];
	uint32_t head, len; /* oldest byte, bytes buffered */
	int draining;
	int held;
	uint64_t reported; /* drops already announced */
	struct log_ring_stats st;
} ring;

void
log_reset(void)
{
	ring.head = ring.len = 0;
	ring.draining = ring.held = 0;
	ring.reported = 0;
	ring.st = (struct log_ring_stats){ 0 };
}

static void
append(const char *buf, size_t len)
{
	unsigned long irq = hal_irq_save();

	if (len > LOG_RING_SIZE - ring.len) {
		ring.st.dropped += len;
		ring.st.dropped_writes++;
	} else {
		for (size_t i = 0; i < len; i++)
			ring.buf[(ring.head + ring.len + i) % LOG_RING_SIZE] =
			    buf[i];
		ring.len += (uint32_t)len;
	}
	hal_irq_restore(irq);
}

void
log_flush(void)
{
	unsigned long irq = hal_irq_save();

	if (ring.draining || ring.held) {
		hal_irq_restore(irq);
		return;
	}
	ring.draining = 1;
	for (;;) {
		uint32_t head = ring.head;
		uint32_t n = ring.len;

		if (ring.st.dropped != ring.reported) {
			uint64_t lost = ring.st.dropped - ring.reported;
			char note[80];
			int m = ksnprintf(note, sizeof note,
			    "#W log ring dropped "
			    "%llu bytes\n",
			    (unsigned long long)lost);
			ring.reported = ring.st.dropped;
			hal_irq_restore(irq);
			hal_console_write(note, (size_t)m);
			irq = hal_irq_save();
			continue;
		}
		if (n == 0)
			break;
		/* Up to the end of the buffer in one piece, outside the lock. */
		if (head + n > LOG_RING_SIZE)
			n = LOG_RING_SIZE - head;
		hal_irq_restore(irq);
		hal_console_write(ring.buf + head, n);
		irq = hal_irq_save();
		ring.head = (ring.head + n) % LOG_RING_SIZE;
		ring.len -= n;
		ring.st.written += n;
	}
	ring.draining = 0;
	hal_irq_restore(irq);
}

void
log_write(const char *buf, size_t len)
{
#if CFG_ENABLE_NONBLOCK_LOG
	append(buf, len);
	log_flush();
#else
	hal_console_write(buf, len);
	ring.st.written += len;
#endif
}

void
log_hold(int hold)
{
	ring.held = hold;
}

struct log_ring_stats
log_stats(void)
{
	return ring.st;
}
