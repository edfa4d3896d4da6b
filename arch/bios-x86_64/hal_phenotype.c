/* The PC kernel's phenotype: the .pbin embedded in the image at build time. */
#include "cellos/pbin.h"
#include "hal.h"

#ifdef CELLOS_HAVE_PHENOTYPE
extern const uint8_t board_pbin[];
extern const uint8_t board_pbin_end[];

const uint8_t *
hal_phenotype(size_t *len)
{
	*len = (size_t)(board_pbin_end - board_pbin);
	return board_pbin;
}
#else
const uint8_t *
hal_phenotype(size_t *len)
{
	*len = 0;
	return NULL;
}
#endif

uint32_t
hal_pbin_arch(void)
{
	return PBIN_ARCH_X86_64;
}
