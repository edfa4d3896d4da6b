/* The hosted machine's power cycle and boot; see hosted.h. */
#include "cell.h"
#include "hal.h"
#include "hosted.h"

int
hosted_boot_once(uint64_t ram_bytes)
{
	static const char stage[] = "#E0 hosted start\n";
	handoff_t handoff;

	hosted_irq_reset();
	hosted_blk_power_cycle();
	hal_console_write(stage, sizeof stage - 1);
	hosted_probe(&handoff, ram_bytes);
	return cell_boot(&handoff);
}
