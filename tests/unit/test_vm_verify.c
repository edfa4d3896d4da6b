/*
 * The gene VM verifier: one test per reason it refuses a program (the
 * reason and the slot it names), the edge cases it must accept, and what
 * vm_load decodes (basic blocks and their gas).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "bpf_asm.h"
#include "cellos/errors.h"
#include "vm.h"

static struct bpf_asm p;

/* Append a slot to the program under test. */
static void
emit(uint8_t op, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	asm_emit(&p, op, dst, src, off, imm);
}

/* Opcodes by their RFC 9669 encoding. */
#define MOV64_K 0xb7
#define MOV64_X 0xbf
#define ADD64_K 0x07
#define ADD64_X 0x0f
#define ADD32_K 0x04
#define LDDW    0x18
#define LDXDW   0x79
#define LDXB    0x71
#define STB     0x72
#define STDW    0x7a
#define STXDW   0x7b
#define JA      0x05
#define JA32    0x06
#define JEQ_K   0x15
#define JEQ_X   0x1d
#define CALL    0x85
#define EXIT    0x95

static void
mov(uint8_t dst, int32_t imm)
{
	emit(MOV64_K, dst, 0, 0, imm);
}

static void
lddw(uint8_t dst, uint64_t v)
{
	emit(LDDW, dst, 0, 0, (int32_t)(uint32_t)v);
	emit(0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32));
}

static void
ret(void)
{
	emit(EXIT, 0, 0, 0, 0);
}

static int
setup(void **state)
{
	(void)state;
	memset(&p, 0, sizeof p);
	return 0;
}

static void
expect_reject_at(uint32_t entry, uint32_t helpers, enum vm_reject why,
    uint32_t insn, const char *reason)
{
	struct vm_verify_error err;

	memset(&err, 0x55, sizeof err);
	assert_int_equal(vm_verify(p.code, p.n, entry, helpers, &err),
	    -CELL_E_RANGE);
	if (err.reject != why || err.insn != insn ||
	    strstr(err.reason, reason) == NULL)
		fail_msg("got %s at slot %u \"%s\"; want %s at slot %u"
			 " \"...%s...\"",
		    vm_reject_name(err.reject), err.insn, err.reason,
		    vm_reject_name(why), insn, reason);
	assert_true(strlen(err.reason) < sizeof err.reason);
}

static void
expect_reject(enum vm_reject why, uint32_t insn, const char *reason)
{
	expect_reject_at(0, VM_HELPERS_ALL, why, insn, reason);
}

static void
expect_accept_at(uint32_t entry, uint32_t helpers)
{
	struct vm_verify_error err;

	if (vm_verify(p.code, p.n, entry, helpers, &err) != 0)
		fail_msg("refused: %s at slot %u: %s",
		    vm_reject_name(err.reject), err.insn, err.reason);
	assert_int_equal(err.reject, VM_REJECT_NONE);
}

static void
expect_accept(void)
{
	expect_accept_at(0, VM_HELPERS_ALL);
}

/* Start again with an empty program. */
static void
reset(void)
{
	memset(&p, 0, sizeof p);
}

/* ---- one test per enum vm_reject ---- */

static void
test_reject_length(void **state)
{
	(void)state;
	expect_reject(VM_REJECT_LENGTH, 0, "0 slots (must be 1..1024)");
	for (int i = 0; i < VM_INSNS_MAX; i++)
		mov(0, i);
	ret();
	expect_reject(VM_REJECT_LENGTH, 0, "1025 slots");
	p.n = VM_INSNS_MAX;
	p.code[(VM_INSNS_MAX - 1) * 8] = EXIT;
	p.code[(VM_INSNS_MAX - 1) * 8 + 4] = 0;
	p.code[(VM_INSNS_MAX - 1) * 8 + 5] = 0;
	expect_accept(); /* exactly VM_INSNS_MAX */
}

static void
test_reject_entry(void **state)
{
	(void)state;
	mov(0, 1);
	ret();
	expect_reject_at(2, 0, VM_REJECT_ENTRY, 2,
	    "entry slot 2, outside 0..1");
	expect_reject_at(UINT32_MAX, 0, VM_REJECT_ENTRY, UINT32_MAX,
	    "outside 0..1");
	reset();
	ret();
	lddw(0, 5);
	ret();
	expect_reject_at(2, 0, VM_REJECT_ENTRY, 2,
	    "entry slot 2 is the second slot of an lddw");
	expect_accept_at(1, 0);
}

