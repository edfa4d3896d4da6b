/*
 * The built-in minimal phenotype, booted when the given one is refused: one
 * channel (the console), no edges, one gene (the peroxisome, so text still
 * reaches channel 0 sanitized). Spelled out byte by byte in .pbin v1.1 so
 * that it goes through the same loader as any other phenotype.
 */
#include <stddef.h>
#include <stdint.h>

#include "pheno.h"

#define U16(v) (uint8_t)(v), (uint8_t)((v) >> 8)
#define U32(v) U16(v), U16((v) >> 16)
#define U64(v) U32(v), U32((uint64_t)(v) >> 32)

static const uint8_t builtin_pbin[] = {
	/* header: magic, 1.1, any valid arch id (the built-in phenotype's
	 * arch is never checked), reserved, 1 channel, 1 ms quantum */
	U32(PBIN_MAGIC), U16(1), U16(1), U16(PBIN_ARCH_MAX), U16(0),
	U32(1), U32(1000000),
	/* channel 0: console, BE, priority 0, bucket 4 of 4, refill 1 */
	U32(0), U32(QOS_CLASS_BE), U32(0), U64(4), U64(4), U64(1),
	/* adjacency: 1 bit, no edge */
	0x00,
	/* NAME */
	U32(PBIN_SEC_NAME), U32(15),
	'b', 'u', 'i', 'l', 't', 'i', 'n', '.', 'm', 'i', 'n', 'i', 'm', 'a', 'l',
	/* SCHED: gas 64, 8 quanta, epoch 4 */
	U32(PBIN_SEC_SCHED), U32(16), U32(64), U32(8), U32(4), U32(0),
	/* GENES: peroxi_sanitize on the console */
	U32(PBIN_SEC_GENES), U32(4 + 32), U32(1),
	U32(1), U32(GENE_KIND_PEROXI_SANITIZE), U32(0), U32(8), U32(256),
	U32(64), U32(0), U32(0),
};

const uint8_t *
pheno_builtin(size_t *len)
{
	*len = sizeof builtin_pbin;
	return builtin_pbin;
}
