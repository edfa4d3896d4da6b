/*
 * Exceptions and interrupts from vectors.S. An IRQ goes to the GIC; any
 * other exception is a kernel bug: print where (ESR, ELR, FAR) and a
 * frame-record backtrace ("#X bt"), and leave.
 */
#include <stdint.h>

#include "arm64.h"
#include "cellos/exit.h"
#include "hal.h"
#include "kprint.h"

/* clang-format off */
static const char *const kinds[16] = {
	"sync (EL1t)", "irq (EL1t)", "fiq (EL1t)", "serror (EL1t)",
	"sync", "irq", "fiq", "serror",
	"sync (EL0)", "irq (EL0)", "fiq (EL0)", "serror (EL0)",
	"sync (AArch32)", "irq (AArch32)", "fiq (AArch32)", "serror (AArch32)",
};
/* clang-format on */

/* The kernel stack (start.S): the only place a frame record may be. */
extern const char boot_stack[], boot_stack_top[];

#define BACKTRACE_MAX 16

/*
 * Print "#X bt" and the return addresses of the frame-record chain from
 * fp (x29), innermost first. A frame pointer is followed only when it is
 * 8-byte aligned, its record (saved x29, x30) lies inside the kernel stack
 * and it is above the record before it, and at most BACKTRACE_MAX frames,
 * so a corrupt chain ends the walk instead of faulting again. The chain
 * ends at start.S's zero record.
 */
static void
print_backtrace(uint64_t fp)
{
	const uint64_t lo = (uint64_t)(uintptr_t)boot_stack;
	const uint64_t hi = (uint64_t)(uintptr_t)boot_stack_top;

	kprintf("#X bt");
	for (int depth = 0; depth < BACKTRACE_MAX; depth++) {
		if (fp % 8 != 0 || fp < lo || fp > hi - 16)
			break;
		const uint64_t *record = (const uint64_t *)(uintptr_t)fp;
		uint64_t next = record[0], lr = record[1];
		if (lr == 0)
			break;
		kprintf(" %016llX", (unsigned long long)lr);
		if (next <= fp)
			break;
		fp = next;
	}
	kprintf("\n");
}

void
arm64_trap(struct arm64_frame *f, uint64_t kind)
{
	if (kind == 5) {
		gic_handle_irq();
		return;
	}
	kprintf("#X exception %s esr=%016llX elr=%016llX far=%016llX "
		"spsr=%016llX\n",
	    kinds[kind & 15], (unsigned long long)f->esr,
	    (unsigned long long)f->elr,
	    (unsigned long long)read_sysreg(far_el1),
	    (unsigned long long)f->spsr);
	print_backtrace(f->x[29]);
	hal_exit(CELL_EXIT_PANIC);
}
