/*
 * The VM programs of the power-on self-test (selftest.h), written out
 * instruction by instruction in RFC 9669 encoding. Program 0 is small and
 * its answer is worked out by hand in the comments; programs 1 and 2 sweep
 * every ALU operation, memory access and conditional jump the interpreter
 * decodes, folding each result into r0.
 */
#include <stdint.h>

#include "selftest.h"

/* Instruction classes and fields (RFC 9669 section 3). */
enum {
	LD = 0x00,
	LDX = 0x01,
	ST = 0x02,
	STX = 0x03,
	ALU = 0x04,
	JMP = 0x05,
	JMP32 = 0x06,
	ALU64 = 0x07
};
enum { K = 0x00, X = 0x08 };
enum {
	ADD = 0x00,
	SUB = 0x10,
	MUL = 0x20,
	DIV = 0x30,
	OR = 0x40,
	AND = 0x50,
	LSH = 0x60,
	RSH = 0x70,
	NEG = 0x80,
	MOD = 0x90,
	XOR = 0xa0,
	MOV = 0xb0,
	ARSH = 0xc0,
	END = 0xd0
};
enum {
	JA = 0x00,
	JEQ = 0x10,
	JGT = 0x20,
	JGE = 0x30,
	JSET = 0x40,
	JNE = 0x50,
	JSGT = 0x60,
	JSGE = 0x70,
	CALL = 0x80,
	EXIT = 0x90,
	JLT = 0xa0,
	JLE = 0xb0,
	JSLT = 0xc0,
	JSLE = 0xd0
};
enum { W = 0x00, H = 0x08, B = 0x10, DW = 0x18 };
enum { MEM = 0x60, MEMSX = 0x80 };
enum { R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10 };

struct emitter {
	uint8_t *code;
	uint32_t cap, n; /* slots */
	int full;
};

static void
emit(struct emitter *e, uint8_t op, uint8_t dst, uint8_t src, int16_t off,
    int32_t imm)
{
	uint8_t *s = e->code + 8 * e->n;
	uint16_t uoff = (uint16_t)off;
	uint32_t uimm = (uint32_t)imm;

	if (e->n >= e->cap) {
		e->full = 1;
		return;
	}
	s[0] = op;
	s[1] = (uint8_t)(dst | src << 4);
	s[2] = (uint8_t)uoff;
	s[3] = (uint8_t)(uoff >> 8);
	for (int i = 0; i < 4; i++)
		s[4 + i] = (uint8_t)(uimm >> (8 * i));
	e->n++;
}

static void
lddw(struct emitter *e, uint8_t dst, uint64_t v)
{
	emit(e, LD | DW, dst, 0, 0, (int32_t)(uint32_t)v);
	emit(e, 0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32));
}

/*
 * r0 = r0 * r5 + r2, r5 odd: a result that differs makes r0 differ, and no
 * later step can undo that (an exclusive or, say, would: r0 ^ (r0 ^ k) is
 * k, whatever came before).
 */
static void
fold(struct emitter *e)
{
	emit(e, ALU64 | MUL | X, R0, R5, 0, 0);
	emit(e, ALU64 | ADD | X, R0, R2, 0, 0);
}

/*
 * Program 0, by hand (r1 = 0xA5, r2 = 0x5A on entry):
 *   r3 = 0x0123456789ABCDEF                      lddw
 *   r4 = r3 >> 32 = 0x01234567; += 0x10 (32-bit) = 0x01234577
 *   [r10-8] = r3 (8 bytes); [r10-16] = 0x000055AA (4 bytes)
 *   r5 = the word at r10-8 = 0x89ABCDEF; r6 = the half at r10-16 = 0x55AA
 *   r5 = be32(r5) = 0xEFCDAB89
 *   r6 == 0x55AA: jump over "r0 = 99"
 *   r7 = (u32)-1 = 0xFFFFFFFF; 0xFFFFFFFF < 0xEFCDAB89 (32-bit) is false:
 *     no jump, so r4 += r1: 0x01234577 + 0xA5 = 0x0123461C
 *   r9 = r5; r0 = helper(r1 = r4, r2 = 0x5A) = 0x0123461C * 3 + 0x5A
 *     = 0x0369D254 + 0x5A = 0x0369D2AE; r8 = r0
 *   r0 = f(r9), where f clobbers r8 (restored on return, callee-saved)
 *     and returns (0xEFCDAB89 ^ 0xFFFF) >> 8 = 0xEFCD5476 >> 8 = 0x00EFCD54
 *   r0 += r8: 0x00EFCD54 + 0x0369D2AE = 0x0459A002
 */
