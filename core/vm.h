/*
 * The gene VM: a load-time verifier and an interpreter for eBPF (RFC 9669)
 * programs. Genes' side of the ABI (memory map, helpers, gas) is in
 * include/cellos/vm_abi.h; this is the kernel's side.
 *
 *   vm_verify   one pass over the raw instructions, no data flow: refuses a
 *               program the interpreter could not run safely and says which
 *               instruction and why (vm_verify.c);
 *   vm_load     vm_verify, then pre-decode into the interpreter's form;
 *   vm_run      run a loaded program until its entry function exits, its
 *               gas runs out, a helper stops it, or it faults (vm_interp.c).
 *
 * Nothing here knows about genes, the scheduler or the phenotype: the caller
 * supplies the memory regions and the helper table (core/vm_helpers.c for
 * the kernel; tests and fuzzers bring their own).
 */
#ifndef CELLOS_VM_H
#define CELLOS_VM_H

#include <stddef.h>
#include <stdint.h>

#include "cellos/errors.h"
#include "cellos/vm_abi.h"
#include "config.h"

/* ---- verifier ---- */

/* Why a program was refused. */
enum vm_reject {
	VM_REJECT_NONE = 0,
	VM_REJECT_LENGTH,      /* no instructions, or more than VM_INSNS_MAX */
	VM_REJECT_ENTRY,       /* entry slot out of range or inside an lddw */
	VM_REJECT_FALLTHROUGH, /* a function's last instruction is not EXIT or JA */
	VM_REJECT_OPCODE,      /* an opcode outside the allowlist */
	VM_REJECT_RESERVED,  /* a field the opcode does not use is not zero */
	VM_REJECT_REGISTER,  /* a register number over 10 */
	VM_REJECT_R10_WRITE, /* an instruction that writes r10 */
	VM_REJECT_LDDW,      /* an lddw without a well-formed second slot */
	/*
	 * a jump target out of range, into an lddw's second slot, or into
	 * another function
	 */
	VM_REJECT_JUMP,
	VM_REJECT_HELPER, /* a helper id unknown or not granted */
	/*
	 * a local call to a bad target, recursion, or a call chain deeper than
	 * VM_CALL_DEPTH_MAX
	 */
	VM_REJECT_CALL,
	VM_REJECT_STACK /* an r10-relative access outside its frame */
};

struct vm_verify_error {
	enum vm_reject reject;
	uint32_t insn;   /* slot index of the offending instruction */
	char reason[96]; /* e.g. "opcode 0xdb (atomic) is not allowed" */
};

/*
 * Check code[0..num_slots*8) (RFC 9669 encoding, little-endian) for a gene
 * that may call the helpers in the mask helpers, starting at slot entry.
 * Returns 0, or -CELL_E_RANGE with *err naming the instruction and reason.
 * Pure: reads only its arguments.
 */
int vm_verify(const uint8_t *code, uint32_t num_slots, uint32_t entry,
    uint32_t helpers, struct vm_verify_error *err);

/* ---- loaded programs ---- */

/*
 * The interpreter's operations, one per decoded form (an opcode with its
 * source, width or size folded in). vm_load picks one per instruction;
 * vm_interp.c has a handler for each. VM_OP_BLOCK starts a basic block: it
 * charges block_cost and then runs the instruction's own op.
 */
