/*
 * The gene VM's interpreter (vm.h): runs what vm_load decoded. Nothing here
 * re-checks the instruction encoding; the verifier has proved that control
 * never leaves the program and that every register index is below 11.
 * What only run time can know is checked here: every load and store
 * against the regions, helper grants, the call depth and the gas.
 *
 * Dispatch is threaded through a table of label addresses (GCC's "labels
 * as values", the one GNU extension in core/, confined to this file) when
 * CFG_VM_COMPUTED_GOTO is 1, and a plain switch when it is 0. The handler
 * bodies are the same text in both; only the DISPATCH/OP macros differ.
 *
 * Arithmetic follows RFC 9669 section 4.1; the notes at each handler say
 * which rule applies. Right shifts of signed values are arithmetic, which
 * GCC and Clang define for every target (C leaves it to the compiler).
 */
#include <stddef.h>
#include <stdint.h>

#include "byteorder.h"
#include "vm.h"

/*
 * Benchmark knobs, for tools/bench/ only (it compiles this file again with
 * them set, to measure what gas metering and bounds checks cost): never
 * set in a kernel, where both are what makes running a gene safe.
 */
#if (defined(CFG_VM_BENCH_NO_GAS) || defined(CFG_VM_BENCH_NO_BOUNDS)) && \
    !defined(CELLOS_VM_BENCH_COPY)
#error "CFG_VM_BENCH_* are tools/bench/vm's: a kernel meters gas, checks bounds"
#endif
#ifndef CFG_VM_BENCH_NO_GAS
#define CFG_VM_BENCH_NO_GAS 0
#endif
#ifndef CFG_VM_BENCH_NO_BOUNDS
#define CFG_VM_BENCH_NO_BOUNDS 0
#endif

#define REGION_SPAN ((uint64_t)1 << VM_REGION_SHIFT)
#define REGION_MASK (REGION_SPAN - 1)

/* What a local call saves: the callee-saved r6..r9, r10 and the return. */
struct vm_frame {
	uint64_t saved[4];
	uint64_t r10;
	const struct vm_insn *ret;
};

/* A region's usable length: 0 when absent, at most the region's span. */
static uint64_t
region_len(const struct vm_region *r)
{
	if (r->host == NULL)
		return 0;
	return r->len < REGION_SPAN ? r->len : REGION_SPAN;
}

void *
vm_mem(struct vm_machine *m, uint64_t addr, uint64_t len, int write)
{
	uint64_t id = addr >> VM_REGION_SHIFT, off = addr & REGION_MASK, rlen;
	const struct vm_region *r;

	if (id == 0 || id >= VM_REGIONS)
		return NULL;
	r = &m->region[id];
	rlen = region_len(r);
	if (rlen == 0 || (write && !r->writable))
		return NULL;
	if (len > rlen || off > rlen - len)
		return NULL;
	if (write && len > 0 && id == VM_REGION_STACK && off < m->stack_dirty)
		m->stack_dirty = (uint32_t)off;
	return r->host + off;
}

/* Swap the bytes of the low 16, 32 or 64 bits (RFC 9669 section 4.2). */
static inline uint64_t
swap16(uint64_t v)
{
	return (v & 0xff) << 8 | (v >> 8 & 0xff);
}

static inline uint64_t
swap32(uint64_t v)
{
	return (v & 0xff) << 24 | (v & 0xff00) << 8 | (v >> 8 & 0xff00) |
	    (v >> 24 & 0xff);
}

static inline uint64_t
swap64(uint64_t v)
{
	return swap32(v) << 32 | swap32(v >> 32);
}

/*
 * Signed division and modulo (RFC 9669 section 4.1): by zero, x s/ 0 = 0
 * and x s% 0 = x; the one overflowing case, MIN s/ -1, wraps to MIN and
 * MIN s% -1 is 0 (the "wrap" rule of 4.1, spelled out by the later Linux
 * instruction-set.rst). Negating through unsigned keeps C's UB away.
 */
static inline uint64_t
sdiv64(uint64_t a, uint64_t b)
{
	if (b == 0)
		return 0;
	if (b == UINT64_MAX)
		return 0 - a;
	return (uint64_t)((int64_t)a / (int64_t)b);
}

