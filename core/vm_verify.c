/*
 * The gene VM's load-time verifier and decoder (vm.h). A few linear passes
 * over the raw RFC 9669 instructions, no data flow:
 *
 *   1. every instruction on its own: opcode allowlist, register numbers,
 *      reserved fields, r10 never written, lddw's second slot, r10-relative
 *      offsets inside the frame, helper ids granted;
 *   2. the entry and the local-call targets, which are the function starts
 *      (slot 0 always starts one too, so every slot belongs to a function);
 *   3. each function: jumps stay inside it and its last instruction is EXIT
 *      or JA;
 *   4. the call graph: no cycle, and no chain deeper than VM_CALL_DEPTH_MAX.
 *
 * What the verifier proves is what the interpreter relies on: it never
 * leaves the program, never meets an opcode it has no handler for, and
 * every register index is below 11. Memory is checked at run time.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "kformat.h"
#include "vm.h"

/* RFC 9669 section 3: the opcode's class, source bit, code, mode and size. */
/* clang-format off */
#define CLASS(op)	((op) & 0x07)
#define SRC_X		0x08
#define CODE(op)	((op) & 0xf0)
#define MODE(op)	((op) & 0xe0)
#define SIZE(op)	((op) & 0x18)
/* clang-format on */

enum {
	CLASS_LD = 0,
	CLASS_LDX = 1,
	CLASS_ST = 2,
	CLASS_STX = 3,
	CLASS_ALU = 4,
	CLASS_JMP = 5,
	CLASS_JMP32 = 6,
	CLASS_ALU64 = 7
};
enum { SIZE_W = 0x00, SIZE_H = 0x08, SIZE_B = 0x10, SIZE_DW = 0x18 };
enum {
	MODE_IMM = 0x00,
	MODE_ABS = 0x20,
	MODE_IND = 0x40,
	MODE_MEM = 0x60,
	MODE_MEMSX = 0x80,
	MODE_ATOMIC = 0xc0
};
enum {
	ALU_ADD = 0x00,
	ALU_SUB = 0x10,
	ALU_MUL = 0x20,
	ALU_DIV = 0x30,
	ALU_OR = 0x40,
	ALU_AND = 0x50,
	ALU_LSH = 0x60,
	ALU_RSH = 0x70,
	ALU_NEG = 0x80,
	ALU_MOD = 0x90,
	ALU_XOR = 0xa0,
	ALU_MOV = 0xb0,
	ALU_ARSH = 0xc0,
	ALU_END = 0xd0
};
enum { JMP_JA = 0x00, JMP_CALL = 0x80, JMP_EXIT = 0x90 };

#define OPC_LDDW    0x18
#define OPC_JA      0x05
#define OPC_JA32    0x06
#define OPC_CALL    0x85
#define OPC_EXIT    0x95
#define CALL_HELPER 0
#define CALL_LOCAL  1

/* What an instruction's fields mean (insn_shape). */
#define F_DST    0x001 /* dst is a register it reads or writes */
#define F_WDST   0x002 /* it writes dst */
#define F_SRC    0x004 /* src is a register it reads */
#define F_OFF    0x008 /* off is used */
#define F_IMM    0x010 /* imm is used */
#define F_SRCSEL 0x020 /* src selects a variant (call, lddw) */
#define F_JUMP   0x040 /* off, or imm for JMP32 JA, is a jump */
#define F_CALL   0x080
#define F_MEM    0x100 /* a load or store through dst or src */
#define F_EXIT   0x200

/* One raw 8-byte slot, RFC 9669 section 3.1. */
struct raw {
	uint8_t op, dst, src;
	int16_t off;
	int32_t imm;
};

/* Everything the passes share; on the caller's stack (about 800 bytes). */
struct verifier {
	const uint8_t *code;
	uint32_t n;
	uint32_t entry;
	uint32_t helpers;
	struct vm_verify_error *err;
	uint32_t second[VM_INSNS_MAX / 32]; /* lddw second slots */
	uint32_t func[VM_INSNS_MAX / 32];   /* function starts */
	/*
	 * nibbles, by function start: 0 not seen, 15 on the chain being walked,
	 * else the longest chain in frames
	 */
	uint8_t height[VM_INSNS_MAX / 2];
};

#define HEIGHT_ON_CHAIN 15

/* Decode slot pc of the program into *r. */
static void
raw_at(const uint8_t *code, uint32_t pc, struct raw *r)
{
	const uint8_t *p = code + (size_t)pc * 8;

	r->op = p[0];
	r->dst = p[1] & 0x0f;
	r->src = p[1] >> 4;
	r->off = (int16_t)le16_load(p + 2);
	r->imm = (int32_t)le32_load(p + 4);
}

