/*
 * The gene VM interpreter against hand-assembled programs whose results are
 * worked out by hand from RFC 9669 (in the comments), and against a second,
 * deliberately plain evaluator of raw RFC 9669 bytes written here (ref_run),
 * compared over many pseudo-random verifier-accepted programs.
 *
 * tests/CMakeLists.txt builds this file a second time, as
 * test_vm_interp_switch, with the interpreter built for the switch
 * dispatch, so every test runs against both.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "bpf_asm.h"
#include "bpf_ref.h"
#include "vm.h"

/* ---- a tiny assembler (RFC 9669 section 3 encoding) ---- */

enum {
	C_LD = 0,
	C_LDX = 1,
	C_ST = 2,
	C_STX = 3,
	C_ALU = 4,
	C_JMP = 5,
	C_JMP32 = 6,
	C_ALU64 = 7
};
enum { S_K = 0x00, S_X = 0x08 };
enum {
	A_ADD = 0x00,
	A_SUB = 0x10,
	A_MUL = 0x20,
	A_DIV = 0x30,
	A_OR = 0x40,
	A_AND = 0x50,
	A_LSH = 0x60,
	A_RSH = 0x70,
	A_NEG = 0x80,
	A_MOD = 0x90,
	A_XOR = 0xa0,
	A_MOV = 0xb0,
	A_ARSH = 0xc0,
	A_END = 0xd0
};
enum {
	J_JA = 0x00,
	J_JEQ = 0x10,
	J_JGT = 0x20,
	J_JGE = 0x30,
	J_JSET = 0x40,
	J_JNE = 0x50,
	J_JSGT = 0x60,
	J_JSGE = 0x70,
	J_CALL = 0x80,
	J_EXIT = 0x90,
	J_JLT = 0xa0,
	J_JLE = 0xb0,
	J_JSLT = 0xc0,
	J_JSLE = 0xd0
};
enum { Z_W = 0x00, Z_H = 0x08, Z_B = 0x10, Z_DW = 0x18 };
enum { M_MEM = 0x60, M_MEMSX = 0x80 };

#define EXIT_OP (J_EXIT | C_JMP)
#define CALL_OP (J_CALL | C_JMP)

static void
emit_exit(struct bpf_asm *p)
{
	asm_emit(p, EXIT_OP, 0, 0, 0, 0);
}

static uint64_t
le64(const uint8_t *b)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

/* ---- the machine every test runs on ---- */

static uint8_t ctx_mem[32];
static uint8_t state_mem[VM_STATE_SIZE];
static uint8_t stack_mem[VM_STACK_SIZE];
static uint8_t rodata_mem[64];
static uint8_t heap_mem[64];
static struct vm_insn pool[VM_INSNS_MAX];
static struct vm_helper_table table;
static unsigned helper_calls;
static struct vm_prog loaded;

static void
machine(struct vm_machine *m, uint64_t gas)
{
	memset(m, 0, sizeof *m);
	m->region[VM_REGION_CTX] =
	    (struct vm_region){ ctx_mem, sizeof ctx_mem, 0 };
	m->region[VM_REGION_STATE] =
	    (struct vm_region){ state_mem, sizeof state_mem, 1 };
	m->region[VM_REGION_STACK] =
	    (struct vm_region){ stack_mem, sizeof stack_mem, 1 };
	m->region[VM_REGION_RODATA] =
	    (struct vm_region){ rodata_mem, sizeof rodata_mem, 0 };
	m->region[VM_REGION_HEAP] =
	    (struct vm_region){ heap_mem, sizeof heap_mem, 1 };
	m->helpers = &table;
	m->gas = gas;
}

static void
assert_stack_zero(void)
{
	for (size_t i = 0; i < sizeof stack_mem; i++)
		if (stack_mem[i] != 0)
			fail_msg("stack byte %zu is 0x%02x after the run", i,
			    stack_mem[i]);
}

static void
load(const struct bpf_asm *p, uint32_t entry, uint32_t helpers)
{
	struct vm_verify_error err;
	uint32_t used = 0;
	int rc;

	rc = vm_load(&loaded, p->code, p->n, entry, helpers, pool, VM_INSNS_MAX,
	    &used, &err);
	if (rc != 0)
		fail_msg("refused at slot %u: %s", err.insn, err.reason);
	assert_int_equal(used, p->n);
}

/* Run the loaded program; the stack is zero afterwards, always. */
static void
run_loaded(struct vm_machine *m, struct vm_result *res)
{
	uint64_t gas = m->gas;

	vm_run(&loaded, m, VM_CTX_BASE, VM_STATE_BASE, res);
	assert_true(res->gas_used <= gas);
	assert_true(m->gas == gas - res->gas_used);
	assert_stack_zero();
}

static void
run(const struct bpf_asm *p, uint32_t entry, uint32_t helpers, uint64_t gas,
    struct vm_result *res)
{
	struct vm_machine m;

	load(p, entry, helpers);
	machine(&m, gas);
	run_loaded(&m, res);
}

static uint64_t
run_r0(const struct bpf_asm *p)
{
	struct vm_result res;

	run(p, 0, 0, 1000, &res);
	assert_int_equal(res.exit, VM_EXIT_DONE);
	return res.r0;
}

static void
reset_memory(void)
{
	memset(ctx_mem, 0, sizeof ctx_mem);
	memset(state_mem, 0, sizeof state_mem);
	memset(stack_mem, 0, sizeof stack_mem);
	memset(rodata_mem, 0, sizeof rodata_mem);
	memset(heap_mem, 0, sizeof heap_mem);
	memset(&table, 0, sizeof table);
	helper_calls = 0;
}

static int
setup(void **state)
{
	(void)state;
	reset_memory();
	return 0;
}

/* ---- ALU and ALU64 ---- */

/*
 * r0 = a; (X forms: r1 = b); op r0, r1 or imm; exit. Expected values by
 * hand from RFC 9669 section 4.1 (and 4.2 for END, whose width is imm).
 */
struct alu_case {
	uint8_t op;
	int16_t off;
	uint64_t a, b;
	int32_t imm;
	uint64_t want;
};

#define NEG64(x) ((uint64_t)0 - (uint64_t)(x))

