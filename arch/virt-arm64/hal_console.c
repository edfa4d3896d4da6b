/*
 * The virt console: the PL011 UART the device tree names, a FIFO at a
 * time. One read of the flag register a burst: when it says the transmit
 * FIFO is empty (TXFE), the next 16 bytes go without looking (every PL011
 * revision has at least 16 entries); when it is not empty, one byte goes
 * as soon as TXFF says there is room. Under QEMU, whose PL011 sends at
 * once, that is one register read per 16 bytes instead of one per byte.
 */
#include "arm64.h"
#include "hal.h"

#define UARTDR      0x000
#define UARTFR      0x018
#define UARTFR_TXFF (1u << 5) /* transmit FIFO full */
#define UARTFR_TXFE (1u << 7) /* transmit FIFO empty */
#define TX_FIFO_MIN 16u       /* the shallowest PL011's FIFO */
#define UARTIBRD    0x024
#define UARTFBRD    0x028
#define UARTLCR_H   0x02C
#define UARTCR      0x030
#define UARTIMSC    0x038

static uint64_t uart;

void
pl011_init(uint64_t base)
{
	uart = base;
	mmio_write32(uart + UARTCR, 0);    /* off while configuring */
	mmio_write32(uart + UARTIMSC, 0);  /* no UART interrupts */
	mmio_write32(uart + UARTIBRD, 13); /* 115200 at 24 MHz */
	mmio_write32(uart + UARTFBRD, 1);
	mmio_write32(uart + UARTLCR_H, 0x70); /* 8N1, FIFOs */
	mmio_write32(uart + UARTCR, 0x301);   /* enable, TX, RX */
}

void
hal_console_write(const char *buf, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint32_t fr = mmio_read32(uart + UARTFR);

		if (fr & UARTFR_TXFE) {
			size_t end =
			    len - i < TX_FIFO_MIN ? len : i + TX_FIFO_MIN;

			for (; i < end; i++)
				mmio_write32(uart + UARTDR, (uint8_t)buf[i]);
		} else if ((fr & UARTFR_TXFF) == 0) {
			mmio_write32(uart + UARTDR, (uint8_t)buf[i++]);
		}
	}
}
