/* The eBPF disassembler; see disasm.h. Encodings from RFC 9669. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "byteorder.h"
#include "cellos/vm_abi.h"
#include "disasm.h"
#include "vm.h"

/* Instruction classes (opcode & 7). */
#define CLS_LD    0
#define CLS_LDX   1
#define CLS_ST    2
#define CLS_STX   3
#define CLS_ALU   4
#define CLS_JMP   5
#define CLS_JMP32 6
#define CLS_ALU64 7

#define SRC_X       0x08 /* the source operand is a register */
#define MODE_IMM    0x00
#define MODE_MEM    0x60
#define MODE_MEMSX  0x80
#define MODE_ATOMIC 0xC0

/* Access sizes (opcode & 0x18) as C types. */
static const char *
size_type(uint8_t op, int is_signed)
{
	static const char *const u[] = { "u32", "u16", "u8", "u64" };
	static const char *const s[] = { "s32", "s16", "s8", "s64" };

	return (is_signed ? s : u)[(op >> 3) & 3];
}

/* "r1 + 8", "r10 - 16": a base register and a signed offset. */
static void
address(char *buf, size_t cap, uint8_t reg, int16_t off)
{
	if (off < 0)
		snprintf(buf, cap, "r%u - %d", reg, -(int)off);
	else
		snprintf(buf, cap, "r%u + %d", reg, off);
}

/* An ALU or ALU64 instruction: "r1 += r2", "w0 = -w0", "r1 = be16 r1". */
static void
alu(char *s, size_t cap, uint8_t op, uint8_t dst, uint8_t src, int16_t off,
    int32_t imm, int wide)
{
	static const char *const ops[16] = { "+=", "-=", "*=", "/=", "|=", "&=",
		"<<=", ">>=", NULL, "%=", "^=", "=", "s>>=", NULL, NULL, NULL };
	char r = wide ? 'r' : 'w';
	uint8_t code = op >> 4;
	char rhs[24];

	if (op & SRC_X)
		snprintf(rhs, sizeof rhs, "%c%u", r, src);
	else
		snprintf(rhs, sizeof rhs, "%d", imm);
	if (code == 0x8) {
		snprintf(s, cap, "%c%u = -%c%u", r, dst, r, dst);
		return;
	}
	if (code == 0xD) {
		const char *kind = (op & 7) == CLS_ALU64 ? "bswap" :
		    (op & SRC_X)                         ? "be" :
							   "le";
		snprintf(s, cap, "%c%u = %s%d %c%u", r, dst, kind, imm, r, dst);
		return;
	}
	if (ops[code] == NULL) {
		snprintf(s, cap, "(unknown ALU opcode 0x%02x)", op);
		return;
	}
	if ((code == 0x3 || code == 0x9) && off == 1) {
		snprintf(s, cap, "%c%u s%s %s", r, dst, ops[code], rhs);
		return;
	}
	if (code == 0xB && (op & SRC_X) &&
	    (off == 8 || off == 16 || off == 32)) {
		snprintf(s, cap, "%c%u = (s%d)%c%u", r, dst, off, r, src);
		return;
	}
	snprintf(s, cap, "%c%u %s %s", r, dst, ops[code], rhs);
}

/* A JMP or JMP32 instruction, with the slot a jump or local call lands on. */
static void
jump(char *s, size_t cap, uint8_t op, uint8_t dst, uint8_t src, int16_t off,
    int32_t imm, uint32_t slot, int wide)
{
	static const char *const conds[16] = { NULL, "==", ">", ">=", "&",
		"!=", "s>", "s>=", NULL, NULL, "<", "<=", "s<", "s<=", NULL,
		NULL };
	char r = wide ? 'r' : 'w';
	uint8_t code = op >> 4;
	char rhs[24];

	if (code == 0x0) {
		int32_t d = wide ? off : imm; /* JMP32 ja: gotol, imm */
		snprintf(s, cap, "goto %+d <%lld>", d, (long long)slot + d + 1);
		return;
	}
	if (code == 0x8 && wide) {
		if (src == 0) {
			const char *name = vm_helper_name((uint32_t)imm);
			snprintf(s, cap, "call %d (%s)", imm,
			    name ? name : "no such helper");
		} else if (src == 1) {
			snprintf(s, cap, "call pc%+d <%lld>", imm,
			    (long long)slot + imm + 1);
		} else {
			snprintf(s, cap,
			    "call %d (src %u: kfunc, not for "
			    "genes)",
			    imm, src);
		}
		return;
	}
	if (code == 0x9 && wide) {
		snprintf(s, cap, "exit");
		return;
	}
	if (conds[code] == NULL) {
		snprintf(s, cap, "(unknown jump opcode 0x%02x)", op);
		return;
	}
	if (op & SRC_X)
		snprintf(rhs, sizeof rhs, "%c%u", r, src);
	else
		snprintf(rhs, sizeof rhs, "%d", imm);
	snprintf(s, cap, "if %c%u %s %s goto %+d <%lld>", r, dst, conds[code],
	    rhs, off, (long long)slot + off + 1);
}

