/* E0/E1 printing and the names of the substrate enumerations. */
#ifndef CELLOS_CORE_SUBSTRATE_H
#define CELLOS_CORE_SUBSTRATE_H

#include <stddef.h>
#include <stdint.h>

#include "cellos/handoff.h"

const char *substrate_arch_name(uint32_t v);
const char *substrate_tier_name(uint32_t v);
const char *substrate_intr_name(uint32_t v);
const char *substrate_timer_name(uint32_t v);

/* Names of the set bits joined by '|' ("NONE" when none); uses buf. */
const char *substrate_console_names(char *buf, size_t size, uint32_t mask);
/* Names of the set bits joined by ',' ("none" when none); uses buf. */
const char *substrate_feature_names(char *buf, size_t size, uint32_t mask);

/* Print the "#E0 raw" and "#E0 info" lines. */
void substrate_print_e0(const handoff_t *h);
/* Print the "#E1 handoff" line. */
void substrate_print_e1(const handoff_t *h);

#endif
