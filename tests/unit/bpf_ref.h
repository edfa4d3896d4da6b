/*
 * A second implementation of the gene VM for the tests, kept deliberately
 * plain: it reads the raw RFC 9669 bytes on every step and switches on
 * them, shares no code with the VM (core/vm_*.c), and works out basic
 * blocks on its own. test_vm_interp compares the VM with it over random
 * programs; test_selftest derives the power-on self-test's known answers
 * with it.
 */
#ifndef CELLOS_BPF_REF_H
#define CELLOS_BPF_REF_H

#include <stdint.h>
#include <string.h>

#include "config.h"
#include "vm.h"

enum {
	REF_LD = 0,
	REF_LDX = 1,
	REF_ST = 2,
	REF_STX = 3,
	REF_ALU = 4,
	REF_JMP = 5,
	REF_JMP32 = 6,
	REF_ALU64 = 7
};
#define REF_X     0x08
#define REF_MEMSX 0x80

/*
 * A second implementation of the same machine, kept deliberately plain: it
 * reads the raw RFC 9669 bytes on every step and switches on them, shares
 * no code with the VM, and works out basic blocks on its own.
 */
struct ref_machine {
	uint8_t *mem[VM_REGIONS];
	uint64_t len[VM_REGIONS];
	int writable[VM_REGIONS];
	uint64_t gas;
	uint64_t r1, r2; /* the entry's arguments */
	/* helper id (1..VM_HELPERS_MAX-1) with r1..r5; NULL: none exist */
	enum vm_call_status (*helper)(struct ref_machine *rm, unsigned id,
	    const uint64_t args[5], uint64_t *ret);
	uint32_t helper_gas[VM_HELPERS_MAX];
};

struct ref_result {
	enum vm_exit exit;
	enum vm_fault fault;
	uint32_t pc;
	uint64_t addr, r0, used, helper_gas;
};

static uint8_t *
ref_ptr(struct ref_machine *rm, uint64_t addr, uint64_t size, int write)
{
	uint64_t region = addr / 0x10000000u, off = addr % 0x10000000u;

	if (region == 0 || region >= VM_REGIONS || rm->mem[region] == NULL)
		return NULL;
	if (write && !rm->writable[region])
		return NULL;
	if (off + size > rm->len[region])
		return NULL;
	return rm->mem[region] + off;
}

/* Sign-extend the low bits of v. */
static uint64_t
ref_sext(uint64_t v, unsigned bits)
{
	uint64_t m = (uint64_t)1 << (bits - 1);

	if (bits == 64)
		return v;
	v &= (m << 1) - 1;
	return (v ^ m) - m;
}

/* One ALU operation at width 32 or 64 (a, b already cut to the width). */
static uint64_t
ref_alu(unsigned code, int off, uint64_t a, uint64_t b, unsigned width,
    unsigned imm)
{
	uint64_t mask = width == 64 ? UINT64_MAX : 0xFFFFFFFFu, r;
	int64_t sa = (int64_t)ref_sext(a, width),
		sb = (int64_t)ref_sext(b, width);
	unsigned n = (unsigned)(b & (width - 1));

	switch (code) {
	case 0x00:
		r = a + b;
		break;
	case 0x10:
		r = a - b;
		break;
	case 0x20:
		r = a * b;
		break;
	case 0x30:
		if (b == 0)
			r = 0;
		else if (off == 0)
			r = a / b;
		else if (sb == -1)
			r = 0 - a;
		else
			r = (uint64_t)(sa / sb);
		break;
	case 0x40:
		r = a | b;
		break;
	case 0x50:
		r = a & b;
		break;
	case 0x60:
		r = a << n;
		break;
	case 0x70:
		r = a >> n;
		break;
	case 0x80:
		r = 0 - a;
		break;
	case 0x90:
		if (b == 0)
			r = a;
		else if (off == 0)
			r = a % b;
		else if (sb == -1)
			r = 0;
		else
			r = (uint64_t)(sa % sb);
		break;
	case 0xa0:
		r = a ^ b;
		break;
	case 0xb0:
		r = off == 0 ? b : ref_sext(b, (unsigned)off);
		break;
	case 0xc0:
		/* sign-filling shift, written without a signed shift */
		r = (a >> (width - 1) & 1) ? ~((~a & mask) >> n) : a >> n;
		break;
	default: /* 0xd0: swap (imm bits) byte by byte */
		r = 0;
		for (unsigned i = 0; i < imm / 8; i++)
			r |= (a >> (8 * i) & 0xff) << (imm - 8 - 8 * i);
		break;
	}
	return r & mask;
}

