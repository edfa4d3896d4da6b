/*
 * The PC board's C entry: from entry.S with the handoff stage2 (or the UEFI
 * loader) left in low memory. Console, descriptor tables and interrupt
 * controller first (so a fault is reported), then the probe, then the
 * kernel.
 */
#include "bootinfo.h"
#include "cell.h"
#include "hal.h"
#include "x86.h"

void x86_main(handoff_t *boot_handoff);

void
x86_main(handoff_t *boot_handoff)
{
	static handoff_t handoff;
	int com1 = x86_console_init();

	x86_idt_init();
	x86_pic_init();
	/* Keep what the loader knew (where it put us), probe the rest. */
	handoff = *boot_handoff;
	x86_probe(&handoff, com1);
	cell_main(&handoff);
}
