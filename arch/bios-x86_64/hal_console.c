/*
 * The PC console: every byte goes to QEMU's 0xE9 debug console and, when
 * the 16550 at COM1 answered the probe, to COM1 as well.
 */
#include "cpu.h"
#include "hal.h"
#include "x86.h"

#define COM1 0x3F8

static int com1_present;

int
x86_console_init(void)
{
	/* The scratch register keeps what is written only on a real UART. */
	outb(COM1 + 7, 0x5A);
	if (inb(COM1 + 7) != 0x5A)
		return com1_present = 0;
	outb(COM1 + 7, 0xA5);
	if (inb(COM1 + 7) != 0xA5)
		return com1_present = 0;
	outb(COM1 + 1, 0x00);		/* no UART interrupts */
	outb(COM1 + 3, 0x80);		/* divisor latch */
	outb(COM1 + 0, 0x01);		/* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);		/* 8N1 */
	outb(COM1 + 2, 0xC7);		/* FIFOs on */
	return com1_present = 1;
}

void
hal_console_write(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		outb(0xE9, (uint8_t)buf[i]);
		if (com1_present) {
			while ((inb(COM1 + 5) & 0x20) == 0)
				;
			outb(COM1, (uint8_t)buf[i]);
		}
	}
}
