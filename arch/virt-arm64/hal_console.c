/* The virt console: the PL011 UART the device tree names. */
#include "arm64.h"
#include "hal.h"

#define UARTDR		0x000
#define UARTFR		0x018
#define UARTFR_TXFF	(1u << 5)
#define UARTIBRD	0x024
#define UARTFBRD	0x028
#define UARTLCR_H	0x02C
#define UARTCR		0x030
#define UARTIMSC	0x038

static uint64_t uart;

void
pl011_init(uint64_t base)
{
	uart = base;
	mmio_write32(uart + UARTCR, 0);		/* off while configuring */
	mmio_write32(uart + UARTIMSC, 0);	/* no UART interrupts */
	mmio_write32(uart + UARTIBRD, 13);	/* 115200 at 24 MHz */
	mmio_write32(uart + UARTFBRD, 1);
	mmio_write32(uart + UARTLCR_H, 0x70);	/* 8N1, FIFOs */
	mmio_write32(uart + UARTCR, 0x301);	/* enable, TX, RX */
}

void
hal_console_write(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		while (mmio_read32(uart + UARTFR) & UARTFR_TXFF)
			;
		mmio_write32(uart + UARTDR, (uint8_t)buf[i]);
	}
}