static inline uint64_t
smod64(uint64_t a, uint64_t b)
{
	if (b == 0)
		return a;
	if (b == UINT64_MAX)
		return 0;
	return (uint64_t)((int64_t)a % (int64_t)b);
}

static inline uint32_t
sdiv32(uint32_t a, uint32_t b)
{
	if (b == 0)
		return 0;
	if (b == UINT32_MAX)
		return 0 - a;
	return (uint32_t)((int32_t)a / (int32_t)b);
}

static inline uint32_t
smod32(uint32_t a, uint32_t b)
{
	if (b == 0)
		return a;
	if (b == UINT32_MAX)
		return 0;
	return (uint32_t)((int32_t)a % (int32_t)b);
}

/* clang-format off */
#if CFG_VM_COMPUTED_GOTO
#define OP(name)	op_##name:
#define DISPATCH()	goto *labels[ip->handler]
#define RUN_OP()	goto *labels[ip->op]
#else
#define OP(name)	case VM_OP_##name:
#define DISPATCH()	goto dispatch
#define RUN_OP()	do { h = ip->op; goto run_op; } while (0)
#endif
#define NEXT()		do { ip++; DISPATCH(); } while (0)

/*
 * After a jump, call or return: the target starts a basic block (vm_load
 * made every one a leader), so pay for it here and run its op, saving the
 * BLOCK handler's dispatch. A slot that is no leader would cost 0.
 */
#define ENTER_BLOCK()							\
	do {								\
		if (!CFG_VM_BENCH_NO_GAS) {				\
			if (gas < ip->block_cost)			\
				goto out_of_gas;			\
			gas -= ip->block_cost;				\
		}							\
		RUN_OP();						\
	} while (0)

/* Register operands of the current instruction. */
#define DST		r[ip->dst]
#define SRC		r[ip->src]
#define IMM		(ip->imm)

/* dst = dst op v in 64 bits; in 32 bits with the result zero-extended. */
#define ALU64(name, expr)						\
	OP(name) { DST = (expr); NEXT(); }
#define ALU32(name, expr)						\
	OP(name) { DST = (uint32_t)(expr); NEXT(); }

/* A conditional jump: off is the target minus the next slot. */
#define JUMP_IF(name, cond)						\
	OP(name) { ip += (cond) ? ip->off + 1 : 1; ENTER_BLOCK(); }

/*
 * Region check, the same as vm_mem's: the region id is addr >> 28 (any
 * higher bit makes it >= VM_REGIONS), and offset + size must fit the
 * region's length (0 for absent regions and, in wlen, read-only ones).
 */
#define ADDR(base)	(a = (base) + (uint64_t)(int64_t)ip->off,	\
			 id = a >> VM_REGION_SHIFT, o = a & REGION_MASK)
#define LOAD(name, size, expr)						\
	OP(name) {							\
		ADDR(SRC);						\
		if (!CFG_VM_BENCH_NO_BOUNDS && (id >= VM_REGIONS ||	\
		    o + (size) > rlen[id]))				\
			goto fault_load;				\
		DST = (expr);						\
		NEXT();							\
	}
#define STORE(name, size, stmt)						\
	OP(name) {							\
		ADDR(DST);						\
		if (!CFG_VM_BENCH_NO_BOUNDS && (id >= VM_REGIONS ||	\
		    o + (size) > wlen[id]))				\
			goto fault_store;				\
		low[id] = o < low[id] ? o : low[id];			\
		stmt;							\
		NEXT();							\
	}
#define P		(host[id] + o)
/* clang-format on */

/* Load the regions from m: host pointers and readable/writable lengths. */
static void
load_regions(const struct vm_machine *m, uint8_t *host[VM_REGIONS],
    uint64_t rlen[VM_REGIONS], uint64_t wlen[VM_REGIONS])
{
	host[0] = NULL;
	rlen[0] = wlen[0] = 0;
	for (unsigned i = 1; i < VM_REGIONS; i++) {
		host[i] = m->region[i].host;
		rlen[i] = region_len(&m->region[i]);
		wlen[i] = m->region[i].writable ? rlen[i] : 0;
	}
}

