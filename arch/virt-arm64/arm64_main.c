/*
 * The virt board's C entry: from start.S at EL1 with the DTB QEMU passed in
 * X0. The device tree says where RAM, the UART, the GIC and the virtio
 * devices are. If it cannot be read, or names an interrupt controller this
 * kernel has no driver for, the console still comes up (at QEMU virt's
 * documented PL011 address when the tree cannot say), E0 and E1 describe
 * what was found, and the boot refuses the machine right after E1
 * (hal_machine_unsupported); nothing unprobed is claimed.
 */
#include <stdint.h>

#include "arm64.h"
#include "cell.h"
#include "hal.h"
#include "kprint.h"

struct fdt_info board;
const char *arm64_unsupported;

extern char _head[];
extern char _end[];

void arm64_main(uint64_t dtb);

static void
probe(handoff_t *h, int dtb_ok)
{
	cgf_substrate_info_t *s = &h->substrate;
	uint64_t pfr0 = read_sysreg(id_aa64pfr0_el1);
	uint64_t isar0 = read_sysreg(id_aa64isar0_el1);
	uint64_t top = 0, total = 0;

	h->phys_base = (uint64_t)(uintptr_t)_head;
	h->phys_len = (uint64_t)(_end - _head);
	s->arch = CGF_ARCH_ARM64;
	s->reserved_u32[0] = (uint32_t)read_sysreg(midr_el1);
	if (((pfr0 >> 16) & 0xF) != 0xF)
		s->cpu_features |= CGF_FEAT_FP;
	if (((pfr0 >> 20) & 0xF) != 0xF)
		s->cpu_features |= CGF_FEAT_NEON;
	if (((isar0 >> 12) & 0xF) != 0) /* SHA2: SHA-256 (1) or -512 too */
		s->cpu_features |= CGF_FEAT_SHA2;
	if (((isar0 >> 16) & 0xF) != 0) /* CRC32 */
		s->cpu_features |= CGF_FEAT_CRC32;
	if (dtb_ok) {
		s->tier =
		    board.virt_board ? CGF_TIER_QEMU_VIRT : CGF_TIER_UNKNOWN;
		s->intr_fabric = board.gic_version == 2 ? CGF_INTR_GICV2 :
		    board.gic_version == 3              ? CGF_INTR_GICV3 :
							  CGF_INTR_UNKNOWN;
		s->timer_fabric =
		    board.timer ? CGF_TIMER_ARCH_TIMER : CGF_TIMER_UNKNOWN;
		s->console_fabric = board.uart_base ? CGF_CONSOLE_PL011 : 0;
	}
	for (unsigned i = 0; i < board.mem_count; i++) {
		uint64_t end = board.mem_base[i] + board.mem_size[i];
		total += board.mem_size[i];
		if (end > top)
			top = end;
	}
	h->mem_top = top;
	h->console_flags = s->console_fabric;
	s->ram_total_bytes = total;
	s->dma32_boundary = top < (1ull << 32) ? top : (1ull << 32);
	s->substrate_code = cgf_substrate_code(s->arch, s->tier, s->intr_fabric,
	    s->timer_fabric);
}

void
arm64_main(uint64_t dtb)
{
	static handoff_t handoff;
	const char *why = "ok";
	int rc;

	/* The DTB header says how big it is; fdt_read checks it all. */
	rc = fdt_read((const void *)(uintptr_t)dtb, 2u << 20, &board, &why);
	pl011_init(board.uart_base ? board.uart_base : VIRT_UART_FALLBACK);
	kprintf("#E0 arm pl011 ok\n");
	if (rc < 0) {
		static char reason[128];

		/* Enough to describe the machine; the boot refuses it after E1. */
		ksnprintf(reason, sizeof reason,
		    "the device tree at %016llX is "
		    "unusable (%s)",
		    (unsigned long long)dtb, why);
		arm64_unsupported = reason;
	} else if (board.gic_version != 2 || !board.gic_dist ||
	    !board.gic_cpu) {
		arm64_unsupported = board.gic_version == 3 ?
		    "the interrupt "
		    "controller is a GICv3 (arm,gic-v3); this kernel drives the "
		    "GICv2 only (run QEMU with -M virt,gic-version=2)" :
		    "the device tree names no GICv2 interrupt controller";
	} else {
		gic_init(board.gic_dist, board.gic_cpu);
	}
	probe(&handoff, rc == 0);
	cell_main(&handoff);
}
