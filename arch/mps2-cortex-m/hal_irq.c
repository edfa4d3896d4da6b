/*
 * MCU interrupts: the NVIC and SysTick of the ARMv7-M system control space.
 *
 *   HAL_IRQ_TIMER  SysTick (exception 15), clocked by the reference clock
 *                  whose rate SYST_CALIB gives (TENMS + 1 ticks in 10 ms);
 *   HAL_IRQ_SOFT   NVIC line MCU_SOFT_IRQ (31, exception 47), which no
 *                  AN386 device drives: raised by writing its bit in the
 *                  NVIC's set-pending register (ISPR0).
 *
 * Both run at one priority (0x80), below the faults, so they never nest.
 * Masking: PRIMASK alone (cpsid/cpsie) for hal_irq_save/restore and the
 * wait; BASEPRI stays 0 and FAULTMASK is never set (docs/BOOT-mcu.md).
 * Each ISR counts the interrupt at its first instruction (hal_irq_taken).
 * The NVIC needs no end-of-interrupt: the exception return is one, so
 * hal_irq_ack has nothing to do.
 */
#include <stddef.h>
#include <stdint.h>

#include "cellos/errors.h"
#include "hal.h"
#include "mcu.h"

#define SYST_ENABLE    (1u << 0)
#define SYST_TICKINT   (1u << 1)
#define SYST_COUNTFLAG (1u << 16)
#define CALIB_NOREF    (1u << 31)
#define CALIB_TENMS    0x00FFFFFFu
#define IRQ_PRIORITY   0x80u

static struct {
	hal_irq_handler_t handler;
	void *ctx;
} lines[HAL_IRQ_LINES];

static volatile uint64_t taken[HAL_IRQ_LINES]; /* at the exception entry */
static volatile uint64_t ticks;
static int ready; /* mcu_irq_init has run */
static int timer_running;
static int timer_pending; /* a tick came while the line was masked */

void
mcu_irq_init(void)
{
	uint32_t words = mcu.nvic_lines / 32;

	mmio_write32(SYST_CSR, 0);
	mmio_write32(SCB_ICSR, ICSR_PENDSTCLR);
	for (uint32_t w = 0; w < words; w++) {
		mmio_write32(NVIC_ICER0 + 4 * w, 0xFFFFFFFFu);
		mmio_write32(NVIC_ICPR0 + 4 * w, 0xFFFFFFFFu);
	}
	/* SysTick's priority is SHPR3's top byte; a line's, its IPR byte
	 * (written as a word: byte access is allowed, but one style). */
	mmio_write32(SCB_SHPR3,
	    (mmio_read32(SCB_SHPR3) & 0x00FFFFFFu) | IRQ_PRIORITY << 24);
	mmio_write32(NVIC_IPR0 + 4 * (MCU_SOFT_IRQ / 4),
	    (mmio_read32(NVIC_IPR0 + 4 * (MCU_SOFT_IRQ / 4)) &
		~(0xFFu << (8 * (MCU_SOFT_IRQ % 4)))) |
		IRQ_PRIORITY << (8 * (MCU_SOFT_IRQ % 4)));
	mmio_write32(NVIC_ISER0 + 4 * (MCU_SOFT_IRQ / 32),
	    1u << (MCU_SOFT_IRQ % 32));
	/* Faults get their own handlers instead of escalating to HardFault. */
	mmio_write32(SCB_SHCSR,
	    mmio_read32(SCB_SHCSR) | SHCSR_MEMFAULTENA | SHCSR_BUSFAULTENA |
		SHCSR_USGFAULTENA);
	mcu_barrier();
	ready = 1;
}

static void
run_handler(unsigned line)
{
	if (lines[line].handler != NULL)
		lines[line].handler(line, lines[line].ctx);
}

void
mcu_systick_isr(void)
{
	taken[HAL_IRQ_TIMER]++;
	ticks++;
	run_handler(HAL_IRQ_TIMER);
}

void
mcu_soft_isr(void)
{
	taken[HAL_IRQ_SOFT]++;
	run_handler(HAL_IRQ_SOFT);
}

uint64_t
hal_irq_taken(unsigned line)
{
	return line < HAL_IRQ_LINES ? taken[line] : 0;
}

unsigned long
hal_irq_save(void)
{
	uint32_t primask;

	__asm__ volatile("mrs %0, primask\n\tcpsid i"
			 : "=r"(primask)
			 :
			 : "memory");
	return (primask & 1) == 0;
}

void
hal_irq_restore(unsigned long state)
{
	if (state)
		__asm__ volatile("cpsie i" : : : "memory");
}

void
hal_irq_enable(void)
{
	__asm__ volatile("cpsie i" : : : "memory");
}

