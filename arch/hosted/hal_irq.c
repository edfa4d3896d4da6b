/*
 * Hosted interrupts: not wired yet (the interrupts issue brings signals as
 * IRQs). Until then every call reports that the target does not provide it.
 */
#include "cellos/errors.h"
#include "hal.h"

unsigned long
hal_irq_save(void)
{
	return 0;
}

void
hal_irq_restore(unsigned long state)
{
	(void)state;
}

void
hal_irq_enable(void)
{
}

int
hal_irq_register(unsigned line, hal_irq_handler_t handler, void *ctx)
{
	(void)line;
	(void)handler;
	(void)ctx;
	return -CELL_E_NOSYS;
}

void
hal_irq_mask(unsigned line)
{
	(void)line;
}

void
hal_irq_unmask(unsigned line)
{
	(void)line;
}

void
hal_irq_ack(unsigned line)
{
	(void)line;
}

int
hal_irq_raise_soft(unsigned line)
{
	(void)line;
	return -CELL_E_NOSYS;
}

void
hal_wait_irq(void)
{
}

int
hal_timer_start(uint32_t hz)
{
	(void)hz;
	return -CELL_E_NOSYS;
}

void
hal_timer_stop(void)
{
}

uint64_t
hal_timer_ticks(void)
{
	return 0;
}
