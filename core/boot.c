/*
 * The boot flow, identical on every target after the arch entry: print what
 * the machine is (E0, E1), then walk the proof chain. Each step checks its
 * own result; the first failure ends the boot with a non-zero status.
 */
#include "cell.h"
#include "hal.h"
#include "kprint.h"
#include "substrate.h"

void
cell_reset(void)
{
}

int
cell_boot(const handoff_t *h)
{
	substrate_print_e0(h);
	substrate_print_e1(h);
	kprintf("# proof chain ends at E1 in this build\n");
	return 0;
}

void
cell_main(const handoff_t *h)
{
	hal_exit(cell_boot(h));
}
