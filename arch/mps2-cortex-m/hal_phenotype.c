/* The phenotypes this board takes; the blob itself is arch/freestanding's. */
#include "cellos/pbin.h"
#include "hal.h"

uint32_t
hal_pbin_arch(void)
{
	return PBIN_ARCH_ARM_M;
}
