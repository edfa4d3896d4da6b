/*
 * The UEFI memory map (UEFI 7.2.3, GetMemoryMap), read into a static buffer
 * so that reading it allocates nothing and so does not change it, and what
 * the handoff takes from it:
 *
 *  - mem_top: the end of the highest range the kernel may use once boot
 *    services are over (loader code and data, boot services code and data,
 *    conventional memory: UEFI 2.10 table 7.10, "after ExitBootServices");
 *  - ram: every range backed by RAM (all of those, runtime services code and
 *    data, ACPI reclaim and NVS, persistent and unaccepted memory; not
 *    reserved, unusable, memory-mapped I/O or PAL code), with the first MiB
 *    counted whole as on the BIOS path, rounded up to a MiB;
 *  - dma32: mem_top, or 4 GiB when RAM reaches past it.
 *
 * Descriptors are walked with the stride GetMemoryMap returns, never with
 * sizeof(EFI_MEMORY_DESCRIPTOR) (7.2.3: the size may grow).
 */
#include <stdint.h>

#include "loader.h"

#define MAP_BYTES (48u * 1024u)
#define MIB       (1ull << 20)

static uint8_t map[MAP_BYTES] __attribute__((aligned(8)));
static UINTN map_size, desc_size;

EFI_STATUS
memmap_get(EFI_BOOT_SERVICES *bs, UINTN *key)
{
	uint32_t version;
	EFI_STATUS st;

	map_size = sizeof map;
	st = bs->get_memory_map(&map_size, (EFI_MEMORY_DESCRIPTOR *)map, key,
	    &desc_size, &version);
	if (!EFI_IS_ERROR(st) && desc_size < sizeof(EFI_MEMORY_DESCRIPTOR))
		return EFI_UNSUPPORTED;
	return st;
}

static const EFI_MEMORY_DESCRIPTOR *
descriptor(UINTN i)
{
	return (const EFI_MEMORY_DESCRIPTOR *)(map + i * desc_size);
}

static UINTN
count(void)
{
	return desc_size ? map_size / desc_size : 0;
}

static int
usable_after_exit(uint32_t type)
{
	return type == EFI_LOADER_CODE || type == EFI_LOADER_DATA ||
	    type == EFI_BOOT_SERVICES_CODE || type == EFI_BOOT_SERVICES_DATA ||
	    type == EFI_CONVENTIONAL_MEMORY;
}

static int
is_ram(uint32_t type)
{
	return usable_after_exit(type) || type == EFI_RUNTIME_SERVICES_CODE ||
	    type == EFI_RUNTIME_SERVICES_DATA ||
	    type == EFI_ACPI_RECLAIM_MEMORY || type == EFI_ACPI_MEMORY_NVS ||
	    type == EFI_PERSISTENT_MEMORY || type == EFI_UNACCEPTED_MEMORY;
}

void
memmap_summarise(struct memory_summary *m)
{
	uint64_t top = 0, total = MIB, usable = 0;

	memset(m->type_bytes, 0, sizeof m->type_bytes);
	for (UINTN i = 0; i < count(); i++) {
		const EFI_MEMORY_DESCRIPTOR *d = descriptor(i);
		uint64_t base = d->physical_start;
		uint64_t end = base + d->number_of_pages * EFI_PAGE_SIZE;

		if (d->type < EFI_MEMORY_TYPES)
			m->type_bytes[d->type] += end - base;

		if (usable_after_exit(d->type)) {
			usable += end - base;
			if (end > top)
				top = end;
		}
		if (!is_ram(d->type) || end <= MIB)
			continue;
		if (base < MIB)
			base = MIB;
		total += end - base;
	}
	m->mem_top = top;
	m->ram_bytes = (total + MIB - 1) & ~(MIB - 1);
	m->dma32 = top < (1ull << 32) ? top : (1ull << 32);
	m->usable_bytes = usable;
	m->descriptors = (uint32_t)count();
}

int
memmap_type_at(uint64_t addr)
{
	for (UINTN i = 0; i < count(); i++) {
		const EFI_MEMORY_DESCRIPTOR *d = descriptor(i);

		if (addr >= d->physical_start &&
		    addr - d->physical_start <
			d->number_of_pages * EFI_PAGE_SIZE)
			return (int)d->type;
	}
	return -1;
}

const char *
memmap_type_name(uint32_t type)
{
	static const char *const names[EFI_MEMORY_TYPES] = {
		"reserved",
		"loader code",
		"loader data",
		"boot services code",
		"boot services data",
		"runtime services code",
		"runtime services data",
		"conventional memory",
		"unusable memory",
		"ACPI reclaim memory",
		"ACPI NVS",
		"memory-mapped I/O",
		"memory-mapped I/O port space",
		"PAL code",
		"persistent memory",
		"unaccepted memory",
	};
	return type < EFI_MEMORY_TYPES ? names[type] : "an OEM or OS type";
}