static const struct alu_case alu64_cases[] = {
	/* 2^64-1 + 2 wraps to 1 */
	{ A_ADD | S_X | C_ALU64, 0, UINT64_MAX, 2, 0, 1 },
	{ A_ADD | S_K | C_ALU64, 0, 10, 0, -3, 7 },
	{ A_SUB | S_X | C_ALU64, 0, 3, 5, 0, 0xFFFFFFFFFFFFFFFEull },
	/* 0 - (s64)INT32_MIN = 2^31 */
	{ A_SUB | S_K | C_ALU64, 0, 0, 0, INT32_MIN, 0x80000000ull },
	/* 2^32 * 2^32 = 2^64 = 0 */
	{ A_MUL | S_X | C_ALU64, 0, 1ull << 32, 1ull << 32, 0, 0 },
	/* 2^32 * (2^64 - 1) = -2^32 */
	{ A_MUL | S_K | C_ALU64, 0, 1ull << 32, 0, -1, 0xFFFFFFFF00000000ull },
	{ A_DIV | S_X | C_ALU64, 0, 100, 7, 0, 14 },
	{ A_DIV | S_X | C_ALU64, 0, 42, 0, 0, 0 }, /* x / 0 = 0 */
	/* imm -1 is 2^64-1 unsigned */
	{ A_DIV | S_K | C_ALU64, 0, UINT64_MAX, 0, -1, 1 },
	{ A_DIV | S_K | C_ALU64, 0, 100, 0, -1, 0 },
	{ A_DIV | S_K | C_ALU64, 0, 42, 0, 0, 0 },
	/* sdiv: -7 / 2 = -3 (truncated) */
	{ A_DIV | S_X | C_ALU64, 1, NEG64(7), 2, 0, NEG64(3) },
	/* LLONG_MIN / -1 wraps to LLONG_MIN */
	{ A_DIV | S_X | C_ALU64, 1, 1ull << 63, UINT64_MAX, 0, 1ull << 63 },
	{ A_DIV | S_X | C_ALU64, 1, 5, 0, 0, 0 },
	/* -100 / 7 = -14, 100 / -7 = -14 */
	{ A_DIV | S_K | C_ALU64, 1, NEG64(100), 0, 7, NEG64(14) },
	{ A_DIV | S_K | C_ALU64, 1, 100, 0, -7, NEG64(14) },
	{ A_MOD | S_X | C_ALU64, 0, 100, 7, 0, 2 },
	/* x % 0 = x, all 64 bits */
	{ A_MOD | S_X | C_ALU64, 0, 0x123456789ull, 0, 0, 0x123456789ull },
	{ A_MOD | S_K | C_ALU64, 0, 5, 0, -1, 5 },
	{ A_MOD | S_K | C_ALU64, 0, UINT64_MAX, 0, 0, UINT64_MAX },
	/* smod truncates: -13 % 3 = -1, 13 % -3 = 1 */
	{ A_MOD | S_X | C_ALU64, 1, NEG64(13), 3, 0, UINT64_MAX },
	{ A_MOD | S_X | C_ALU64, 1, 13, NEG64(3), 0, 1 },
	{ A_MOD | S_X | C_ALU64, 1, 1ull << 63, UINT64_MAX, 0, 0 },
	{ A_MOD | S_X | C_ALU64, 1, NEG64(5), 0, 0, NEG64(5) },
	{ A_MOD | S_K | C_ALU64, 1, NEG64(7), 0, 2, UINT64_MAX },
	{ A_MOD | S_K | C_ALU64, 1, 7, 0, -2, 1 },
	{ A_OR | S_X | C_ALU64, 0, 0xF0F0, 0x0F0F, 0, 0xFFFF },
	{ A_OR | S_K | C_ALU64, 0, 0, 0, -2, 0xFFFFFFFFFFFFFFFEull },
	{ A_AND | S_X | C_ALU64, 0, 0xFF00FF00FF00FF00ull,
	    0x0FF00FF00FF00FF0ull, 0, 0x0F000F000F000F00ull },
	/* imm -256 is 0xFF..FF00 */
	{ A_AND | S_K | C_ALU64, 0, 0x12345, 0, -256, 0x12300 },
	/* shift counts are masked to 6 bits: 65 -> 1, 64 -> 0, 127 -> 63 */
	{ A_LSH | S_X | C_ALU64, 0, 3, 65, 0, 6 },
	{ A_LSH | S_K | C_ALU64, 0, 1, 0, 63, 1ull << 63 },
	{ A_RSH | S_X | C_ALU64, 0, 1ull << 63, 64, 0, 1ull << 63 },
	{ A_RSH | S_K | C_ALU64, 0, 0x80, 0, 4, 8 },
	{ A_RSH | S_X | C_ALU64, 0, UINT64_MAX, 127, 0, 1 },
	{ A_NEG | S_K | C_ALU64, 0, 5, 0, 0, NEG64(5) },
	{ A_NEG | S_K | C_ALU64, 0, 0, 0, 0, 0 },
	{ A_XOR | S_X | C_ALU64, 0, 0xFF, 0x0F, 0, 0xF0 },
	{ A_XOR | S_K | C_ALU64, 0, 0, 0, -1, UINT64_MAX },
	/* mov imm sign-extends */
	{ A_MOV | S_K | C_ALU64, 0, 7, 0, -1, UINT64_MAX },
	{ A_MOV | S_K | C_ALU64, 0, 7, 0, INT32_MIN, 0xFFFFFFFF80000000ull },
	{ A_MOV | S_X | C_ALU64, 0, 7, 0x123456789ABCDEF0ull, 0,
	    0x123456789ABCDEF0ull },
	/* movsx: the low 8/16/32 bits sign-extended */
	{ A_MOV | S_X | C_ALU64, 8, 7, 0x80, 0, 0xFFFFFFFFFFFFFF80ull },
	{ A_MOV | S_X | C_ALU64, 8, 7, 0x17F, 0, 0x7F },
	{ A_MOV | S_X | C_ALU64, 16, 7, 0x8000, 0, 0xFFFFFFFFFFFF8000ull },
	{ A_MOV | S_X | C_ALU64, 16, 7, 0x12347FFF, 0, 0x7FFF },
	{ A_MOV | S_X | C_ALU64, 32, 7, 0x80000000, 0, 0xFFFFFFFF80000000ull },
	{ A_MOV | S_X | C_ALU64, 32, 7, 0xFFFFFFFF7FFFFFFFull, 0, 0x7FFFFFFF },
	/* arsh copies the sign bit */
	{ A_ARSH | S_X | C_ALU64, 0, 1ull << 63, 4, 0, 0xF800000000000000ull },
	{ A_ARSH | S_K | C_ALU64, 0, NEG64(2), 0, 63, UINT64_MAX },
	{ A_ARSH | S_K | C_ALU64, 0, 1ull << 62, 0, 62, 1 },
	{ A_ARSH | S_X | C_ALU64, 0, NEG64(2), 127, 0, UINT64_MAX },
};

static const struct alu_case alu32_cases[] = {
	/* low halves: 1 + 0xFFFFFFFF = 2^32 -> 0; the upper half is dropped */
	{ A_ADD | S_X | C_ALU, 0, 0xFFFFFFFF00000001ull, 0xFFFFFFFF, 0, 0 },
	{ A_ADD | S_K | C_ALU, 0, 0x100000005ull, 0, -1, 4 },
	{ A_SUB | S_X | C_ALU, 0, 3, 5, 0, 0xFFFFFFFE },
	{ A_SUB | S_K | C_ALU, 0, 0xAAAAAAAA00000010ull, 0, 0x10, 0 },
	{ A_MUL | S_X | C_ALU, 0, 0x10000, 0x10000, 0, 0 },
	{ A_MUL | S_K | C_ALU, 0, 0x7FFFFFFF, 0, 2, 0xFFFFFFFE },
	{ A_MUL | S_K | C_ALU, 0, 3, 0, -1, 0xFFFFFFFD },
	/* the divisor's upper half is ignored: 7, then 0 (x / 0 = 0) */
	{ A_DIV | S_X | C_ALU, 0, 100, 0x100000007ull, 0, 14 },
	{ A_DIV | S_X | C_ALU, 0, 100, 0x100000000ull, 0, 0 },
	/* imm is a u32: -1 is 0xFFFFFFFF */
	{ A_DIV | S_K | C_ALU, 0, 0xFFFFFFFF, 0, -1, 1 },
	{ A_DIV | S_K | C_ALU, 0, 100, 0, -1, 0 },
	{ A_DIV | S_K | C_ALU, 0, 0x100000064ull, 0, 10, 10 },
	/* INT_MIN s/ -1 = INT_MIN; -7 s/ 2 = -3; x s/ 0 = 0 */
	{ A_DIV | S_X | C_ALU, 1, 0x80000000, 0xFFFFFFFF, 0, 0x80000000 },
	{ A_DIV | S_X | C_ALU, 1, 0xFFFFFFF9, 2, 0, 0xFFFFFFFD },
	{ A_DIV | S_X | C_ALU, 1, 0xFFFFFFF9, 0, 0, 0 },
	{ A_DIV | S_K | C_ALU, 1, 0xFFFFFF9C, 0, 7, 0xFFFFFFF2 },
	{ A_DIV | S_K | C_ALU, 1, 0x80000000, 0, -1, 0x80000000 },
	{ A_MOD | S_X | C_ALU, 0, 0x100000064ull, 7, 0, 2 },
	/* x % 0 keeps the low half and zeroes the upper half */
	{ A_MOD | S_X | C_ALU, 0, 0xFFFFFFFF12345678ull, 0, 0, 0x12345678 },
	{ A_MOD | S_X | C_ALU, 0, 0xFFFFFFFF12345678ull, 0x100000000ull, 0,
	    0x12345678 },
	{ A_MOD | S_K | C_ALU, 0, 0xFFFFFFFF12345678ull, 0, 0, 0x12345678 },
	{ A_MOD | S_K | C_ALU, 0, 10, 0, -1, 10 },
	/* INT_MIN s% -1 = 0; -13 s% 3 = -1; x s% 0 = (u32)x */
	{ A_MOD | S_X | C_ALU, 1, 0x80000000, 0xFFFFFFFF, 0, 0 },
	{ A_MOD | S_X | C_ALU, 1, 0xFFFFFFF3, 3, 0, 0xFFFFFFFF },
	{ A_MOD | S_X | C_ALU, 1, 0xAAAAAAAAFFFFFFF6ull, 0, 0, 0xFFFFFFF6 },
	{ A_MOD | S_K | C_ALU, 1, 13, 0, -3, 1 },
	{ A_MOD | S_K | C_ALU, 1, 0xFFFFFFF3, 0, -3, 0xFFFFFFFF },
	{ A_OR | S_K | C_ALU, 0, 0xFFFFFFFF00000000ull, 0, 0xF, 0xF },
	{ A_AND | S_X | C_ALU, 0, UINT64_MAX, 0xFFFF0000, 0, 0xFFFF0000 },
	{ A_XOR | S_K | C_ALU, 0, 0xFFFFFFFF00000000ull, 0, 0xFF, 0xFF },
	/* counts masked to 5 bits: 33 -> 1, 63 -> 31 */
	{ A_LSH | S_X | C_ALU, 0, 0x80000001, 33, 0, 2 },
	{ A_LSH | S_K | C_ALU, 0, 1, 0, 31, 0x80000000 },
	{ A_RSH | S_X | C_ALU, 0, 0xFFFFFFFF80000000ull, 31, 0, 1 },
	{ A_RSH | S_K | C_ALU, 0, 0x100000000ull, 0, 1, 0 },
	{ A_ARSH | S_X | C_ALU, 0, 0x80000000, 4, 0, 0xF8000000 },
	{ A_ARSH | S_X | C_ALU, 0, 0x17FFFFFFFull, 1, 0, 0x3FFFFFFF },
	{ A_ARSH | S_X | C_ALU, 0, 0x80000000, 63, 0, 0xFFFFFFFF },
	{ A_ARSH | S_K | C_ALU, 0, 0xFFFFFFF0, 0, 2, 0xFFFFFFFC },
	{ A_NEG | S_K | C_ALU, 0, 1, 0, 0, 0xFFFFFFFF },
	{ A_NEG | S_K | C_ALU, 0, 0x100000000ull, 0, 0, 0 },
	{ A_MOV | S_K | C_ALU, 0, 7, 0, -1, 0xFFFFFFFF },
	{ A_MOV | S_X | C_ALU, 0, 7, 0x123456789ABCDEF0ull, 0, 0x9ABCDEF0 },
	{ A_MOV | S_X | C_ALU, 8, 7, 0x80, 0, 0xFFFFFF80 },
	{ A_MOV | S_X | C_ALU, 8, 7, 0x1234567F, 0, 0x7F },
	{ A_MOV | S_X | C_ALU, 16, 7, 0x8000, 0, 0xFFFF8000 },
};