/* clang-format off */
#define VM_OPS(X)							\
	X(BLOCK)							\
	X(ADD64_K) X(ADD64_X) X(SUB64_K) X(SUB64_X)			\
	X(MUL64_K) X(MUL64_X) X(DIV64_K) X(DIV64_X)			\
	X(SDIV64_K) X(SDIV64_X) X(OR64_K) X(OR64_X)			\
	X(AND64_K) X(AND64_X) X(LSH64_K) X(LSH64_X)			\
	X(RSH64_K) X(RSH64_X) X(MOD64_K) X(MOD64_X)			\
	X(SMOD64_K) X(SMOD64_X) X(XOR64_K) X(XOR64_X)			\
	X(MOV64_K) X(MOV64_X) X(ARSH64_K) X(ARSH64_X)			\
	X(NEG64) X(MOVSX64_8) X(MOVSX64_16) X(MOVSX64_32)		\
	X(ADD32_K) X(ADD32_X) X(SUB32_K) X(SUB32_X)			\
	X(MUL32_K) X(MUL32_X) X(DIV32_K) X(DIV32_X)			\
	X(SDIV32_K) X(SDIV32_X) X(OR32_K) X(OR32_X)			\
	X(AND32_K) X(AND32_X) X(LSH32_K) X(LSH32_X)			\
	X(RSH32_K) X(RSH32_X) X(MOD32_K) X(MOD32_X)			\
	X(SMOD32_K) X(SMOD32_X) X(XOR32_K) X(XOR32_X)			\
	X(MOV32_K) X(MOV32_X) X(ARSH32_K) X(ARSH32_X)			\
	X(NEG32) X(MOVSX32_8) X(MOVSX32_16)				\
	X(LE16) X(LE32) X(BE16) X(BE32) X(BE64) X(NOP)			\
	X(JA)								\
	X(JEQ_K) X(JEQ_X) X(JGT_K) X(JGT_X) X(JGE_K) X(JGE_X)		\
	X(JSET_K) X(JSET_X) X(JNE_K) X(JNE_X) X(JSGT_K) X(JSGT_X)	\
	X(JSGE_K) X(JSGE_X) X(JLT_K) X(JLT_X) X(JLE_K) X(JLE_X)		\
	X(JSLT_K) X(JSLT_X) X(JSLE_K) X(JSLE_X)				\
	X(JEQ32_K) X(JEQ32_X) X(JGT32_K) X(JGT32_X)			\
	X(JGE32_K) X(JGE32_X) X(JSET32_K) X(JSET32_X)			\
	X(JNE32_K) X(JNE32_X) X(JSGT32_K) X(JSGT32_X)			\
	X(JSGE32_K) X(JSGE32_X) X(JLT32_K) X(JLT32_X)			\
	X(JLE32_K) X(JLE32_X) X(JSLT32_K) X(JSLT32_X)			\
	X(JSLE32_K) X(JSLE32_X)						\
	X(CALL) X(CALL_LOCAL) X(EXIT) X(LDDW)				\
	X(LDXB) X(LDXH) X(LDXW) X(LDXDW) X(LDXSB) X(LDXSH) X(LDXSW)	\
	X(STB) X(STH) X(STW) X(STDW) X(STXB) X(STXH) X(STXW) X(STXDW)
/* clang-format on */

#define VM_OP_ENUM(name) VM_OP_##name,
enum vm_op { VM_OPS(VM_OP_ENUM) VM_OP_COUNT };
#undef VM_OP_ENUM

/*
 * One pre-decoded instruction: the interpreter's own form (vm_interp.c),
 * one per 8-byte slot (an lddw's second slot is never run). Nothing outside
 * the VM reads its fields.
 */
struct vm_insn {
	/*
	 * dispatch index: op, or VM_OP_BLOCK at a basic block's first
	 * instruction
	 */
	uint8_t handler;
	uint8_t dst, src;
	uint8_t op;          /* enum vm_op: what the instruction does */
	int16_t off;         /* memory offset; a jump's target - (pc + 1) */
	uint16_t block_cost; /* gas charged when a basic block starts here */
	/*
	 * imm sign-extended (ALU32: zero-extended u32), lddw's 64-bit value, a
	 * helper id or a local call's target slot
	 */
	uint64_t imm;
};
_Static_assert(sizeof(struct vm_insn) == 16, "vm_insn is 16 bytes");
_Static_assert(VM_OP_COUNT <= 256, "vm_op fits vm_insn.handler");

struct vm_prog {
	const struct vm_insn *insns;
	uint32_t num_insns;
	uint32_t entry;
	uint32_t helpers; /* granted mask, as verified */
};

/*
 * Verify code (see vm_verify), then decode it into pool[0..pool_cap). On
 * success *prog describes the program and *used is the number of pool
 * entries it took (num_slots). -CELL_E_RANGE (refused: *err says why) or
 * -CELL_E_NOSPACE (the pool is too small).
 */
int vm_load(struct vm_prog *prog, const uint8_t *code, uint32_t num_slots,
    uint32_t entry, uint32_t helpers, struct vm_insn *pool, uint32_t pool_cap,
    uint32_t *used, struct vm_verify_error *err);

