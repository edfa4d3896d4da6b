/*
 * virt interrupts: the GICv2 distributor and CPU interface the device tree
 * names, the EL1 physical timer (PPI 14, INTID 30) as the timer line, SGI 1
 * as the software line. The GIC end-of-interrupt is written once the
 * handler is done, unless the handler did it first with hal_irq_ack.
 */
#include <stdint.h>

#include "arm64.h"
#include "cellos/errors.h"
#include "hal.h"

#define GICD_CTLR       0x000
#define GICD_ISENABLER  0x100
#define GICD_ICENABLER  0x180
#define GICD_IPRIORITYR 0x400
#define GICD_SGIR       0xF00
#define GICC_CTLR       0x000
#define GICC_PMR        0x004
#define GICC_IAR        0x00C
#define GICC_EOIR       0x010

#define INTID_TIMER    30
#define INTID_SOFT     1
#define INTID_SPURIOUS 1020

static const int line_intid[HAL_IRQ_LINES] = { INTID_TIMER, INTID_SOFT, -1,
	-1 };

static uint64_t gicd, gicc;
static struct {
	hal_irq_handler_t handler;
	void *ctx;
} lines[HAL_IRQ_LINES];

static volatile uint64_t ticks;
static volatile uint64_t taken[HAL_IRQ_LINES]; /* at the IRQ vector */
static uint64_t timer_interval, timer_cval;
static volatile uint32_t current_iar = INTID_SPURIOUS;
static volatile int acked;

static void
gic_enable(int intid, int on)
{
	uint64_t reg = gicd + (on ? GICD_ISENABLER : GICD_ICENABLER) +
	    4 * (uint64_t)(intid / 32);

	mmio_write32(reg, 1u << (intid % 32));
}

static void
gic_priority(int intid, uint8_t prio)
{
	/* Byte-wide registers, written as words to stay aligned. */
	uint64_t reg = gicd + GICD_IPRIORITYR + 4 * (uint64_t)(intid / 4);
	unsigned shift = 8 * (unsigned)(intid % 4);
	uint32_t v = mmio_read32(reg);

	v = (v & ~(0xFFu << shift)) | (uint32_t)prio << shift;
	mmio_write32(reg, v);
}

void
gic_init(uint64_t dist, uint64_t cpu)
{
	gicd = dist;
	gicc = cpu;
	mmio_write32(gicd + GICD_CTLR, 0);
	gic_priority(INTID_TIMER, 0xA0);
	gic_priority(INTID_SOFT, 0xA0);
	gic_enable(INTID_TIMER, 0);
	gic_enable(INTID_SOFT, 1);
	mmio_write32(gicd + GICD_CTLR, 1);
	mmio_write32(gicc + GICC_PMR, 0xF0);
	mmio_write32(gicc + GICC_CTLR, 1);
}

/* Move the timer's compare value past now, one interval at a time. */
static void
timer_rearm(void)
{
	uint64_t now = read_sysreg(cntpct_el0);

	timer_cval += timer_interval;
	if (timer_cval <= now)
		timer_cval = now + timer_interval;
	write_sysreg(cntp_cval_el0, timer_cval);
	__asm__ volatile("isb");
}

static void
run_handler(unsigned line)
{
	if (lines[line].handler != NULL)
		lines[line].handler(line, lines[line].ctx);
}

void
gic_handle_irq(void)
{
	uint32_t iar = mmio_read32(gicc + GICC_IAR);
	uint32_t intid = iar & 0x3FF;

	if (intid >= INTID_SPURIOUS)
		return;
	current_iar = iar;
	acked = 0;
	for (unsigned l = 0; l < HAL_IRQ_LINES; l++) {
		if (line_intid[l] == (int)intid)
			taken[l]++;
	}
	if (intid == INTID_TIMER) {
		timer_rearm();
		ticks++;
		run_handler(HAL_IRQ_TIMER);
	} else if (intid == INTID_SOFT) {
		run_handler(HAL_IRQ_SOFT);
	}
	if (!acked)
		mmio_write32(gicc + GICC_EOIR, iar);
	current_iar = INTID_SPURIOUS;
}

uint64_t
hal_irq_taken(unsigned line)
{
	return line < HAL_IRQ_LINES ? taken[line] : 0;
}

unsigned long
hal_irq_save(void)
{
	uint64_t daif = read_sysreg(daif);

	__asm__ volatile("msr daifset, #2" : : : "memory");
	return (daif & (1u << 7)) == 0;
}

void
hal_irq_restore(unsigned long state)
{
	if (state)
		__asm__ volatile("msr daifclr, #2" : : : "memory");
}

void
hal_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" : : : "memory");
}

int
hal_irq_register(unsigned line, hal_irq_handler_t handler, void *ctx)
{
	unsigned long irq;

	if (line >= HAL_IRQ_LINES)
		return -CELL_E_INVAL;
	if (gicd == 0)
		return -CELL_E_NOSYS;
	irq = hal_irq_save();
	lines[line].handler = handler;
	lines[line].ctx = ctx;
	hal_irq_restore(irq);
	return 0;
}

void
hal_irq_mask(unsigned line)
{
	if (line < HAL_IRQ_LINES && line_intid[line] >= 0 && gicd != 0)
		gic_enable(line_intid[line], 0);
}

void
hal_irq_unmask(unsigned line)
{
	if (line < HAL_IRQ_LINES && line_intid[line] >= 0 && gicd != 0)
		gic_enable(line_intid[line], 1);
}

void
hal_irq_ack(unsigned line)
{
	if (line >= HAL_IRQ_LINES || acked || current_iar == INTID_SPURIOUS ||
	    (int)(current_iar & 0x3FF) != line_intid[line])
		return;
	mmio_write32(gicc + GICC_EOIR, current_iar);
	acked = 1;
}

int
hal_irq_raise_soft(unsigned line)
{
	if (line != HAL_IRQ_SOFT)
		return -CELL_E_INVAL;
	if (gicd == 0)
		return -CELL_E_NOSYS;
	/* TargetListFilter 0b10: this CPU only. */
	mmio_write32(gicd + GICD_SGIR, (2u << 24) | INTID_SOFT);
	__asm__ volatile("dsb sy; isb" : : : "memory");
	return 0;
}

void
hal_wait_irq(void)
{
	/* wfi wakes on a pending IRQ even while PSTATE.I masks it. */
	__asm__ volatile("wfi; msr daifclr, #2; isb; msr daifset, #2"
			 :
			 :
			 : "memory");
}

int
hal_timer_start(uint32_t hz)
{
	uint64_t freq = read_sysreg(cntfrq_el0);

	if (hz == 0 || hz > HAL_TIMER_HZ_MAX || freq < hz)
		return -CELL_E_INVAL;
	if (gicd == 0)
		return -CELL_E_NOSYS;
	timer_interval = freq / hz;
	timer_cval = read_sysreg(cntpct_el0);
	ticks = 0;
	timer_rearm();
	write_sysreg(cntp_ctl_el0, 1); /* enabled, not masked */
	gic_enable(INTID_TIMER, 1);
	return 0;
}

void
hal_timer_stop(void)
{
	write_sysreg(cntp_ctl_el0, 2); /* disabled, masked */
	if (gicd != 0)
		gic_enable(INTID_TIMER, 0);
}

uint64_t
hal_timer_ticks(void)
{
	return ticks;
}