/* END: the VM is little-endian, so TO_LE truncates, TO_BE/bswap swaps. */
static const struct alu_case end_cases[] = {
	{ A_END | S_K | C_ALU, 0, 0x1122334455667788ull, 0, 16, 0x7788 },
	{ A_END | S_K | C_ALU, 0, 0x1122334455667788ull, 0, 32, 0x55667788 },
	{ A_END | S_K | C_ALU, 0, 0x1122334455667788ull, 0, 64,
	    0x1122334455667788ull },
	{ A_END | S_X | C_ALU, 0, 0x1122334455667788ull, 0, 16, 0x8877 },
	{ A_END | S_X | C_ALU, 0, 0x1122334455667788ull, 0, 32, 0x88776655 },
	{ A_END | S_X | C_ALU, 0, 0x1122334455667788ull, 0, 64,
	    0x8877665544332211ull },
	{ A_END | S_K | C_ALU64, 0, 0x1122334455667788ull, 0, 16, 0x8877 },
	{ A_END | S_K | C_ALU64, 0, 0x1122334455667788ull, 0, 32, 0x88776655 },
	{ A_END | S_K | C_ALU64, 0, 0x1122334455667788ull, 0, 64,
	    0x8877665544332211ull },
};

static void
run_alu_cases(const struct alu_case *c, size_t count)
{
	struct bpf_asm p;

	for (size_t i = 0; i < count; i++) {
		int end = (c[i].op & 0xf0) == A_END, x = c[i].op & S_X;

		p.n = 0;
		asm_lddw(&p, 0, c[i].a);
		if (x && !end)
			asm_lddw(&p, 1, c[i].b);
		asm_emit(&p, c[i].op, 0, x && !end ? 1 : 0, c[i].off,
		    x && !end ? 0 : c[i].imm);
		emit_exit(&p);
		if (run_r0(&p) != c[i].want)
			fail_msg("case %zu (op 0x%02x off %d): got 0x%llx,"
				 " want 0x%llx",
			    i, c[i].op, c[i].off,
			    (unsigned long long)run_r0(&p),
			    (unsigned long long)c[i].want);
	}
}

static void
test_alu64(void **state)
{
	(void)state;
	run_alu_cases(alu64_cases, sizeof alu64_cases / sizeof alu64_cases[0]);
}

static void
test_alu32(void **state)
{
	(void)state;
	run_alu_cases(alu32_cases, sizeof alu32_cases / sizeof alu32_cases[0]);
}

static void
test_byte_swap(void **state)
{
	(void)state;
	run_alu_cases(end_cases, sizeof end_cases / sizeof end_cases[0]);
}

/* An ALU op with dst != r0 and src == dst: r3 = 6; r3 *= r3; r0 = r3. */
static void
test_alu_same_register(void **state)
{
	struct bpf_asm p = { .n = 0 };

	(void)state;
	asm_emit(&p, A_MOV | S_K | C_ALU64, 3, 0, 0, 6);
	asm_emit(&p, A_MUL | S_X | C_ALU64, 3, 3, 0, 0);
	asm_emit(&p, A_MOV | S_X | C_ALU64, 0, 3, 0, 0);
	emit_exit(&p);
	assert_int_equal(run_r0(&p), 36);
}

/* ---- jumps ---- */

/*
 * r1 = a; r2 = b (sign-extended imm); r0 = 0; jcc r1, r2/imm, +2;
 * r0 = 2 (not taken); exit; r0 = 1 (taken); exit. taken64 and taken32 are
 * the hand-worked outcomes for JMP (64-bit) and JMP32 (low halves).
 */
struct jmp_case {
	uint8_t code;
	uint64_t a;
	int32_t b;
	int taken64, taken32;
};

static const struct jmp_case jmp_cases[] = {
	{ J_JEQ, 5, 5, 1, 1 },
	{ J_JEQ, 0x100000005ull, 5, 0, 1 },
	{ J_JEQ, UINT64_MAX, -1, 1, 1 }, /* imm sign-extends */
	{ J_JEQ, 0xFFFFFFFF, -1, 0, 1 },
	{ J_JEQ, 6, 5, 0, 0 },
	{ J_JGT, 0x100000000ull, 1, 1, 0 }, /* 2^32 > 1; 0 > 1 no */
	{ J_JGT, 2, 1, 1, 1 },
	{ J_JGT, 1, -1, 0, 0 }, /* unsigned: -1 is max */
	{ J_JGE, 2, 2, 1, 1 },
	{ J_JGE, 1, 2, 0, 0 },
	{ J_JGE, 0x100000001ull, 2, 1, 0 },
	{ J_JSET, 6, 2, 1, 1 },
	{ J_JSET, 4, 3, 0, 0 },
	{ J_JSET, 0x100000000ull, -1, 1, 0 },
	{ J_JNE, 1, 2, 1, 1 },
	{ J_JNE, 3, 3, 0, 0 },
	{ J_JNE, 0x100000003ull, 3, 1, 0 },
	{ J_JSGT, 1, -1, 1, 1 },
	{ J_JSGT, UINT64_MAX, 1, 0, 0 }, /* -1 > 1 no */
	{ J_JSGT, 0x80000000, 0, 1, 0 }, /* 2^31 > 0; INT_MIN > 0 no */
	{ J_JSGE, UINT64_MAX, -1, 1, 1 },
	{ J_JSGE, NEG64(2), -1, 0, 0 },
	{ J_JSGE, 0xFFFFFFFE, -1, 1, 0 }, /* 32 bits: -2 >= -1 no */
	{ J_JLT, 1, -1, 1, 1 },
	{ J_JLT, 2, 1, 0, 0 },
	{ J_JLT, 0x100000000ull, 1, 0, 1 },
	{ J_JLE, 2, 2, 1, 1 },
	{ J_JLE, 3, 2, 0, 0 },
	{ J_JLE, 0x100000002ull, 2, 0, 1 },
	{ J_JSLT, UINT64_MAX, 0, 1, 1 },
	{ J_JSLT, 0, -1, 0, 0 },
	{ J_JSLT, 0x80000000, 0, 0, 1 },
	{ J_JSLE, NEG64(5), -5, 1, 1 },
	{ J_JSLE, 0, -1, 0, 0 },
	{ J_JSLE, 0xFFFFFFFF, 0, 0, 1 },
};

static void
test_conditional_jumps(void **state)
{
	static const uint8_t classes[2] = { C_JMP, C_JMP32 };
	struct bpf_asm p;
	int seen[16][2] = { { 0 } };

	(void)state;
	for (size_t i = 0; i < sizeof jmp_cases / sizeof jmp_cases[0]; i++) {
		const struct jmp_case *c = &jmp_cases[i];

		for (int w = 0; w < 2; w++) {
			for (int x = 0; x < 2; x++) {
				int want = w == 0 ? c->taken64 : c->taken32;
				uint64_t r0;

				p.n = 0;
				asm_lddw(&p, 1, c->a);
				asm_lddw(&p, 2, (uint64_t)(int64_t)c->b);
				asm_emit(&p, A_MOV | S_K | C_ALU64, 0, 0, 0, 0);
				asm_emit(&p,
				    c->code | (x ? S_X : S_K) | classes[w], 1,
				    x ? 2 : 0, 2, x ? 0 : c->b);
				asm_emit(&p, A_MOV | S_K | C_ALU64, 0, 0, 0, 2);
				emit_exit(&p);
				asm_emit(&p, A_MOV | S_K | C_ALU64, 0, 0, 0, 1);
				emit_exit(&p);
				r0 = run_r0(&p);
				if (r0 != (want ? 1u : 2u))
					fail_msg("case %zu %s %s: %s", i,
					    w ? "jmp32" : "jmp", x ? "X" : "K",
					    r0 == 1 ? "taken" : "not taken");
				seen[c->code >> 4][want]++;
			}
		}
	}
	/* Every condition was seen both taken and not. */
	for (unsigned code = 1; code <= 0xd; code++) {
		if (code == 8 || code == 9)
			continue;
		assert_true(seen[code][0] > 0 && seen[code][1] > 0);
	}
}

/* r0 = 7; ja +1; r0 = 1; gotol +1 (JMP32 JA, imm); r0 = 2; exit -> 7. */
static void
test_ja_and_gotol(void **state)
{
	struct bpf_asm p = { .n = 0 };

	(void)state;
	asm_emit(&p, A_MOV | S_K | C_ALU64, 0, 0, 0, 7);
	asm_emit(&p, J_JA | C_JMP, 0, 0, 1, 0);
	asm_emit(&p, A_MOV | S_K | C_ALU64, 0, 0, 0, 1);
	asm_emit(&p, J_JA | C_JMP32, 0, 0, 0, 1);
	asm_emit(&p, A_MOV | S_K | C_ALU64, 0, 0, 0, 2);
	emit_exit(&p);
	assert_int_equal(run_r0(&p), 7);
}

/*
 * Sum 10 + 9 + ... + 1 = 55 with a backward jump. Blocks: [0,1] (2),
 * [2..4] (3, run 10 times), [5] (1): 2 + 30 + 1 = 33 gas.
 */