int
hal_irq_register(unsigned line, hal_irq_handler_t handler, void *ctx)
{
	unsigned long irq;

	if (line >= HAL_IRQ_LINES)
		return -CELL_E_INVAL;
	if (!ready)
		return -CELL_E_NOSYS;
	irq = hal_irq_save();
	lines[line].handler = handler;
	lines[line].ctx = ctx;
	hal_irq_restore(irq);
	return 0;
}

/*
 * SysTick has no mask of its own but TICKINT, and a wrap while TICKINT is
 * clear pends nothing: so masking keeps a pended tick (PENDSTSET) aside,
 * unmasking pends it again, or pends one if the counter wrapped
 * (COUNTFLAG) in between. A masked line stays pending, as the HAL says.
 */
static void
timer_mask(void)
{
	unsigned long irq = hal_irq_save();

	mmio_write32(SYST_CSR, mmio_read32(SYST_CSR) & ~SYST_TICKINT);
	if (mmio_read32(SCB_ICSR) & ICSR_PENDSTSET) {
		mmio_write32(SCB_ICSR, ICSR_PENDSTCLR);
		timer_pending = 1;
	}
	hal_irq_restore(irq);
}

static void
timer_unmask(void)
{
	unsigned long irq = hal_irq_save();

	if (timer_running) {
		uint32_t csr = mmio_read32(SYST_CSR); /* clears COUNTFLAG */

		if (csr & SYST_COUNTFLAG)
			timer_pending = 1;
		mmio_write32(SYST_CSR, csr | SYST_TICKINT);
		if (timer_pending) {
			timer_pending = 0;
			mmio_write32(SCB_ICSR, ICSR_PENDSTSET);
		}
	}
	hal_irq_restore(irq);
}

void
hal_irq_mask(unsigned line)
{
	if (!ready)
		return;
	if (line == HAL_IRQ_TIMER)
		timer_mask();
	else if (line == HAL_IRQ_SOFT)
		mmio_write32(NVIC_ICER0 + 4 * (MCU_SOFT_IRQ / 32),
		    1u << (MCU_SOFT_IRQ % 32));
}

void
hal_irq_unmask(unsigned line)
{
	if (!ready)
		return;
	if (line == HAL_IRQ_TIMER)
		timer_unmask();
	else if (line == HAL_IRQ_SOFT)
		mmio_write32(NVIC_ISER0 + 4 * (MCU_SOFT_IRQ / 32),
		    1u << (MCU_SOFT_IRQ % 32));
}

void
hal_irq_ack(unsigned line)
{
	(void)line;
}

int
hal_irq_raise_soft(unsigned line)
{
	if (line != HAL_IRQ_SOFT)
		return -CELL_E_INVAL;
	if (!ready)
		return -CELL_E_NOSYS;
	mmio_write32(NVIC_ISPR0 + 4 * (MCU_SOFT_IRQ / 32),
	    1u << (MCU_SOFT_IRQ % 32));
	mcu_barrier();
	return 0;
}

/*
 * PRIMASK is set on entry. wfi wakes for an interrupt that is pending and
 * would preempt but for PRIMASK (ARMv7-M ARM B1.5.19), so one that became
 * pending before the wfi is not lost: wfi returns at once. cpsie lets it
 * in, the isb makes sure it is taken before cpsid masks again.
 */
void
hal_wait_irq(void)
{
	__asm__ volatile("dsb\n\twfi\n\tcpsie i\n\tisb\n\tcpsid i"
			 :
			 :
			 : "memory");
}

int
hal_timer_start(uint32_t hz)
{
	uint32_t calib = mcu.systick_calib;
	uint32_t ref_hz, reload;

	if (hz == 0 || hz > HAL_TIMER_HZ_MAX)
		return -CELL_E_INVAL;
	if (!ready || (calib & CALIB_NOREF) || (calib & CALIB_TENMS) == 0)
		return -CELL_E_NOSYS;
	/* TENMS is the reload value for 10 ms: one less than its ticks. */
	ref_hz = ((calib & CALIB_TENMS) + 1) * 100u;
	if (ref_hz / hz < 2 || ref_hz / hz - 1 > 0x00FFFFFFu)
		return -CELL_E_INVAL;
	reload = ref_hz / hz - 1;
	mmio_write32(SYST_CSR, 0);
	mmio_write32(SCB_ICSR, ICSR_PENDSTCLR);
	mmio_write32(SYST_RVR, reload);
	mmio_write32(SYST_CVR, 0);
	ticks = 0;
	timer_pending = 0;
	timer_running = 1;
	/* CLKSOURCE 0: the reference clock, the one CALIB describes. */
	mmio_write32(SYST_CSR, SYST_ENABLE | SYST_TICKINT);
	return 0;
}

void
hal_timer_stop(void)
{
	if (!ready)
		return;
	mmio_write32(SYST_CSR, 0);
	mmio_write32(SCB_ICSR, ICSR_PENDSTCLR);
	timer_running = 0;
	timer_pending = 0;
}

uint64_t
hal_timer_ticks(void)
{
	return ticks;
}
