/*
 * The PC console. Channel 0 goes to one place, chosen at boot:
 *   - QEMU's (and Bochs') debug console at port 0xE9 when it answers: a
 *     read of the port gives 0xE9 there, and 0xFF where nothing decodes
 *     it. One port write a byte, no status to poll: the cheapest console
 *     an emulator has, and the one the runner captures (tools/qemu/x86.sh);
 *   - otherwise the 16550 at COM1 when it answers the scratch-register
 *     probe, a FIFO at a time: one LSR poll (THRE: the transmit FIFO is
 *     empty) then up to 16 bytes (1 on a UART without a working FIFO).
 * Writing every byte to both, as this file did, cost three port accesses
 * a byte (about 78,000 emulated I/O exits a boot) for a copy on COM1 that
 * nobody reads under QEMU. Stage 1 and stage 2 still print on both, so a
 * refusal before the kernel is seen on either.
 */
#include "cpu.h"
#include "hal.h"
#include "x86.h"

#define DEBUGCON 0xE9
#define COM1     0x3F8
#define LSR_THRE 0x20 /* the transmit holding register (FIFO) is empty */

static int debugcon_present, com1_present;
static unsigned com1_fifo = 1; /* bytes the UART takes after one THRE */

int
x86_console_init(void)
{
	debugcon_present = inb(DEBUGCON) == DEBUGCON;
	/* The scratch register keeps what is written only on a real UART. */
	outb(COM1 + 7, 0x5A);
	if (inb(COM1 + 7) != 0x5A)
		return com1_present = 0;
	outb(COM1 + 7, 0xA5);
	if (inb(COM1 + 7) != 0xA5)
		return com1_present = 0;
	outb(COM1 + 1, 0x00); /* no UART interrupts */
	outb(COM1 + 3, 0x80); /* divisor latch */
	outb(COM1 + 0, 0x01); /* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03); /* 8N1 */
	outb(COM1 + 2, 0xC7); /* FIFOs on, cleared */
	/* IIR bits 7:6 read 11 only when the 16-byte FIFOs work (16550A). */
	com1_fifo = (inb(COM1 + 2) & 0xC0) == 0xC0 ? 16 : 1;
	return com1_present = 1;
}

void
hal_console_write(const char *buf, size_t len)
{
	size_t i = 0;

	if (debugcon_present) {
		for (; i < len; i++)
			outb(DEBUGCON, (uint8_t)buf[i]);
		return;
	}
	while (com1_present && i < len) {
		size_t end = len - i < com1_fifo ? len : i + com1_fifo;

		while ((inb(COM1 + 5) & LSR_THRE) == 0)
			;
		for (; i < end; i++)
			outb(COM1, (uint8_t)buf[i]);
	}
}
