/*
 * ACPI, as far as the handover needs it (ACPI 6.5): the RSDP from the UEFI
 * configuration table (5.2.5.2: the ACPI 2.0 GUID first, else the 1.0
 * one), its checksums; through its XSDT (or RSDT) the MADT (5.2.12), whose
 * flags say whether the PC's dual 8259s are there (PCAT_COMPAT) and whose
 * I/O APIC entries say where the I/O APICs are. The kernel takes its
 * interrupts through the 8259s (docs/BOOT-uefi.md); the I/O APICs are
 * only found so that the loader can leave every input masked.
 *
 * Every table is checked (signature, length, checksum) before a field of
 * it is read; a table that fails is reported and skipped.
 */
#include <stdint.h>

#include "loader.h"

#define RSDP_V1_LEN      20u
#define RSDP_REVISION    15u
#define RSDP_RSDT        16u
#define RSDP_LENGTH      20u
#define RSDP_XSDT        24u
#define RSDP_OEMID       9u
#define SDT_HEADER       36u
#define MADT_FLAGS       40u
#define MADT_ENTRIES     44u
#define MADT_PCAT_COMPAT 1u
#define MADT_IOAPIC      1u
#define TABLE_MAX        (1u << 20) /* larger than any table we read */

static const EFI_GUID acpi20_guid = EFI_ACPI_20_TABLE_GUID;
static const EFI_GUID acpi10_guid = EFI_ACPI_10_TABLE_GUID;

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint64_t
rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static int
checksum_ok(const uint8_t *p, uint32_t len)
{
	uint8_t sum = 0;

	for (uint32_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	return sum == 0;
}

static int
guid_equal(const EFI_GUID *a, const EFI_GUID *b)
{
	return memcmp(a, b, sizeof *a) == 0;
}

static void
line_chars(struct line *l, const uint8_t *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		char s[2] = { (char)p[i], 0 };

		if (s[0] < 0x20 || s[0] > 0x7E)
			s[0] = '?';
		line_str(l, s);
	}
}

uint64_t
acpi_find_rsdp(const EFI_SYSTEM_TABLE *st)
{
	const EFI_GUID *want[2] = { &acpi20_guid, &acpi10_guid };
	struct line l;

	for (unsigned w = 0; w < 2; w++) {
		for (UINTN i = 0; i < st->number_of_table_entries; i++) {
			const EFI_CONFIGURATION_TABLE *t =
			    &st->configuration_table[i];
			const uint8_t *r = t->vendor_table;
			uint32_t len = RSDP_V1_LEN;

			if (!guid_equal(&t->vendor_guid, want[w]) || r == NULL)
				continue;
			if (memcmp(r, "RSD PTR ", 8) != 0 ||
			    !checksum_ok(r, RSDP_V1_LEN)) {
				say("#I uefi: an ACPI configuration table entry "
				    "is no RSDP (signature or checksum)");
				continue;
			}
			if (r[RSDP_REVISION] >= 2)
				len = rd32(r + RSDP_LENGTH);
			if (r[RSDP_REVISION] >= 2 &&
			    (len < 36 || len > 4096 || !checksum_ok(r, len))) {
				say("#I uefi: the ACPI 2.0 RSDP's extended "
				    "checksum does not hold");
				continue;
			}
			line_start(&l, "#I uefi: ACPI RSDP at ");
			line_hex(&l, (uint64_t)(uintptr_t)r);
			line_str(&l,
			    w == 0 ? " (ACPI 2.0 GUID)" : " (ACPI 1.0 GUID)");
			line_str(&l, ": revision ");
			line_dec(&l, r[RSDP_REVISION]);
			line_str(&l, ", OEM \"");
			line_chars(&l, r + RSDP_OEMID, 6);
			line_str(&l, "\"");
			line_emit(&l);
			return (uint64_t)(uintptr_t)r;
		}
	}
	return 0;
}

/* The table at pa if its header, length and checksum hold (else NULL). */
static const uint8_t *
sdt_at(uint64_t pa, const char *sig)
{
	const uint8_t *t = (const uint8_t *)(uintptr_t)pa;
	uint32_t len;

	if (pa == 0 || (sig != NULL && memcmp(t, sig, 4) != 0))
		return NULL;
	len = rd32(t + 4);
	if (len < SDT_HEADER || len > TABLE_MAX || !checksum_ok(t, len))
		return NULL;
	return t;
}

int
acpi_madt(uint64_t rsdp_pa, struct acpi_madt *m)
{
	const uint8_t *rsdp = (const uint8_t *)(uintptr_t)rsdp_pa, *root;
	const uint8_t *madt = NULL;
	uint32_t len, step;
	struct line l;

	memset(m, 0, sizeof *m);
	if (rsdp == NULL)
		return -1;
	if (rsdp[RSDP_REVISION] >= 2 && rd64(rsdp + RSDP_XSDT) != 0) {
		root = sdt_at(rd64(rsdp + RSDP_XSDT), "XSDT");
		step = 8;
	} else {
		root = sdt_at(rd32(rsdp + RSDP_RSDT), "RSDT");
		step = 4;
	}
	if (root == NULL) {
		say("#I uefi: the ACPI root table (XSDT/RSDT) fails its checks");
		return -1;
	}
	len = rd32(root + 4);
	for (uint32_t at = SDT_HEADER; at + step <= len && madt == NULL;
	     at += step)
		madt = sdt_at(step == 8 ? rd64(root + at) : rd32(root + at),
		    "APIC");
	if (madt == NULL || rd32(madt + 4) < MADT_ENTRIES) {
		say("#I uefi: no MADT (APIC table) that passes its checks");
		return -1;
	}
	m->pcat_compat = (rd32(madt + MADT_FLAGS) & MADT_PCAT_COMPAT) != 0;
	len = rd32(madt + 4);
	for (uint32_t at = MADT_ENTRIES; at + 2 <= len;) {
		uint8_t type = madt[at], elen = madt[at + 1];

		if (elen < 2 || at + elen > len)
			break;
		if (type == MADT_IOAPIC && elen >= 12 &&
		    m->ioapics < ACPI_IOAPICS_MAX) {
			m->ioapic_base[m->ioapics] = rd32(madt + at + 4);
			m->ioapic_gsi[m->ioapics] = rd32(madt + at + 8);
			m->ioapics++;
		}
		at += elen;
	}
	line_start(&l, "#I uefi: MADT: ");
	line_str(&l,
	    m->pcat_compat ? "PCAT_COMPAT (the dual 8259s are there)" :
			     "no PCAT_COMPAT flag");
	line_str(&l, ", ");
	line_dec(&l, m->ioapics);
	line_str(&l, " I/O APIC(s)");
	for (unsigned i = 0; i < m->ioapics; i++) {
		line_str(&l, i == 0 ? " at " : ", ");
		line_hex(&l, m->ioapic_base[i]);
		line_str(&l, " (GSI ");
		line_dec(&l, m->ioapic_gsi[i]);
		line_str(&l, ")");
	}
	line_emit(&l);
	return 0;
}