static void
test_loop_and_gas(void **state)
{
	struct bpf_asm p = { .n = 0 };
	struct vm_result res;

	(void)state;
	asm_emit(&p, A_MOV | S_K | C_ALU64, 0, 0, 0, 0);
	asm_emit(&p, A_MOV | S_K | C_ALU64, 1, 0, 0, 10);
	asm_emit(&p, A_ADD | S_X | C_ALU64, 0, 1, 0, 0);
	asm_emit(&p, A_SUB | S_K | C_ALU64, 1, 0, 0, 1);
	asm_emit(&p, J_JNE | S_K | C_JMP, 1, 0, -3, 0);
	emit_exit(&p);
	run(&p, 0, 0, 1000, &res);
	assert_int_equal(res.exit, VM_EXIT_DONE);
	assert_int_equal(res.r0, 55);
	assert_int_equal(res.gas_used, 33);
	assert_int_equal(res.insns, 33);
}

/* ---- lddw ---- */

static void
test_lddw(void **state)
{
	struct bpf_asm p = { .n = 0 };

	(void)state;
	asm_lddw(&p, 3, 0xFFFFFFFF00000000ull);
	asm_lddw(&p, 0, 0x1122334455667788ull);
	asm_emit(&p, A_XOR | S_X | C_ALU64, 0, 3, 0, 0);
	emit_exit(&p);
	/* 0x1122334455667788 ^ 0xFFFFFFFF00000000 */
	assert_true(run_r0(&p) == 0xEEDDCCBB55667788ull);
}

/* ---- loads and stores ---- */

static void
test_stores_all_sizes(void **state)
{
	static const uint8_t want[40] = { /* 0: stdw imm -2, sign-extended */
		0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
		/* 8: stw 0x11223344, 12: sth 0x5566, 14: stb 0x77 */
		0x44, 0x33, 0x22, 0x11, 0x66, 0x55, 0x77, 0x00,
		/* 16: stxdw 0x0102030405060708 */
		0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,
		/* 24: -, 25: stxw 0xA1B2C3D4 (unaligned), 29: -,
		 * 30: stxh 0xE5F6, 32: stxb 0x99 */
		0x00, 0xD4, 0xC3, 0xB2, 0xA1, 0x00, 0xF6, 0xE5, 0x99, 0, 0, 0,
		0, 0, 0, 0
	};
	struct bpf_asm p = { .n = 0 };

	(void)state;
	asm_emit(&p, M_MEM | Z_DW | C_ST, 2, 0, 0, -2);
	asm_emit(&p, M_MEM | Z_W | C_ST, 2, 0, 8, 0x11223344);
	asm_emit(&p, M_MEM | Z_H | C_ST, 2, 0, 12, 0x5566);
	asm_emit(&p, M_MEM | Z_B | C_ST, 2, 0, 14, 0x77);
	asm_lddw(&p, 3, 0x0102030405060708ull);
	asm_emit(&p, M_MEM | Z_DW | C_STX, 2, 3, 16, 0);
	asm_emit(&p, A_MOV | S_K | C_ALU, 4, 0, 0, (int32_t)0xA1B2C3D4);
	asm_emit(&p, M_MEM | Z_W | C_STX, 2, 4, 25, 0);
	asm_emit(&p, A_MOV | S_K | C_ALU64, 4, 0, 0, 0xE5F6);
	asm_emit(&p, M_MEM | Z_H | C_STX, 2, 4, 30, 0);
	asm_emit(&p, A_MOV | S_K | C_ALU64, 4, 0, 0, 0x1299);
	asm_emit(&p, M_MEM | Z_B | C_STX, 2, 4, 32, 0);
	asm_emit(&p, A_MOV | S_K | C_ALU64, 0, 0, 0, 0);
	emit_exit(&p);
	run_r0(&p);
	assert_memory_equal(state_mem, want, sizeof want);
}

/* A load of each size and sign: r0 = r1 op loaded, from state. */
static void
test_loads_all_sizes(void **state)
{
	static const struct {
		uint8_t op;
		int16_t off;
		uint64_t want;
	} cases[] = {
		{ M_MEM | Z_DW | C_LDX, 0, 0x8877665544332211ull },
		{ M_MEM | Z_W | C_LDX, 1, 0x55443322 }, /* unaligned */
		{ M_MEM | Z_H | C_LDX, 6, 0x8877 },
		{ M_MEM | Z_B | C_LDX, 7, 0x88 },
		{ M_MEMSX | Z_B | C_LDX, 7, 0xFFFFFFFFFFFFFF88ull },
		{ M_MEMSX | Z_B | C_LDX, 8, 0x7F },
		{ M_MEMSX | Z_H | C_LDX, 9, 0xFFFFFFFFFFFF8000ull },
		{ M_MEMSX | Z_H | C_LDX, 11, 0x7FFF },
		{ M_MEMSX | Z_W | C_LDX, 13, 0xFFFFFFFF80000000ull },
		{ M_MEMSX | Z_W | C_LDX, 17, 0x7FFFFFFF },
	};
	static const uint8_t mem[21] = {
		0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, /* 0 */
		0x7F,                                           /* 8 */
		0x00, 0x80,                                     /* 9 */
		0xFF, 0x7F,                                     /* 11 */
		0x00, 0x00, 0x00, 0x80,                         /* 13 */
		0xFF, 0xFF, 0xFF, 0x7F                          /* 17 */
	};
	struct bpf_asm p;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memcpy(state_mem, mem, sizeof mem);
		p.n = 0;
		asm_lddw(&p, 0, 0xDEADBEEFDEADBEEFull); /* overwritten */
		asm_emit(&p, cases[i].op, 0, 2, cases[i].off, 0);
		emit_exit(&p);
		if (run_r0(&p) != cases[i].want)
			fail_msg("load case %zu", i);
	}
}

/* The ctx and rodata regions are readable; rodata through an lddw base. */
static void
test_read_only_regions_load(void **state)
{
	struct bpf_asm p = { .n = 0 };

	(void)state;
	ctx_mem[4] = 0x21;
	ctx_mem[5] = 0x43;
	rodata_mem[60] = 0x05;
	asm_emit(&p, M_MEM | Z_H | C_LDX, 0, 1, 4, 0); /* r0 = 0x4321 */
	asm_lddw(&p, 3, VM_RODATA_BASE);
	asm_emit(&p, M_MEM | Z_W | C_LDX, 4, 3, 60, 0); /* r4 = 5 */
	asm_emit(&p, A_ADD | S_X | C_ALU64, 0, 4, 0, 0);
	emit_exit(&p);
	assert_int_equal(run_r0(&p), 0x4326);
}

/* A stack round trip; the stack is zero again afterwards (run checks). */
static void
test_stack_round_trip_and_cleared(void **state)
{
	struct bpf_asm p = { .n = 0 };

	(void)state;
	asm_lddw(&p, 3, 0xCAFEF00D12345678ull);
	asm_emit(&p, M_MEM | Z_DW | C_STX, 10, 3, -8, 0);
	asm_emit(&p, M_MEM | Z_B | C_ST, 10, 0, -512, 0x5A);
	asm_emit(&p, M_MEM | Z_DW | C_LDX, 0, 10, -8, 0);
	asm_emit(&p, M_MEM | Z_B | C_LDX, 4, 10, -512, 0);
	asm_emit(&p, A_ADD | S_X | C_ALU64, 0, 4, 0, 0);
	emit_exit(&p);
	assert_true(run_r0(&p) == 0xCAFEF00D12345678ull + 0x5A);
}

/* ---- faults ---- */

static void
expect_fault(const struct bpf_asm *p, enum vm_fault f, uint32_t pc,
    uint64_t addr)
{
	struct vm_result res;

	run(p, 0, 0, 1000, &res);
	assert_int_equal(res.exit, VM_EXIT_FAULT);
	assert_int_equal(res.fault, f);
	assert_int_equal(res.fault_pc, pc);
	assert_true(res.fault_addr == addr);
}

/* ctx is 32 bytes: a 4-byte load at 30 runs past it; 28 fits. */
static void
test_fault_out_of_bounds_load(void **state)
{
	struct bpf_asm p = { .n = 0 };

	(void)state;
	asm_emit(&p, M_MEM | Z_W | C_LDX, 0, 1, 28, 0);
	asm_emit(&p, M_MEM | Z_W | C_LDX, 0, 1, 30, 0);
	emit_exit(&p);
	expect_fault(&p, VM_FAULT_LOAD, 1, VM_CTX_BASE + 30);
}

static void
test_fault_store_read_only(void **state)
{
	struct bpf_asm p = { .n = 0 };

	(void)state;
	/* ctx, through r1 */
	asm_emit(&p, M_MEM | Z_B | C_ST, 1, 0, 0, 1);
	emit_exit(&p);
	expect_fault(&p, VM_FAULT_STORE, 0, VM_CTX_BASE);
	assert_int_equal(ctx_mem[0], 0);

	/* rodata, through an lddw base */
	p.n = 0;
	asm_lddw(&p, 3, VM_RODATA_BASE + 8);
	asm_emit(&p, A_MOV | S_K | C_ALU64, 4, 0, 0, 9);
	asm_emit(&p, M_MEM | Z_DW | C_STX, 3, 4, 0, 0);
	emit_exit(&p);
	expect_fault(&p, VM_FAULT_STORE, 3, VM_RODATA_BASE + 8);
	assert_int_equal(rodata_mem[8], 0);
}

