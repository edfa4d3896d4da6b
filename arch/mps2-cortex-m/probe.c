/*
 * The RAM probe. Nothing says how much RAM an MPS2 FPGA image has or
 * where (there is no device tree, and the images differ), so the entry
 * looks: it walks the ARMv7-M memory map's code, SRAM and external RAM
 * windows (0x00000000..0x3FFFFFFF and 0x60000000..0x9FFFFFFF) at every
 * MiB and, from there, in 64 KiB steps for as long as the first word of a
 * step is RAM, testing each 4 KiB block of such a step. A step that is
 * not RAM ends the MiB: 1.5 GiB of windows cost some 1,600 probes instead
 * of 24,000 (a bus fault costs about 2 us under QEMU, a reserved range
 * that reads as zero a slow I/O access).
 *
 * A block is RAM when its first word takes the complement of what it
 * holds and then its old value back (mcu_probe_word, vectors.S), which
 * leaves out absent memory (a bus fault, caught: see mcu_fault), the
 * MPS2's reserved ranges that read as zero and ignore writes, and the
 * bit-band aliases (a word there is one bit). It is a mirror of RAM
 * already found, and not counted again, when writing it changes the word
 * at the same offset, modulo the region's size rounded up to a power of
 * two, in a region found below it: incomplete address decoding ignores
 * the address bits above a memory's size, so its copies repeat at that
 * stride (the AN386 mirrors SSRAM1 at 4 MiB, SSRAM2/3 at 0x20400000, its
 * 16 KiB block RAM three times after it). RAM is found where it starts
 * at a MiB boundary, or where it continues RAM found before it in 64 KiB
 * steps; RAM that starts elsewhere after a hole is not found.
 *
 * Interrupts are off; the probe writes only the words it tests and puts
 * each back before anything else runs, so it can test the kernel's own
 * memory.
 */
#include <stddef.h>
#include <stdint.h>

#include "mcu.h"

#define STEP  0x10000u
#define MIB   0x100000u
#define BLOCK 0x1000u

static const struct {
	uint32_t lo, hi;
} windows[] = {
	{ 0x00000000u, 0x40000000u }, /* code and SRAM */
	{ 0x60000000u, 0xA0000000u }, /* external RAM */
};

static int
found(uint32_t addr)
{
	for (unsigned i = 0; i < mcu.ram_count; i++) {
		if (addr >= mcu.ram[i].base &&
		    addr - mcu.ram[i].base < mcu.ram[i].size)
			return 1;
	}
	return 0;
}

/* The smallest power of two at least n (1 <= n <= 2^31). */
static uint32_t
pow2_ceil(uint32_t n)
{
	return n <= 1 ? 1 : 1u << (32 - __builtin_clz(n - 1));
}

/* addr mirrors RAM found below it (see above). */
static int
is_mirror(uint32_t addr)
{
	for (unsigned i = 0; i < mcu.ram_count; i++) {
		const struct mcu_ram_region *r = &mcu.ram[i];
		uint32_t partner;

		if (r->base >= addr)
			continue;
		partner =
		    r->base + ((addr - r->base) & (pow2_ceil(r->size) - 1));
		if (partner != addr && found(partner) &&
		    mcu_probe_alias(addr, partner) == 1)
			return 1;
	}
	return 0;
}

static void
record(uint32_t block)
{
	struct mcu_ram_region *last =
	    mcu.ram_count > 0 ? &mcu.ram[mcu.ram_count - 1] : NULL;

	if (last != NULL && last->base + last->size == block) {
		last->size += BLOCK;
	} else if (mcu.ram_count < MCU_RAM_REGIONS) {
		mcu.ram[mcu.ram_count].base = block;
		mcu.ram[mcu.ram_count].size = BLOCK;
		mcu.ram_count++;
	} else {
		mcu.ram_truncated = 1;
	}
}

void
mcu_probe_ram_regions(void)
{
	uint32_t shcsr = mmio_read32(SCB_SHCSR);

	/* Bus faults go to their own handler, which resumes the probe. */
	mmio_write32(SCB_SHCSR, shcsr | SHCSR_BUSFAULTENA);
	mcu_barrier();
	mcu.ram_count = 0;
	mcu.ram_truncated = 0;
	mcu_probing = 1;
	for (unsigned w = 0; w < sizeof windows / sizeof windows[0]; w++) {
		uint32_t next;

		for (uint32_t step = windows[w].lo; step < windows[w].hi;
		     step = next) {
			if (mcu_probe_word(step) != MCU_PROBE_RAM) {
				next = (step & ~(MIB - 1)) + MIB;
				continue;
			}
			next = step + STEP;
			for (uint32_t b = step; b < step + STEP; b += BLOCK) {
				if (mcu_probe_word(b) == MCU_PROBE_RAM &&
				    !is_mirror(b))
					record(b);
			}
		}
	}
	mcu_probing = 0;
}