/* ---- running ---- */

/* One memory region of a run: VM addresses (id << VM_REGION_SHIFT) + [0, len). */
struct vm_region {
	uint8_t *host; /* NULL: the region is absent */
	uint32_t len;
	uint32_t writable;
};

struct vm_machine;

/*
 * A helper: args are r1..r5; it stores its result in *ret (r0) and returns
 * VM_CALL_OK, VM_CALL_STOP (end the run now, e.g. the gene was killed), or
 * VM_CALL_FAULT (bad arguments, e.g. a pointer outside the regions: the
 * run ends with a fault).
 */
enum vm_call_status { VM_CALL_OK = 0, VM_CALL_STOP = 1, VM_CALL_FAULT = 2 };
typedef enum vm_call_status (
    *vm_helper_fn)(struct vm_machine *m, const uint64_t args[5], uint64_t *ret);

struct vm_helper_table {
	vm_helper_fn fn[VM_HELPERS_MAX]; /* NULL: no such helper */
	uint32_t gas[VM_HELPERS_MAX];    /* charged before the call */
};

/* Everything one run sees. The caller fills it; vm_run updates gas. */
struct vm_machine {
	struct vm_region region[VM_REGIONS]; /* indexed by region id */
	const struct vm_helper_table *helpers;
	void *user; /* the caller's context, for its helpers */
	/* left; vm_run spends it (helpers may read it, not change it) */
	uint64_t gas;
	/*
	 * vm_run's own: the lowest stack offset written in this run (vm_mem
	 * lowers it for helpers' writes); callers need not set it
	 */
	uint32_t stack_dirty;
};

/*
 * Translate [addr, addr+len) to a host pointer when it lies wholly inside
 * one present region (and that region is writable, if write); else NULL.
 * For helpers; the interpreter checks every load and store the same way.
 */
void *vm_mem(struct vm_machine *m, uint64_t addr, uint64_t len, int write);

enum vm_exit {
	VM_EXIT_DONE = 0, /* the entry function exited; r0 is its result */
	VM_EXIT_GAS,      /* the gas ran out before the next block or call */
	VM_EXIT_STOPPED,  /* a helper returned VM_CALL_STOP */
	VM_EXIT_FAULT     /* see enum vm_fault */
};

enum vm_fault {
	VM_FAULT_NONE = 0,
	VM_FAULT_LOAD,        /* a load outside the readable regions */
	VM_FAULT_STORE,       /* a store outside the writable regions */
	VM_FAULT_HELPER,      /* a helper returned VM_CALL_FAULT */
	VM_FAULT_NOT_GRANTED, /* a call to a helper not granted or not present */
	VM_FAULT_DEPTH        /* a local call deeper than VM_CALL_DEPTH_MAX */
};

struct vm_result {
	enum vm_exit exit;
	enum vm_fault fault;
	uint32_t fault_pc;   /* slot of the faulting instruction */
	uint64_t fault_addr; /* the address of a load/store fault */
	uint64_t r0;
	uint64_t gas_used; /* gas charged: instructions and helper costs */
	uint64_t insns;    /* instructions charged */
};

/*
 * Run prog from its entry with r1 and r2 set (r0, r3..r9 zero, r10 the top
 * of the stack region) until one of enum vm_exit happens; fills *out.
 * Gas: each basic block costs its instruction count, charged on entry; a
 * helper call costs its table gas on top, charged before it is made; when
 * the gas left cannot pay, the run ends with VM_EXIT_GAS. The stack region,
 * zero when the run starts, is zero again when it returns. Division and
 * shifts follow RFC 9669 (x / 0 = 0, x % 0 = x, shift counts masked).
 */
void vm_run(const struct vm_prog *prog, struct vm_machine *m, uint64_t r1,
    uint64_t r2, struct vm_result *out);

/* Short names for tools and logs: "opcode", "load", ... */
const char *vm_reject_name(enum vm_reject r);
/* A helper's name as phenotypes grant it ("send", "kv_get"), or NULL. */
const char *vm_helper_name(uint32_t id);
const char *vm_fault_name(enum vm_fault f);

#endif