/* r10 copied to r3 escapes the static frame check; run time catches it. */
static void
test_fault_store_past_stack(void **state)
{
	struct bpf_asm p = { .n = 0 };

	(void)state;
	/* Above the top: offset 4096 of a 4096-byte region. */
	asm_emit(&p, A_MOV | S_X | C_ALU64, 3, 10, 0, 0);
	asm_emit(&p, M_MEM | Z_B | C_ST, 10, 0, -1, 1); /* dirties the stack */
	asm_emit(&p, M_MEM | Z_W | C_ST, 3, 0, 0, 1);
	emit_exit(&p);
	expect_fault(&p, VM_FAULT_STORE, 2, VM_STACK_BASE + VM_STACK_SIZE);

	/* Below the bottom: 0x2FFFFFF8 is region 2 (state) at 0x0FFFFFF8. */
	p.n = 0;
	asm_emit(&p, A_MOV | S_X | C_ALU64, 3, 10, 0, 0);
	asm_emit(&p, A_SUB | S_K | C_ALU64, 3, 0, 0, VM_STACK_SIZE + 8);
	asm_emit(&p, M_MEM | Z_DW | C_ST, 3, 0, 0, 1);
	emit_exit(&p);
	expect_fault(&p, VM_FAULT_STORE, 2, VM_STACK_BASE - 8);

	/* A straddle: the last 4 bytes of the stack plus 4 beyond. */
	p.n = 0;
	asm_emit(&p, A_MOV | S_X | C_ALU64, 3, 10, 0, 0);
	asm_emit(&p, M_MEM | Z_DW | C_STX, 3, 3, -4, 0);
	emit_exit(&p);
	expect_fault(&p, VM_FAULT_STORE, 1, VM_STACK_BASE + VM_STACK_SIZE - 4);
}

static void
test_fault_garbage_high_bits(void **state)
{
	struct bpf_asm p = { .n = 0 };

	(void)state;
	/* state's address with bit 32 set: region id 0x12 */
	asm_lddw(&p, 3, 0x100000000ull | VM_STATE_BASE);
	asm_emit(&p, M_MEM | Z_B | C_LDX, 0, 3, 0, 0);
	emit_exit(&p);
	expect_fault(&p, VM_FAULT_LOAD, 2, 0x100000000ull | VM_STATE_BASE);

	/* bit 63: also a store */
	p.n = 0;
	asm_lddw(&p, 3, 0x8000000000000000ull | VM_STATE_BASE);
	asm_emit(&p, M_MEM | Z_B | C_ST, 3, 0, 0, 1);
	emit_exit(&p);
	expect_fault(&p, VM_FAULT_STORE, 2,
	    0x8000000000000000ull | VM_STATE_BASE);

	/* region 0 (a null pointer), and an address that wraps below 0 */
	p.n = 0;
	asm_emit(&p, A_MOV | S_K | C_ALU64, 3, 0, 0, 8);
	asm_emit(&p, M_MEM | Z_B | C_LDX, 0, 3, 0, 0);
	emit_exit(&p);
	expect_fault(&p, VM_FAULT_LOAD, 1, 8);
	p.n = 0;
	asm_emit(&p, A_MOV | S_K | C_ALU64, 3, 0, 0, 0);
	asm_emit(&p, M_MEM | Z_B | C_LDX, 0, 3, -1, 0);
	emit_exit(&p);
	expect_fault(&p, VM_FAULT_LOAD, 1, UINT64_MAX);
}

static void
test_fault_absent_region(void **state)
{
	struct bpf_asm p = { .n = 0 };
	struct vm_machine m;
	struct vm_result res;

	(void)state;
	asm_lddw(&p, 3, VM_HEAP_BASE);
	asm_emit(&p, M_MEM | Z_B | C_LDX, 0, 3, 0, 0);
	emit_exit(&p);
	load(&p, 0, 0);
	machine(&m, 100);
	m.region[VM_REGION_HEAP].host = NULL;
	run_loaded(&m, &res);
	assert_int_equal(res.exit, VM_EXIT_FAULT);
	assert_int_equal(res.fault, VM_FAULT_LOAD);
	assert_int_equal(res.fault_pc, 2);
}

/* vm_mem: the same rules, for helpers. */
static void
test_vm_mem(void **state)
{
	struct vm_machine m;

	(void)state;
	machine(&m, 0);
	assert_ptr_equal(vm_mem(&m, VM_STATE_BASE, VM_STATE_SIZE, 1),
	    state_mem);
	assert_ptr_equal(vm_mem(&m, VM_STATE_BASE + 8, 0, 0), state_mem + 8);
	assert_null(vm_mem(&m, VM_STATE_BASE + 1, VM_STATE_SIZE, 0));
	assert_null(vm_mem(&m, VM_STATE_BASE, UINT64_MAX, 0)); /* no wrap */
	assert_null(vm_mem(&m, VM_CTX_BASE, 4, 1));            /* read-only */
	assert_ptr_equal(vm_mem(&m, VM_CTX_BASE + 28, 4, 0), ctx_mem + 28);
	assert_null(vm_mem(&m, 0, 1, 0)); /* region 0 */
	assert_null(vm_mem(&m, 6ull << VM_REGION_SHIFT, 1, 0));
	assert_null(vm_mem(&m, VM_STATE_BASE | 1ull << 40, 1, 0));
	m.region[VM_REGION_HEAP].host = NULL;
	assert_null(vm_mem(&m, VM_HEAP_BASE, 1, 0));
}

/* ---- local calls ---- */

/*
 * main: r6..r9 = 1..4; r1 = 10; [r10-8] = 0xAA; state[0] = r10; call f;
 *       r0 += r6 + r7 + r8 + r9 + [r10-8]; exit
 * f:    r6..r9 = 100..400; [r10-8] = 0xBB; state[8] = r10; r0 = r1 * 2;
 *       exit
 * r0 = 20 + 1 + 2 + 3 + 4 + 0xAA = 200; f's r10 is one frame lower.
 */
static void
test_local_call(void **state)
{
	struct bpf_asm p = { .n = 0 };
	uint32_t call_at, f;

	(void)state;
	for (int i = 0; i < 4; i++)
		asm_emit(&p, A_MOV | S_K | C_ALU64, (uint8_t)(6 + i), 0, 0,
		    1 + i);
	asm_emit(&p, A_MOV | S_K | C_ALU64, 1, 0, 0, 10);
	asm_emit(&p, M_MEM | Z_DW | C_ST, 10, 0, -8, 0xAA);
	asm_emit(&p, M_MEM | Z_DW | C_STX, 2, 10, 0, 0);
	call_at = p.n;
	asm_emit(&p, CALL_OP, 0, 1, 0, 0); /* imm patched below */
	for (int i = 0; i < 4; i++)
		asm_emit(&p, A_ADD | S_X | C_ALU64, 0, (uint8_t)(6 + i), 0, 0);
	asm_emit(&p, M_MEM | Z_DW | C_LDX, 3, 10, -8, 0);
	asm_emit(&p, A_ADD | S_X | C_ALU64, 0, 3, 0, 0);
	emit_exit(&p);
	f = p.n;
	for (int i = 0; i < 4; i++)
		asm_emit(&p, A_MOV | S_K | C_ALU64, (uint8_t)(6 + i), 0, 0,
		    100 * (1 + i));
	asm_emit(&p, M_MEM | Z_DW | C_ST, 10, 0, -8, 0xBB);
	asm_emit(&p, M_MEM | Z_DW | C_STX, 2, 10, 8, 0);
	asm_emit(&p, A_MOV | S_X | C_ALU64, 0, 1, 0, 0);
	asm_emit(&p, A_MUL | S_K | C_ALU64, 0, 0, 0, 2);
	emit_exit(&p);
	p.code[call_at * 8 + 4] = (uint8_t)(f - call_at - 1);
	assert_int_equal(run_r0(&p), 200);
	assert_true(le64(state_mem) == VM_STACK_BASE + VM_STACK_SIZE);
	assert_true(le64(state_mem + 8) ==
	    VM_STACK_BASE + VM_STACK_SIZE - VM_FRAME_SIZE);
}

/*
 * A chain of exactly VM_CALL_DEPTH_MAX frames: function k (slots 3k..3k+2)
 * calls function k + 1 and adds 1 to r0; the deepest sets r0 = 1 and
 * stores at [r10 - 512], the stack's lowest byte (r10 = base + 512 there).
 */
static void
test_call_chain_max_depth(void **state)
{
	struct bpf_asm p = { .n = 0 };

	(void)state;
	for (int k = 0; k < VM_CALL_DEPTH_MAX - 1; k++) {
		asm_emit(&p, CALL_OP, 0, 1, 0, 2);
		asm_emit(&p, A_ADD | S_K | C_ALU64, 0, 0, 0, 1);
		emit_exit(&p);
	}
	asm_emit(&p, M_MEM | Z_B | C_ST, 10, 0, -512, 0x77);
	asm_emit(&p, A_MOV | S_K | C_ALU64, 0, 0, 0, 1);
	emit_exit(&p);
	assert_int_equal(run_r0(&p), VM_CALL_DEPTH_MAX);
}

/*
 * The verifier refuses recursion, so patch the decoded program: f (slot 2)
 * becomes "call f". Frames 2..8 each enter f's block [2,3] (2 gas), the
 * call at depth 8 faults: 1 (main's [0]) + 7 * 2 = 15 gas.
 */
static void
test_depth_fault_at_run_time(void **state)
{
	struct bpf_asm p = { .n = 0 };
	struct vm_machine m;
	struct vm_result res;

	(void)state;
	asm_emit(&p, CALL_OP, 0, 1, 0, 1);
	emit_exit(&p);
	asm_emit(&p, M_MEM | Z_B | C_ST, 10, 0, -1, 1);
	emit_exit(&p);
	load(&p, 0, 0);
	assert_int_equal(pool[2].handler, VM_OP_BLOCK);
	pool[2].op = VM_OP_CALL_LOCAL;
	pool[2].imm = 2;
	machine(&m, 100);
	run_loaded(&m, &res);
	assert_int_equal(res.exit, VM_EXIT_FAULT);
	assert_int_equal(res.fault, VM_FAULT_DEPTH);
	assert_int_equal(res.fault_pc, 2);
	assert_int_equal(res.gas_used, 15);
}