static void
test_reject_fallthrough(void **state)
{
	(void)state;
	mov(0, 1);
	mov(0, 2);
	expect_reject(VM_REJECT_FALLTHROUGH, 1,
	    "function at slot 0 ends with opcode 0xb7 at slot 1");

	/* A callee that runs into the next function. */
	reset();
	emit(CALL, 0, 1, 0, 1); /* call slot 2 */
	ret();
	mov(0, 3);              /* slot 2: f, no exit */
	emit(CALL, 0, 1, 0, 0); /* call slot 4 */
	ret();                  /* slot 4: g */
	expect_reject(VM_REJECT_FALLTHROUGH, 3, "function at slot 2");

	/* An lddw as the last instruction (its second slot last). */
	reset();
	lddw(0, 1);
	expect_reject(VM_REJECT_FALLTHROUGH, 0, "opcode 0x18 at slot 0");

	/* A conditional jump is not an end either. */
	reset();
	mov(0, 0);
	emit(JEQ_K, 0, 0, -2, 0);
	expect_reject(VM_REJECT_FALLTHROUGH, 1, "opcode 0x15");

	/* Code before the entry is a function too, and is checked. */
	reset();
	mov(0, 0);
	mov(0, 1);
	ret(); /* slot 2: the entry */
	expect_reject_at(2, 0, VM_REJECT_FALLTHROUGH, 1, "function at slot 0");
}

static void
test_reject_opcode(void **state)
{
	static const struct {
		uint8_t op;
		uint8_t src;
		const char *reason;
	} cases[] = {
		{ 0xdb, 0, "opcode 0xdb (atomic) is not allowed" },
		{ 0xc3, 0, "opcode 0xc3 (atomic) is not allowed" },
		{ 0x20, 0, "opcode 0x20 (legacy packet load) is not allowed" },
		{ 0x40, 0, "opcode 0x40 (legacy packet load)" },
		{ 0x30, 0, "opcode 0x30 (legacy packet load)" },
		{ 0x8d, 0, "opcode 0x8d (callx) is not allowed" },
		{ 0x85, 2, "call src 2 (helper by BTF id) is not allowed" },
		{ 0x85, 3, "call src 3 is not in the instruction set" },
		{ 0x18, 1, "lddw src 1 (map or pseudo load) is not allowed" },
		{ 0x18, 6, "lddw src 6" },
		{ 0xff, 0, "opcode 0xff is not in the instruction set" },
		{ 0x00, 0, "opcode 0x00 is not in the instruction set" },
		{ 0x8c, 0, "opcode 0x8c" },        /* neg32 with X */
		{ 0x8f, 0, "opcode 0x8f" },        /* neg64 with X */
		{ 0xdf, 0, "opcode 0xdf" },        /* ALU64 END, s bit set */
		{ 0xe7, 0, "opcode 0xe7" },        /* ALU64 code 0xe */
		{ 0x99, 0, "opcode 0x99" },        /* LDX MEMSX DW */
		{ 0x86, 0, "opcode 0x86" },        /* JMP32 call */
		{ 0x96, 0, "opcode 0x96" },        /* JMP32 exit */
		{ 0x9d, 0, "opcode 0x9d" },        /* exit X */
		{ 0x0d, 0, "opcode 0x0d" },        /* ja X */
		{ 0x0e, 0, "opcode 0x0e" },        /* ja32 X */
		{ 0xe5, 0, "opcode 0xe5" },        /* JMP code 0xe */
		{ 0x62 | 0x80, 0, "opcode 0xe2" }, /* ST mode 7 */
		{ 0x83, 0, "opcode 0x83" },        /* STX MEMSX */
		{ 0x10, 0, "opcode 0x10" },        /* LD IMM B */
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		reset();
		mov(0, 0);
		emit(cases[i].op, 1, cases[i].src, 0, 0);
		emit(0, 0, 0, 0, 0);
		ret();
		expect_reject(VM_REJECT_OPCODE, 1, cases[i].reason);
	}
}

