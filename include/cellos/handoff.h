/*
 * handoff_t: what the arch entry tells the kernel core about the machine.
 * Pinned ABI (CONTRACT.md section 2): 168 bytes, little-endian; passed in RDI
 * on x86, X0 on arm64, and as an argument in the hosted process.
 */
#ifndef CELLOS_HANDOFF_H
#define CELLOS_HANDOFF_H

#include <stddef.h>
#include <stdint.h>

#include "cellos/substrate.h"

typedef struct handoff {
	uint64_t phys_base;     /* physical load address of the kernel image */
	uint64_t phys_len;      /* bytes of the loaded image */
	uint64_t mem_top;       /* top of usable RAM, as probed */
	uint64_t console_flags; /* CGF_CONSOLE_* bits */
	uint64_t reserved;      /* 0 */
	cgf_substrate_info_t substrate;
} handoff_t;

_Static_assert(sizeof(handoff_t) == 168, "handoff ABI is 168 bytes");
_Static_assert(offsetof(handoff_t, console_flags) == 24, "console_flags @24");
_Static_assert(offsetof(handoff_t, substrate) == 40, "substrate @40");

#endif
