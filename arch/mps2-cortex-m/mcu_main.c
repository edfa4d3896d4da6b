/*
 * The Cortex-M board's C entry, from mcu_reset with interrupts off, .data
 * copied and .bss zeroed. Everything E0 and E1 say comes from the machine:
 * the CPU from CPUID, the FPU and the MPU from their ID registers, the
 * interrupt controller and SysTick from the system control space, the
 * console from UART0's ID registers, the board from its FPGA's SCC, RAM
 * from a bus-fault-guarded probe (probe.c). A part this kernel cannot
 * drive is described like any other and refused right after E1
 * (hal_machine_unsupported).
 */
#include <stddef.h>
#include <stdint.h>

#include "cell.h"
#include "hal.h"
#include "kprint.h"
#include "mcu.h"

#define SYS_GET_CMDLINE 0x15 /* semihosting: {buffer, length} */

struct mcu_machine mcu;
const char *mcu_unsupported;

extern char mcu_vectors[];
extern char __image_end[];
extern char __stack_bottom[];

/* Cortex-M parts by CPUID PARTNO (bits 15:4), for the #I line. */
static const char *
part_name(uint32_t cpuid)
{
	switch ((cpuid >> 4) & 0xFFF) {
	case 0xC20:
		return "Cortex-M0";
	case 0xC21:
		return "Cortex-M1";
	case 0xC23:
		return "Cortex-M3";
	case 0xC24:
		return "Cortex-M4";
	case 0xC27:
		return "Cortex-M7";
	case 0xD21:
		return "Cortex-M33";
	default:
		return "an unknown part";
	}
}

/*
 * ARMv7-M: CPUID's implementer is Arm (0x41) and its constant field 0xF
 * (bits 19:16) names the M-profile with the ARMv7-M system registers this
 * kernel uses (the NVIC, SysTick, SCB, CFSR).
 */
static int
is_armv7m(uint32_t cpuid)
{
	uint32_t part = (cpuid >> 4) & 0xFFF;

	return (cpuid >> 24) == 0x41 && ((cpuid >> 16) & 0xF) == 0xF &&
	    (part == 0xC23 || part == 0xC24 || part == 0xC27);
}

static void
probe_cpu(void)
{
	mcu.cpuid = mmio_read32(SCB_CPUID);
	if (!is_armv7m(mcu.cpuid))
		return; /* nothing else can be read safely */
	mcu.mvfr0 = mmio_read32(FPU_MVFR0);
	mcu.mpu_regions = (mmio_read32(MPU_TYPE) >> 8) & 0xFF;
	mcu.nvic_lines = 32 * ((mmio_read32(SCS_ICTR) & 0xF) + 1);
	mcu.systick_calib = mmio_read32(SYST_CALIB);
}

static void
fill_handoff(handoff_t *h)
{
	cgf_substrate_info_t *s = &h->substrate;
	uint64_t total = 0, top = 0;

	h->phys_base = (uint64_t)(uintptr_t)mcu_vectors;
	h->phys_len = (uint64_t)(__image_end - mcu_vectors);
	for (unsigned i = 0; i < mcu.ram_count; i++) {
		uint64_t end = (uint64_t)mcu.ram[i].base + mcu.ram[i].size;

		total += mcu.ram[i].size;
		if (end > top)
			top = end;
	}
	h->mem_top = top;
	s->reserved_u32[0] = mcu.cpuid;
	if (is_armv7m(mcu.cpuid)) {
		s->arch = CGF_ARCH_ARM_M;
		s->tier = CGF_TIER_MCU_CONTROLLER;
		s->intr_fabric = CGF_INTR_ONCHIP_MCU;   /* the NVIC */
		s->timer_fabric = CGF_TIMER_ONCHIP_MCU; /* SysTick */
		/* MVFR0: single- or double-precision registers present. */
		if ((mcu.mvfr0 & 0xFF0) != 0)
			s->cpu_features |= CGF_FEAT_FP;
		if (mcu.mpu_regions > 0)
			s->cpu_features |= CGF_FEAT_MPU;
	}
	s->console_fabric = mcu.uart_ok ? CGF_CONSOLE_UART0 : 0;
	h->console_flags = s->console_fabric;
	s->ram_total_bytes = total;
	s->dma32_boundary = top < (1ull << 32) ? top : (1ull << 32);
	s->substrate_code = cgf_substrate_code(s->arch, s->tier, s->intr_fabric,
	    s->timer_fabric);
}