/* A conditional jump's test (RFC 9669 section 4.3) at width 32 or 64. */
static int
ref_cond(unsigned code, uint64_t a, uint64_t b, unsigned width)
{
	int64_t sa = (int64_t)ref_sext(a, width),
		sb = (int64_t)ref_sext(b, width);

	if (width == 32) {
		a &= 0xFFFFFFFFu;
		b &= 0xFFFFFFFFu;
	}
	switch (code) {
	case 0x10:
		return a == b;
	case 0x20:
		return a > b;
	case 0x30:
		return a >= b;
	case 0x40:
		return (a & b) != 0;
	case 0x50:
		return a != b;
	case 0x60:
		return sa > sb;
	case 0x70:
		return sa >= sb;
	case 0xa0:
		return a < b;
	case 0xb0:
		return a <= b;
	case 0xc0:
		return sa < sb;
	default:
		return sa <= sb; /* 0xd0 */
	}
}

static int32_t
ref_imm(const uint8_t *s)
{
	return (int32_t)((uint32_t)s[4] | (uint32_t)s[5] << 8 |
	    (uint32_t)s[6] << 16 | (uint32_t)s[7] << 24);
}

static int16_t
ref_off(const uint8_t *s)
{
	return (int16_t)(uint16_t)(s[2] | s[3] << 8);
}

static void
ref_run(const uint8_t *code, uint32_t n, uint32_t entry, struct ref_machine *rm,
    struct ref_result *out)
{
	static uint8_t lead[VM_INSNS_MAX + 1], second[VM_INSNS_MAX + 1];
	static unsigned cost[VM_INSNS_MAX];
	uint64_t R[11] = { 0 }, saved[VM_CALL_DEPTH_MAX][5];
	uint32_t back[VM_CALL_DEPTH_MAX], pc, cur = 0;
	unsigned depth = 0;
	uint64_t gas = rm->gas;

	memset(lead, 0, sizeof lead);
	memset(second, 0, sizeof second);
	memset(cost, 0, sizeof cost);
	lead[0] = lead[entry] = 1;
	for (pc = 0; pc < n; pc++) {
		const uint8_t *s = code + pc * 8;

		if (s[0] == 0x18) {
			second[++pc] = 1;
			continue;
		}
		if ((s[0] & 7) != REF_JMP && (s[0] & 7) != REF_JMP32)
			continue;
		lead[pc + 1] = 1;
		if (s[0] == 0x85 && s[1] >> 4 == 1)
			lead[pc + 1 + ref_imm(s)] = 1;
		else if (s[0] != 0x85 && s[0] != 0x95)
			lead[pc + 1 +
			    (s[0] == 0x06 ? ref_imm(s) : ref_off(s))] = 1;
	}
	for (pc = 0; pc < n; pc++) {
		if (second[pc])
			continue;
		if (lead[pc])
			cur = pc;
		cost[cur]++;
	}

