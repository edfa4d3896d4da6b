/*
 * The MCU console: the CMSDK APB UART0 (Arm's Cortex-M System Design Kit
 * UART, at 0x40004000 on the MPS2 FPGA images), transmit only, polled.
 */
#include <stdint.h>

#include "cellos/errors.h"
#include "hal.h"
#include "mcu.h"

#define UART_DATA    0x000
#define UART_STATE   0x004
#define UART_CTRL    0x008
#define UART_BAUDDIV 0x010
#define UART_PID4    0xFD0
#define UART_PID0    0xFE0
#define UART_CID0    0xFF0

#define STATE_TX_FULL (1u << 0)
#define CTRL_TX_EN    (1u << 0)

static int uart_enabled;

/*
 * The ID registers: PID0..PID3 hold part number 0x821 (the APB UART) and
 * Arm's JEP106 code 0x3B, CID0..CID3 the PrimeCell preamble 0xB105F00D.
 */
static int
uart_identify(void)
{
	uint32_t pid[4], cid[4], part, designer, preamble = 0;

	for (unsigned i = 0; i < 4; i++) {
		pid[i] = mmio_read32(MPS2_UART0 + UART_PID0 + 4 * i) & 0xFF;
		cid[i] = mmio_read32(MPS2_UART0 + UART_CID0 + 4 * i) & 0xFF;
		preamble |= cid[i] << (8 * i);
	}
	part = pid[0] | (pid[1] & 0xF) << 8;
	designer = pid[1] >> 4 | (pid[2] & 0x7) << 4;
	return part == 0x821 && designer == 0x3B && preamble == 0xB105F00Du ?
	    0 :
	    -CELL_E_NOSYS;
}

int
mcu_uart_init(void)
{
	int rc = uart_identify();

	/* Enable it either way: if it is a UART after all, the refusal that
	 * follows E1 can still be read. BAUDDIV: 25 MHz / 115200. */
	mmio_write32(MPS2_UART0 + UART_BAUDDIV, 217);
	mmio_write32(MPS2_UART0 + UART_CTRL, CTRL_TX_EN);
	uart_enabled = 1;
	return rc;
}

/* A fault before mcu_main set the UART up still gets reported (mcu_fault). */
void
mcu_uart_ensure(void)
{
	if (!uart_enabled)
		(void)mcu_uart_init();
}

void
hal_console_write(const char *buf, size_t len)
{
	if (!uart_enabled)
		return;
	for (size_t i = 0; i < len; i++) {
		while (mmio_read32(MPS2_UART0 + UART_STATE) & STATE_TX_FULL)
			;
		mmio_write32(MPS2_UART0 + UART_DATA, (uint8_t)buf[i]);
	}
}
