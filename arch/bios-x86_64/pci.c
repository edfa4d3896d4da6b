/*
 * PCI configuration space through the type 1 mechanism (address at 0xCF8,
 * data at 0xCFC), and a brute-force scan of every bus, device and function
 * for a class code. A function is named by its bus/device/function number
 * packed as bus << 8 | device << 3 | function (bdf).
 */
#include <stdint.h>

#include "cellos/errors.h"
#include "cpu.h"
#include "x86.h"

#define PCI_ADDRESS 0xCF8
#define PCI_DATA    0xCFC
#define PCI_ENABLE  0x80000000u

#define REG_ID     0x00 /* vendor (low 16), device (high 16) */
#define REG_CLASS  0x08 /* class, subclass, prog-if, revision */
#define REG_HEADER 0x0C /* bits 23..16 header type, 23 multi-function */
#define NO_VENDOR  0xFFFFu

/*
 * Read the 32-bit register at offset reg (a multiple of 4, below 256) of
 * function bdf; all ones when nothing answers. Any context: the address and
 * data cycles run with interrupts off.
 */
uint32_t
pci_read32(unsigned bdf, unsigned reg)
{
	uint64_t flags = read_flags();
	uint32_t v;

	cli();
	outl(PCI_ADDRESS, PCI_ENABLE | (bdf & 0xFFFFu) << 8 | (reg & 0xFCu));
	v = inl(PCI_DATA);
	if (flags & FLAGS_IF)
		sti();
	return v;
}

/* Write the 32-bit register at offset reg of function bdf. Any context. */
void
pci_write32(unsigned bdf, unsigned reg, uint32_t v)
{
	uint64_t flags = read_flags();

	cli();
	outl(PCI_ADDRESS, PCI_ENABLE | (bdf & 0xFFFFu) << 8 | (reg & 0xFCu));
	outl(PCI_DATA, v);
	if (flags & FLAGS_IF)
		sti();
}

/*
 * Find the first function at or after bdf from (in bus, device, function
 * order) whose class, subclass and programming interface, as class << 16 |
 * subclass << 8 | prog-if, equal class_code in the bits of mask. Functions
 * 1..7 count only when function 0 says the device is multi-function. Sets
 * *bdf and returns 0, or -CELL_E_NOENT when there is none. Thread only.
 */
int
pci_find_class_masked(uint32_t class_code, uint32_t mask, unsigned from,
    unsigned *bdf)
{
	for (unsigned f = from; f < 0x10000u; f++) {
		unsigned fn = PCI_BDF_FUNCTION(f);

		if ((pci_read32(f, REG_ID) & 0xFFFFu) == NO_VENDOR) {
			if (fn == 0)
				f |= 7; /* no device: skip its functions */
			continue;
		}
		if (fn != 0 && !(pci_read32(f & ~7u, REG_HEADER) & (1u << 23)))
			continue;
		if (((pci_read32(f, REG_CLASS) >> 8) & mask) ==
		    (class_code & mask)) {
			*bdf = f;
			return 0;
		}
	}
	return -CELL_E_NOENT;
}

/* pci_find_class_masked with every bit of class_code compared. */
int
pci_find_class(uint32_t class_code, unsigned from, unsigned *bdf)
{
	return pci_find_class_masked(class_code, 0xFFFFFFu, from, bdf);
}