static void
test_reject_reserved(void **state)
{
	static const struct {
		uint8_t op, dst, src;
		int16_t off;
		int32_t imm;
		const char *reason;
	} cases[] = {
		{ ADD64_K, 1, 3, 0, 1, "opcode 0x07 has src 3 (unused" },
		{ ADD64_X, 1, 2, 0, 5, "opcode 0x0f has imm 5 (unused" },
		{ ADD64_K, 1, 0, 1, 1, "opcode 0x07 has off 1 (unused" },
		{ 0x3f, 1, 2, 2, 0, "opcode 0x3f has off 2 (0, or 1 for" },
		{ 0x97, 1, 0, -1, 3, "opcode 0x97 has off -1" },
		{ MOV64_X, 1, 2, 7, 0,
		    "(movsx) has off 7 (must be 8, 16 or 32)" },
		{ 0xbc, 1, 2, 32, 0,
		    "0xbc (movsx) has off 32 (must be 8, 16)" },
		{ MOV64_K, 1, 0, 8, 0, "opcode 0xb7 has off 8 (unused" },
		{ 0xd4, 1, 0, 0, 24, "(byte swap) has width 24" },
		{ 0xd7, 1, 0, 0, 0, "(byte swap) has width 0" },
		{ 0xdc, 1, 5, 0, 16, "opcode 0xdc has src 5" },
		{ 0x87, 1, 0, 0, 1, "opcode 0x87 has imm 1" },
		{ EXIT, 1, 0, 0, 0, "opcode 0x95 has dst 1 (unused" },
		{ EXIT, 0, 0, 0, 7, "opcode 0x95 has imm 7" },
		{ JA, 0, 0, 0, 3, "opcode 0x05 has imm 3" },
		{ JA32, 0, 0, 1, 0, "opcode 0x06 has off 1" },
		{ CALL, 0, 0, 4, 1, "opcode 0x85 has off 4" },
		{ CALL, 2, 0, 0, 1, "opcode 0x85 has dst 2" },
		{ STB, 10, 1, -1, 0, "opcode 0x72 has src 1" },
		{ LDXB, 1, 10, -1, 9, "opcode 0x71 has imm 9" },
		{ STXDW, 10, 1, -8, 2, "opcode 0x7b has imm 2" },
		{ JEQ_K, 1, 2, 0, 0, "opcode 0x15 has src 2" },
		{ JEQ_X, 1, 2, 0, 4, "opcode 0x1d has imm 4" },
		{ LDDW, 1, 0, 3, 0, "opcode 0x18 has off 3" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		reset();
		mov(0, 0);
		emit(cases[i].op, cases[i].dst, cases[i].src, cases[i].off,
		    cases[i].imm);
		emit(0, 0, 0, 0, 0); /* an lddw's second slot */
		ret();
		expect_reject(VM_REJECT_RESERVED, 1, cases[i].reason);
	}
}

static void
test_reject_register(void **state)
{
	(void)state;
	mov(11, 0);
	ret();
	expect_reject(VM_REJECT_REGISTER, 0, "dst r11 (registers are r0..r10)");
	reset();
	mov(0, 0);
	emit(ADD64_X, 1, 12, 0, 0);
	ret();
	expect_reject(VM_REJECT_REGISTER, 1, "opcode 0x0f has src r12");
	reset();
	emit(JEQ_X, 15, 1, 0, 0);
	ret();
	expect_reject(VM_REJECT_REGISTER, 0, "dst r15");
	reset();
	emit(LDXB, 0, 13, 0, 0);
	ret();
	expect_reject(VM_REJECT_REGISTER, 0, "src r13");
}

static void
test_reject_r10_write(void **state)
{
	static const uint8_t writers[] = { MOV64_K, ADD32_K, 0x87, 0xd4,
		LDXDW };

	(void)state;
	for (size_t i = 0; i < sizeof writers; i++) {
		reset();
		mov(0, 0);
		emit(writers[i], 10, writers[i] == LDXDW ? 1 : 0, 0,
		    writers[i] == 0xd4 ? 16 : 0);
		ret();
		expect_reject(VM_REJECT_R10_WRITE, 1,
		    "writes r10 (the frame pointer is read-only)");
	}
	reset();
	lddw(10, 1);
	ret();
	expect_reject(VM_REJECT_R10_WRITE, 0, "opcode 0x18 writes r10");
	/* r10 as a base of stores and as a source is fine. */
	reset();
	emit(STDW, 10, 0, -8, 1);
	emit(STXDW, 10, 10, -16, 0);
	emit(MOV64_X, 1, 10, 0, 0);
	emit(JEQ_X, 10, 1, 0, 0);
	ret();
	expect_accept();
}

static void
test_reject_lddw(void **state)
{
	(void)state;
	mov(0, 0);
	ret();
	emit(LDDW, 1, 0, 0, 5);
	expect_reject(VM_REJECT_LDDW, 2, "lddw at slot 2 has no second slot");
	reset();
	emit(LDDW, 1, 0, 0, 5);
	emit(MOV64_K, 0, 0, 0, 0);
	ret();
	expect_reject(VM_REJECT_LDDW, 0,
	    "lddw second slot has opcode 0xb7, regs 0x00, off 0");
	reset();
	emit(LDDW, 1, 0, 0, 5);
	emit(0, 2, 1, 0, 0);
	ret();
	expect_reject(VM_REJECT_LDDW, 0, "regs 0x12");
	reset();
	emit(LDDW, 1, 0, 0, 5);
	emit(0, 0, 0, -1, 0);
	ret();
	expect_reject(VM_REJECT_LDDW, 0, "off -1 (must all be 0)");
}

static void
test_reject_jump(void **state)
{
	(void)state;
	/* 41 slots, 0..40; a jump from slot 1 to 1 + 1 + 55 = 57. */
	mov(0, 0);
	emit(JEQ_K, 0, 0, 55, 0);
	while (p.n < 40)
		mov(0, 1);
	ret();
	expect_reject(VM_REJECT_JUMP, 1, "jump to slot 57, outside 0..40");

	reset();
	emit(JA, 0, 0, -2, 0);
	expect_reject(VM_REJECT_JUMP, 0, "jump to slot -1, outside 0..0");

	/* gotol's 32-bit offset, computed in 64 bits: no wrap. */
	reset();
	mov(0, 0);
	emit(JA32, 0, 0, 0, INT32_MAX);
	expect_reject(VM_REJECT_JUMP, 1, "jump to slot 2147483649");
	reset();
	mov(0, 0);
	emit(JA32, 0, 0, 0, INT32_MIN);
	expect_reject(VM_REJECT_JUMP, 1, "jump to slot -2147483646");

	/* Into an lddw's second slot. */
	reset();
	emit(JEQ_K, 1, 0, 1, 0);
	lddw(0, 7);
	ret();
	expect_reject(VM_REJECT_JUMP, 0,
	    "jump to slot 2, the second slot of an lddw");

	/* Out of its function, into a callee (slot 4). */
	reset();
	emit(CALL, 0, 1, 0, 3);  /* call slot 4 */
	emit(JEQ_K, 1, 0, 2, 0); /* to slot 4 */
	mov(0, 1);
	ret();
	ret(); /* slot 4: f */
	expect_reject(VM_REJECT_JUMP, 1,
	    "jump to slot 4 leaves its function (slots 0..3)");

	/* Out of a callee, back into its caller. */
	reset();
	emit(CALL, 0, 1, 0, 1); /* call slot 2 */
	ret();
	emit(JA, 0, 0, -3, 0); /* slot 2: to slot 0 */
	expect_reject(VM_REJECT_JUMP, 2,
	    "jump to slot 0 leaves its function (slots 2..2)");
}

static void
test_reject_helper(void **state)
{
	(void)state;
	mov(0, 0);
	emit(CALL, 0, 0, 0, 13);
	ret();
	expect_reject_at(0, 0x0036, VM_REJECT_HELPER, 1,
	    "helper 13 is not granted (granted mask 0x0036)");
	expect_accept_at(0, 1u << 13);
	p.code[1 * 8 + 4] = 0;
	expect_reject(VM_REJECT_HELPER, 1,
	    "helper 0 is unknown (ids are 1..14)");
	p.code[1 * 8 + 4] = VM_HELPERS_MAX;
	expect_reject(VM_REJECT_HELPER, 1, "helper 15 is unknown");
	/* A mask bit above the known helpers grants nothing. */
	expect_reject_at(0, 0xFFFFFFFFu, VM_REJECT_HELPER, 1, "unknown");
	memset(p.code + 1 * 8 + 4, 0xFF, 4);
	expect_reject(VM_REJECT_HELPER, 1, "helper -1 is unknown");
}

static void
test_reject_call(void **state)
{
	(void)state;
	/* Out of range. */
	emit(CALL, 0, 1, 0, 5);
	ret();
	expect_reject(VM_REJECT_CALL, 0, "call to slot 6, outside 0..1");
	reset();
	emit(CALL, 0, 1, 0, -2);
	ret();
	expect_reject(VM_REJECT_CALL, 0, "call to slot -1, outside 0..1");

	/* Into an lddw's second slot. */
	reset();
	emit(CALL, 0, 1, 0, 2); /* slot 3 */
	ret();
	lddw(0, 1);
	ret();
	expect_reject(VM_REJECT_CALL, 0,
	    "call to slot 3, the second slot of an lddw");

	/* Recursion: f calls itself. */
	reset();
	emit(CALL, 0, 1, 0, 1); /* slot 2 */
	ret();
	emit(CALL, 0, 1, 0, -1); /* slot 2: call slot 2 */
	ret();
	expect_reject(VM_REJECT_CALL, 2, "call to slot 2 is recursive");

	/* Mutual recursion: main -> f -> g -> f. */
	reset();
	emit(CALL, 0, 1, 0, 1); /* f = 2 */
	ret();
	emit(CALL, 0, 1, 0, 1); /* slot 2, f: g = 4 */
	ret();
	emit(CALL, 0, 1, 0, -3); /* slot 4, g: f = 2 */
	ret();
	expect_reject(VM_REJECT_CALL, 4, "call to slot 2 is recursive");

	/* The same at odd slots (the other half of a height byte). */
	reset();
	emit(CALL, 0, 1, 0, 2); /* slot 0: f = 3 */
	mov(0, 2);
	ret();
	emit(CALL, 0, 1, 0, 1); /* slot 3, f: g = 5 */
	ret();
	emit(CALL, 0, 1, 0, -3); /* slot 5, g: f = 3 */
	ret();
	expect_reject(VM_REJECT_CALL, 5, "call to slot 3 is recursive");

	/*
	 * Slots 4 and 5 share a height byte: marking f (5) on the chain must
	 * leave the leaf at 4 unwalked, whatever its neighbours hold.
	 */
	reset();
	emit(CALL, 0, 1, 0, 1); /* slot 0: e = 2 */
	ret();
	emit(CALL, 0, 1, 0, 2); /* slot 2, e: f = 5 */
	ret();
	ret();                   /* slot 4, the leaf */
	emit(CALL, 0, 1, 0, -2); /* slot 5, f: the leaf */
	ret();
	expect_accept();

	/* A chain of VM_CALL_DEPTH_MAX + 1 frames: function k at 2k calls
	 * 2k + 2; the last call is the one too deep. */
	reset();
	for (int k = 0; k < VM_CALL_DEPTH_MAX; k++) {
		emit(CALL, 0, 1, 0, 1);
		ret();
	}
	ret();
	expect_reject(VM_REJECT_CALL, 2 * (VM_CALL_DEPTH_MAX - 1),
	    "makes a call chain of more than 8 frames");

	/*
	 * The same depth reached through a function already walked: main
	 * calls g (a chain of 7 frames, fine from main: 8), then x, which
	 * calls g again one frame deeper (9).
	 */
	reset();
	emit(CALL, 0, 1, 0, 4); /* slot 0: g = 5 */
	emit(CALL, 0, 1, 0, 1); /* slot 1: x = 3 */
	ret();
	emit(CALL, 0, 1, 0, 1); /* slot 3, x: g = 5 */
	ret();
	for (int k = 0; k < VM_CALL_DEPTH_MAX - 2; k++) {
		emit(CALL, 0, 1, 0, 1); /* slot 5 + 2k */
		ret();
	}
	ret();
	expect_reject(VM_REJECT_CALL, 3, "call to slot 5 makes a call chain");
}

static void
test_reject_stack(void **state)
{
	(void)state;
	emit(LDXB, 0, 10, -513, 0);
	ret();
	expect_reject(VM_REJECT_STACK, 0,
	    "r10 access at off -513, size 1, outside the frame (-512..-1)");
	reset();
	emit(STXDW, 10, 1, 0, 0);
	ret();
	expect_reject(VM_REJECT_STACK, 0, "off 0, size 8");
	reset();
	mov(0, 0);
	emit(STDW, 10, 0, -4, 1); /* 8 bytes at -4 run past r10 */
	ret();
	expect_reject(VM_REJECT_STACK, 1, "off -4, size 8");
	reset();
	emit(0x61, 0, 10, 100, 0);
	ret();
	expect_reject(VM_REJECT_STACK, 0, "off 100, size 4");
	/* The edges of the frame are fine. */
	reset();
	emit(STDW, 10, 0, -512, 1);
	emit(STDW, 10, 0, -8, 1);
	emit(LDXB, 0, 10, -1, 0);
	emit(0x69, 0, 10, -2, 0);
	ret();
	expect_accept();
}

/* ---- accepted edge cases ---- */

/*
 * main at 0 calls a and b (slots a < b), and b calls a; main and a are
 * padded to the next function's start. a ends where b starts, so b's call
 * is b's, not a call of a to itself.
 */
static void
far_functions(int32_t a, int32_t b)
{
	reset();
	emit(CALL, 0, 1, 0, a - 1); /* slot 0: a */
	emit(CALL, 0, 1, 0, b - 2); /* slot 1: b */
	while (p.n < (uint32_t)a - 1)
		mov(0, 2);
	ret();
	while (p.n < (uint32_t)b - 1) /* slot a, a */
		mov(0, 2);
	ret();
	emit(CALL, 0, 1, 0, a - b - 1); /* slot b, b: a */
	ret();
}

static void
test_accept_edges(void **state)
{
	(void)state;
	/* JA as the last instruction: a loop the gas ends. */
	mov(0, 0);
	emit(ADD64_K, 0, 0, 0, 1);
	emit(JA, 0, 0, -2, 0);
	expect_accept();

	/* gotol as the last instruction. */
	reset();
	mov(0, 0);
	emit(JA32, 0, 0, 0, -2);
	expect_accept();

	/* lddw right before the final exit, and before a final ja. */
	reset();
	mov(0, 0);
	lddw(0, 0x1122334455667788ull);
	ret();
	expect_accept();
	reset();
	lddw(0, 1);
	emit(JA, 0, 0, -3, 0);
	expect_accept();

	/* A jump to the slot right after an lddw, and one to the lddw. */
	reset();
	emit(JEQ_K, 1, 0, 3, 0); /* slot 4 */
	emit(JEQ_K, 1, 0, 0, 0); /* slot 2 */
	lddw(0, 1);
	ret();
	expect_accept();

	/* A call chain of exactly VM_CALL_DEPTH_MAX frames. */
	reset();
	for (int k = 0; k < VM_CALL_DEPTH_MAX - 1; k++) {
		emit(CALL, 0, 1, 0, 1);
		ret();
	}
	ret();
	expect_accept();

	/* The same function called from many places is not recursion. */
	reset();
	emit(CALL, 0, 1, 0, 3); /* f = 4 */
	emit(CALL, 0, 1, 0, 2); /* f */
	emit(CALL, 0, 1, 0, 3); /* g = 6 */
	ret();
	emit(CALL, 0, 1, 0, 1); /* slot 4, f: g */
	ret();
	ret(); /* slot 6, g */
	expect_accept();

	/*
	 * Functions beyond the function map's first 32-slot word (a wrong end
	 * for a makes it recursive); then b at 128, the first slot after a
	 * word with no start.
	 */
	far_functions(40, 80);
	expect_accept();
	far_functions(64, 128);
	expect_accept();

	/* A long forward gotol inside one big function. */
	reset();
	emit(JA32, 0, 0, 0, 1000);
	while (p.n < 1001)
		mov(0, 2);
	ret();
	expect_accept();

	/* An entry in the middle, every helper granted. */
	reset();
	ret();
	mov(1, 1);
	emit(CALL, 0, 0, 0, 14);
	ret();
	expect_accept_at(1, 1u << 14);
}

/* ---- vm_load ---- */

/*
 * The sum loop: leaders at 0 (entry), 2 (jump target) and 5 (after the
 * jump): blocks of 2, 3 and 1 instructions.
 */
static void
test_load_blocks(void **state)
{
	struct vm_insn pool[8];
	struct vm_prog prog;
	struct vm_verify_error err;
	uint32_t used = 0;

	(void)state;
	mov(0, 0);
	mov(1, 10);
	emit(ADD64_X, 0, 1, 0, 0);
	emit(0x17, 1, 0, 0, 1);
	emit(0x55, 1, 0, -3, 0);
	ret();
	assert_int_equal(vm_load(&prog, p.code, p.n, 0, 0, pool, 8, &used,
			     &err),
	    0);
	assert_int_equal(used, 6);
	assert_int_equal(prog.num_insns, 6);
	assert_ptr_equal(prog.insns, pool);
	assert_int_equal(pool[0].handler, VM_OP_BLOCK);
	assert_int_equal(pool[0].op, VM_OP_MOV64_K);
	assert_int_equal(pool[0].block_cost, 2);
	assert_int_equal(pool[1].handler, VM_OP_MOV64_K);
	assert_int_equal(pool[1].block_cost, 0);
	assert_int_equal(pool[2].handler, VM_OP_BLOCK);
	assert_int_equal(pool[2].op, VM_OP_ADD64_X);
	assert_int_equal(pool[2].block_cost, 3);
	assert_int_equal(pool[4].op, VM_OP_JNE_K);
	assert_int_equal(pool[4].off, -3);
	assert_int_equal(pool[5].handler, VM_OP_BLOCK);
	assert_int_equal(pool[5].op, VM_OP_EXIT);
	assert_int_equal(pool[5].block_cost, 1);

	/* An lddw is one instruction of its block; a call ends one. */
	reset();
	lddw(0, 0xAABBCCDD00112233ull);
	emit(CALL, 0, 1, 0, 1); /* f = 4 */
	ret();
	ret();
	assert_int_equal(vm_load(&prog, p.code, p.n, 0, 0, pool, 8, &used,
			     &err),
	    0);
	assert_int_equal(pool[0].block_cost, 2); /* lddw, call */
	assert_true(pool[0].imm == 0xAABBCCDD00112233ull);
	assert_int_equal(pool[2].op, VM_OP_CALL_LOCAL);
	assert_int_equal(pool[2].imm, 4);
	assert_int_equal(pool[3].block_cost, 1);
	assert_int_equal(pool[4].block_cost, 1);
}

static void
test_load_errors(void **state)
{
	struct vm_insn pool[4];
	struct vm_prog prog;
	struct vm_verify_error err;
	uint32_t used = 0;

	(void)state;
	for (int i = 0; i < 4; i++)
		mov(0, i);
	ret();
	assert_int_equal(vm_load(&prog, p.code, p.n, 0, 0, pool, 4, &used,
			     &err),
	    -CELL_E_NOSPACE);
	p.code[4 * 8] = 0xdb;
	assert_int_equal(vm_load(&prog, p.code, p.n, 0, 0, pool, 4, &used,
			     &err),
	    -CELL_E_RANGE);
	assert_int_equal(err.reject, VM_REJECT_OPCODE);
	assert_int_equal(err.insn, 4);
	/* No error struct is fine too. */
	assert_int_equal(vm_verify(p.code, p.n, 0, 0, NULL), -CELL_E_RANGE);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(vm_reject_name(VM_REJECT_OPCODE), "opcode");
	assert_string_equal(vm_reject_name(VM_REJECT_STACK), "stack");
	for (int r = VM_REJECT_NONE; r <= VM_REJECT_STACK; r++)
		assert_string_not_equal(vm_reject_name((enum vm_reject)r),
		    "unknown");
	assert_string_equal(vm_fault_name(VM_FAULT_LOAD), "load");
	assert_string_equal(vm_fault_name(VM_FAULT_DEPTH), "depth");
	for (int f = VM_FAULT_NONE; f <= VM_FAULT_DEPTH; f++)
		assert_string_not_equal(vm_fault_name((enum vm_fault)f),
		    "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reject_length, setup),
		cmocka_unit_test_setup(test_reject_entry, setup),
		cmocka_unit_test_setup(test_reject_fallthrough, setup),
		cmocka_unit_test_setup(test_reject_opcode, setup),
		cmocka_unit_test_setup(test_reject_reserved, setup),
		cmocka_unit_test_setup(test_reject_register, setup),
		cmocka_unit_test_setup(test_reject_r10_write, setup),
		cmocka_unit_test_setup(test_reject_lddw, setup),
		cmocka_unit_test_setup(test_reject_jump, setup),
		cmocka_unit_test_setup(test_reject_helper, setup),
		cmocka_unit_test_setup(test_reject_call, setup),
		cmocka_unit_test_setup(test_reject_stack, setup),
		cmocka_unit_test_setup(test_accept_edges, setup),
		cmocka_unit_test_setup(test_load_blocks, setup),
		cmocka_unit_test_setup(test_load_errors, setup),
		cmocka_unit_test_setup(test_names, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