/* ---- helpers ---- */

/* 1: r1 + 2 r2 + 3 r3 + 4 r4 + 5 r5. */
static enum vm_call_status
helper_sum(struct vm_machine *m, const uint64_t args[5], uint64_t *ret)
{
	(void)m;
	helper_calls++;
	*ret = args[0] + 2 * args[1] + 3 * args[2] + 4 * args[3] + 5 * args[4];
	return VM_CALL_OK;
}

static enum vm_call_status
helper_stop(struct vm_machine *m, const uint64_t args[5], uint64_t *ret)
{
	(void)m;
	(void)args;
	helper_calls++;
	*ret = 99;
	return VM_CALL_STOP;
}

static enum vm_call_status
helper_fault(struct vm_machine *m, const uint64_t args[5], uint64_t *ret)
{
	(void)m;
	(void)args;
	(void)ret;
	helper_calls++;
	return VM_CALL_FAULT;
}

/* 4: poke(addr, value): 8 bytes through vm_mem, a fault if outside. */
static enum vm_call_status
helper_poke(struct vm_machine *m, const uint64_t args[5], uint64_t *ret)
{
	uint8_t *p = vm_mem(m, args[0], 8, 1);

	helper_calls++;
	if (p == NULL)
		return VM_CALL_FAULT;
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(args[1] >> (8 * i));
	*ret = 0;
	return VM_CALL_OK;
}

static void
helpers_install(void)
{
	table.fn[1] = helper_sum;
	table.gas[1] = 7;
	table.fn[2] = helper_stop;
	table.gas[2] = 1;
	table.fn[3] = helper_fault;
	table.gas[3] = 1;
	table.fn[4] = helper_poke;
	table.gas[4] = 2;
}

/* r1..r5 = 1..5; call 1; exit: r0 = 1 + 4 + 9 + 16 + 25 = 55. */
static void
sum_program(struct bpf_asm *p)
{
	p->n = 0;
	for (int i = 1; i <= 5; i++)
		asm_emit(p, A_MOV | S_K | C_ALU64, (uint8_t)i, 0, 0, i);
	asm_emit(p, CALL_OP, 0, 0, 0, 1);
	emit_exit(p);
}

/* Blocks [0..5] (6) and [6] (1), plus the helper's 7: 14 gas, 7 insns. */
static void
test_helper_call(void **state)
{
	struct bpf_asm p;
	struct vm_result res;

	(void)state;
	helpers_install();
	sum_program(&p);
	run(&p, 0, 1u << 1, 100, &res);
	assert_int_equal(res.exit, VM_EXIT_DONE);
	assert_int_equal(res.r0, 55);
	assert_int_equal(res.gas_used, 14);
	assert_int_equal(res.insns, 7);
	assert_int_equal(helper_calls, 1);
}

static void
test_helper_gas_charged_before_call(void **state)
{
	struct bpf_asm p;
	struct vm_result res;

	(void)state;
	helpers_install();
	sum_program(&p);
	/* 6 pays the first block, not the helper: no call is made. */
	run(&p, 0, 1u << 1, 6, &res);
	assert_int_equal(res.exit, VM_EXIT_GAS);
	assert_int_equal(res.fault_pc, 5);
	assert_int_equal(res.gas_used, 6);
	assert_int_equal(helper_calls, 0);
	/* 13 pays the helper but not the exit's block. */
	run(&p, 0, 1u << 1, 13, &res);
	assert_int_equal(res.exit, VM_EXIT_GAS);
	assert_int_equal(res.fault_pc, 6);
	assert_int_equal(res.gas_used, 13);
	assert_int_equal(res.insns, 6);
	assert_int_equal(helper_calls, 1);
}

static void
test_helper_stop_and_fault(void **state)
{
	struct bpf_asm p = { .n = 0 };
	struct vm_result res;

	(void)state;
	helpers_install();
	asm_emit(&p, A_MOV | S_K | C_ALU64, 0, 0, 0, 5);
	asm_emit(&p, CALL_OP, 0, 0, 0, 2);
	asm_emit(&p, A_MOV | S_K | C_ALU64, 0, 0, 0, 6);
	emit_exit(&p);
	run(&p, 0, 1u << 2, 100, &res);
	assert_int_equal(res.exit, VM_EXIT_STOPPED);
	assert_int_equal(res.fault, VM_FAULT_NONE);
	assert_int_equal(res.fault_pc, 1);
	assert_int_equal(res.r0, 5); /* the stopped call sets none */

	p.code[1 * 8 + 4] = 3;
	run(&p, 0, 1u << 3, 100, &res);
	assert_int_equal(res.exit, VM_EXIT_FAULT);
	assert_int_equal(res.fault, VM_FAULT_HELPER);
	assert_int_equal(res.fault_pc, 1);
}

/* Defence in depth: grants and the table are checked again at run time. */
static void
test_helper_not_granted_at_run_time(void **state)
{
	struct bpf_asm p;
	struct vm_machine m;
	struct vm_result res;

	(void)state;
	helpers_install();
	sum_program(&p);
	p.code[5 * 8 + 4] = 5; /* helper 5: granted, not in table */
	run(&p, 0, 1u << 5, 100, &res);
	assert_int_equal(res.exit, VM_EXIT_FAULT);
	assert_int_equal(res.fault, VM_FAULT_NOT_GRANTED);
	assert_int_equal(res.fault_pc, 5);

	sum_program(&p);
	load(&p, 0, 1u << 1);
	loaded.helpers = 0; /* the bit cleared after verifying */
	machine(&m, 100);
	run_loaded(&m, &res);
	assert_int_equal(res.fault, VM_FAULT_NOT_GRANTED);

	load(&p, 0, 1u << 1);
	machine(&m, 100);
	m.helpers = NULL;
	run_loaded(&m, &res);
	assert_int_equal(res.fault, VM_FAULT_NOT_GRANTED);
	assert_int_equal(helper_calls, 0);
}

/*
 * A helper writes to the stack through vm_mem: the program reads it back,
 * and the stack is zero afterwards (even the byte at the very bottom).
 */
static void
test_helper_writes_stack(void **state)
{
	struct bpf_asm p = { .n = 0 };
	struct vm_result res;

	(void)state;
	helpers_install();
	asm_emit(&p, A_MOV | S_X | C_ALU64, 1, 10, 0, 0);
	asm_emit(&p, A_ADD | S_K | C_ALU64, 1, 0, 0, -16);
	asm_lddw(&p, 2, 0x1122334455667788ull);
	asm_emit(&p, CALL_OP, 0, 0, 0, 4);
	asm_emit(&p, M_MEM | Z_DW | C_LDX, 6, 10, -16, 0);
	asm_emit(&p, A_MOV | S_X | C_ALU64, 1, 10, 0, 0);
	asm_emit(&p, A_SUB | S_K | C_ALU64, 1, 0, 0, VM_STACK_SIZE);
	asm_emit(&p, CALL_OP, 0, 0, 0, 4);
	asm_emit(&p, A_MOV | S_X | C_ALU64, 0, 6, 0, 0);
	emit_exit(&p);
	run(&p, 0, 1u << 4, 100, &res);
	assert_int_equal(res.exit, VM_EXIT_DONE);
	assert_true(res.r0 == 0x1122334455667788ull);
	assert_int_equal(helper_calls, 2);
}

/* ---- gas ---- */

/* ja -1 spins: one instruction a block, until 100 gas is gone. */
static void
test_gas_exhaustion(void **state)
{
	struct bpf_asm p = { .n = 0 };
	struct vm_result res;

	(void)state;
	asm_emit(&p, J_JA | C_JMP, 0, 0, -1, 0);
	run(&p, 0, 0, 100, &res);
	assert_int_equal(res.exit, VM_EXIT_GAS);
	assert_int_equal(res.gas_used, 100);
	assert_int_equal(res.insns, 100);
	assert_int_equal(res.fault_pc, 0);
}