/* Test bit i of a bitmap. */
static int
bit_get(const uint32_t *map, uint32_t i)
{
	return (int)(map[i / 32] >> (i % 32) & 1);
}

/* Set bit i of a bitmap. */
static void
bit_set(uint32_t *map, uint32_t i)
{
	map[i / 32] |= (uint32_t)1 << (i % 32);
}

/* The first function start after slot s, or n when s starts the last one. */
static uint32_t
next_func(const struct verifier *v, uint32_t s)
{
	for (uint32_t i = s + 1; i < v->n; i++) {
		if (i % 32 == 0 && v->func[i / 32] == 0) {
			i += 31;
			continue;
		}
		if (bit_get(v->func, i))
			return i;
	}
	return v->n;
}

/* The longest call chain recorded for the function starting at s. */
static unsigned
height_get(const struct verifier *v, uint32_t s)
{
	return v->height[s / 2] >> (s % 2 * 4) & 0x0f;
}

/* Record h for the function starting at s. */
static void
height_set(struct verifier *v, uint32_t s, unsigned h)
{
	unsigned shift = s % 2 * 4;

	v->height[s / 2] = (uint8_t)((v->height[s / 2] & ~(0x0fu << shift)) |
	    (h & 0x0f) << shift);
}

/* Fill *err (when given) and return -CELL_E_RANGE. */
static int reject(struct verifier *v, enum vm_reject why, uint32_t insn,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
reject(struct verifier *v, enum vm_reject why, uint32_t insn, const char *fmt,
    ...)
{
	va_list ap;

	if (v->err != NULL) {
		v->err->reject = why;
		v->err->insn = insn;
		va_start(ap, fmt);
		kvsnprintf(v->err->reason, sizeof v->err->reason, fmt, ap);
		va_end(ap);
	}
	return -CELL_E_RANGE;
}

/*
 * A name for an opcode family this VM refuses on purpose, or NULL for a
 * byte that is not an RFC 9669 opcode at all.
 */
static const char *
refused_name(uint8_t op)
{
	switch (CLASS(op)) {
	case CLASS_LD:
		if (MODE(op) == MODE_ABS || MODE(op) == MODE_IND)
			return "legacy packet load";
		return NULL;
	case CLASS_STX:
		if (MODE(op) == MODE_ATOMIC)
			return "atomic";
		return NULL;
	case CLASS_JMP:
		if (op == (OPC_CALL | SRC_X))
			return "callx";
		return NULL;
	default:
		return NULL;
	}
}

/*
 * The fields opcode op uses (F_*), or 0 when the opcode is outside the
 * allowlist: RFC 9669 sections 4 and 5, the base64, alu32/jmp32 and
 * divmul32/64 groups, without atomics, legacy packet loads and callx.
 */
static unsigned
insn_shape(uint8_t op)
{
	unsigned code = CODE(op), x = op & SRC_X;

	switch (CLASS(op)) {
	case CLASS_ALU:
	case CLASS_ALU64:
		if (code > ALU_END)
			return 0;
		if (code == ALU_NEG) /* section 4.1: NEG is K only */
			return x ? 0 : F_DST | F_WDST;
		if (code == ALU_END) /* section 4.2: ALU64 s bit reserved */
			return CLASS(op) == CLASS_ALU64 && x ?
			    0 :
			    F_DST | F_WDST | F_IMM;
		if (code == ALU_MOV && !x)
			return F_DST | F_WDST | F_IMM;
		return F_DST | F_WDST | (x ? F_SRC : F_IMM) |
		    (code == ALU_DIV || code == ALU_MOD || code == ALU_MOV ?
			    F_OFF :
			    0);
	case CLASS_JMP:
	case CLASS_JMP32:
		if (code == JMP_JA) {
			if (x)
				return 0;
			return F_JUMP |
			    (CLASS(op) == CLASS_JMP ? F_OFF : F_IMM);
		}
		if (code == JMP_CALL)
			return op == OPC_CALL ? F_CALL | F_IMM | F_SRCSEL : 0;
		if (code == JMP_EXIT)
			return op == OPC_EXIT ? F_EXIT : 0;
		if (code > 0xd0)
			return 0;
		return F_DST | F_OFF | F_JUMP | (x ? F_SRC : F_IMM);
	case CLASS_LD:
		return op == OPC_LDDW ? F_DST | F_WDST | F_IMM | F_SRCSEL : 0;
	case CLASS_LDX:
		if (MODE(op) == MODE_MEM ||
		    (MODE(op) == MODE_MEMSX && SIZE(op) != SIZE_DW))
			return F_DST | F_WDST | F_SRC | F_OFF | F_MEM;
		return 0;
	case CLASS_ST:
		return MODE(op) == MODE_MEM ? F_DST | F_OFF | F_IMM | F_MEM : 0;
	default: /* CLASS_STX */
		return MODE(op) == MODE_MEM ? F_DST | F_SRC | F_OFF | F_MEM : 0;
	}
}

/* Bytes a load or store of opcode op moves (RFC 9669 section 5). */
static unsigned
mem_size(uint8_t op)
{
	switch (SIZE(op)) {
	case SIZE_W:
		return 4;
	case SIZE_H:
		return 2;
	case SIZE_B:
		return 1;
	default:
		return 8;
	}
}

/* Slot pc + 1 + delta, the target of a jump or local call, in 64 bits. */
static int64_t
target_of(uint32_t pc, int64_t delta)
{
	return (int64_t)pc + 1 + delta;
}

/*
 * Check the values of the fields an opcode does use but only partly:
 * sdiv/smod's off, movsx's off, END's width (RFC 9669 sections 4.1, 4.2).
 */
static int
check_values(struct verifier *v, uint32_t pc, const struct raw *r)
{
	unsigned cls = CLASS(r->op), code = CODE(r->op);

	if (cls != CLASS_ALU && cls != CLASS_ALU64)
		return 0;
	if ((code == ALU_DIV || code == ALU_MOD) && r->off != 0 && r->off != 1)
		return reject(v, VM_REJECT_RESERVED, pc,
		    "opcode 0x%02x has off %d (0, or 1 for the signed form)",
		    r->op, (int)r->off);
	if (code == ALU_MOV && (r->op & SRC_X) && r->off != 0 && r->off != 8 &&
	    r->off != 16 && (r->off != 32 || cls == CLASS_ALU))
		return reject(v, VM_REJECT_RESERVED, pc,
		    "opcode 0x%02x (movsx) has off %d (must be 8, 16%s)", r->op,
		    (int)r->off, cls == CLASS_ALU ? "" : " or 32");
	if (code == ALU_END && r->imm != 16 && r->imm != 32 && r->imm != 64)
		return reject(v, VM_REJECT_RESERVED, pc,
		    "opcode 0x%02x (byte swap) has width %d (16, 32 or 64)",
		    r->op, (int)r->imm);
	return 0;
}

/* Pass 1 for the instruction in slot pc: everything it says about itself. */
static int
check_insn(struct verifier *v, uint32_t pc, const struct raw *r)
{
	unsigned f = insn_shape(r->op), size;
	const char *name;
	uint8_t base;
	int64_t t;
	int rc;

	if (f == 0) {
		name = refused_name(r->op);
		if (name != NULL)
			return reject(v, VM_REJECT_OPCODE, pc,
			    "opcode 0x%02x (%s) is not allowed", r->op, name);
		return reject(v, VM_REJECT_OPCODE, pc,
		    "opcode 0x%02x is not in the instruction set", r->op);
	}
	if (r->op == OPC_CALL && r->src == 2)
		return reject(v, VM_REJECT_OPCODE, pc,
		    "call src 2 (helper by BTF id) is not allowed");
	if (r->op == OPC_CALL && r->src > CALL_LOCAL)
		return reject(v, VM_REJECT_OPCODE, pc,
		    "call src %u is not in the instruction set",
		    (unsigned)r->src);
	if (r->op == OPC_LDDW && r->src != 0)
		return reject(v, VM_REJECT_OPCODE, pc,
		    "lddw src %u (map or pseudo load) is not allowed",
		    (unsigned)r->src);
	if ((f & F_DST) && r->dst > 10)
		return reject(v, VM_REJECT_REGISTER, pc,
		    "opcode 0x%02x has dst r%u (registers are r0..r10)", r->op,
		    (unsigned)r->dst);
	if ((f & F_SRC) && r->src > 10)
		return reject(v, VM_REJECT_REGISTER, pc,
		    "opcode 0x%02x has src r%u (registers are r0..r10)", r->op,
		    (unsigned)r->src);
	if (!(f & F_DST) && r->dst != 0)
		return reject(v, VM_REJECT_RESERVED, pc,
		    "opcode 0x%02x has dst %u (unused: must be 0)", r->op,
		    (unsigned)r->dst);
	if (!(f & (F_SRC | F_SRCSEL)) && r->src != 0)
		return reject(v, VM_REJECT_RESERVED, pc,
		    "opcode 0x%02x has src %u (unused: must be 0)", r->op,
		    (unsigned)r->src);
	if (!(f & F_OFF) && r->off != 0)
		return reject(v, VM_REJECT_RESERVED, pc,
		    "opcode 0x%02x has off %d (unused: must be 0)", r->op,
		    (int)r->off);
	if (!(f & F_IMM) && r->imm != 0)
		return reject(v, VM_REJECT_RESERVED, pc,
		    "opcode 0x%02x has imm %d (unused: must be 0)", r->op,
		    (int)r->imm);
	if ((rc = check_values(v, pc, r)) != 0)
		return rc;
	if ((f & F_WDST) && r->dst == 10)
		return reject(v, VM_REJECT_R10_WRITE, pc,
		    "opcode 0x%02x writes r10 (the frame pointer is read-only)",
		    r->op);
	if (f & F_MEM) {
		base = CLASS(r->op) == CLASS_LDX ? r->src : r->dst;
		size = mem_size(r->op);
		if (base == 10 &&
		    (r->off < -VM_FRAME_SIZE || r->off > -(int)size))
			return reject(v, VM_REJECT_STACK, pc,
			    "r10 access at off %d, size %u, outside the frame"
			    " (%d..-%u)",
			    (int)r->off, size, -VM_FRAME_SIZE, size);
	}
	if (r->op == OPC_CALL && r->src == CALL_HELPER) {
		if (r->imm < 1 || r->imm >= VM_HELPERS_MAX)
			return reject(v, VM_REJECT_HELPER, pc,
			    "helper %d is unknown (ids are 1..%d)", (int)r->imm,
			    VM_HELPERS_MAX - 1);
		if (!(v->helpers >> r->imm & 1))
			return reject(v, VM_REJECT_HELPER, pc,
			    "helper %d is not granted (granted mask 0x%04x)",
			    (int)r->imm, (unsigned)v->helpers);
	}
	if (r->op == OPC_CALL && r->src == CALL_LOCAL) {
		t = target_of(pc, r->imm);
		if (t < 0 || t >= (int64_t)v->n)
			return reject(v, VM_REJECT_CALL, pc,
			    "call to slot %lld, outside 0..%u", (long long)t,
			    (unsigned)(v->n - 1));
	}
	return 0;
}

/* Pass 1: every instruction, and where the lddw second slots are. */
static int
check_slots(struct verifier *v)
{
	struct raw r, r2;
	int rc;

	for (uint32_t pc = 0; pc < v->n; pc++) {
		raw_at(v->code, pc, &r);
		if ((rc = check_insn(v, pc, &r)) != 0)
			return rc;
		if (r.op != OPC_LDDW)
			continue;
		if (pc + 1 >= v->n)
			return reject(v, VM_REJECT_LDDW, pc,
			    "lddw at slot %u has no second slot", pc);
		raw_at(v->code, pc + 1, &r2);
		if (r2.op != 0 || r2.dst != 0 || r2.src != 0 || r2.off != 0)
			return reject(v, VM_REJECT_LDDW, pc,
			    "lddw second slot has opcode 0x%02x, regs 0x%02x,"
			    " off %d (must all be 0)",
			    r2.op, (unsigned)(r2.dst | r2.src << 4),
			    (int)r2.off);
		bit_set(v->second, pc + 1);
		pc++;
	}
	return 0;
}

/* Pass 2: the entry, and the function starts (slot 0, entry, call targets). */
static int
find_functions(struct verifier *v)
{
	struct raw r;
	int64_t t;

	if (bit_get(v->second, v->entry))
		return reject(v, VM_REJECT_ENTRY, v->entry,
		    "entry slot %u is the second slot of an lddw", v->entry);
	bit_set(v->func, 0);
	bit_set(v->func, v->entry);
	for (uint32_t pc = 0; pc < v->n; pc++) {
		raw_at(v->code, pc, &r);
		if (r.op != OPC_CALL || r.src != CALL_LOCAL ||
		    bit_get(v->second, pc))
			continue;
		t = target_of(pc, r.imm); /* in range: pass 1 */
		if (bit_get(v->second, (uint32_t)t))
			return reject(v, VM_REJECT_CALL, pc,
			    "call to slot %u, the second slot of an lddw",
			    (unsigned)t);
		bit_set(v->func, (uint32_t)t);
	}
	return 0;
}

/* Pass 3: jumps stay in their function, which ends in EXIT or JA. */
static int
check_functions(struct verifier *v)
{
	struct raw r;
	uint32_t e, last;
	int64_t t;

	for (uint32_t s = 0; s < v->n; s = e) {
		e = next_func(v, s);
		for (uint32_t pc = s; pc < e; pc++) {
			if (bit_get(v->second, pc))
				continue;
			raw_at(v->code, pc, &r);
			if (!(insn_shape(r.op) & F_JUMP))
				continue;
			t = target_of(pc, r.op == OPC_JA32 ? r.imm : r.off);
			if (t < 0 || t >= (int64_t)v->n)
				return reject(v, VM_REJECT_JUMP, pc,
				    "jump to slot %lld, outside 0..%u",
				    (long long)t, (unsigned)(v->n - 1));
			if (bit_get(v->second, (uint32_t)t))
				return reject(v, VM_REJECT_JUMP, pc,
				    "jump to slot %u, the second slot of an"
				    " lddw",
				    (unsigned)t);
			if (t < s || t >= e)
				return reject(v, VM_REJECT_JUMP, pc,
				    "jump to slot %u leaves its function"
				    " (slots %u..%u)",
				    (unsigned)t, s, e - 1);
		}
		last = bit_get(v->second, e - 1) ? e - 2 : e - 1;
		raw_at(v->code, last, &r);
		if (r.op != OPC_EXIT && r.op != OPC_JA && r.op != OPC_JA32)
			return reject(v, VM_REJECT_FALLTHROUGH, last,
			    "function at slot %u ends with opcode 0x%02x at"
			    " slot %u, not exit or ja",
			    s, r.op, last);
	}
	return 0;
}

/* The target slot of the local call in slot pc (verified in range). */
static uint32_t
call_target(const struct verifier *v, uint32_t pc)
{
	struct raw r;

	raw_at(v->code, pc, &r);
	return (uint32_t)target_of(pc, r.imm);
}

/* Whether slot pc holds a local call (a second slot never does: opcode 0). */
static int
is_local_call(const struct verifier *v, uint32_t pc)
{
	const uint8_t *p = v->code + (size_t)pc * 8;

	return p[0] == OPC_CALL && p[1] >> 4 == CALL_LOCAL;
}

_Static_assert(VM_CALL_DEPTH_MAX < HEIGHT_ON_CHAIN,
    "call chain heights fit a nibble");

/*
 * Pass 4 from one root: walk the call graph depth first without recursion
 * (the chain being walked is at most VM_CALL_DEPTH_MAX long), remembering
 * each finished function's longest chain so that each is walked once.
 */
static int
check_calls_from(struct verifier *v, uint32_t root)
{
	struct chain {
		uint32_t start, end, pc;
		unsigned below; /* longest chain of any callee so far */
	} c[VM_CALL_DEPTH_MAX];
	unsigned sp = 1, h;
	uint32_t pc, t;

	if (height_get(v, root) != 0)
		return 0;
	c[0] = (struct chain){ root, next_func(v, root), root, 0 };
	height_set(v, root, HEIGHT_ON_CHAIN);
	while (sp > 0) {
		struct chain *f = &c[sp - 1];

		for (pc = f->pc; pc < f->end && !is_local_call(v, pc); pc++)
			continue;
		if (pc == f->end) {
			h = f->below + 1;
			height_set(v, f->start, h);
			if (--sp > 0 && c[sp - 1].below < h)
				c[sp - 1].below = h;
			continue;
		}
		f->pc = pc + 1;
		t = call_target(v, pc);
		h = height_get(v, t);
		if (h == HEIGHT_ON_CHAIN)
			return reject(v, VM_REJECT_CALL, pc,
			    "call to slot %u is recursive (that function is"
			    " already on the call chain)",
			    t);
		if (h == 0) {
			if (sp == VM_CALL_DEPTH_MAX)
				return reject(v, VM_REJECT_CALL, pc,
				    "call to slot %u makes a call chain of"
				    " more than %d frames",
				    t, VM_CALL_DEPTH_MAX);
			c[sp++] = (struct chain){ t, next_func(v, t), t, 0 };
			height_set(v, t, HEIGHT_ON_CHAIN);
			continue;
		}
		if (sp + h > VM_CALL_DEPTH_MAX)
			return reject(v, VM_REJECT_CALL, pc,
			    "call to slot %u makes a call chain of more than"
			    " %d frames",
			    t, VM_CALL_DEPTH_MAX);
		if (f->below < h)
			f->below = h;
	}
	return 0;
}

/* Pass 4: from the entry first, then from every other function. */
static int
check_calls(struct verifier *v)
{
	int rc;

	if ((rc = check_calls_from(v, v->entry)) != 0)
		return rc;
	for (uint32_t s = 0; s < v->n; s = next_func(v, s))
		if ((rc = check_calls_from(v, s)) != 0)
			return rc;
	return 0;
}

int
vm_verify(const uint8_t *code, uint32_t num_slots, uint32_t entry,
    uint32_t helpers, struct vm_verify_error *err)
{
	struct verifier v;
	int rc;

	for (size_t i = 0; i < sizeof v.second / sizeof v.second[0]; i++)
		v.second[i] = v.func[i] = 0;
	for (size_t i = 0; i < sizeof v.height; i++)
		v.height[i] = 0;
	v.code = code;
	v.n = num_slots;
	v.entry = entry;
	v.helpers = helpers;
	v.err = err;
	if (code == NULL || num_slots == 0 || num_slots > VM_INSNS_MAX)
		return reject(&v, VM_REJECT_LENGTH, 0,
		    "program has %u slots (must be 1..%d)", num_slots,
		    VM_INSNS_MAX);
	if (entry >= num_slots)
		return reject(&v, VM_REJECT_ENTRY, entry,
		    "entry slot %u, outside 0..%u", entry, num_slots - 1);
	if ((rc = check_slots(&v)) != 0 || (rc = find_functions(&v)) != 0 ||
	    (rc = check_functions(&v)) != 0 || (rc = check_calls(&v)) != 0)
		return rc;
	if (err != NULL) {
		err->reject = VM_REJECT_NONE;
		err->insn = 0;
		err->reason[0] = '\0';
	}
	return 0;
}

/* ---- decoding ---- */

/* ALU operations by code >> 4, for K and X sources (RFC 9669 table 5). */
static const uint8_t alu64_ops[2][13] = {
	{ VM_OP_ADD64_K, VM_OP_SUB64_K, VM_OP_MUL64_K, VM_OP_DIV64_K,
	    VM_OP_OR64_K, VM_OP_AND64_K, VM_OP_LSH64_K, VM_OP_RSH64_K,
	    VM_OP_NEG64, VM_OP_MOD64_K, VM_OP_XOR64_K, VM_OP_MOV64_K,
	    VM_OP_ARSH64_K },
	{ VM_OP_ADD64_X, VM_OP_SUB64_X, VM_OP_MUL64_X, VM_OP_DIV64_X,
	    VM_OP_OR64_X, VM_OP_AND64_X, VM_OP_LSH64_X, VM_OP_RSH64_X,
	    VM_OP_NEG64, VM_OP_MOD64_X, VM_OP_XOR64_X, VM_OP_MOV64_X,
	    VM_OP_ARSH64_X }
};
static const uint8_t alu32_ops[2][13] = {
	{ VM_OP_ADD32_K, VM_OP_SUB32_K, VM_OP_MUL32_K, VM_OP_DIV32_K,
	    VM_OP_OR32_K, VM_OP_AND32_K, VM_OP_LSH32_K, VM_OP_RSH32_K,
	    VM_OP_NEG32, VM_OP_MOD32_K, VM_OP_XOR32_K, VM_OP_MOV32_K,
	    VM_OP_ARSH32_K },
	{ VM_OP_ADD32_X, VM_OP_SUB32_X, VM_OP_MUL32_X, VM_OP_DIV32_X,
	    VM_OP_OR32_X, VM_OP_AND32_X, VM_OP_LSH32_X, VM_OP_RSH32_X,
	    VM_OP_NEG32, VM_OP_MOD32_X, VM_OP_XOR32_X, VM_OP_MOV32_X,
	    VM_OP_ARSH32_X }
};

/* Conditional jumps by code >> 4 (RFC 9669 section 4.3); 0: not one. */
static const uint8_t jmp_ops[2][2][14] = {
	{ { 0, VM_OP_JEQ_K, VM_OP_JGT_K, VM_OP_JGE_K, VM_OP_JSET_K, VM_OP_JNE_K,
	      VM_OP_JSGT_K, VM_OP_JSGE_K, 0, 0, VM_OP_JLT_K, VM_OP_JLE_K,
	      VM_OP_JSLT_K, VM_OP_JSLE_K },
	    { 0, VM_OP_JEQ_X, VM_OP_JGT_X, VM_OP_JGE_X, VM_OP_JSET_X,
		VM_OP_JNE_X, VM_OP_JSGT_X, VM_OP_JSGE_X, 0, 0, VM_OP_JLT_X,
		VM_OP_JLE_X, VM_OP_JSLT_X, VM_OP_JSLE_X } },
	{ { 0, VM_OP_JEQ32_K, VM_OP_JGT32_K, VM_OP_JGE32_K, VM_OP_JSET32_K,
	      VM_OP_JNE32_K, VM_OP_JSGT32_K, VM_OP_JSGE32_K, 0, 0,
	      VM_OP_JLT32_K, VM_OP_JLE32_K, VM_OP_JSLT32_K, VM_OP_JSLE32_K },
	    { 0, VM_OP_JEQ32_X, VM_OP_JGT32_X, VM_OP_JGE32_X, VM_OP_JSET32_X,
		VM_OP_JNE32_X, VM_OP_JSGT32_X, VM_OP_JSGE32_X, 0, 0,
		VM_OP_JLT32_X, VM_OP_JLE32_X, VM_OP_JSLT32_X, VM_OP_JSLE32_X } }
};

/* Loads and stores by size (W, H, B, DW). */
static const uint8_t ldx_ops[4] = { VM_OP_LDXW, VM_OP_LDXH, VM_OP_LDXB,
	VM_OP_LDXDW };
static const uint8_t ldxs_ops[4] = { VM_OP_LDXSW, VM_OP_LDXSH, VM_OP_LDXSB, 0 };
static const uint8_t st_ops[4] = { VM_OP_STW, VM_OP_STH, VM_OP_STB,
	VM_OP_STDW };
static const uint8_t stx_ops[4] = { VM_OP_STXW, VM_OP_STXH, VM_OP_STXB,
	VM_OP_STXDW };

/* The interpreter's op for the ALU or ALU64 instruction r. */
static uint8_t
alu_op(const struct raw *r)
{
	unsigned code = CODE(r->op), x = (r->op & SRC_X) != 0;
	int is64 = CLASS(r->op) == CLASS_ALU64;

	if (code == ALU_END) {
		if (is64 || x) /* bswap, or TO_BE: the VM is LE */
			return r->imm == 16 ? VM_OP_BE16 :
			    r->imm == 32    ? VM_OP_BE32 :
					      VM_OP_BE64;
		return r->imm == 16 ? VM_OP_LE16 :
		    r->imm == 32    ? VM_OP_LE32 :
				      VM_OP_NOP;
	}
	if (code == ALU_DIV && r->off == 1)
		return is64 ? (x ? VM_OP_SDIV64_X : VM_OP_SDIV64_K) :
			      (x ? VM_OP_SDIV32_X : VM_OP_SDIV32_K);
	if (code == ALU_MOD && r->off == 1)
		return is64 ? (x ? VM_OP_SMOD64_X : VM_OP_SMOD64_K) :
			      (x ? VM_OP_SMOD32_X : VM_OP_SMOD32_K);
	if (code == ALU_MOV && x && r->off != 0) {
		if (r->off == 8)
			return is64 ? VM_OP_MOVSX64_8 : VM_OP_MOVSX32_8;
		if (r->off == 16)
			return is64 ? VM_OP_MOVSX64_16 : VM_OP_MOVSX32_16;
		return VM_OP_MOVSX64_32;
	}
	return is64 ? alu64_ops[x][code >> 4] : alu32_ops[x][code >> 4];
}

/* Decode the verified instruction r in slot pc into *d (not block_cost). */
static void
decode(const uint8_t *code, uint32_t pc, const struct raw *r, struct vm_insn *d)
{
	unsigned x = (r->op & SRC_X) != 0, size = SIZE(r->op) >> 3;
	uint8_t op;

	d->dst = r->dst;
	d->src = r->src;
	d->off = r->off;
	d->block_cost = 0;
	d->imm = (uint64_t)(int64_t)r->imm;
	switch (CLASS(r->op)) {
	case CLASS_ALU:
		if (!x) /* section 4.1: ALU's imm is a u32 */
			d->imm = (uint32_t)r->imm;
		op = alu_op(r);
		break;
	case CLASS_ALU64:
		op = alu_op(r);
		break;
	case CLASS_JMP:
	case CLASS_JMP32:
		if (r->op == OPC_EXIT) {
			op = VM_OP_EXIT;
		} else if (r->op == OPC_CALL && r->src == CALL_HELPER) {
			op = VM_OP_CALL;
			d->imm = (uint32_t)r->imm;
		} else if (r->op == OPC_CALL) {
			op = VM_OP_CALL_LOCAL;
			d->imm = (uint64_t)target_of(pc, r->imm);
		} else if (r->op == OPC_JA || r->op == OPC_JA32) {
			op = VM_OP_JA;
			/* A verified target is inside the program, so the
			 * distance fits 16 bits even for JMP32's imm. */
			d->off = (int16_t)(r->op == OPC_JA32 ? r->imm : r->off);
			d->imm = 0;
		} else {
			op = jmp_ops[CLASS(r->op) == CLASS_JMP32][x]
				    [CODE(r->op) >> 4];
		}
		break;
	case CLASS_LD: /* lddw, section 5.4 */
		op = VM_OP_LDDW;
		d->imm = (uint64_t)le32_load(code + (size_t)pc * 8 + 4) |
		    (uint64_t)le32_load(code + (size_t)pc * 8 + 12) << 32;
		break;
	case CLASS_LDX:
		op = MODE(r->op) == MODE_MEMSX ? ldxs_ops[size] : ldx_ops[size];
		break;
	case CLASS_ST:
		op = st_ops[size];
		break;
	default:
		op = stx_ops[size];
		break;
	}
	d->op = op;
	d->handler = op;
}

_Static_assert(VM_OP_JA < VM_OP_JSLE32_X && VM_OP_JSLE32_X + 1 == VM_OP_CALL &&
	VM_OP_CALL + 1 == VM_OP_CALL_LOCAL &&
	VM_OP_CALL_LOCAL + 1 == VM_OP_EXIT,
    "vm_load's leader ranges follow VM_OPS");

/* Mark slot s as a basic block's first instruction (block_cost != 0). */
static void
mark_leader(struct vm_insn *pool, uint32_t n, uint64_t s)
{
	if (s < n)
		pool[s].block_cost = 1;
}

int
vm_load(struct vm_prog *prog, const uint8_t *code, uint32_t num_slots,
    uint32_t entry, uint32_t helpers, struct vm_insn *pool, uint32_t pool_cap,
    uint32_t *used, struct vm_verify_error *err)
{
	struct raw r;
	uint32_t leader;
	uint8_t op;
	int rc;

	if ((rc = vm_verify(code, num_slots, entry, helpers, err)) != 0)
		return rc;
	if (pool == NULL || pool_cap < num_slots)
		return -CELL_E_NOSPACE;

	/* Decode; a second slot becomes a NOP nothing ever reaches. */
	for (uint32_t pc = 0; pc < num_slots; pc++) {
		raw_at(code, pc, &r);
		decode(code, pc, &r, &pool[pc]);
		if (r.op == OPC_LDDW) {
			pool[++pc] = (struct vm_insn){ .handler = VM_OP_NOP,
				.op = VM_OP_NOP };
		}
	}

	/* Block leaders: the entry, function starts, jump targets and
	 * whatever follows a jump, call or exit. */
	mark_leader(pool, num_slots, 0);
	mark_leader(pool, num_slots, entry);
	for (uint32_t pc = 0; pc < num_slots; pc++) {
		op = pool[pc].op;
		if (op == VM_OP_LDDW) {
			pc++;
			continue;
		}
		/* enum vm_op lists JA, the conditional jumps, CALL,
		 * CALL_LOCAL and EXIT in that order. */
		if (op == VM_OP_CALL_LOCAL)
			mark_leader(pool, num_slots, pool[pc].imm);
		if (op >= VM_OP_JA && op <= VM_OP_JSLE32_X)
			mark_leader(pool, num_slots,
			    (uint64_t)((int64_t)pc + 1 + pool[pc].off));
		if (op >= VM_OP_JA && op <= VM_OP_EXIT)
			mark_leader(pool, num_slots, (uint64_t)pc + 1);
	}

	/* Each block costs its instruction count (an lddw is one). */
	leader = 0;
	for (uint32_t pc = 0; pc < num_slots; pc++) {
		if (pool[pc].block_cost != 0) {
			leader = pc;
			pool[pc].block_cost = 0;
			pool[pc].handler = VM_OP_BLOCK;
		}
		pool[leader].block_cost++;
		if (pool[pc].op == VM_OP_LDDW)
			pc++;
	}

	prog->insns = pool;
	prog->num_insns = num_slots;
	prog->entry = entry;
	prog->helpers = helpers;
	if (used != NULL)
		*used = num_slots;
	return 0;
}

const char *
vm_reject_name(enum vm_reject r)
{
	switch (r) {
	case VM_REJECT_NONE:
		return "none";
	case VM_REJECT_LENGTH:
		return "length";
	case VM_REJECT_ENTRY:
		return "entry";
	case VM_REJECT_FALLTHROUGH:
		return "fallthrough";
	case VM_REJECT_OPCODE:
		return "opcode";
	case VM_REJECT_RESERVED:
		return "reserved";
	case VM_REJECT_REGISTER:
		return "register";
	case VM_REJECT_R10_WRITE:
		return "r10-write";
	case VM_REJECT_LDDW:
		return "lddw";
	case VM_REJECT_JUMP:
		return "jump";
	case VM_REJECT_HELPER:
		return "helper";
	case VM_REJECT_CALL:
		return "call";
	case VM_REJECT_STACK:
		return "stack";
	}
	return "unknown";
}

const char *
vm_helper_name(uint32_t id)
{
	static const char *const names[VM_HELPERS_MAX] = {
		[VM_HELPER_SEND] = "send",
		[VM_HELPER_RECV] = "recv",
		[VM_HELPER_FORWARD] = "forward",
		[VM_HELPER_NEXT_HOP] = "next_hop",
		[VM_HELPER_LOG] = "log",
		[VM_HELPER_FORMAT] = "format",
		[VM_HELPER_CONSOLE] = "console",
		[VM_HELPER_ENERGY] = "energy",
		[VM_HELPER_RECLAIM] = "reclaim",
		[VM_HELPER_ALLOC] = "alloc",
		[VM_HELPER_TICKS] = "ticks",
		[VM_HELPER_EVENT] = "event",
		[VM_HELPER_KV_GET] = "kv_get",
		[VM_HELPER_KV_PUT] = "kv_put",
	};

	return id < VM_HELPERS_MAX ? names[id] : NULL;
}
