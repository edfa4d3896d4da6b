/*
 * Build .pbin files byte by byte from CONTRACT.md section 2 and
 * include/cellos/pbin.h, independently of the compiler, for the loader
 * tests. Every field is written explicitly, little-endian.
 */
#ifndef CELLOS_PBIN_BUILDER_H
#define CELLOS_PBIN_BUILDER_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cellos/pbin.h"

struct pb {
	uint8_t b[16384]; /* PBIN_SIZE_MAX */
	size_t n;
};

static inline void
pb_u8(struct pb *p, uint8_t v)
{
	if (p->n >= sizeof p->b)
		abort(); /* a test built a file larger than any loadable */
	p->b[p->n++] = v;
}

static inline void
pb_u16(struct pb *p, uint16_t v)
{
	pb_u8(p, (uint8_t)v);
	pb_u8(p, (uint8_t)(v >> 8));
}

static inline void
pb_u32(struct pb *p, uint32_t v)
{
	pb_u16(p, (uint16_t)v);
	pb_u16(p, (uint16_t)(v >> 16));
}

static inline void
pb_u64(struct pb *p, uint64_t v)
{
	pb_u32(p, (uint32_t)v);
	pb_u32(p, (uint32_t)(v >> 32));
}

static inline void
pb_header(struct pb *p, uint16_t minor, uint16_t arch, uint32_t nch)
{
	p->n = 0;
	pb_u32(p, PBIN_MAGIC);
	pb_u16(p, 1);
	pb_u16(p, minor);
	pb_u16(p, arch);
	pb_u16(p, 0);
	pb_u32(p, nch);
	pb_u32(p, 1000000);
}

static inline void
pb_channel(struct pb *p, uint32_t id, uint32_t cls, uint32_t prio,
    uint64_t bucket, uint64_t max, uint64_t refill)
{
	pb_u32(p, id);
	pb_u32(p, cls);
	pb_u32(p, prio);
	pb_u64(p, bucket);
	pb_u64(p, max);
	pb_u64(p, refill);
}

/* Adjacency for n channels from a list of (from, to) index pairs. */
static inline void
pb_adjacency(struct pb *p, uint32_t n, const uint32_t (*edges)[2], size_t count)
{
	size_t bytes = (n * n + 7) / 8;
	uint8_t *a = p->b + p->n;

	memset(a, 0, bytes);
	for (size_t i = 0; i < count; i++) {
		uint32_t bit = edges[i][0] * n + edges[i][1];
		a[bit / 8] |= (uint8_t)(1u << (bit % 8));
	}
	p->n += bytes;
}

static inline void
pb_section(struct pb *p, uint32_t tag, uint32_t len)
{
	pb_u32(p, tag);
	pb_u32(p, len);
}

static inline void
pb_sched(struct pb *p, uint32_t gas, uint32_t quanta, uint32_t epoch)
{
	pb_section(p, PBIN_SEC_SCHED, 16);
	pb_u32(p, gas);
	pb_u32(p, quanta);
	pb_u32(p, epoch);
	pb_u32(p, 0);
}

static inline void
pb_gene(struct pb *p, uint32_t id, uint32_t kind, uint32_t ch, uint32_t cpu,
    uint32_t io, uint32_t mem, uint32_t arg0, uint32_t arg1)
{
	pb_u32(p, id);
	pb_u32(p, kind);
	pb_u32(p, ch);
	pb_u32(p, cpu);
	pb_u32(p, io);
	pb_u32(p, mem);
	pb_u32(p, arg0);
	pb_u32(p, arg1);
}

#endif
