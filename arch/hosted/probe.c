/*
 * The hosted machine probe. The "machine" is this process on this host: the
 * CPU is the host's (CPUID, or MIDR and HWCAP on an arm64 host), the RAM is
 * what --ram configured, the console is stdout, interrupts are signals.
 *
 * The CPU is probed once per process, on the first boot, and every later
 * cell_reset() boot of the same process reuses what it found: the CPU does
 * not change under a running process, and CPUID is expensive where it
 * matters most (a VM traps every one: about 6 us each). The probe is still
 * the real instruction, never a table.
 *
 * The same probe picks the crypto engines (hal_crypto_accel): SHA-NI and
 * SSE4.2 crc32 where CPUID reports them. CELLOS_HOSTED_ACCEL=off in the
 * environment hides them, as on a CPU without (to measure the portable
 * code, or to run it under a debugger that does not know the instructions);
 * E0 still reports what the CPU has.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#elif defined(__aarch64__)
#include <stdio.h>
#include <sys/auxv.h>
#endif

#include "crypto.h"
#include "hal.h"
#include "hosted.h"
#if defined(__x86_64__) || defined(__i386__)
#include "sha_x86.h"
#endif

/* Linker-provided bounds of this executable as loaded. */
extern char __executable_start[];
extern char _end[];

/* What the probe found, once per process. */
static struct {
	int done;
	uint32_t arch, raw, features;
	const struct crypto_accel *accel;
} cpu;

#if defined(__x86_64__) || defined(__i386__)
/* An x86 CPU, also when this process runs it in 32-bit mode (hosted-32). */
static void
probe_cpu(void)
{
	unsigned a, b, c, d, ecx1;
	int sha = 0, crc;
	const char *env = getenv("CELLOS_HOSTED_ACCEL");

	cpu.arch = CGF_ARCH_X86_64;
	if (__get_cpuid(1, &a, &b, &c, &d) == 0)
		return;
	cpu.raw = a;
	ecx1 = c;
	if (d & bit_SSE2)
		cpu.features |= CGF_FEAT_SSE2;
	if (c & bit_SSE3)
		cpu.features |= CGF_FEAT_SSE3;
	if (c & bit_SSE4_2)
		cpu.features |= CGF_FEAT_SSE4_2;
	if (c & bit_AVX)
		cpu.features |= CGF_FEAT_AVX;
	if (__get_cpuid_count(7, 0, &a, &b, &c, &d) != 0) {
		if (b & bit_AVX2)
			cpu.features |= CGF_FEAT_AVX2;
		if (b & X86_CPUID7_EBX_SHA)
			cpu.features |= CGF_FEAT_SHA;
		sha = x86_sha_usable(ecx1, b);
	}
	crc = x86_crc_usable(ecx1);
	if (env == NULL || strcmp(env, "off") != 0)
		cpu.accel = x86_crypto_accel(sha, crc);
}
#elif defined(__aarch64__)
static void
probe_cpu(void)
{
	unsigned long hw = getauxval(AT_HWCAP);
	FILE *f;

	cpu.arch = CGF_ARCH_ARM64;
	if (hw & (1ul << 0)) /* HWCAP_FP */
		cpu.features |= CGF_FEAT_FP;
	if (hw & (1ul << 1)) /* HWCAP_ASIMD */
		cpu.features |= CGF_FEAT_NEON;
	if (hw & (1ul << 6)) /* HWCAP_SHA2 */
		cpu.features |= CGF_FEAT_SHA2;
	if (hw & (1ul << 7)) /* HWCAP_CRC32 */
		cpu.features |= CGF_FEAT_CRC32;
	f = fopen("/sys/devices/system/cpu/cpu0/regs/identification/midr_el1",
	    "r");
	if (f != NULL) {
		unsigned long long midr = 0;
		if (fscanf(f, "%llx", &midr) == 1)
			cpu.raw = (uint32_t)midr;
		fclose(f);
	}
}
#else
static void
probe_cpu(void)
{
	cpu.arch = CGF_ARCH_UNKNOWN;
}
#endif

/* The CPU as the first call found it (probe_cpu runs once). */
static void
probe_cpu_once(void)
{
	if (!cpu.done) {
		probe_cpu();
		cpu.done = 1;
	}
}

const struct crypto_accel *
hal_crypto_accel(void)
{
	probe_cpu_once();
	return cpu.accel;
}

void
hosted_probe(handoff_t *h, uint64_t ram_bytes)
{
	cgf_substrate_info_t *s = &h->substrate;

	memset(h, 0, sizeof *h);
	h->phys_base = (uint64_t)(uintptr_t)__executable_start;
	h->phys_len = (uint64_t)(_end - __executable_start);
	h->mem_top = ram_bytes;
	h->console_flags = CGF_CONSOLE_STDOUT;

	probe_cpu_once();
	s->arch = cpu.arch;
	s->reserved_u32[0] = cpu.raw;
	s->cpu_features = cpu.features;
	s->tier = CGF_TIER_HOSTED;
	s->intr_fabric = CGF_INTR_POSIX_SIGNALS;
	s->timer_fabric = CGF_TIMER_HOST_TIMER;
	s->console_fabric = CGF_CONSOLE_STDOUT;
	s->ram_total_bytes = ram_bytes;
	s->dma32_boundary = ram_bytes < (1ull << 32) ? ram_bytes : (1ull << 32);
	s->substrate_code = cgf_substrate_code(s->arch, s->tier, s->intr_fabric,
	    s->timer_fabric);
}
