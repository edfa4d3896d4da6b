/*
 * cgf_substrate_info_t: what the machine is, as probed by the arch entry.
 * Pinned ABI (CONTRACT.md section 2): 128 bytes, little-endian.
 */
#ifndef CELLOS_SUBSTRATE_H
#define CELLOS_SUBSTRATE_H

#include <stddef.h>
#include <stdint.h>

enum cgf_arch {
	CGF_ARCH_UNKNOWN = 0,
	CGF_ARCH_X86_64 = 1,
	CGF_ARCH_ARM64 = 2,
	CGF_ARCH_ARM_M = 3
};

enum cgf_tier {
	CGF_TIER_UNKNOWN = 0,
	CGF_TIER_PC_BIOS = 1,
	CGF_TIER_QEMU_VIRT = 2,
	CGF_TIER_MCU_CONTROLLER = 3,
	CGF_TIER_HOSTED = 4,
	CGF_TIER_PC_UEFI = 5 /* x86 booted through UEFI firmware */
};

enum cgf_intr {
	CGF_INTR_UNKNOWN = 0,
	CGF_INTR_PIC_IOAPIC = 1,
	CGF_INTR_LAPIC_ONLY = 2,
	CGF_INTR_GICV2 = 3,
	CGF_INTR_GICV3 = 4,
	CGF_INTR_ONCHIP_MCU = 5,
	CGF_INTR_POSIX_SIGNALS = 6
};

enum cgf_timer {
	CGF_TIMER_UNKNOWN = 0,
	CGF_TIMER_PIT = 1,
	CGF_TIMER_HPET = 2,
	CGF_TIMER_ARCH_TIMER = 3,
	CGF_TIMER_ONCHIP_MCU = 4,
	CGF_TIMER_HOST_TIMER = 5
};

/* The names E0 prints for each enumeration, in value order (CONTRACT.md). */
#define CGF_ARCH_NAMES                                \
	{                                             \
		"UNKNOWN", "x86_64", "arm64", "arm_m" \
	}
#define CGF_TIER_NAMES                                                         \
	{                                                                      \
		"UNKNOWN", "PC_BIOS", "QEMU_VIRT", "MCU_CONTROLLER", "HOSTED", \
		    "PC_UEFI"                                                  \
	}
#define CGF_INTR_NAMES                                                   \
	{                                                                \
		"UNKNOWN", "PIC_IOAPIC", "LAPIC_ONLY", "GICV2", "GICV3", \
		    "ONCHIP_MCU", "POSIX_SIGNALS"                        \
	}
#define CGF_TIMER_NAMES                                               \
	{                                                             \
		"UNKNOWN", "PIT", "HPET", "ARCH_TIMER", "ONCHIP_MCU", \
		    "HOST_TIMER"                                      \
	}

/* Console bits (handoff_t.console_flags and substrate.console_fabric). */
#define CGF_CONSOLE_COM1   0x1u
#define CGF_CONSOLE_VGA    0x2u
#define CGF_CONSOLE_PL011  0x4u
#define CGF_CONSOLE_UART0  0x8u
#define CGF_CONSOLE_STDOUT 0x10u

/*
 * CPU feature bits (substrate.cpu_features). SHA: the x86 SHA extensions
 * (CPUID.(7,0):EBX bit 29; SSE4.2 covers the crc32 instruction); SHA2 and
 * CRC32: the ARMv8 SHA-256 and CRC32 instructions (ID_AA64ISAR0_EL1's SHA2
 * and CRC32 fields not 0).
 */
#define CGF_FEAT_SSE2   0x1u
#define CGF_FEAT_SSE3   0x2u
#define CGF_FEAT_SSE4_2 0x4u
#define CGF_FEAT_AVX    0x8u
#define CGF_FEAT_AVX2   0x10u
#define CGF_FEAT_SHA    0x20u
#define CGF_FEAT_NEON   0x100u
#define CGF_FEAT_FP     0x200u
#define CGF_FEAT_SHA2   0x400u
#define CGF_FEAT_CRC32  0x800u
#define CGF_FEAT_MPU    0x10000u

typedef struct cgf_substrate_info {
	uint32_t substrate_code;
	uint32_t arch;
	uint32_t tier;
	uint32_t intr_fabric;
	uint32_t timer_fabric;
	uint32_t console_fabric;
	uint32_t cpu_features;
	/* [0]: raw probe (x86 CPUID.1 EAX signature, arm64 MIDR_EL1 low 32). */
	uint32_t reserved_u32[3];
	uint64_t ram_total_bytes;
	uint64_t dma32_boundary;
	/* [0]: the ACPI RSDP's physical address where a loader found one (UEFI), else 0. */
	uint64_t reserved_u64[9];
} cgf_substrate_info_t;

_Static_assert(sizeof(cgf_substrate_info_t) == 128,
    "substrate ABI is 128 bytes");
_Static_assert(offsetof(cgf_substrate_info_t, cpu_features) == 24,
    "cpu_features @24");
_Static_assert(offsetof(cgf_substrate_info_t, reserved_u32) == 28,
    "raw probe @28");
_Static_assert(offsetof(cgf_substrate_info_t, ram_total_bytes) == 40,
    "ram @40");
_Static_assert(offsetof(cgf_substrate_info_t, dma32_boundary) == 48,
    "dma32 @48");

/*
 * substrate_code packs the classification so that one hex word names the
 * machine class: arch << 24 | tier << 16 | intr << 8 | timer.
 */
static inline uint32_t
cgf_substrate_code(uint32_t arch, uint32_t tier, uint32_t intr, uint32_t timer)
{
	return (arch & 0xFFu) << 24 | (tier & 0xFFu) << 16 |
	    (intr & 0xFFu) << 8 | (timer & 0xFFu);
}

#endif
