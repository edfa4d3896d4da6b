/*
 * The three HAL entry points the kernel core's verifier drags in through
 * kprint (core/vm_verify.c formats its reasons with ksnprintf, whose object
 * also holds kprintf and the log ring). phenotype-compile is a host tool
 * with no interrupts and no console device, and it must not link the
 * hosted HAL, whose embedded phenotype it is what builds. Only the
 * executable links this file; the fuzzers get the real hosted HAL.
 */
#include <stddef.h>
#include <stdio.h>

#include "hal.h"

/* Channel 0 of a host tool is its stderr (the core never prints here). */
void
hal_console_write(const char *buf, size_t len)
{
	fwrite(buf, 1, len, stderr);
}

/* A host tool takes no interrupts: nothing to disable. */
unsigned long
hal_irq_save(void)
{
	return 0;
}

/* Nothing was disabled, so nothing to restore. */
void
hal_irq_restore(unsigned long state)
{
	(void)state;
}
