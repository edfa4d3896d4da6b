/*
 * A tiny assembler for the VM tests: RFC 9669 instructions written slot by
 * slot (8 bytes each, little-endian), independently of the VM's decoder.
 */
#ifndef CELLOS_BPF_ASM_H
#define CELLOS_BPF_ASM_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

/* Room for a few slots over VM_INSNS_MAX, so tests can write too long a program. */
struct bpf_asm {
	uint8_t code[(VM_INSNS_MAX + 8) * 8];
	uint32_t n; /* slots written */
};

/* Append one slot: opcode, registers, offset and immediate. */
static inline void
asm_emit(struct bpf_asm *p, uint8_t op, uint8_t dst, uint8_t src, int16_t off,
    int32_t imm)
{
	uint8_t *s = p->code + (size_t)p->n * 8;
	uint16_t uoff = (uint16_t)off;
	uint32_t uimm = (uint32_t)imm;

	s[0] = op;
	s[1] = (uint8_t)(dst | src << 4);
	s[2] = (uint8_t)uoff;
	s[3] = (uint8_t)(uoff >> 8);
	for (int i = 0; i < 4; i++)
		s[4 + i] = (uint8_t)(uimm >> (8 * i));
	p->n++;
}

/* Append lddw dst, v: two slots, the second with the high half. */
static inline void
asm_lddw(struct bpf_asm *p, uint8_t dst, uint64_t v)
{
	asm_emit(p, 0x18, dst, 0, 0, (int32_t)(uint32_t)v);
	asm_emit(p, 0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32));
}

#endif
