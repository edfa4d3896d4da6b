/*
 * Deadlines for the polled disk drivers (ahci.c, ata_pio.c). A count of
 * polls is not a time: under TCG on a loaded host a flush (the host's
 * fdatasync) outlasted the 10 million polls the drivers used to allow, and
 * a proof boot failed its superblock write. So they wait by the TSC, whose
 * rate is measured once, on the first deadline, against PIT channel 2 (the
 * speaker's timer; the kernel's tick is channel 0, probe.c only checks
 * that channel 2 counts). Nothing here is printed: timing never reaches
 * the proof.
 */
#include <stdint.h>

#include "cpu.h"
#include "x86.h"

#define PIT_HZ          1193182u
#define CALIBRATE_MS    5u
#define CALIBRATE_POLLS 10000000u /* no PIT: give up, assume the rate */
#define ASSUMED_PER_MS  3000000u  /* 3 GHz: a long wait on slower TSCs */

static uint64_t tsc_per_ms;

static inline uint64_t
rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* TSC ticks over a CALIBRATE_MS one-shot of PIT channel 2 (mode 0). */
static void
calibrate(void)
{
	const uint16_t count = (uint16_t)(PIT_HZ / 1000u * CALIBRATE_MS);
	uint8_t gate = inb(0x61);
	uint64_t t0, t1;
	uint32_t i;

	outb(0x61, (uint8_t)((gate & ~0x02) | 0x01)); /* gate on, speaker off */
	outb(0x43, 0xB0); /* channel 2, lo/hi, mode 0 */
	outb(0x42, (uint8_t)count);
	outb(0x42, (uint8_t)(count >> 8));
	t0 = rdtsc();
	for (i = 0; i < CALIBRATE_POLLS && !(inb(0x61) & 0x20); i++)
		; /* OUT2 rises at the terminal count */
	t1 = rdtsc();
	outb(0x61, gate);
	tsc_per_ms = (t1 - t0) / CALIBRATE_MS;
	if (i == CALIBRATE_POLLS || tsc_per_ms == 0)
		tsc_per_ms = ASSUMED_PER_MS;
}

uint64_t
x86_deadline(uint32_t ms)
{
	if (tsc_per_ms == 0)
		calibrate();
	return rdtsc() + tsc_per_ms * ms;
}

int
x86_deadline_passed(uint64_t deadline)
{
	return (int64_t)(rdtsc() - deadline) >= 0;
}
