/*
 * Exceptions and interrupts from vectors.S. An IRQ goes to the GIC; any
 * other exception is a kernel bug: print where (ESR, ELR, FAR) and leave.
 */
#include <stdint.h>

#include "arm64.h"
#include "cellos/exit.h"
#include "hal.h"
#include "kprint.h"

static const char *const kinds[16] = {
	"sync (EL1t)", "irq (EL1t)", "fiq (EL1t)", "serror (EL1t)",
	"sync", "irq", "fiq", "serror",
	"sync (EL0)", "irq (EL0)", "fiq (EL0)", "serror (EL0)",
	"sync (AArch32)", "irq (AArch32)", "fiq (AArch32)", "serror (AArch32)",
};

void
arm64_trap(struct arm64_frame *f, uint64_t kind)
{
	if (kind == 5) {
		gic_handle_irq();
		return;
	}
	kprintf("#X exception %s esr=%016llX elr=%016llX far=%016llX "
	    "spsr=%016llX\n", kinds[kind & 15], (unsigned long long)f->esr,
	    (unsigned long long)f->elr,
	    (unsigned long long)read_sysreg(far_el1),
	    (unsigned long long)f->spsr);
	hal_exit(CELL_EXIT_PANIC);
}