	memset(out, 0, sizeof *out);
	R[1] = rm->r1;
	R[2] = rm->r2;
	R[10] = VM_STACK_BASE + rm->len[VM_REGION_STACK];
	pc = entry;
	for (;;) {
		const uint8_t *s = code + pc * 8;
		uint8_t op = s[0], cls = op & 7;
		unsigned d = s[1] & 15, sr = s[1] >> 4, size;
		int16_t off = ref_off(s);
		int32_t imm = ref_imm(s);
		uint64_t k = (uint64_t)(int64_t)imm, addr;
		uint8_t *p;

		if (lead[pc]) {
			if (gas < cost[pc]) {
				out->exit = VM_EXIT_GAS;
				break;
			}
			gas -= cost[pc];
		}
		if (cls == REF_ALU64 || cls == REF_ALU) {
			unsigned w = cls == REF_ALU64 ? 64 : 32;
			uint64_t mask = w == 64 ? UINT64_MAX : 0xFFFFFFFFu;
			uint64_t b =
			    (op & REF_X) ? R[sr] : (uint64_t)(int64_t)imm;

			if ((op & 0xf0) == 0xd0) {
				/* END: TO_LE (ALU, K) truncates, the rest swap */
				if (cls == REF_ALU && !(op & REF_X))
					R[d] = imm == 64 ?
					    R[d] :
					    R[d] & (((uint64_t)1 << imm) - 1);
				else
					R[d] = ref_alu(0xd0, 0, R[d], 0, 64,
					    (unsigned)imm);
			} else {
				R[d] = ref_alu(op & 0xf0, off, R[d] & mask,
				    b & mask, w, 0);
			}
			pc++;
			continue;
		}
		if (cls == REF_JMP || cls == REF_JMP32) {
			unsigned code2 = op & 0xf0;

			if (op == 0x05 || op == 0x06) {
				pc += 1 + (op == 0x06 ? imm : off);
				continue;
			}
			if (op == 0x85 && sr == 1) {
				if (depth + 1 >= VM_CALL_DEPTH_MAX) {
					out->exit = VM_EXIT_FAULT;
					out->fault = VM_FAULT_DEPTH;
					break;
				}
				for (int i = 0; i < 5; i++)
					saved[depth][i] = R[6 + i];
				back[depth++] = pc + 1;
				R[10] -= VM_FRAME_SIZE;
				pc += 1 + imm;
				continue;
			}
			if (op == 0x85) {
				uint64_t ret = 0, price;
				enum vm_call_status st;

				if (imm < 1 || imm >= VM_HELPERS_MAX ||
				    rm->helper == NULL) {
					out->exit = VM_EXIT_FAULT;
					out->fault = VM_FAULT_NOT_GRANTED;
					break;
				}
				price = rm->helper_gas[imm];
				if (gas < price) {
					out->exit = VM_EXIT_GAS;
					break;
				}
				gas -= price;
				out->helper_gas += price;
				st = rm->helper(rm, (unsigned)imm, R + 1, &ret);
				if (st != VM_CALL_OK) {
					out->exit = st == VM_CALL_STOP ?
					    VM_EXIT_STOPPED :
					    VM_EXIT_FAULT;
					out->fault = st == VM_CALL_STOP ?
					    VM_FAULT_NONE :
					    VM_FAULT_HELPER;
					break;
				}
				R[0] = ret;
				pc++;
				continue;
			}
			if (op == 0x95) {
				if (depth == 0) {
					out->exit = VM_EXIT_DONE;
					break;
				}
				depth--;
				for (int i = 0; i < 5; i++)
					R[6 + i] = saved[depth][i];
				pc = back[depth];
				continue;
			}
			pc += 1 +
			    (ref_cond(code2, R[d], (op & REF_X) ? R[sr] : k,
				 cls == REF_JMP ? 64 : 32) ?
				    off :
				    0);
			continue;
		}
		if (op == 0x18) {
			R[d] = (uint32_t)imm |
			    (uint64_t)(uint32_t)ref_imm(s + 8) << 32;
			pc += 2;
			continue;
		}
		size = (op & 0x18) == 0x00 ? 4 :
		    (op & 0x18) == 0x08    ? 2 :
		    (op & 0x18) == 0x10    ? 1 :
					     8;
		if (cls == REF_LDX) {
			uint64_t v = 0;

			addr = R[sr] + (uint64_t)(int64_t)off;
			p = ref_ptr(rm, addr, size, 0);
			if (p == NULL) {
				out->exit = VM_EXIT_FAULT;
				out->fault = VM_FAULT_LOAD;
				out->addr = addr;
				break;
			}
			for (unsigned i = size; i-- > 0;)
				v = v << 8 | p[i];
			R[d] = (op & 0xe0) == REF_MEMSX ?
			    ref_sext(v, 8 * size) :
			    v;
			pc++;
			continue;
		}
		/* ST and STX */
		addr = R[d] + (uint64_t)(int64_t)off;
		p = ref_ptr(rm, addr, size, 1);
		if (p == NULL) {
			out->exit = VM_EXIT_FAULT;
			out->fault = VM_FAULT_STORE;
			out->addr = addr;
			break;
		}
		for (unsigned i = 0; i < size; i++)
			p[i] =
			    (uint8_t)((cls == REF_ST ? k : R[sr]) >> (8 * i));
		pc++;
	}
	out->pc = pc;
	out->r0 = R[0];
	out->used = rm->gas - gas;
}

#endif
