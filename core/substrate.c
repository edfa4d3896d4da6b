/*
 * E0 and E1: print what the arch entry probed, in the line formats of
 * CONTRACT.md section 3. Names come from the pinned enumerations; a value
 * outside them prints as UNKNOWN rather than indexing past a table.
 */
#include <stdint.h>

#include "cellos/handoff.h"
#include "kprint.h"
#include "substrate.h"

static const char *const arch_names[] = CGF_ARCH_NAMES;
static const char *const tier_names[] = CGF_TIER_NAMES;
static const char *const intr_names[] = CGF_INTR_NAMES;
static const char *const timer_names[] = CGF_TIMER_NAMES;

struct bit_name {
	uint32_t bit;
	const char *name;
};

static const struct bit_name console_bits[] = {
	{ CGF_CONSOLE_COM1, "COM1" },
	{ CGF_CONSOLE_VGA, "VGA" },
	{ CGF_CONSOLE_PL011, "PL011" },
	{ CGF_CONSOLE_UART0, "UART0" },
	{ CGF_CONSOLE_STDOUT, "STDOUT" },
};

static const struct bit_name feature_bits[] = {
	{ CGF_FEAT_SSE2, "SSE2" },
	{ CGF_FEAT_SSE3, "SSE3" },
	{ CGF_FEAT_SSE4_2, "SSE4.2" },
	{ CGF_FEAT_AVX, "AVX" },
	{ CGF_FEAT_AVX2, "AVX2" },
	{ CGF_FEAT_SHA, "SHA" },
	{ CGF_FEAT_NEON, "NEON" },
	{ CGF_FEAT_FP, "FP" },
	{ CGF_FEAT_SHA2, "SHA2" },
	{ CGF_FEAT_CRC32, "CRC32" },
	{ CGF_FEAT_MPU, "MPU" },
};

#define NAME_OF(table, v) \
	((v) < sizeof(table) / sizeof((table)[0]) ? (table)[(v)] : "UNKNOWN")

const char *
substrate_arch_name(uint32_t v)
{
	return NAME_OF(arch_names, v);
}

const char *
substrate_tier_name(uint32_t v)
{
	return NAME_OF(tier_names, v);
}

const char *
substrate_intr_name(uint32_t v)
{
	return NAME_OF(intr_names, v);
}

const char *
substrate_timer_name(uint32_t v)
{
	return NAME_OF(timer_names, v);
}

/* Join the names of the set bits with sep into buf; none gives none_name. */
static const char *
join_bits(char *buf, size_t size, uint32_t mask, const struct bit_name *names,
    size_t count, const char *sep, const char *none_name)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < count; i++) {
		if ((mask & names[i].bit) == 0)
			continue;
		int n = ksnprintf(buf + len, size - len, "%s%s",
		    len > 0 ? sep : "", names[i].name);
		if (n < 0 || (size_t)n >= size - len)
			break;
		len += (size_t)n;
	}
	return len > 0 ? buf : none_name;
}

const char *
substrate_console_names(char *buf, size_t size, uint32_t mask)
{
	return join_bits(buf, size, mask, console_bits,
	    sizeof console_bits / sizeof console_bits[0], "|", "NONE");
}

const char *
substrate_feature_names(char *buf, size_t size, uint32_t mask)
{
	return join_bits(buf, size, mask, feature_bits,
	    sizeof feature_bits / sizeof feature_bits[0], ",", "none");
}

void
substrate_print_e0(const handoff_t *h)
{
	const cgf_substrate_info_t *s = &h->substrate;
	char cons[64], feats[96];
	unsigned ram_mib = (unsigned)(s->ram_total_bytes >> 20);

	substrate_console_names(cons, sizeof cons, s->console_fabric);
	substrate_feature_names(feats, sizeof feats, s->cpu_features);
	kprintf("#E0 raw code=0x%08X arch=%s tier=%s raw=%08X feat_mask=%08X "
		"intr=%s timer=%s console=%s ram=%uMiB dma32=0x%016llX\n",
	    s->substrate_code, substrate_arch_name(s->arch),
	    substrate_tier_name(s->tier), s->reserved_u32[0], s->cpu_features,
	    substrate_intr_name(s->intr_fabric),
	    substrate_timer_name(s->timer_fabric), cons, ram_mib,
	    (unsigned long long)s->dma32_boundary);
	kprintf("#E0 info \"%s / %s / %s / %s / feats[%s] / ram=%uMiB\"\n",
	    substrate_arch_name(s->arch), substrate_tier_name(s->tier),
	    substrate_intr_name(s->intr_fabric), cons, feats, ram_mib);
}

void
substrate_print_e1(const handoff_t *h)
{
	kprintf(
	    "#E1 handoff base=%016llX len=%016llX mem=%016llX cons=%016llX\n",
	    (unsigned long long)h->phys_base, (unsigned long long)h->phys_len,
	    (unsigned long long)h->mem_top,
	    (unsigned long long)h->console_flags);
}
