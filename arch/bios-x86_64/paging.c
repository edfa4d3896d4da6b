/*
 * The kernel's page tables, as far as drivers need them: the physical
 * address a device must be given for a kernel address, and a mapping for a
 * device's registers where stage2 left none. The tables are the ones CR3
 * names (stage2's: the first GiB identity-mapped and again at -2 GiB, with
 * 2 MiB pages); every table is reached through that identity map, so this
 * file refuses a table that lies above it. The levels it adds come from a
 * small static pool and are never taken back.
 */
#include <stdint.h>

#include "bootinfo.h"
#include "cellos/errors.h"
#include "cpu.h"
#include "x86.h"

#define PTE_PRESENT 0x001ull
#define PTE_WRITE   0x002ull
#define PTE_PWT     0x008ull /* with PCD, reset PAT: uncached */
#define PTE_PCD     0x010ull
#define PTE_LARGE   0x080ull /* PDPT or PD entry: 1 GiB, 2 MiB */
#define PTE_ADDR    0x000FFFFFFFFFF000ull

#define PAGE_SIZE    4096ull
#define IDENTITY_TOP (1ull << 30) /* what stage2 identity-maps */
#define MMIO_TABLES  3            /* a PDPT, a PD and a PT at most */

static uint64_t pool[MMIO_TABLES][512] __attribute__((aligned(4096)));
static unsigned pool_used;

/* The table at physical address pa, or NULL when the identity map misses it. */
static uint64_t *
table_at(uint64_t pa)
{
	if (pa >= IDENTITY_TOP || (pa & (PAGE_SIZE - 1)) != 0)
		return NULL;
	return PHYS(pa);
}

/* The index of va in the table of the level whose entries span 1 << shift. */
static unsigned
index_of(uint64_t va, unsigned shift)
{
	return (unsigned)((va >> shift) & 511);
}

/*
 * Translate the kernel address va through the live tables: sets *pa and
 * *run, the bytes from va to the end of the page that maps it (so
 * [va, va + *run) is physically contiguous). 0, or -CELL_E_NOENT when va
 * is not mapped, -CELL_E_UNSUPPORTED when a table lies outside the
 * identity map.
 */
int
x86_virt_to_phys(const volatile void *va, uint64_t *pa, uint64_t *run)
{
	uint64_t v = (uint64_t)(uintptr_t)va;
	uint64_t *t = table_at(read_cr3() & PTE_ADDR);

	for (unsigned shift = 39; t != NULL; shift -= 9) {
		uint64_t e = t[index_of(v, shift)];
		uint64_t size = 1ull << shift;

		if (!(e & PTE_PRESENT))
			return -CELL_E_NOENT;
		if (shift == 12 || (shift < 39 && (e & PTE_LARGE))) {
			*pa = (e & PTE_ADDR & ~(size - 1)) | (v & (size - 1));
			*run = size - (v & (size - 1));
			return 0;
		}
		t = table_at(e & PTE_ADDR);
	}
	return -CELL_E_UNSUPPORTED;
}

/*
 * The next-level table entry e points at, creating it from the pool (zeroed,
 * present, writable) when e is empty. NULL when the pool is spent or the
 * table lies outside the identity map.
 */
static uint64_t *
next_table(volatile uint64_t *e)
{
	uint64_t pa, run;
	uint64_t *t;

	if (*e & PTE_PRESENT)
		return table_at(*e & PTE_ADDR);
	if (pool_used == MMIO_TABLES)
		return NULL;
	t = pool[pool_used];
	if (x86_virt_to_phys(t, &pa, &run) < 0)
		return NULL;
	pool_used++;
	for (unsigned i = 0; i < 512; i++)
		t[i] = 0;
	compiler_barrier();
	*e = pa | PTE_PRESENT | PTE_WRITE;
	return table_at(pa);
}

/*
 * Map the page at physical address pa at the same virtual address, writable
 * and uncached, unless a mapping of that address already exists: one that
 * maps it to itself is kept (stage2's identity map), one that maps it
 * elsewhere is -CELL_E_BUSY.
 */
static int
map_page(uint64_t pa)
{
	uint64_t *t = table_at(read_cr3() & PTE_ADDR);
	uint64_t have, run;

	if (x86_virt_to_phys((void *)(uintptr_t)pa, &have, &run) == 0)
		return have == pa ? 0 : -CELL_E_BUSY;
	for (unsigned shift = 39; shift > 12; shift -= 9) {
		uint64_t *e;

		if (t == NULL)
			return -CELL_E_NOSPACE;
		e = &t[index_of(pa, shift)];
		if ((*e & PTE_PRESENT) && (*e & PTE_LARGE))
			return -CELL_E_BUSY; /* mapped, and not to pa */
		t = next_table(e);
	}
	if (t == NULL)
		return -CELL_E_NOSPACE;
	t[index_of(pa, 12)] = pa | PTE_PRESENT | PTE_WRITE | PTE_PCD | PTE_PWT;
	invlpg((void *)(uintptr_t)pa);
	return 0;
}

/*
 * Make the device registers at physical [pa, pa + len) reachable at the same
 * virtual address (uncached where this file maps them) and return that
 * address in *va. Only below 4 GiB (32-bit BARs). 0, -CELL_E_RANGE,
 * -CELL_E_BUSY (the range is mapped to other memory) or -CELL_E_NOSPACE
 * (the table pool is spent). Thread only.
 */
int
x86_map_mmio(uint64_t pa, uint64_t len, volatile void **va)
{
	uint64_t first = pa & ~(PAGE_SIZE - 1);
	int rc;

	if (len == 0 || pa + len < pa || pa + len > (1ull << 32))
		return -CELL_E_RANGE;
	for (uint64_t p = first; p < pa + len; p += PAGE_SIZE) {
		if ((rc = map_page(p)) < 0)
			return rc;
	}
	*va = (volatile void *)(uintptr_t)pa;
	return 0;
}
