/*
 * test_gene_elf: the gene object reader (tools/phenotype-compile/bpf_elf.c)
 * on objects built here byte by byte from the ELF-64 format, so every
 * expected value is a hand computation from the layout below, not output
 * of the reader or of clang. Then the same object broken one way at a
 * time: each must be refused with the message a user would need, and no
 * prefix or single-byte corruption of it may crash the reader.
 *
 * The object: sections [0] null, [1] .strtab (names of sections and
 * symbols), [2] .text, [3] .rodata, [4] .rodata.str1.1, [5] .rel.text,
 * [6] .rel.rodata, [7] .symtab. Symbols: [1] .rodata (section),
 * [2] .rodata.str1.1 (section), [3] helper (FUNC, .text+0x20), [4] gene
 * (FUNC, .text+0), [5] undef_fn (undefined), [6] .text (section).
 *
 *   slot 0-1  lddw r1, .rodata.str1.1 + 5	(R_BPF_64_64, sym 2)
 *   slot 2    call -1 -> helper		(R_BPF_64_32, sym 3)
 *   slot 3    exit
 *   slot 4    r0 = 7				(helper)
 *   slot 5    exit
 *
 * .rodata is 16 bytes, "abcdefg\0" then a pointer whose implicit addend is
 * 6 (R_BPF_64_ABS64 at 8, sym 2); .rodata.str1.1 is "hello\0world\0".
 * Packed 8-aligned: .rodata at 0, .rodata.str1.1 at 16, 28 bytes in all.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf_elf.h"
#include "cellos/errors.h"
#include "cellos/vm_abi.h"

static int failures;

#define CHECK(cond, ...)                                            \
	do {                                                        \
		if (!(cond)) {                                      \
			printf("FAIL %s:%d: ", __FILE__, __LINE__); \
			printf(__VA_ARGS__);                        \
			putchar('\n');                              \
			failures++;                                 \
		}                                                   \
	} while (0)

/* What a test may change before the object is written. */
struct spec {
	uint8_t class, data;
	uint16_t type, machine;
	uint32_t text_slots;    /* 6, or more for "too long" */
	uint64_t rodata_flags;  /* SHF_ALLOC, or SHF_WRITE too */
	uint32_t rel_text_type; /* SHT_REL, or SHT_RELA */
	uint32_t lddw_reloc_type, lddw_reloc_off, call_reloc_sym;
	uint32_t call_imm;
	uint32_t shstrndx;
};

static const char names[] =
    "\0.strtab\0.text\0.rodata\0.rodata.str1.1\0"
    ".rel.text\0.rel.rodata\0.symtab\0helper\0gene\0undef_fn\0";
/* Offsets of each name in names[]. */
enum {
	N_STRTAB = 1,
	N_TEXT = 9,
	N_RODATA = 15,
	N_STR = 23,
	N_RELTEXT = 38,
	N_RELRO = 48,
	N_SYMTAB = 60,
	N_HELPER = 68,
	N_GENE = 75,
	N_UNDEF = 80
};

static uint8_t obj[16384];

static void
put16(size_t at, uint16_t v)
{
	obj[at] = (uint8_t)v;
	obj[at + 1] = (uint8_t)(v >> 8);
}

static void
put32(size_t at, uint32_t v)
{
	put16(at, (uint16_t)v);
	put16(at + 2, (uint16_t)(v >> 16));
}

