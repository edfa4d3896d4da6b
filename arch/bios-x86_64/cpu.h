/* x86_64 instructions the board code needs, as small inline functions. */
#ifndef CELLOS_X86_CPU_H
#define CELLOS_X86_CPU_H

#include <stdint.h>

static inline void
outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t
inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void
outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint16_t
inw(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/*
 * n 16-bit words between a port and memory, little-endian as they arrive
 * ("rep insw" / "rep outsw"): one instruction for a whole sector, which
 * QEMU's TCG runs as one loop instead of translating a C loop's word at a
 * time. The direction flag is clear (the SysV ABI's rule at every call).
 */
static inline void
insw(uint16_t port, void *buf, uint32_t n)
{
	__asm__ volatile("rep insw"
			 : "+D"(buf), "+c"(n)
			 : "d"(port)
			 : "memory");
}

static inline void
outsw(uint16_t port, const void *buf, uint32_t n)
{
	__asm__ volatile("rep outsw"
			 : "+S"(buf), "+c"(n)
			 : "d"(port)
			 : "memory");
}

static inline void
outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t
inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* A short delay: a write to the unused POST port. */
static inline void
io_wait(void)
{
	outb(0x80, 0);
}

static inline void
cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b, uint32_t *c,
    uint32_t *d)
{
	__asm__ volatile("cpuid"
			 : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			 : "a"(leaf), "c"(sub));
}

static inline uint64_t
read_flags(void)
{
	uint64_t f;

	__asm__ volatile("pushfq; popq %0" : "=r"(f) : : "memory");
	return f;
}

static inline void
cli(void)
{
	__asm__ volatile("cli" : : : "memory");
}

static inline void
sti(void)
{
	__asm__ volatile("sti" : : : "memory");
}

static inline uint64_t
read_cr2(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

/* The physical address of the top-level page table (PML4) and its flags. */
static inline uint64_t
read_cr3(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

/* Drop the TLB's translation of the page holding va. */
static inline void
invlpg(const volatile void *va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* Keep the compiler from moving memory accesses across this point. */
static inline void
compiler_barrier(void)
{
	__asm__ volatile("" : : : "memory");
}

#define FLAGS_IF (1ul << 9)

#endif