/* A block that cannot be paid in full does not start. */
static void
test_gas_no_partial_block(void **state)
{
	struct bpf_asm p = { .n = 0 };
	struct vm_machine m;
	struct vm_result res;

	(void)state;
	/* One block of 6; 5 gas runs none of it. */
	for (int i = 0; i < 5; i++)
		asm_emit(&p, M_MEM | Z_B | C_ST, 2, 0, (int16_t)i, i + 1);
	emit_exit(&p);
	run(&p, 0, 0, 5, &res);
	assert_int_equal(res.exit, VM_EXIT_GAS);
	assert_int_equal(res.gas_used, 0);
	assert_int_equal(res.fault_pc, 0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(state_mem[i], 0);

	/* Blocks [0..2] and [3..5] of 3 each; 5 gas runs only the first. */
	p.n = 0;
	asm_emit(&p, A_MOV | S_K | C_ALU64, 0, 0, 0, 1);
	asm_emit(&p, M_MEM | Z_B | C_ST, 2, 0, 0, 1);
	asm_emit(&p, J_JA | C_JMP, 0, 0, 0, 0);
	asm_emit(&p, M_MEM | Z_B | C_ST, 2, 0, 1, 2);
	asm_emit(&p, A_MOV | S_K | C_ALU64, 0, 0, 0, 2);
	emit_exit(&p);
	load(&p, 0, 0);
	machine(&m, 5);
	run_loaded(&m, &res);
	assert_int_equal(res.exit, VM_EXIT_GAS);
	assert_int_equal(res.gas_used, 3);
	assert_int_equal(res.fault_pc, 3);
	assert_int_equal(res.r0, 1);
	assert_int_equal(m.gas, 2);
	assert_int_equal(state_mem[0], 1);
	assert_int_equal(state_mem[1], 0);
}

/* ---- the reference evaluator's helpers (bpf_ref.h) ---- */

static const uint32_t diff_gas[4] = { 0, 3, 2, 5 };

/* Differential helpers 1 and 2 (pure), and 3, poke(addr, value). */
static enum vm_call_status
diff_pure(unsigned id, const uint64_t a[5], uint64_t *ret)
{
	if (id == 1) {
		*ret = a[0] * 31 + (a[1] ^ a[4]) - a[2] + (a[3] << 3);
		return VM_CALL_OK;
	}
	if (a[0] % 53 == 0)
		return VM_CALL_STOP;
	*ret = a[0] + 1;
	return VM_CALL_OK;
}

/* ref_run's helper hook: diff_pure, and 3 pokes r2 at r1. */
static enum vm_call_status
diff_ref_helper(struct ref_machine *rm, unsigned id, const uint64_t a[5],
    uint64_t *ret)
{
	uint8_t *p;

	if (id == 3) {
		p = ref_ptr(rm, a[0], 8, 1);
		for (int i = 0; p != NULL && i < 8; i++)
			p[i] = (uint8_t)(a[1] >> (8 * i));
		return p == NULL ? VM_CALL_FAULT : VM_CALL_OK;
	}
	return diff_pure(id, a, ret);
}

/* ---- random programs ---- */

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t
rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1Dull;
}

static uint32_t
below(uint32_t n)
{
	return (uint32_t)(rnd() % n);
}

static int32_t
rnd_imm(void)
{
	static const int32_t edge[] = { 0, 1, -1, 2, INT32_MIN, INT32_MAX, 31,
		32, 63, 64, 16, 8 };

	if (below(2))
		return edge[below(sizeof edge / sizeof edge[0])];
	if (below(2))
		return (int32_t)below(200) - 100;
	return (int32_t)(uint32_t)rnd();
}

static uint64_t
rnd_wide(void)
{
	static const uint64_t edge[] = { 0, 1, UINT64_MAX, 1ull << 63,
		(1ull << 63) - 1, 0x80000000, 0xFFFFFFFF, 0x7FFFFFFF,
		0x100000000ull, VM_STATE_BASE, VM_CTX_BASE + 16 };

	if (below(2))
		return edge[below(sizeof edge / sizeof edge[0])];
	return rnd();
}

/* One generated instruction; jumps and calls name an item, not a slot. */
struct gitem {
	uint8_t op, dst, src;
	int16_t off;
	int32_t imm;
	uint64_t wide; /* lddw's value */
	int target;    /* item index, or -1 */
};

#define GEN_MAX 200

struct gen {
	struct gitem it[GEN_MAX];
	int n;
};

static void
gen_add(struct gen *g, uint8_t op, uint8_t dst, uint8_t src, int16_t off,
    int32_t imm)
{
	g->it[g->n++] = (struct gitem){ op, dst, src, off, imm, 0, -1 };
}

static void
gen_lddw(struct gen *g, uint8_t dst, uint64_t v)
{
	g->it[g->n++] = (struct gitem){ 0x18, dst, 0, 0, 0, v, -1 };
}

/* A random ALU or ALU64 instruction writing r0..r7. */
static void
gen_alu(struct gen *g)
{
	uint8_t cls = below(2) ? C_ALU64 : C_ALU,
		code = (uint8_t)(below(14) << 4), dst = (uint8_t)below(8),
		x = (uint8_t)below(2);
	int16_t off = 0;

	if (code == A_NEG) {
		gen_add(g, code | cls, dst, 0, 0, 0);
		return;
	}
	if (code == A_END) {
		static const int32_t widths[3] = { 16, 32, 64 };

		gen_add(g,
		    (uint8_t)(code | (cls == C_ALU && x ? S_X : 0) | cls), dst,
		    0, 0, widths[below(3)]);
		return;
	}
	if (code == A_DIV || code == A_MOD)
		off = (int16_t)below(2);
	if (code == A_MOV && x && below(2)) {
		static const int16_t ext[3] = { 8, 16, 32 };

		off = ext[below(cls == C_ALU64 ? 3 : 2)];
	}
	if (x)
		gen_add(g, code | S_X | cls, dst, (uint8_t)below(11), off, 0);
	else
		gen_add(g, code | cls, dst, 0, off, rnd_imm());
}

static const uint8_t sizes[4] = { Z_W, Z_H, Z_B, Z_DW };
static const int size_bytes[4] = { 4, 2, 1, 8 };

/* A random load or store: ctx via r9, state via r8, stack via r10. */
static void
gen_mem(struct gen *g)
{
	unsigned z = below(4), kind = below(10);
	int sz = size_bytes[z];
	uint8_t ld = (uint8_t)(M_MEM | sizes[z] | C_LDX);
	int16_t off;

	if (z != 3 && below(3) == 0)
		ld = (uint8_t)(M_MEMSX | sizes[z] | C_LDX);
	if (kind <= 2) {
		off = (int16_t)(below(4) == 0 ? 30 - sz + below(8) :
						below((uint32_t)(33 - sz)));
		gen_add(g, ld, (uint8_t)below(8), 9, off, 0);
	} else if (kind <= 5) {
		off = (int16_t)(below(50) == 0 ? 120 + below(9) :
						 below((uint32_t)(65 - sz)));
		if (below(2))
			gen_add(g, (uint8_t)(M_MEM | sizes[z] | C_ST), 8, 0,
			    off, rnd_imm());
		else
			gen_add(g, (uint8_t)(M_MEM | sizes[z] | C_STX), 8,
			    (uint8_t)below(11), off, 0);
	} else if (kind == 6) {
		off = (int16_t)below((uint32_t)(129 - sz));
		gen_add(g, ld, (uint8_t)below(8), 8, off, 0);
	} else if (kind <= 8) {
		off =
		    (int16_t)(-(int)below((uint32_t)(VM_FRAME_SIZE - sz + 1)) -
			sz);
		switch (below(3)) {
		case 0:
			gen_add(g, ld, (uint8_t)below(8), 10, off, 0);
			break;
		case 1:
			gen_add(g, (uint8_t)(M_MEM | sizes[z] | C_ST), 10, 0,
			    off, rnd_imm());
			break;
		default:
			gen_add(g, (uint8_t)(M_MEM | sizes[z] | C_STX), 10,
			    (uint8_t)below(11), off, 0);
			break;
		}
	} else {
		/* Through a computed register: mostly a fault. */
		off = (int16_t)(below(64) - 32);
		if (below(2))
			gen_add(g, ld, (uint8_t)below(8), (uint8_t)below(8),
			    off, 0);
		else
			gen_add(g, (uint8_t)(M_MEM | sizes[z] | C_STX),
			    (uint8_t)below(8), (uint8_t)below(11), off, 0);
	}
}

/* A conditional jump (or JA) to a random item of [first, last]. */
static void
gen_jump(struct gen *g, int first, int last)
{
	static const uint8_t conds[11] = { J_JEQ, J_JGT, J_JGE, J_JSET, J_JNE,
		J_JSGT, J_JSGE, J_JLT, J_JLE, J_JSLT, J_JSLE };
	uint8_t cls = below(2) ? C_JMP : C_JMP32;
	int here = g->n, target;

	/* Mostly forward; a backward jump makes a loop the gas ends. */
	if (below(10) == 0)
		target = first + (int)below((uint32_t)(here - first + 1));
	else
		target = here + 1 + (int)below((uint32_t)(last - here));
	if (below(12) == 0) {
		if (below(2))
			gen_add(g, J_JA | C_JMP, 0, 0, 0, 0);
		else
			gen_add(g, J_JA | C_JMP32, 0, 0, 0, 0);
	} else if (below(2)) {
		gen_add(g, conds[below(11)] | S_X | cls, (uint8_t)below(11),
		    (uint8_t)below(11), 0, 0);
	} else {
		gen_add(g, conds[below(11)] | cls, (uint8_t)below(11), 0, 0,
		    rnd_imm());
	}
	g->it[here].target = target;
}

/* A helper call: 1 and 2 are pure, 3 pokes r2 at r1 (often the stack). */
static void
gen_helper(struct gen *g)
{
	unsigned id = 1 + below(3);

	if (id == 3 && below(4) != 0) {
		gen_add(g, A_MOV | S_X | C_ALU64, 1, 10, 0, 0);
		gen_add(g, A_ADD | S_K | C_ALU64, 1, 0, 0,
		    -(int32_t)(8 + below(VM_STACK_SIZE / 8) * 8));
	}
	gen_add(g, CALL_OP, 0, 0, 0, (int32_t)id);
}

/*
 * Up to len items of a function that starts at item first; jumps go no
 * further than item last (where the caller puts what ends it). callee:
 * the first item of a function this one may call, or -1.
 */
static void
gen_body(struct gen *g, int first, int len, int last, int callee)
{
	/* A step adds at most 3 items; stop before the function's end. */
	for (int i = 0; i < len && g->n + 3 < last; i++) {
		unsigned k = below(20);

		if (k < 8)
			gen_alu(g);
		else if (k < 9)
			gen_lddw(g, (uint8_t)below(8), rnd_wide());
		else if (k < 13)
			gen_mem(g);
		else if (k < 17)
			gen_jump(g, first, last);
		else if (k < 19)
			gen_helper(g);
		else if (callee >= 0) {
			gen_add(g, CALL_OP, 0, 1, 0, 0);
			g->it[g->n - 1].target = callee;
		}
	}
}