static void
put64(size_t at, uint64_t v)
{
	put32(at, (uint32_t)v);
	put32(at + 4, (uint32_t)(v >> 32));
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/* One 8-byte instruction at obj[at]. */
static void
insn(size_t at, uint8_t op, uint8_t regs, int16_t off, uint32_t imm)
{
	obj[at] = op;
	obj[at + 1] = regs;
	put16(at + 2, (uint16_t)off);
	put32(at + 4, imm);
}

/* One 64-byte section header at obj[at]. */
static void
shdr(size_t at, uint32_t name, uint32_t type, uint64_t flags, uint64_t off,
    uint64_t size, uint32_t link, uint32_t info, uint64_t align,
    uint64_t entsize)
{
	put32(at, name);
	put32(at + 4, type);
	put64(at + 8, flags);
	put64(at + 16, 0);
	put64(at + 24, off);
	put64(at + 32, size);
	put32(at + 40, link);
	put32(at + 44, info);
	put64(at + 48, align);
	put64(at + 56, entsize);
}

/* One 24-byte symbol at obj[at]. */
static void
sym(size_t at, uint32_t name, uint8_t info, uint16_t shndx, uint64_t value)
{
	put32(at, name);
	obj[at + 4] = info;
	obj[at + 5] = 0;
	put16(at + 6, shndx);
	put64(at + 8, value);
	put64(at + 16, 0);
}

/* One 16-byte REL entry at obj[at]. */
static void
rel(size_t at, uint64_t off, uint32_t symidx, uint32_t type)
{
	put64(at, off);
	put64(at + 8, (uint64_t)symidx << 32 | type);
}

/* The spec of the object described at the top. */
static struct spec
good(void)
{
	struct spec s = { 2, 1, 1, 247, 6, 0x2, 9, 1, 0, 3, 0xFFFFFFFFu, 1 };

	return s;
}

/* Write the object of s into obj[]; returns its length. */
static size_t
build(const struct spec *s)
{
	size_t at = 64, text, ro, str, reltext, relro, symtab, strtab, sh;
	uint32_t text_len = s->text_slots * 8;

	memset(obj, 0, sizeof obj);
	memcpy(obj, "\177ELF", 4);
	obj[4] = s->class;
	obj[5] = s->data;
	obj[6] = 1;
	put16(16, s->type);
	put16(18, s->machine);
	put32(20, 1);
	put16(52, 64);
	put16(58, 64);
	put16(60, 8);
	put16(62, (uint16_t)s->shstrndx);

	text = at;
	insn(text + 0, 0x18, 0x01, 0, 5); /* lddw r1, addend 5 */
	insn(text + 8, 0x00, 0x00, 0, 0);
	insn(text + 16, 0x85, 0x10, 0, s->call_imm);
	insn(text + 24, 0x95, 0x00, 0, 0);
	insn(text + 32, 0xb7, 0x00, 0, 7); /* helper: r0 = 7 */
	insn(text + 40, 0x95, 0x00, 0, 0);
	for (uint32_t k = 6; k < s->text_slots; k++)
		insn(text + k * 8, 0x95, 0x00, 0, 0);
	at += text_len;

	ro = at;
	memcpy(obj + ro, "abcdefg", 8);
	put64(ro + 8, 6);
	at += 16;
	str = at;
	memcpy(obj + str, "hello\0world", 12);
	at += 16;

	reltext = at;
	rel(reltext, s->lddw_reloc_off, 2, s->lddw_reloc_type);
	rel(reltext + 16, 16, s->call_reloc_sym, 10);
	at += 32;
	relro = at;
	rel(relro, 8, 2, 2);
	at += 16;

	symtab = at;
	sym(symtab + 24 * 1, 0, 0x03, 3, 0);
	sym(symtab + 24 * 2, 0, 0x03, 4, 0);
	sym(symtab + 24 * 3, N_HELPER, 0x12, 2, 32);
	sym(symtab + 24 * 4, N_GENE, 0x12, 2, 0);
	sym(symtab + 24 * 5, N_UNDEF, 0x10, 0, 0);
	sym(symtab + 24 * 6, 0, 0x03, 2, 0);
	at += 24 * 7;

	strtab = at;
	memcpy(obj + strtab, names, sizeof names);
	at += (sizeof names + 7) & ~(size_t)7;

	sh = at;
	put64(40, sh);
	shdr(sh + 64 * 1, N_STRTAB, 3, 0, strtab, sizeof names, 0, 0, 1, 0);
	shdr(sh + 64 * 2, N_TEXT, 1, 0x6, text, text_len, 0, 0, 8, 0);
	shdr(sh + 64 * 3, N_RODATA, 1, s->rodata_flags, ro, 16, 0, 0, 8, 0);
	shdr(sh + 64 * 4, N_STR, 1, 0x32, str, 12, 0, 0, 1, 1);
	shdr(sh + 64 * 5, N_RELTEXT, s->rel_text_type, 0x40, reltext, 32, 7, 2,
	    8, s->rel_text_type == 4 ? 24 : 16);
	shdr(sh + 64 * 6, N_RELRO, 9, 0x40, relro, 16, 7, 3, 8, 16);
	shdr(sh + 64 * 7, N_SYMTAB, 2, 0, symtab, 24 * 7, 1, 6, 8, 24);
	return sh + 64 * 8;
}

static struct bpf_prog prog;
static char msg[BPF_ELF_MSG_MAX];

/* Build s and read it back with entry: the reader's result. */
static int
load(const struct spec *s, const char *entry)
{
	size_t len = build(s);

	return bpf_elf_load(obj, len, entry, &prog, msg, sizeof msg);
}

/* s must be refused, with a message that contains want. */
static void
refused(const struct spec *s, const char *entry, const char *want,
    const char *what)
{
	int rc = load(s, entry);

	CHECK(rc < 0, "%s: accepted", what);
	CHECK(strstr(msg, want) != NULL, "%s: message \"%s\" lacks \"%s\"",
	    what, msg, want);
}

/* The good object gives exactly the hand-computed program. */
static void
test_good(void)
{
	struct spec s = good();
	int rc = load(&s, "gene");

	CHECK(rc == 0, "the good object is refused: %s", msg);
	CHECK(prog.insn_count == 6, "insn_count %u, expected 6",
	    prog.insn_count);
	CHECK(prog.entry == 0, "entry %u, expected 0", prog.entry);
	CHECK(prog.rodata_len == 28, "rodata_len %u, expected 16 + 12",
	    prog.rodata_len);
	/* lddw: VM_RODATA_BASE + 16 (.rodata.str1.1) + 5, upper half 0. */
	CHECK(get32(prog.code + 4) == VM_RODATA_BASE + 16 + 5,
	    "lddw low 0x%x, expected 0x%x", get32(prog.code + 4),
	    VM_RODATA_BASE + 21);
	CHECK(get32(prog.code + 12) == 0, "lddw high 0x%x",
	    get32(prog.code + 12));
	/* call at slot 2 of helper at slot 4: imm 4 - 2 - 1, src 1. */
	CHECK(get32(prog.code + 20) == 1, "call imm %d, expected 1",
	    (int)get32(prog.code + 20));
	CHECK(prog.code[17] == 0x10, "call regs 0x%02x, expected 0x10",
	    prog.code[17]);
	/* Untouched slots stay as written. */
	CHECK(prog.code[24] == 0x95 && prog.code[32] == 0xb7,
	    "slots 3 and 4 changed");
	/* The rodata: bytes as written, the pointer at 8 relocated. */
	CHECK(memcmp(prog.rodata, "abcdefg", 8) == 0, "rodata text changed");
	CHECK(get32(prog.rodata + 8) == VM_RODATA_BASE + 16 + 6 &&
		get32(prog.rodata + 12) == 0,
	    "rodata pointer 0x%x", get32(prog.rodata + 8));
	CHECK(memcmp(prog.rodata + 16, "hello\0world", 12) == 0,
	    "string section not at 16");

	rc = load(&s, "helper");
	CHECK(rc == 0 && prog.entry == 4, "entry helper: rc %d entry %u", rc,
	    prog.entry);

	/* A call of a static function: against the .text section symbol,
	 * imm = target slot - 1 (here 3), the same result. */
	s.call_reloc_sym = 6;
	s.call_imm = 3;
	rc = load(&s, "gene");
	CHECK(rc == 0 && get32(prog.code + 20) == 1,
	    "static call: rc %d imm %d (%s)", rc, (int)get32(prog.code + 20),
	    msg);
}

/* Each single defect is refused with a message that says what and where. */
static void
test_refusals(void)
{
	struct spec s;

	s = good();
	s.machine = 62;
	refused(&s, "gene", "machine 62 (x86-64), expected 247", "x86-64");
	s = good();
	s.class = 1;
	refused(&s, "gene", "ELF class 1, expected 2", "ELF32");
	s = good();
	s.data = 2;
	refused(&s, "gene", "data encoding 2", "big-endian");
	s = good();
	s.type = 2;
	refused(&s, "gene", "ELF type 2, expected 1 (ET_REL", "ET_EXEC");
	s = good();
	s.shstrndx = 9;
	refused(&s, "gene", "section-name table index 9", "shstrndx");
	s = good();
	s.rodata_flags = 0x3;
	refused(&s, "gene",
	    "section 3 (.rodata): writable data: genes keep "
	    "their state in the state area, not in globals",
	    "writable");
	s = good();
	s.lddw_reloc_type = 4;
	refused(&s, "gene",
	    "section 5 (.rel.text) relocation 0 at "
	    ".text+0x0: relocation type 4 (R_BPF_64_NODYLD32) is not "
	    "supported",
	    "reloc type");
	s = good();
	s.lddw_reloc_off = 24;
	refused(&s, "gene",
	    "relocation 0 at .text+0x18: R_BPF_64_64 on "
	    "opcode 0x95, not on an lddw",
	    "reloc not on lddw");
	s = good();
	s.lddw_reloc_off = 4;
	refused(&s, "gene", "not on an instruction of .text", "reloc mid-slot");
	s = good();
	s.call_reloc_sym = 5;
	refused(&s, "gene",
	    "relocation 1 at .text+0x10: call to undefined "
	    "function undef_fn",
	    "extern call");
	s = good();
	s.call_reloc_sym = 1;
	refused(&s, "gene",
	    "call of '.rodata', which is not a function in "
	    ".text",
	    "call of data");
	s = good();
	s.call_imm = 100; /* helper's slot 4 + 100 + 1 */
	refused(&s, "gene", "lands on slot 105, outside .text (6 slots)",
	    "call out of range");
	s = good();
	s.rel_text_type = 4;
	refused(&s, "gene", "RELA relocations are not supported", "RELA");
	s = good();
	s.text_slots = VM_INSNS_MAX + 1;
	refused(&s, "gene", "1025 instruction slots, at most 1024", "too long");
	s = good();
	refused(&s, "main", "no function 'main' in .text", "no entry");
	refused(&s, "undef_fn",
	    "'undef_fn' is not a function defined in "
	    ".text",
	    "entry undefined");
}

/* No prefix and no single-byte change of the good object may crash it. */
static void
test_robust(void)
{
	struct spec s = good();
	size_t len = build(&s);
	static uint8_t copy[sizeof obj];
	int rc;

	memcpy(copy, obj, len);
	for (size_t n = 0; n < len; n++) {
		rc = bpf_elf_load(copy, n, "gene", &prog, msg, sizeof msg);
		CHECK(rc < 0 && msg[0] != '\0', "prefix of %zu bytes: rc %d", n,
		    rc);
	}
	build(&s); /* obj[] again, after the prefixes */
	for (size_t i = 0; i < len; i++) {
		static const uint8_t values[] = { 0x00, 0x01, 0x7f, 0x80,
			0xff };

		for (size_t v = 0; v < sizeof values; v++) {
			memcpy(copy, obj, len);
			copy[i] = values[v];
			rc = bpf_elf_load(copy, len, "gene", &prog, msg,
			    sizeof msg);
			CHECK(rc == 0 || msg[0] != '\0',
			    "byte %zu = 0x%02x: "
			    "refused without a message",
			    i, values[v]);
		}
	}
	CHECK(bpf_elf_load(NULL, 0, "gene", &prog, msg, sizeof msg) < 0,
	    "no buffer accepted");
}

int
main(void)
{
	test_good();
	test_refusals();
	test_robust();
	if (failures != 0) {
		printf("%d failure(s)\n", failures);
		return 1;
	}
	puts("all gene object checks passed");
	return 0;
}
