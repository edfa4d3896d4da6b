/*
 * A board kernel's phenotype: the .pbin embedded at build time
 * (phenotype_blob.S, empty when the build had no phenotype compiler).
 */
#include "hal.h"

extern const uint8_t board_pbin[];
extern const uint8_t board_pbin_end[];

const uint8_t *
hal_phenotype(size_t *len)
{
	*len = (size_t)(board_pbin_end - board_pbin);
	return *len > 0 ? board_pbin : NULL;
}