static void
program_classes(struct emitter *e)
{
	lddw(e, R3, 0x0123456789ABCDEFull);            /* 0, 1 */
	emit(e, ALU64 | MOV | X, R4, R3, 0, 0);        /* 2 */
	emit(e, ALU64 | RSH | K, R4, 0, 0, 32);        /* 3 */
	emit(e, ALU | ADD | K, R4, 0, 0, 0x10);        /* 4 */
	emit(e, STX | MEM | DW, R10, R3, -8, 0);       /* 5 */
	emit(e, ST | MEM | W, R10, 0, -16, 0x55AA);    /* 6 */
	emit(e, LDX | MEM | W, R5, R10, -8, 0);        /* 7 */
	emit(e, LDX | MEM | H, R6, R10, -16, 0);       /* 8 */
	emit(e, ALU | END | X, R5, 0, 0, 32);          /* 9: be32 */
	emit(e, JMP | JEQ | K, R6, 0, 1, 0x55AA);      /* 10 */
	emit(e, ALU64 | MOV | K, R0, 0, 0, 99);        /* 11 */
	emit(e, ALU | MOV | K, R7, 0, 0, -1);          /* 12 */
	emit(e, JMP32 | JLT | X, R7, R5, 1, 0);        /* 13 */
	emit(e, ALU64 | ADD | X, R4, R1, 0, 0);        /* 14 */
	emit(e, ALU64 | MOV | X, R9, R5, 0, 0);        /* 15 */
	emit(e, ALU64 | MOV | X, R1, R4, 0, 0);        /* 16 */
	emit(e, JMP | CALL, 0, 0, 0, SELFTEST_HELPER); /* 17 */
	emit(e, ALU64 | MOV | X, R8, R0, 0, 0);        /* 18 */
	emit(e, ALU64 | MOV | X, R1, R9, 0, 0);        /* 19 */
	emit(e, JMP | CALL, 0, 1, 0, 2);               /* 20: f at 23 */
	emit(e, ALU64 | ADD | X, R0, R8, 0, 0);        /* 21 */
	emit(e, JMP | EXIT, 0, 0, 0, 0);               /* 22 */
	emit(e, ALU64 | MOV | K, R8, 0, 0, 0);         /* 23: f */
	emit(e, ALU64 | MOV | X, R0, R1, 0, 0);        /* 24 */
	emit(e, ALU64 | XOR | K, R0, 0, 0, 0xFFFF);    /* 25 */
	emit(e, ALU64 | RSH | K, R0, 0, 0, 8);         /* 26 */
	emit(e, JMP | EXIT, 0, 0, 0, 0);               /* 27 */
}

/* One operation of the ALU sweep: applied to a copy of r0 in r2. */
struct alu_step {
	uint8_t op;  /* class | code | source */
	int16_t off; /* sdiv/smod 1, movsx width */
	int32_t imm; /* K operand, or END width */
};

#define ALU_BOTH(cls, code, k)           \
	{ (cls) | (code) | K, 0, (k) },  \
	{                                \
		(cls) | (code) | X, 0, 0 \
	}
#define ALU_CLASS(cls)                                                \
	ALU_BOTH(cls, ADD, -0x12345), ALU_BOTH(cls, SUB, 0x7FFFFFFF), \
	    ALU_BOTH(cls, MUL, -3), ALU_BOTH(cls, DIV, 7),            \
	    ALU_BOTH(cls, MOD, 7), ALU_BOTH(cls, OR, 0x0F0F0F0F),     \
	    ALU_BOTH(cls, AND, -0x100), ALU_BOTH(cls, LSH, 13),       \
	    ALU_BOTH(cls, RSH, 13), ALU_BOTH(cls, XOR, 0x5A5A5A5A),   \
	    ALU_BOTH(cls, MOV, -2), ALU_BOTH(cls, ARSH, 13),          \
	    { (cls) | DIV | K, 0, 0 }, { (cls) | MOD | K, 0, 0 },     \
	    { (cls) | DIV | K, 1, -7 }, { (cls) | DIV | X, 1, 0 },    \
	    { (cls) | MOD | K, 1, -7 }, { (cls) | MOD | X, 1, 0 },    \
	    { (cls) | NEG | K, 0, 0 }, { (cls) | MOV | X, 8, 0 },     \
	{                                                             \
		(cls) | MOV | X, 16, 0                                \
	}

static const struct alu_step alu_steps[] = {
	ALU_CLASS(ALU64),
	{ ALU64 | MOV | X, 32, 0 },
	ALU_CLASS(ALU),
	{ ALU | END | K, 0, 16 },
	{ ALU | END | K, 0, 32 },
	{ ALU | END | K, 0, 64 },
	{ ALU | END | X, 0, 16 },
	{ ALU | END | X, 0, 32 },
	{ ALU | END | X, 0, 64 },
	{ ALU64 | END | K, 0, 16 },
	{ ALU64 | END | K, 0, 32 },
	{ ALU64 | END | K, 0, 64 },
};

/* One memory access of the sweep: stores into, loads from, r10-24..r10-1. */
struct mem_step {
	uint8_t op;
	int16_t off;
	int32_t imm;
};

