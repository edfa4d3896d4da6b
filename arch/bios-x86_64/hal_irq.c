/*
 * PC interrupts: the 8259 PICs remapped to vectors 0x20..0x2F, the PIT on
 * IRQ0 as the timer, `int $0x81` as the software line, IRQ10/IRQ11 as the
 * external lines. The dispatcher sends the end-of-interrupt once the
 * handler is done, unless the handler already did with hal_irq_ack.
 */
#include <stdint.h>

#include "cellos/errors.h"
#include "cpu.h"
#include "hal.h"
#include "x86.h"

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xA0
#define PIC2_DATA 0xA1
#define PIT_HZ    1193182u

/* The PIC input of each line; the software line has none. */
static const int line_irq[HAL_IRQ_LINES] = { 0, -1, 10, 11 };

static struct {
	hal_irq_handler_t handler;
	void *ctx;
} lines[HAL_IRQ_LINES];

static volatile uint64_t ticks;
static volatile uint64_t taken[HAL_IRQ_LINES]; /* at the IDT vector */
static volatile int soft_masked, soft_pending;
static volatile int in_service = -1; /* PIC irq being handled, -1 none */
static volatile int acked;

void
x86_pic_init(void)
{
	outb(PIC1_CMD, 0x11); /* ICW1: edge, cascade, ICW4 */
	io_wait();
	outb(PIC2_CMD, 0x11);
	io_wait();
	outb(PIC1_DATA, VEC_PIC_BASE); /* ICW2: vector bases */
	io_wait();
	outb(PIC2_DATA, VEC_PIC_BASE + 8);
	io_wait();
	outb(PIC1_DATA, 4); /* ICW3: slave on IRQ2 */
	io_wait();
	outb(PIC2_DATA, 2);
	io_wait();
	outb(PIC1_DATA, 1); /* ICW4: 8086 mode */
	io_wait();
	outb(PIC2_DATA, 1);
	io_wait();
	outb(PIC1_DATA, 0xFB); /* all masked but the cascade */
	outb(PIC2_DATA, 0xFF);
}

static void
pic_set_mask(int irq, int masked)
{
	uint16_t port = irq < 8 ? PIC1_DATA : PIC2_DATA;
	uint8_t bit = (uint8_t)(1u << (irq & 7));
	uint8_t v = inb(port);

	outb(port, masked ? (uint8_t)(v | bit) : (uint8_t)(v & ~bit));
}

static void
pic_eoi(int irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, 0x20);
	outb(PIC1_CMD, 0x20);
}

/* Whether irq (7 or 15) is really in service, not a spurious one. */
static int
pic_in_service(int irq)
{
	uint16_t port = irq < 8 ? PIC1_CMD : PIC2_CMD;

	outb(port, 0x0B); /* read ISR */
	return (inb(port) >> (irq & 7)) & 1;
}

static void
run_handler(unsigned line)
{
	if (lines[line].handler != NULL)
		lines[line].handler(line, lines[line].ctx);
}

void
x86_irq(uint64_t vector)
{
	if (vector == VEC_SOFT) {
		taken[HAL_IRQ_SOFT]++;
		if (soft_masked) {
			soft_pending++;
			return;
		}
		run_handler(HAL_IRQ_SOFT);
		return;
	}
	int irq = (int)vector - VEC_PIC_BASE;
	if (irq < 0 || irq > 15)
		return;
	if ((irq == 7 || irq == 15) && !pic_in_service(irq)) {
		if (irq == 15)
			outb(PIC1_CMD, 0x20); /* the master saw the cascade */
		return;
	}
	in_service = irq;
	acked = 0;
	for (unsigned l = 0; l < HAL_IRQ_LINES; l++) {
		if (line_irq[l] != irq)
			continue;
		taken[l]++;
		if (l == HAL_IRQ_TIMER)
			ticks++;
		run_handler(l);
	}
	if (!acked)
		pic_eoi(irq);
	in_service = -1;
}

uint64_t
hal_irq_taken(unsigned line)
{
	return line < HAL_IRQ_LINES ? taken[line] : 0;
}

unsigned long
hal_irq_save(void)
{
	unsigned long was = (unsigned long)(read_flags() & FLAGS_IF);

	cli();
	return was;
}

void
hal_irq_restore(unsigned long state)
{
	if (state)
		sti();
}

void
hal_irq_enable(void)
{
	sti();
}

int
hal_irq_register(unsigned line, hal_irq_handler_t handler, void *ctx)
{
	unsigned long irq;

	if (line >= HAL_IRQ_LINES)
		return -CELL_E_INVAL;
	irq = hal_irq_save();
	lines[line].handler = handler;
	lines[line].ctx = ctx;
	hal_irq_restore(irq);
	return 0;
}

void
hal_irq_mask(unsigned line)
{
	if (line == HAL_IRQ_SOFT)
		soft_masked = 1;
	else if (line < HAL_IRQ_LINES)
		pic_set_mask(line_irq[line], 1);
}

void
hal_irq_unmask(unsigned line)
{
	if (line == HAL_IRQ_SOFT) {
		soft_masked = 0;
		while (soft_pending > 0) {
			soft_pending--;
			run_handler(HAL_IRQ_SOFT);
		}
	} else if (line < HAL_IRQ_LINES) {
		pic_set_mask(line_irq[line], 0);
	}
}

void
hal_irq_ack(unsigned line)
{
	if (line >= HAL_IRQ_LINES || line_irq[line] < 0 ||
	    line_irq[line] != in_service || acked)
		return;
	pic_eoi(in_service);
	acked = 1;
}

int
hal_irq_raise_soft(unsigned line)
{
	if (line != HAL_IRQ_SOFT)
		return -CELL_E_INVAL;
	/* A real trip through the IDT: int is taken even with IF clear. */
	__asm__ volatile("int $0x81" : : : "memory");
	return 0;
}

void
hal_wait_irq(void)
{
	/* sti's one-instruction shadow makes "sti; hlt" atomic. */
	__asm__ volatile("sti; hlt; cli" : : : "memory");
}

int
hal_timer_start(uint32_t hz)
{
	uint32_t divisor;

	if (hz < 19 || hz > HAL_TIMER_HZ_MAX)
		return -CELL_E_INVAL; /* the PIT divisor is 16 bits */
	divisor = PIT_HZ / hz;
	outb(0x43, 0x34); /* channel 0, lo/hi, mode 2 */
	outb(0x40, (uint8_t)divisor);
	outb(0x40, (uint8_t)(divisor >> 8));
	ticks = 0;
	pic_set_mask(0, 0);
	return 0;
}

void
hal_timer_stop(void)
{
	pic_set_mask(0, 1);
}

uint64_t
hal_timer_ticks(void)
{
	return ticks;
}
