/*
 * The whole hosted kernel, booted in process from cell_reset() to the end of
 * its proof chain in virtual time, once per input. The input is split into
 * a phenotype (its first two bytes give the length) and an interrupt
 * schedule (the rest, 3 bytes an event: dispatch point, line) injected on
 * top of virtual time. The console goes nowhere. A boot may fail its proof
 * (a strange phenotype), but the kernel must not crash, leak or misbehave.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "hal.h"
#include "hosted.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define EVENTS_MAX 64

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hosted_irq_event events[EVENTS_MAX];
	static int ready;
	size_t pheno_len, n = 0;
	uint64_t point = 0;

	if (!ready) {
		hosted_console_to(-1);
		hosted_irq_configure(HOSTED_TIME_VIRTUAL, NULL, NULL, 0);
		if (hosted_blk_use_memory(HOSTED_DISK_BLOCKS) != 0)
			abort();
		ready = 1;
	}
	if (size < 2)
		return 0;
	pheno_len = (size_t)(data[0] | data[1] << 8);
	if (pheno_len > size - 2)
		pheno_len = size - 2;
	if (pheno_len == 0)
		hosted_use_default_phenotype();
	else
		hosted_set_phenotype(data + 2, pheno_len);
	for (size_t at = 2 + pheno_len; at + 3 <= size && n < EVENTS_MAX;
	     at += 3) {
		point += (uint64_t)(data[at] | data[at + 1] << 8);
		events[n].point = point;
		events[n].line = data[at + 2] % HAL_IRQ_LINES;
		n++;
	}
	hosted_irq_inject(events, n);
	(void)hosted_boot_once(128ull << 20);
	hosted_irq_inject(NULL, 0);
	return 0;
}