/* ' "text"' when rodata holds a printable NUL-terminated string at off. */
static void
string_hint(char *s, size_t cap, const uint8_t *rodata, uint32_t len,
    uint64_t off)
{
	size_t n = 0;

	s[0] = '\0';
	if (rodata == NULL || off >= len)
		return;
	while (off + n < len && rodata[off + n] >= 0x20 &&
	    rodata[off + n] <= 0x7E && rodata[off + n] != '"')
		n++;
	if (n == 0 || off + n >= len || rodata[off + n] != '\0')
		return;
	if (n > 40)
		snprintf(s, cap, " \"%.37s...\"", (const char *)rodata + off);
	else
		snprintf(s, cap, " \"%.*s\"", (int)n,
		    (const char *)rodata + off);
}

/* Whether slot is the second half of an lddw, reading from slot 0 on. */
static int
lddw_second_half(const uint8_t *code, uint32_t slot)
{
	uint32_t i = 0;

	while (i < slot)
		i += code[(size_t)i * 8] == 0x18 ? 2 : 1;
	return i != slot;
}

void
disasm_slot(const uint8_t *code, uint32_t slots, uint32_t slot,
    const uint8_t *rodata, uint32_t rodata_len, char *out, size_t cap)
{
	const uint8_t *p = code + (size_t)slot * 8;
	uint8_t op = p[0], dst = p[1] & 0xF, src = p[1] >> 4;
	int16_t off = (int16_t)(p[2] | p[3] << 8);
	int32_t imm = (int32_t)le32_load(p + 4);
	char text[192], a[32], hint[96];
	int n;

	n = snprintf(out, cap, "%02x %02x %02x %02x %02x%02x%02x%02x  ", p[0],
	    p[1], p[2], p[3], p[4], p[5], p[6], p[7]);
	if (n < 0 || (size_t)n >= cap)
		return;
	if (lddw_second_half(code, slot)) {
		snprintf(out + n, cap - (size_t)n, "(lddw, upper 32 bits)");
		return;
	}
	switch (op & 7) {
	case CLS_ALU:
	case CLS_ALU64:
		alu(text, sizeof text, op, dst, src, off, imm,
		    (op & 7) == CLS_ALU64);
		break;
	case CLS_JMP:
	case CLS_JMP32:
		jump(text, sizeof text, op, dst, src, off, imm, slot,
		    (op & 7) == CLS_JMP);
		break;
	case CLS_LDX:
		address(a, sizeof a, src, off);
		if ((op & 0xE0) == MODE_MEM || (op & 0xE0) == MODE_MEMSX)
			snprintf(text, sizeof text, "r%u = *(%s *)(%s)", dst,
			    size_type(op, (op & 0xE0) == MODE_MEMSX), a);
		else
			snprintf(text, sizeof text,
			    "(unknown load opcode "
			    "0x%02x)",
			    op);
		break;
	case CLS_ST:
		address(a, sizeof a, dst, off);
		if ((op & 0xE0) == MODE_MEM)
			snprintf(text, sizeof text, "*(%s *)(%s) = %d",
			    size_type(op, 0), a, imm);
		else
			snprintf(text, sizeof text,
			    "(unknown store opcode "
			    "0x%02x)",
			    op);
		break;
	case CLS_STX:
		address(a, sizeof a, dst, off);
		if ((op & 0xE0) == MODE_MEM)
			snprintf(text, sizeof text, "*(%s *)(%s) = r%u",
			    size_type(op, 0), a, src);
		else if ((op & 0xE0) == MODE_ATOMIC)
			snprintf(text, sizeof text,
			    "atomic 0x%02x *(%s *)(%s), "
			    "r%u",
			    (unsigned)imm & 0xFF, size_type(op, 0), a, src);
		else
			snprintf(text, sizeof text,
			    "(unknown store opcode "
			    "0x%02x)",
			    op);
		break;
	default: /* CLS_LD */
		if (op == 0x18 && slot + 1 < slots) {
			uint64_t v =
			    (uint32_t)imm | (uint64_t)le32_load(p + 12) << 32;
			hint[0] = '\0';
			if (src == 0 && v >= VM_RODATA_BASE &&
			    v < (uint64_t)VM_RODATA_BASE + rodata_len) {
				char str[56];
				string_hint(str, sizeof str, rodata, rodata_len,
				    v - VM_RODATA_BASE);
				snprintf(hint, sizeof hint,
				    "  ; rodata+0x%llx%s",
				    (unsigned long long)(v - VM_RODATA_BASE),
				    str);
			}
			if (src == 0)
				snprintf(text, sizeof text, "r%u = 0x%llx ll%s",
				    dst, (unsigned long long)v, hint);
			else
				snprintf(text, sizeof text,
				    "r%u = 0x%llx ll "
				    "(src %u: not for genes)",
				    dst, (unsigned long long)v, src);
		} else if (op == 0x18) {
			snprintf(text, sizeof text,
			    "lddw cut off by the end "
			    "of the program");
		} else {
			snprintf(text, sizeof text,
			    "(unknown load opcode "
			    "0x%02x)",
			    op);
		}
		break;
	}
	snprintf(out + n, cap - (size_t)n, "%s", text);
}
