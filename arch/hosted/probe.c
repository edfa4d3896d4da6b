/*
 * The hosted machine probe. The "machine" is this process on this host: the
 * CPU is the host's (CPUID, or MIDR and HWCAP on an arm64 host), the RAM is
 * what --ram configured, the console is stdout, interrupts are signals.
 */
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#elif defined(__aarch64__)
#include <stdio.h>
#include <sys/auxv.h>
#endif

#include "hosted.h"

/* Linker-provided bounds of this executable as loaded. */
extern char __executable_start[];
extern char _end[];

#if defined(__x86_64__) || defined(__i386__)
/* An x86 CPU, also when this process runs it in 32-bit mode (hosted-32). */
static void
probe_cpu(uint32_t *arch, uint32_t *raw, uint32_t *features)
{
	unsigned a, b, c, d;

	*arch = CGF_ARCH_X86_64;
	*raw = 0;
	*features = 0;
	if (__get_cpuid(1, &a, &b, &c, &d) == 0)
		return;
	*raw = a;
	if (d & bit_SSE2)
		*features |= CGF_FEAT_SSE2;
	if (c & bit_SSE3)
		*features |= CGF_FEAT_SSE3;
	if (c & bit_SSE4_2)
		*features |= CGF_FEAT_SSE4_2;
	if (c & bit_AVX)
		*features |= CGF_FEAT_AVX;
	if (__get_cpuid_count(7, 0, &a, &b, &c, &d) != 0 && (b & bit_AVX2))
		*features |= CGF_FEAT_AVX2;
}
#elif defined(__aarch64__)
static void
probe_cpu(uint32_t *arch, uint32_t *raw, uint32_t *features)
{
	unsigned long hw = getauxval(AT_HWCAP);
	FILE *f;

	*arch = CGF_ARCH_ARM64;
	*raw = 0;
	*features = 0;
	if (hw & (1ul << 0))		/* HWCAP_FP */
		*features |= CGF_FEAT_FP;
	if (hw & (1ul << 1))		/* HWCAP_ASIMD */
		*features |= CGF_FEAT_NEON;
	f = fopen("/sys/devices/system/cpu/cpu0/regs/identification/midr_el1", "r");
	if (f != NULL) {
		unsigned long long midr = 0;
		if (fscanf(f, "%llx", &midr) == 1)
			*raw = (uint32_t)midr;
		fclose(f);
	}
}
#else
static void
probe_cpu(uint32_t *arch, uint32_t *raw, uint32_t *features)
{
	*arch = CGF_ARCH_UNKNOWN;
	*raw = 0;
	*features = 0;
}
#endif

void
hosted_probe(handoff_t *h, uint64_t ram_bytes)
{
	cgf_substrate_info_t *s = &h->substrate;

	memset(h, 0, sizeof *h);
	h->phys_base = (uint64_t)(uintptr_t)__executable_start;
	h->phys_len = (uint64_t)(_end - __executable_start);
	h->mem_top = ram_bytes;
	h->console_flags = CGF_CONSOLE_STDOUT;

	probe_cpu(&s->arch, &s->reserved_u32[0], &s->cpu_features);
	s->tier = CGF_TIER_HOSTED;
	s->intr_fabric = CGF_INTR_POSIX_SIGNALS;
	s->timer_fabric = CGF_TIMER_HOST_TIMER;
	s->console_fabric = CGF_CONSOLE_STDOUT;
	s->ram_total_bytes = ram_bytes;
	s->dma32_boundary = ram_bytes < (1ull << 32) ? ram_bytes : (1ull << 32);
	s->substrate_code = cgf_substrate_code(s->arch, s->tier,
	    s->intr_fabric, s->timer_fabric);
}