void
vm_run(const struct vm_prog *prog, struct vm_machine *m, uint64_t r1,
    uint64_t r2, struct vm_result *out)
{
#if CFG_VM_COMPUTED_GOTO
#define LABEL(name) [VM_OP_##name] = &&op_##name,
	static const void *const labels[VM_OP_COUNT] = { VM_OPS(LABEL) };
#undef LABEL
#else
	unsigned h;
#endif
	const struct vm_insn *const base = prog->insns;
	const struct vm_insn *ip = base + prog->entry;
	const struct vm_helper_table *ht = m->helpers;
	struct vm_frame frames[VM_CALL_DEPTH_MAX];
	uint8_t *host[VM_REGIONS];
	uint64_t r[11], rlen[VM_REGIONS], wlen[VM_REGIONS], low[VM_REGIONS];
	uint64_t args[5], ret, a, id, o, hg, gas = m->gas, helper_gas = 0;
	const uint64_t gas0 = m->gas;
	unsigned depth = 1;
	enum vm_call_status st;
	enum vm_exit exit_code = VM_EXIT_DONE;
	enum vm_fault fault = VM_FAULT_NONE;
	uint64_t fault_addr = 0;

	load_regions(m, host, rlen, wlen);
	for (unsigned i = 0; i < VM_REGIONS; i++)
		low[i] = wlen[i];
	m->stack_dirty = (uint32_t)wlen[VM_REGION_STACK];
	for (unsigned i = 0; i < 11; i++)
		r[i] = 0;
	r[1] = r1;
	r[2] = r2;
	r[10] = VM_STACK_BASE + rlen[VM_REGION_STACK];
	a = 0;

#if CFG_VM_COMPUTED_GOTO
	DISPATCH();
#else
dispatch:
	h = ip->handler;
run_op:
	switch (h) {
#endif

	/* A basic block starts: pay for all of it or stop before it. */
	OP(BLOCK)
	{
		ENTER_BLOCK();
	}

	ALU64(ADD64_K, DST + IMM)
	ALU64(ADD64_X, DST + SRC)
	ALU64(SUB64_K, DST - IMM)
	ALU64(SUB64_X, DST - SRC)
	ALU64(MUL64_K, DST * IMM)
	ALU64(MUL64_X, DST * SRC)
	/* 4.1: division by zero gives 0, modulo by zero leaves dst. */
	ALU64(DIV64_K, IMM != 0 ? DST / IMM : 0)
	ALU64(DIV64_X, SRC != 0 ? DST / SRC : 0)
	ALU64(SDIV64_K, sdiv64(DST, IMM))
	ALU64(SDIV64_X, sdiv64(DST, SRC))
	ALU64(OR64_K, DST | IMM)
	ALU64(OR64_X, DST | SRC)
	ALU64(AND64_K, DST & IMM)
	ALU64(AND64_X, DST & SRC)
	/* 4.1: shift counts are masked to 6 bits (5 for ALU). */
	ALU64(LSH64_K, DST << (IMM & 63))
	ALU64(LSH64_X, DST << (SRC & 63))
	ALU64(RSH64_K, DST >> (IMM & 63))
	ALU64(RSH64_X, DST >> (SRC & 63))
	ALU64(MOD64_K, IMM != 0 ? DST % IMM : DST)
	ALU64(MOD64_X, SRC != 0 ? DST % SRC : DST)
	ALU64(SMOD64_K, smod64(DST, IMM))
	ALU64(SMOD64_X, smod64(DST, SRC))
	ALU64(XOR64_K, DST ^ IMM)
	ALU64(XOR64_X, DST ^ SRC)
	ALU64(MOV64_K, IMM)
	ALU64(MOV64_X, SRC)
	ALU64(ARSH64_K, (uint64_t)((int64_t)DST >> (IMM & 63)))
	ALU64(ARSH64_X, (uint64_t)((int64_t)DST >> (SRC & 63)))
	ALU64(NEG64, 0 - DST)
	ALU64(MOVSX64_8, (uint64_t)(int64_t)(int8_t)SRC)
	ALU64(MOVSX64_16, (uint64_t)(int64_t)(int16_t)SRC)
	ALU64(MOVSX64_32, (uint64_t)(int64_t)(int32_t)SRC)

	/* ALU: 32-bit operands, imm a u32 (decoded so), result zero-extended. */
	ALU32(ADD32_K, (uint32_t)DST + (uint32_t)IMM)
	ALU32(ADD32_X, (uint32_t)DST + (uint32_t)SRC)
	ALU32(SUB32_K, (uint32_t)DST - (uint32_t)IMM)
	ALU32(SUB32_X, (uint32_t)DST - (uint32_t)SRC)
	ALU32(MUL32_K, (uint32_t)DST * (uint32_t)IMM)
	ALU32(MUL32_X, (uint32_t)DST * (uint32_t)SRC)
	ALU32(DIV32_K, (uint32_t)IMM != 0 ? (uint32_t)DST / (uint32_t)IMM : 0)
	ALU32(DIV32_X, (uint32_t)SRC != 0 ? (uint32_t)DST / (uint32_t)SRC : 0)
	ALU32(SDIV32_K, sdiv32((uint32_t)DST, (uint32_t)IMM))
	ALU32(SDIV32_X, sdiv32((uint32_t)DST, (uint32_t)SRC))
	ALU32(OR32_K, (uint32_t)DST | (uint32_t)IMM)
	ALU32(OR32_X, (uint32_t)DST | (uint32_t)SRC)
	ALU32(AND32_K, (uint32_t)DST & (uint32_t)IMM)
	ALU32(AND32_X, (uint32_t)DST & (uint32_t)SRC)
	ALU32(LSH32_K, (uint32_t)DST << (IMM & 31))
	ALU32(LSH32_X, (uint32_t)DST << (SRC & 31))
	ALU32(RSH32_K, (uint32_t)DST >> (IMM & 31))
	ALU32(RSH32_X, (uint32_t)DST >> (SRC & 31))
	/* 4.1: ALU modulo by zero keeps dst's low half, zeroes the rest. */
	ALU32(MOD32_K,
	    (uint32_t)IMM != 0 ? (uint32_t)DST % (uint32_t)IMM : (uint32_t)DST)
	ALU32(MOD32_X,
	    (uint32_t)SRC != 0 ? (uint32_t)DST % (uint32_t)SRC : (uint32_t)DST)
	ALU32(SMOD32_K, smod32((uint32_t)DST, (uint32_t)IMM))
	ALU32(SMOD32_X, smod32((uint32_t)DST, (uint32_t)SRC))
	ALU32(XOR32_K, (uint32_t)DST ^ (uint32_t)IMM)
	ALU32(XOR32_X, (uint32_t)DST ^ (uint32_t)SRC)
	ALU32(MOV32_K, IMM)
	ALU32(MOV32_X, SRC)
	ALU32(ARSH32_K, (uint32_t)((int32_t)(uint32_t)DST >> (IMM & 31)))
	ALU32(ARSH32_X, (uint32_t)((int32_t)(uint32_t)DST >> (SRC & 31)))
	ALU32(NEG32, 0u - (uint32_t)DST)
	ALU32(MOVSX32_8, (uint32_t)(int32_t)(int8_t)SRC)
	ALU32(MOVSX32_16, (uint32_t)(int32_t)(int16_t)SRC)

	/* 4.2: the VM is little-endian, so TO_LE truncates and TO_BE (and
	 * ALU64's bswap) swaps; the upper bits are zeroed either way. */
	ALU64(LE16, DST & 0xffff)
	ALU64(LE32, DST & 0xffffffff)
	ALU64(BE16, swap16(DST))
	ALU64(BE32, swap32(DST))
	ALU64(BE64, swap64(DST))
	OP(NOP)
	{
		NEXT();
	}

	OP(JA)
	{
		ip += ip->off + 1;
		ENTER_BLOCK();
	}
	/* 4.3: JMP compares 64 bits with imm sign-extended; JMP32 the low 32. */
	JUMP_IF(JEQ_K, DST == IMM)
	JUMP_IF(JEQ_X, DST == SRC)
	JUMP_IF(JGT_K, DST > IMM)
	JUMP_IF(JGT_X, DST > SRC)
	JUMP_IF(JGE_K, DST >= IMM)
	JUMP_IF(JGE_X, DST >= SRC)
	JUMP_IF(JSET_K, (DST & IMM) != 0)
	JUMP_IF(JSET_X, (DST & SRC) != 0)
	JUMP_IF(JNE_K, DST != IMM)
	JUMP_IF(JNE_X, DST != SRC)
	JUMP_IF(JSGT_K, (int64_t)DST > (int64_t)IMM)
	JUMP_IF(JSGT_X, (int64_t)DST > (int64_t)SRC)
	JUMP_IF(JSGE_K, (int64_t)DST >= (int64_t)IMM)
	JUMP_IF(JSGE_X, (int64_t)DST >= (int64_t)SRC)
	JUMP_IF(JLT_K, DST < IMM)
	JUMP_IF(JLT_X, DST < SRC)
	JUMP_IF(JLE_K, DST <= IMM)
	JUMP_IF(JLE_X, DST <= SRC)
	JUMP_IF(JSLT_K, (int64_t)DST < (int64_t)IMM)
	JUMP_IF(JSLT_X, (int64_t)DST < (int64_t)SRC)
	JUMP_IF(JSLE_K, (int64_t)DST <= (int64_t)IMM)
	JUMP_IF(JSLE_X, (int64_t)DST <= (int64_t)SRC)
	JUMP_IF(JEQ32_K, (uint32_t)DST == (uint32_t)IMM)
	JUMP_IF(JEQ32_X, (uint32_t)DST == (uint32_t)SRC)
	JUMP_IF(JGT32_K, (uint32_t)DST > (uint32_t)IMM)
	JUMP_IF(JGT32_X, (uint32_t)DST > (uint32_t)SRC)
	JUMP_IF(JGE32_K, (uint32_t)DST >= (uint32_t)IMM)
	JUMP_IF(JGE32_X, (uint32_t)DST >= (uint32_t)SRC)
	JUMP_IF(JSET32_K, ((uint32_t)DST & (uint32_t)IMM) != 0)
	JUMP_IF(JSET32_X, ((uint32_t)DST & (uint32_t)SRC) != 0)
	JUMP_IF(JNE32_K, (uint32_t)DST != (uint32_t)IMM)
	JUMP_IF(JNE32_X, (uint32_t)DST != (uint32_t)SRC)
	JUMP_IF(JSGT32_K, (int32_t)DST > (int32_t)IMM)
	JUMP_IF(JSGT32_X, (int32_t)DST > (int32_t)SRC)
	JUMP_IF(JSGE32_K, (int32_t)DST >= (int32_t)IMM)
	JUMP_IF(JSGE32_X, (int32_t)DST >= (int32_t)SRC)
	JUMP_IF(JLT32_K, (uint32_t)DST < (uint32_t)IMM)
	JUMP_IF(JLT32_X, (uint32_t)DST < (uint32_t)SRC)
	JUMP_IF(JLE32_K, (uint32_t)DST <= (uint32_t)IMM)
	JUMP_IF(JLE32_X, (uint32_t)DST <= (uint32_t)SRC)
	JUMP_IF(JSLT32_K, (int32_t)DST < (int32_t)IMM)
	JUMP_IF(JSLT32_X, (int32_t)DST < (int32_t)SRC)
	JUMP_IF(JSLE32_K, (int32_t)DST <= (int32_t)IMM)
	JUMP_IF(JSLE32_X, (int32_t)DST <= (int32_t)SRC)

	/* A helper: granted and present, its gas paid, then called. */
	OP(CALL)
	{
		id = IMM;
		if (id >= VM_HELPERS_MAX || !(prog->helpers >> id & 1) ||
		    ht == NULL || ht->fn[id] == NULL) {
			exit_code = VM_EXIT_FAULT;
			fault = VM_FAULT_NOT_GRANTED;
			goto out;
		}
		hg = ht->gas[id];
		if (gas < hg) {
			exit_code = VM_EXIT_GAS;
			goto out;
		}
		gas -= hg;
		helper_gas += hg;
		for (unsigned i = 0; i < 5; i++)
			args[i] = r[1 + i];
		m->gas = gas;
		m->stack_dirty = (uint32_t)low[VM_REGION_STACK];
		ret = 0;
		st = ht->fn[id](m, args, &ret);
		/* The helper may have moved regions (alloc grows the heap)
		 * and written to the stack through vm_mem. */
		load_regions(m, host, rlen, wlen);
		if (m->stack_dirty < low[VM_REGION_STACK])
			low[VM_REGION_STACK] = m->stack_dirty;
		if (st == VM_CALL_OK) {
			r[0] = ret;
			ip++;
			ENTER_BLOCK();
		}
		exit_code =
		    st == VM_CALL_STOP ? VM_EXIT_STOPPED : VM_EXIT_FAULT;
		fault = st == VM_CALL_STOP ? VM_FAULT_NONE : VM_FAULT_HELPER;
		goto out;
	}
	OP(CALL_LOCAL)
	{
		if (depth >= VM_CALL_DEPTH_MAX) {
			exit_code = VM_EXIT_FAULT;
			fault = VM_FAULT_DEPTH;
			goto out;
		}
		frames[depth].saved[0] = r[6];
		frames[depth].saved[1] = r[7];
		frames[depth].saved[2] = r[8];
		frames[depth].saved[3] = r[9];
		frames[depth].r10 = r[10];
		frames[depth].ret = ip + 1;
		depth++;
		r[10] -= VM_FRAME_SIZE;
		ip = base + IMM;
		ENTER_BLOCK();
	}
	OP(EXIT)
	{
		if (depth == 1)
			goto out;
		depth--;
		r[6] = frames[depth].saved[0];
		r[7] = frames[depth].saved[1];
		r[8] = frames[depth].saved[2];
		r[9] = frames[depth].saved[3];
		r[10] = frames[depth].r10;
		ip = frames[depth].ret;
		ENTER_BLOCK();
	}
	OP(LDDW)
	{
		DST = IMM;
		ip += 2;
		DISPATCH();
	}

	/* 5.1, 5.2: little-endian byte access, safe at any alignment. */
	LOAD(LDXB, 1, *P)
	LOAD(LDXH, 2, le16_load(P))
	LOAD(LDXW, 4, le32_load(P))
	LOAD(LDXDW, 8, le64_load(P))
	LOAD(LDXSB, 1, (uint64_t)(int64_t)(int8_t)*P)
	LOAD(LDXSH, 2, (uint64_t)(int64_t)(int16_t)le16_load(P))
	LOAD(LDXSW, 4, (uint64_t)(int64_t)(int32_t)le32_load(P))
	STORE(STB, 1, *P = (uint8_t)IMM)
	STORE(STH, 2, le16_store(P, (uint16_t)IMM))
	STORE(STW, 4, le32_store(P, (uint32_t)IMM))
	STORE(STDW, 8, le64_store(P, IMM))
	STORE(STXB, 1, *P = (uint8_t)SRC)
	STORE(STXH, 2, le16_store(P, (uint16_t)SRC))
	STORE(STXW, 4, le32_store(P, (uint32_t)SRC))
	STORE(STXDW, 8, le64_store(P, SRC))

#if !CFG_VM_COMPUTED_GOTO
default: /* vm_load makes no other handler */
	exit_code = VM_EXIT_FAULT;
	goto out;
}
#endif

out_of_gas : exit_code = VM_EXIT_GAS;
goto out;
fault_load : exit_code = VM_EXIT_FAULT;
fault = VM_FAULT_LOAD;
fault_addr = a;
goto out;
fault_store : exit_code = VM_EXIT_FAULT;
fault = VM_FAULT_STORE;
fault_addr = a;
out :
    /* Leave the stack as zero as it was: clear from the lowest byte
	 * written (by the program or a helper) to the top. */
    if (m->stack_dirty < low[VM_REGION_STACK]) low[VM_REGION_STACK] =
	m->stack_dirty;
{
	uint8_t *stack = m->region[VM_REGION_STACK].host;
	uint64_t top = m->region[VM_REGION_STACK].writable ?
	    region_len(&m->region[VM_REGION_STACK]) :
	    0;

	for (uint64_t i = low[VM_REGION_STACK]; i < top; i++)
		stack[i] = 0;
}
out->exit = exit_code;
out->fault = fault;
out->fault_pc = exit_code == VM_EXIT_DONE ? 0 : (uint32_t)(ip - base);
out->fault_addr = fault_addr;
out->r0 = r[0];
out->gas_used = gas0 - gas;
out->insns = out->gas_used - helper_gas;
m->gas = gas;
}

const char *
vm_fault_name(enum vm_fault f)
{
	switch (f) {
	case VM_FAULT_NONE:
		return "none";
	case VM_FAULT_LOAD:
		return "load";
	case VM_FAULT_STORE:
		return "store";
	case VM_FAULT_HELPER:
		return "helper";
	case VM_FAULT_NOT_GRANTED:
		return "not-granted";
	case VM_FAULT_DEPTH:
		return "depth";
	}
	return "unknown";
}