static const struct mem_step mem_steps[] = {
	{ STX | MEM | DW, -8, 0 },
	{ STX | MEM | DW, -16, 0 },
	{ ST | MEM | DW, -24, -3 },
	{ ST | MEM | B, -7, 0x81 },
	{ ST | MEM | H, -14, -2 },
	{ ST | MEM | W, -12, 0x12345678 },
	{ STX | MEM | B, -1, 0 },
	{ STX | MEM | H, -4, 0 },
	{ STX | MEM | W, -20, 0 },
	{ LDX | MEM | B, -7, 0 },
	{ LDX | MEM | H, -14, 0 },
	{ LDX | MEM | W, -12, 0 },
	{ LDX | MEM | DW, -8, 0 },
	{ LDX | MEM | DW, -16, 0 },
	{ LDX | MEM | DW, -24, 0 },
	{ LDX | MEMSX | B, -7, 0 },
	{ LDX | MEMSX | H, -14, 0 },
	{ LDX | MEMSX | W, -12, 0 },
	{ LDX | MEMSX | W, -20, 0 },
};

static void
program_alu(struct emitter *e)
{
	lddw(e, R0, 0x9E3779B97F4A7C15ull);
	lddw(e, R3, 0xFEDCBA9876543215ull); /* X operand: shifts by 21 */
	lddw(e, R5, 0xD6E8FEB86659FD93ull); /* fold's odd multiplier */
	for (unsigned i = 0; i < sizeof alu_steps / sizeof alu_steps[0]; i++) {
		const struct alu_step *s = &alu_steps[i];

		int reg =
		    (s->op & X) && (s->op & 0xf0) != END; /* END's X: to BE */

		emit(e, ALU64 | MOV | X, R2, R0, 0, 0);
		emit(e, s->op, R2, reg ? R3 : 0, s->off, s->imm);
		fold(e);
	}
	for (unsigned i = 0; i < sizeof mem_steps / sizeof mem_steps[0]; i++) {
		const struct mem_step *s = &mem_steps[i];
		unsigned cls = s->op & 7;

		if (cls == LDX) {
			emit(e, s->op, R2, R10, s->off, 0);
			fold(e);
		} else {
			/* STX stores the running value, or r3 every other time */
			emit(e, s->op, R10,
			    cls == ST   ? 0 :
				(i & 1) ? R3 :
					  R0,
			    s->off, s->imm);
		}
	}
	emit(e, JMP | EXIT, 0, 0, 0, 0);
}

/*
 * The jump sweep: each conditional jump, 64- and 32-bit, K and X, on five
 * operand pairs that sit on each side of its boundary: (5, 5), (5, 6),
 * (6, 5), (-1, 1) and (2^32 + 5, 5), whose low 32 bits are equal. Each
 * outcome goes into r0 = r0 * 3 + (not taken), so any one outcome changed
 * changes the answer.
 */
static void
program_jumps(struct emitter *e)
{
	static const uint8_t conds[] = { JEQ, JGT, JGE, JSET, JNE, JSGT, JSGE,
		JLT, JLE, JSLT, JSLE };
	/* dst register, X register, K immediate of each pair */
	static const uint8_t pair_dst[] = { R6, R6, R7, R8, R9 };
	static const uint8_t pair_src[] = { R6, R7, R6, R1, R6 };
	static const int32_t pair_imm[] = { 5, 6, 5, 1, 5 };

	emit(e, ALU64 | MOV | K, R0, 0, 0, 1);
	emit(e, ALU64 | MOV | K, R1, 0, 0, 1);
	emit(e, ALU64 | MOV | K, R6, 0, 0, 5);
	emit(e, ALU64 | MOV | K, R7, 0, 0, 6);
	emit(e, ALU64 | MOV | K, R8, 0, 0, -1);
	lddw(e, R9, 0x100000005ull);
	emit(e, JMP | JA, 0, 0, 1, 0); /* over the next */
	emit(e, ALU64 | ADD | K, R0, 0, 0, 100);
	emit(e, JMP32 | JA, 0, 0, 0, 1); /* gotol, over the next */
	emit(e, ALU64 | ADD | K, R0, 0, 0, 200);
	for (unsigned c = 0; c < sizeof conds; c++) {
		for (unsigned form = 0; form < 4; form++) {
			uint8_t cls = form < 2 ? JMP : JMP32;
			uint8_t src = form % 2 ? X : K;

			for (unsigned p = 0; p < sizeof pair_dst; p++) {
				emit(e, cls | conds[c] | src, pair_dst[p],
				    src == X ? pair_src[p] : 0, 1,
				    src == X ? 0 : pair_imm[p]);
				emit(e, ALU64 | ADD | K, R0, 0, 0, 1);
				emit(e, ALU64 | MUL | K, R0, 0, 0, 3);
			}
		}
	}
	emit(e, JMP | EXIT, 0, 0, 0, 0);
}

uint32_t
selftest_vm_program(unsigned i, uint8_t *code, uint32_t cap)
{
	struct emitter e = { code, cap / 8, 0, 0 };

	if (i == 0)
		program_classes(&e);
	else if (i == 1)
		program_alu(&e);
	else if (i == 2)
		program_jumps(&e);
	else
		return 0;
	return e.full ? 0 : e.n;
}