/* Pad with moves up to item last - 1, then the exit at last. */
static void
gen_end(struct gen *g, int last)
{
	while (g->n < last)
		gen_add(g, A_MOV | S_K | C_ALU64, 0, 0, 0, rnd_imm());
	gen_add(g, EXIT_OP, 0, 0, 0, 0);
}

/*
 * main: r8 = state, r9 = ctx, r0..r7 random; a body; r0..r7 stored at
 * state[64..128); exit. Then up to two callees, main -> f1 -> f2.
 */
static void
gen_program(struct gen *g, struct bpf_asm *p)
{
	int main_last, f1 = -1, f1_last = 0, f2 = -1, f2_last = 0, body;
	int slot[GEN_MAX + 1];

	g->n = 0;
	gen_lddw(g, 8, VM_STATE_BASE);
	gen_lddw(g, 9, VM_CTX_BASE);
	for (uint8_t r = 0; r < 8; r++) {
		if (below(2))
			gen_lddw(g, r, rnd_wide());
		else
			gen_add(g, A_MOV | S_K | C_ALU64, r, 0, 0, rnd_imm());
	}
	body = 4 + (int)below(40);
	main_last = g->n + body + 8;
	if (below(3) != 0) {
		f1 = main_last + 1;
		f1_last = f1 + 2 + (int)below(14);
		if (below(2)) {
			f2 = f1_last + 1;
			f2_last = f2 + 1 + (int)below(8);
		}
	}
	gen_body(g, 0, body, main_last - 8, f1);
	while (g->n < main_last - 8)
		gen_alu(g);
	for (uint8_t r = 0; r < 8; r++)
		gen_add(g, M_MEM | Z_DW | C_STX, 8, r, (int16_t)(64 + 8 * r),
		    0);
	gen_add(g, EXIT_OP, 0, 0, 0, 0);
	if (f1 >= 0) {
		gen_body(g, f1, f1_last - f1, f1_last, f2);
		gen_end(g, f1_last);
	}
	if (f2 >= 0) {
		gen_body(g, f2, f2_last - f2, f2_last, -1);
		gen_end(g, f2_last);
	}

	/* Lay out: item -> slot, then encode jumps and calls. */
	slot[0] = 0;
	for (int i = 0; i < g->n; i++)
		slot[i + 1] = slot[i] + (g->it[i].op == 0x18 ? 2 : 1);
	p->n = 0;
	for (int i = 0; i < g->n; i++) {
		struct gitem *it = &g->it[i];

		if (it->op == 0x18) {
			asm_lddw(p, it->dst, it->wide);
			continue;
		}
		if (it->target >= 0) {
			int delta = slot[it->target] - slot[i] - 1;

			if (it->op == CALL_OP || it->op == (J_JA | C_JMP32))
				it->imm = delta;
			else
				it->off = (int16_t)delta;
		}
		asm_emit(p, it->op, it->dst, it->src, it->off, it->imm);
	}
}

static enum vm_call_status
diff_vm_1(struct vm_machine *m, const uint64_t args[5], uint64_t *ret)
{
	(void)m;
	return diff_pure(1, args, ret);
}

static enum vm_call_status
diff_vm_2(struct vm_machine *m, const uint64_t args[5], uint64_t *ret)
{
	(void)m;
	return diff_pure(2, args, ret);
}

static enum vm_call_status
diff_vm_poke(struct vm_machine *m, const uint64_t args[5], uint64_t *ret)
{
	return helper_poke(m, args, ret);
}

#define DIFF_PROGRAMS 20000

/*
 * The VM against ref_run over DIFF_PROGRAMS generated programs: the same
 * exit, fault, slot, address, r0, gas and insns, the same state region
 * (which holds r0..r7 of a run that finished), and a zero stack.
 */
static void
test_differential(void **state)
{
	static struct gen g;
	static struct bpf_asm p;
	static uint8_t ref_ctx[32], ref_state[VM_STATE_SIZE];
	static uint8_t ref_stack[VM_STACK_SIZE];
	struct vm_machine m;
	struct vm_result res;
	struct ref_machine rm;
	struct ref_result want;
	unsigned exits[4] = { 0 };

	(void)state;
	table.fn[1] = diff_vm_1;
	table.fn[2] = diff_vm_2;
	table.fn[3] = diff_vm_poke;
	for (int i = 1; i <= 3; i++)
		table.gas[i] = diff_gas[i];
	for (int t = 0; t < DIFF_PROGRAMS; t++) {
		gen_program(&g, &p);
		for (size_t i = 0; i < sizeof ctx_mem; i++)
			ctx_mem[i] = ref_ctx[i] = (uint8_t)rnd();
		for (size_t i = 0; i < sizeof state_mem; i++)
			state_mem[i] = ref_state[i] = (uint8_t)rnd();
		memset(ref_stack, 0, sizeof ref_stack);
		memset(&rm, 0, sizeof rm);
		rm.mem[VM_REGION_CTX] = ref_ctx;
		rm.len[VM_REGION_CTX] = sizeof ref_ctx;
		rm.mem[VM_REGION_STATE] = ref_state;
		rm.len[VM_REGION_STATE] = sizeof ref_state;
		rm.writable[VM_REGION_STATE] = 1;
		rm.mem[VM_REGION_STACK] = ref_stack;
		rm.len[VM_REGION_STACK] = sizeof ref_stack;
		rm.writable[VM_REGION_STACK] = 1;
		rm.gas = 20 + below(3000);
		rm.r1 = VM_CTX_BASE;
		rm.r2 = VM_STATE_BASE;
		rm.helper = diff_ref_helper;
		for (int i = 1; i <= 3; i++)
			rm.helper_gas[i] = diff_gas[i];

		load(&p, 0, 0xE);
		machine(&m, rm.gas);
		m.region[VM_REGION_RODATA].host = NULL;
		m.region[VM_REGION_HEAP].host = NULL;
		run_loaded(&m, &res);
		ref_run(p.code, p.n, 0, &rm, &want);

		if (res.exit != want.exit || res.fault != want.fault ||
		    (want.exit != VM_EXIT_DONE && res.fault_pc != want.pc) ||
		    res.fault_addr != want.addr || res.r0 != want.r0 ||
		    res.gas_used != want.used ||
		    res.insns != want.used - want.helper_gas ||
		    memcmp(state_mem, ref_state, sizeof state_mem) != 0)
			fail_msg("program %d (%u slots): vm exit %d fault %d"
				 " pc %u r0 0x%llx gas %llu; reference exit %d"
				 " fault %d pc %u r0 0x%llx gas %llu%s",
			    t, p.n, res.exit, res.fault, res.fault_pc,
			    (unsigned long long)res.r0,
			    (unsigned long long)res.gas_used, want.exit,
			    want.fault, want.pc, (unsigned long long)want.r0,
			    (unsigned long long)want.used,
			    memcmp(state_mem, ref_state, sizeof state_mem) ?
				"; state differs" :
				"");
		exits[res.exit]++;
	}
	print_message("differential: %u done, %u out of gas, %u stopped,"
		      " %u faulted\n",
	    exits[0], exits[1], exits[2], exits[3]);
	/* The mix is meaningful: most finish, and every ending is seen. */
	assert_true(exits[VM_EXIT_DONE] > DIFF_PROGRAMS / 4);
	for (int e = 0; e < 4; e++)
		assert_true(exits[e] > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_alu64, setup),
		cmocka_unit_test_setup(test_alu32, setup),
		cmocka_unit_test_setup(test_byte_swap, setup),
		cmocka_unit_test_setup(test_alu_same_register, setup),
		cmocka_unit_test_setup(test_conditional_jumps, setup),
		cmocka_unit_test_setup(test_ja_and_gotol, setup),
		cmocka_unit_test_setup(test_loop_and_gas, setup),
		cmocka_unit_test_setup(test_lddw, setup),
		cmocka_unit_test_setup(test_stores_all_sizes, setup),
		cmocka_unit_test_setup(test_loads_all_sizes, setup),
		cmocka_unit_test_setup(test_read_only_regions_load, setup),
		cmocka_unit_test_setup(test_stack_round_trip_and_cleared,
		    setup),
		cmocka_unit_test_setup(test_fault_out_of_bounds_load, setup),
		cmocka_unit_test_setup(test_fault_store_read_only, setup),
		cmocka_unit_test_setup(test_fault_store_past_stack, setup),
		cmocka_unit_test_setup(test_fault_garbage_high_bits, setup),
		cmocka_unit_test_setup(test_fault_absent_region, setup),
		cmocka_unit_test_setup(test_vm_mem, setup),
		cmocka_unit_test_setup(test_local_call, setup),
		cmocka_unit_test_setup(test_call_chain_max_depth, setup),
		cmocka_unit_test_setup(test_depth_fault_at_run_time, setup),
		cmocka_unit_test_setup(test_helper_call, setup),
		cmocka_unit_test_setup(test_helper_gas_charged_before_call,
		    setup),
		cmocka_unit_test_setup(test_helper_stop_and_fault, setup),
		cmocka_unit_test_setup(test_helper_not_granted_at_run_time,
		    setup),
		cmocka_unit_test_setup(test_helper_writes_stack, setup),
		cmocka_unit_test_setup(test_gas_exhaustion, setup),
		cmocka_unit_test_setup(test_gas_no_partial_block, setup),
		cmocka_unit_test_setup(test_differential, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