/*
 * With an MPU, the lowest 32 bytes of the stack become a no-access region,
 * so an overflow faults (MemManage, or HardFault while PRIMASK is set)
 * instead of running into whatever lies below; the fault entry has a
 * stack of its own to report it on. PRIVDEFENA keeps the default memory
 * map everywhere else. After the RAM probe, which tests those words too.
 */
static void
guard_stack(void)
{
	uint32_t at = (uint32_t)(uintptr_t)__stack_bottom;

	if (mcu.mpu_regions == 0)
		return;
	mmio_write32(MPU_RNR, 0);
	mmio_write32(MPU_RBAR, at & ~31u);
	mmio_write32(MPU_RASR,
	    MPU_RASR_XN | MPU_RASR_AP_NONE | MPU_RASR_SIZE_32 |
		MPU_RASR_ENABLE);
	mmio_write32(MPU_CTRL, MPU_CTRL_ENABLE | MPU_CTRL_PRIVDEFENA);
	mcu_barrier();
}

/* What the probes found, for a reader of the log (not part of any proof). */
static void
describe(void)
{
	uint64_t total = 0;

	kprintf("#I mcu: cpu %s r%up%u (CPUID=%08X), FPU %s (MVFR0=%08X), MPU "
		"%u regions, NVIC %u lines, SysTick CALIB=%08X, board SCC id "
		"%08X\n",
	    part_name(mcu.cpuid), (mcu.cpuid >> 20) & 0xF, mcu.cpuid & 0xF,
	    mcu.cpuid, mcu.mvfr0 ? "yes" : "no", mcu.mvfr0, mcu.mpu_regions,
	    mcu.nvic_lines, mcu.systick_calib, mcu.scc_id);
	for (unsigned i = 0; i < mcu.ram_count; i++) {
		kprintf("#I mcu: ram %08X..%08X (%u KiB)\n", mcu.ram[i].base,
		    mcu.ram[i].base + (mcu.ram[i].size - 1),
		    mcu.ram[i].size >> 10);
		total += mcu.ram[i].size;
	}
	kprintf("#I mcu: ram %u KiB in %u regions%s, found by probing\n",
	    (unsigned)(total >> 10), mcu.ram_count,
	    mcu.ram_truncated ? " (more not recorded)" : "");
	mcu_blk_describe();
}

void
mcu_main(void)
{
	static handoff_t handoff;
	static char cmdline[256];
	struct {
		char *buf;
		uint32_t len;
	} cmd = { cmdline, sizeof cmdline };

	mcu.uart_ok = mcu_uart_init() == 0;
	kprintf("#E0 mcu uart0 %s\n", mcu.uart_ok ? "ok" : "unidentified");
	probe_cpu();
	if (!is_armv7m(mcu.cpuid)) {
		mcu_unsupported =
		    "the CPU is not an ARMv7-M Cortex-M3, M4 or M7 "
		    "(CPUID names another part)";
	} else if (!mcu.uart_ok) {
		mcu_unsupported = "UART0 at 0x40004000 is not a CMSDK APB UART "
				  "(its ID registers say otherwise)";
	} else if (mcu.nvic_lines <= MCU_SOFT_IRQ) {
		mcu_unsupported = "the NVIC has no line 31 for the software "
				  "interrupt";
	} else {
		mcu.scc_id = mmio_read32(MPS2_SCC_ID);
		mcu_probe_ram_regions();
		guard_stack();
		mcu_irq_init();
	}
	if (mcu_unsupported == NULL) {
		/* The semihosting command line says where the disk is. */
		if (mcu_semihost(SYS_GET_CMDLINE, &cmd) != 0)
			cmdline[0] = '\0';
		cmdline[sizeof cmdline - 1] = '\0';
		mcu_blk_init(cmdline);
		describe();
	}
	fill_handoff(&handoff);
	cell_main(&handoff);
}
