/* Hosted-target internals shared by main.c, the HAL files and the fuzzers. */
#ifndef CELLOS_HOSTED_H
#define CELLOS_HOSTED_H

#include <stdint.h>

#include "cellos/handoff.h"

/* Fill h from the host: CPU identification and features, the configured RAM. */
void hosted_probe(handoff_t *h, uint64_t ram_bytes);

#endif
