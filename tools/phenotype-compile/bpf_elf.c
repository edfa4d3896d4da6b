/*
 * The gene object reader; see bpf_elf.h. Decode, then act: the ELF header,
 * every section header and every symbol a relocation names are checked
 * against the file before anything is copied, and the first problem ends
 * the read with a message. Field offsets are from the ELF-64 object file
 * format (the System V gABI); all values are read little-endian by hand.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bpf_elf.h"
#include "byteorder.h"
#include "cellos/errors.h"
#include "cellos/vm_abi.h"

/* ELF-64 layout. */
#define ELF_HDR_SIZE  64
#define ELF_SHDR_SIZE 64
#define ELF_SYM_SIZE  24
#define ELF_REL_SIZE  16

#define EI_CLASS    4
#define EI_DATA     5
#define EI_VERSION  6
#define ELFCLASS64  2
#define ELFDATA2LSB 1
#define EV_CURRENT  1

#define EH_TYPE      16
#define EH_MACHINE   18
#define EH_VERSION   20
#define EH_SHOFF     40
#define EH_SHENTSIZE 58
#define EH_SHNUM     60
#define EH_SHSTRNDX  62

#define ET_REL 1
#define EM_BPF 247

#define SHT_NULL     0
#define SHT_PROGBITS 1
#define SHT_SYMTAB   2
#define SHT_STRTAB   3
#define SHT_RELA     4
#define SHT_NOBITS   8
#define SHT_REL      9

#define SHF_WRITE     0x1u
#define SHF_ALLOC     0x2u
#define SHF_EXECINSTR 0x4u
#define SHF_TLS       0x400u

#define SHN_UNDEF     0
#define SHN_LORESERVE 0xFF00u
#define SHN_ABS       0xFFF1u
#define SHN_COMMON    0xFFF2u

#define STB_GLOBAL  1
#define STT_OBJECT  1
#define STT_FUNC    2
#define STT_SECTION 3

/* BPF relocation types (the LLVM BPF backend's numbering). */
#define R_BPF_NONE        0
#define R_BPF_64_64       1
#define R_BPF_64_ABS64    2
#define R_BPF_64_ABS32    3
#define R_BPF_64_NODYLD32 4
#define R_BPF_64_32       10

/* Instruction encodings the relocations apply to (RFC 9669). */
#define BPF_OP_LDDW     0x18
#define BPF_OP_CALL     0x85
#define BPF_PSEUDO_CALL 1

/* More sections than any gene object has; a bound for the tables below. */
#define SECTIONS_MAX 256
#define NAME_SHOWN   40

enum role { ROLE_NONE, ROLE_TEXT, ROLE_RODATA, ROLE_SYMTAB };

struct section {
	const char *name;           /* NUL-terminated inside the name table */
	char shown[NAME_SHOWN + 4]; /* printable, for messages */
	uint32_t type, link, info;
	uint64_t flags, offset, size, addralign, entsize;
	enum role role;
	uint32_t rodata_base; /* where a rodata section starts in the blob */
};

struct symbol {
	const char *name;
	char shown[NAME_SHOWN + 4];
	uint8_t bind, type;
	uint16_t shndx;
	uint64_t value, size;
};

struct elf {
	const uint8_t *buf;
	size_t len;
	uint32_t shnum;
	struct section sec[SECTIONS_MAX];
	uint32_t text;   /* section index of .text, 0: none */
	uint32_t symtab; /* section index of the symbol table, 0: none */
	uint32_t nsyms;
	char *msg;
	size_t cap;
};

static void
wr64(uint8_t *p, uint64_t v)
{
	le32_store(p, (uint32_t)v);
	le32_store(p + 4, (uint32_t)(v >> 32));
}

/* Record the refusal in e->msg and return -code. */
static int fail(struct elf *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct elf *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (e->cap > 0) {
		va_start(ap, fmt);
		vsnprintf(e->msg, e->cap, fmt, ap);
		va_end(ap);
	}
	return -code;
}

/* Whether [off, off+n) lies inside the file (overflow-safe). */
static int
within(const struct elf *e, uint64_t off, uint64_t n)
{
	return off <= e->len && n <= e->len - off;
}

/* Copy s, at most avail bytes long, into out as printable ASCII. */
static void
show(const char *s, size_t avail, char *out)
{
	size_t i;

	for (i = 0; i < avail && i < NAME_SHOWN && s[i] != '\0'; i++)
		out[i] = s[i] >= 0x20 && s[i] <= 0x7E ? s[i] : '?';
	if (i == NAME_SHOWN && i < avail && s[i] != '\0') {
		memcpy(out + i, "...", 3);
		i += 3;
	}
	out[i] = '\0';
}

/*
 * The NUL-terminated string at off of string table section idx, or NULL
 * when off is outside it or the string runs past its end.
 */
static const char *
string_at(const struct elf *e, uint32_t idx, uint64_t off, size_t *avail)
{
	const struct section *s = &e->sec[idx];
	const uint8_t *p;

	if (off >= s->size)
		return NULL;
	p = e->buf + s->offset + off;
	if (memchr(p, '\0', (size_t)(s->size - off)) == NULL)
		return NULL;
	*avail = (size_t)(s->size - off);
	return (const char *)p;
}

/* Check the ELF header: an ELF64 little-endian EM_BPF relocatable object. */
static int
read_header(struct elf *e)
{
	const uint8_t *b = e->buf;
	uint16_t type, machine;

	if (e->len < 4 || memcmp(b, "\177ELF", 4) != 0)
		return fail(e, CELL_E_MAGIC,
		    "not an ELF object (the file "
		    "starts with %02x %02x %02x %02x, not 7f 45 4c 46)",
		    e->len > 0 ? b[0] : 0, e->len > 1 ? b[1] : 0,
		    e->len > 2 ? b[2] : 0, e->len > 3 ? b[3] : 0);
	if (e->len < ELF_HDR_SIZE)
		return fail(e, CELL_E_TRUNCATED,
		    "truncated: %zu bytes, the "
		    "ELF header alone needs %d",
		    e->len, ELF_HDR_SIZE);
	if (b[EI_CLASS] != ELFCLASS64)
		return fail(e, CELL_E_UNSUPPORTED,
		    "offset %d: ELF class %u, "
		    "expected %d (ELF64)",
		    EI_CLASS, b[EI_CLASS], ELFCLASS64);
	if (b[EI_DATA] != ELFDATA2LSB)
		return fail(e, CELL_E_UNSUPPORTED,
		    "offset %d: data encoding "
		    "%u, expected %d (little-endian: clang -target bpfel)",
		    EI_DATA, b[EI_DATA], ELFDATA2LSB);
	if (b[EI_VERSION] != EV_CURRENT ||
	    le32_load(b + EH_VERSION) != EV_CURRENT)
		return fail(e, CELL_E_VERSION,
		    "offset %d: ELF version %u, "
		    "expected %d",
		    EI_VERSION, b[EI_VERSION], EV_CURRENT);
	machine = le16_load(b + EH_MACHINE);
	if (machine != EM_BPF)
		return fail(e, CELL_E_UNSUPPORTED,
		    "offset %d: machine %u%s, "
		    "expected %d (EM_BPF): compile genes with clang -target "
		    "bpf",
		    EH_MACHINE, machine,
		    machine == 62      ? " (x86-64)" :
			machine == 183 ? " (AArch64)" :
					 "",
		    EM_BPF);
	type = le16_load(b + EH_TYPE);
	if (type != ET_REL)
		return fail(e, CELL_E_UNSUPPORTED,
		    "offset %d: ELF type %u, "
		    "expected %d (ET_REL, a relocatable object from clang -c)",
		    EH_TYPE, type, ET_REL);
	return 0;
}

/* Read and check every section header, then the names. */
static int
read_sections(struct elf *e)
{
	const uint8_t *b = e->buf;
	uint64_t shoff = le64_load(b + EH_SHOFF);
	uint16_t entsize = le16_load(b + EH_SHENTSIZE);
	uint32_t shstrndx = le16_load(b + EH_SHSTRNDX);

	e->shnum = le16_load(b + EH_SHNUM);
	if (e->shnum == 0)
		return fail(e, CELL_E_UNSUPPORTED,
		    "offset %d: no section "
		    "headers (or extended numbering, which gene objects do not "
		    "need)",
		    EH_SHNUM);
	if (e->shnum > SECTIONS_MAX)
		return fail(e, CELL_E_RANGE,
		    "offset %d: %u sections, at most "
		    "%d",
		    EH_SHNUM, e->shnum, SECTIONS_MAX);
	if (entsize != ELF_SHDR_SIZE)
		return fail(e, CELL_E_RANGE,
		    "offset %d: section header size "
		    "%u, expected %d",
		    EH_SHENTSIZE, entsize, ELF_SHDR_SIZE);
	if (!within(e, shoff, (uint64_t)e->shnum * ELF_SHDR_SIZE))
		return fail(e, CELL_E_TRUNCATED,
		    "offset %d: %u section headers "
		    "at 0x%llx run past the end of the file (%zu bytes)",
		    EH_SHOFF, e->shnum, (unsigned long long)shoff, e->len);
	for (uint32_t i = 0; i < e->shnum; i++) {
		const uint8_t *h = b + shoff + (uint64_t)i * ELF_SHDR_SIZE;
		struct section *s = &e->sec[i];

		memset(s, 0, sizeof *s);
		s->type = le32_load(h + 4);
		s->flags = le64_load(h + 8);
		s->offset = le64_load(h + 24);
		s->size = le64_load(h + 32);
		s->link = le32_load(h + 40);
		s->info = le32_load(h + 44);
		s->addralign = le64_load(h + 48);
		s->entsize = le64_load(h + 56);
		if (s->type != SHT_NULL && s->type != SHT_NOBITS &&
		    !within(e, s->offset, s->size))
			return fail(e, CELL_E_TRUNCATED,
			    "section %u: %llu bytes "
			    "at offset 0x%llx run past the end of the file (%zu "
			    "bytes)",
			    i, (unsigned long long)s->size,
			    (unsigned long long)s->offset, e->len);
	}
	if (shstrndx == SHN_UNDEF || shstrndx >= e->shnum ||
	    e->sec[shstrndx].type != SHT_STRTAB)
		return fail(e, CELL_E_RANGE,
		    "offset %d: section-name table "
		    "index %u is not a string table among %u sections",
		    EH_SHSTRNDX, shstrndx, e->shnum);
	for (uint32_t i = 0; i < e->shnum; i++) {
		struct section *s = &e->sec[i];
		uint32_t off =
		    le32_load(b + shoff + (uint64_t)i * ELF_SHDR_SIZE);
		size_t avail;

		s->name = string_at(e, shstrndx, off, &avail);
		if (s->name == NULL)
			return fail(e, CELL_E_RANGE,
			    "section %u: name offset "
			    "%u is outside the section-name table",
			    i, off);
		show(s->name, avail, s->shown);
	}
	return 0;
}

/* Find and check the symbol table and its string table. */
static int
find_symtab(struct elf *e)
{
	for (uint32_t i = 1; i < e->shnum; i++) {
		struct section *s = &e->sec[i];

		if (s->type != SHT_SYMTAB)
			continue;
		if (e->symtab != 0)
			return fail(e, CELL_E_UNSUPPORTED,
			    "section %u (%s): a "
			    "second symbol table (the first is section %u)",
			    i, s->shown, e->symtab);
		if (s->entsize != ELF_SYM_SIZE || s->size % ELF_SYM_SIZE != 0)
			return fail(e, CELL_E_RANGE,
			    "section %u (%s): entry "
			    "size %llu and size %llu do not make %d-byte "
			    "symbols",
			    i, s->shown, (unsigned long long)s->entsize,
			    (unsigned long long)s->size, ELF_SYM_SIZE);
		if (s->link == 0 || s->link >= e->shnum ||
		    e->sec[s->link].type != SHT_STRTAB)
			return fail(e, CELL_E_RANGE,
			    "section %u (%s): its "
			    "string table, section %u, is not a string table",
			    i, s->shown, s->link);
		e->symtab = i;
		e->nsyms = (uint32_t)(s->size / ELF_SYM_SIZE);
		s->role = ROLE_SYMTAB;
	}
	if (e->symtab == 0)
		return fail(e, CELL_E_NOENT,
		    "no symbol table (so no entry "
		    "function)");
	return 0;
}

/* Read symbol i (1 <= i < nsyms) into *y. */
static int
read_symbol(struct elf *e, uint32_t i, struct symbol *y)
{
	const struct section *st = &e->sec[e->symtab];
	const uint8_t *p = e->buf + st->offset + (uint64_t)i * ELF_SYM_SIZE;
	uint32_t name = le32_load(p);
	size_t avail;

	y->bind = p[4] >> 4;
	y->type = p[4] & 0xF;
	y->shndx = le16_load(p + 6);
	y->value = le64_load(p + 8);
	y->size = le64_load(p + 16);
	if (name == 0 && y->type == STT_SECTION && y->shndx < e->shnum) {
		y->name = e->sec[y->shndx].name;
		memcpy(y->shown, e->sec[y->shndx].shown, sizeof y->shown);
		return 0;
	}
	y->name = string_at(e, st->link, name, &avail);
	if (y->name == NULL)
		return fail(e, CELL_E_RANGE,
		    "symbol %u: name offset %u is "
		    "outside the string table",
		    i, name);
	show(y->name, avail, y->shown);
	return 0;
}

/* The name of the first variable defined in section idx, for messages. */
static void
variable_in(struct elf *e, uint32_t idx, char *out, size_t cap)
{
	struct symbol y;

	out[0] = '\0';
	for (uint32_t i = 1; i < e->nsyms; i++) {
		if (read_symbol(e, i, &y) == 0 && y.shndx == idx &&
		    y.type == STT_OBJECT) {
			snprintf(out, cap, " (variable '%s')", y.shown);
			return;
		}
	}
}

/* Give each allocatable section its role, refusing what a gene may not have. */
static int
classify(struct elf *e)
{
	char var[NAME_SHOWN + 20];

	for (uint32_t i = 1; i < e->shnum; i++) {
		struct section *s = &e->sec[i];

		if (!(s->flags & SHF_ALLOC))
			continue;
		if (strcmp(s->name, ".maps") == 0 ||
		    strcmp(s->name, "maps") == 0)
			return fail(e, CELL_E_UNSUPPORTED,
			    "section %u (%s): BPF "
			    "maps are not supported: genes keep their state in "
			    "the state area, not in maps",
			    i, s->shown);
		if (s->flags & SHF_EXECINSTR) {
			if (strcmp(s->name, ".text") != 0)
				return fail(e, CELL_E_UNSUPPORTED,
				    "section %u "
				    "(%s): code outside .text: a gene is plain "
				    "functions in .text (no SEC())",
				    i, s->shown);
			if (e->text != 0)
				return fail(e, CELL_E_UNSUPPORTED,
				    "section %u "
				    "(%s): a second .text (the first is section "
				    "%u)",
				    i, s->shown, e->text);
			if (s->type != SHT_PROGBITS)
				return fail(e, CELL_E_UNSUPPORTED,
				    "section %u "
				    "(%s): type %u, expected PROGBITS",
				    i, s->shown, s->type);
			e->text = i;
			s->role = ROLE_TEXT;
			continue;
		}
		if ((s->flags & (SHF_WRITE | SHF_TLS)) ||
		    s->type == SHT_NOBITS) {
			variable_in(e, i, var, sizeof var);
			return fail(e, CELL_E_UNSUPPORTED,
			    "section %u (%s): "
			    "writable data%s: genes keep their state in the "
			    "state area, not in globals",
			    i, s->shown, var);
		}
		if (s->type != SHT_PROGBITS)
			return fail(e, CELL_E_UNSUPPORTED,
			    "section %u (%s): "
			    "allocatable section of type %u is not supported",
			    i, s->shown, s->type);
		s->role = ROLE_RODATA;
	}
	if (e->text == 0)
		return fail(e, CELL_E_NOENT, "no .text section (no code)");
	if (e->sec[e->text].size == 0)
		return fail(e, CELL_E_NOENT,
		    "section %u (.text) is empty (no "
		    "code)",
		    e->text);
	return 0;
}

/* Refuse COMMON and out-of-range symbols before anything uses them. */
static int
check_symbols(struct elf *e)
{
	struct symbol y;
	int rc;

	for (uint32_t i = 1; i < e->nsyms; i++) {
		if ((rc = read_symbol(e, i, &y)) < 0)
			return rc;
		if (y.shndx == SHN_COMMON)
			return fail(e, CELL_E_UNSUPPORTED,
			    "symbol %u ('%s') is "
			    "COMMON (an uninitialised global): genes keep their "
			    "state in the state area, not in globals",
			    i, y.shown);
		if (y.shndx != SHN_UNDEF && y.shndx < SHN_LORESERVE &&
		    y.shndx >= e->shnum)
			return fail(e, CELL_E_RANGE,
			    "symbol %u ('%s'): section "
			    "index %u, only %u sections",
			    i, y.shown, y.shndx, e->shnum);
	}
	return 0;
}

/* Lay the rodata sections out, 8-byte aligned, and copy them. */
static int
pack_rodata(struct elf *e, struct bpf_prog *out)
{
	uint64_t off = 0;

	for (uint32_t i = 1; i < e->shnum; i++) {
		struct section *s = &e->sec[i];
		uint64_t align = 8;

		if (s->role != ROLE_RODATA)
			continue;
		if (s->addralign > 8) {
			if (s->addralign > 64 ||
			    (s->addralign & (s->addralign - 1)) != 0)
				return fail(e, CELL_E_UNSUPPORTED,
				    "section %u "
				    "(%s): alignment %llu, at most 64",
				    i, s->shown,
				    (unsigned long long)s->addralign);
			align = s->addralign;
		}
		off = (off + align - 1) & ~(align - 1);
		if (s->size > VM_RODATA_MAX || off + s->size > VM_RODATA_MAX)
			return fail(e, CELL_E_NOSPACE,
			    "section %u (%s): "
			    "read-only data grows to %llu bytes, at most %d "
			    "(VM_RODATA_MAX)",
			    i, s->shown, (unsigned long long)(off + s->size),
			    VM_RODATA_MAX);
		s->rodata_base = (uint32_t)off;
		memcpy(out->rodata + off, e->buf + s->offset, (size_t)s->size);
		off += s->size;
	}
	out->rodata_len = (uint32_t)off;
	return 0;
}

/* Copy .text, whole 8-byte slots, at most VM_INSNS_MAX, as the code. */
static int
copy_text(struct elf *e, struct bpf_prog *out)
{
	const struct section *t = &e->sec[e->text];

	if (t->size % 8 != 0)
		return fail(e, CELL_E_LENGTH,
		    "section %u (.text): %llu bytes, "
		    "not whole 8-byte instructions",
		    e->text, (unsigned long long)t->size);
	if (t->size / 8 > VM_INSNS_MAX)
		return fail(e, CELL_E_NOSPACE,
		    "section %u (.text): %llu "
		    "instruction slots, at most %d (VM_INSNS_MAX)",
		    e->text, (unsigned long long)(t->size / 8), VM_INSNS_MAX);
	out->insn_count = (uint32_t)(t->size / 8);
	memcpy(out->code, e->buf + t->offset, (size_t)t->size);
	return 0;
}

/* Find the entry function in .text (a global one before a local one). */
static int
find_entry(struct elf *e, const char *entry, struct bpf_prog *out)
{
	struct symbol y, best = { 0 };
	int found = 0, rc;

	for (uint32_t i = 1; i < e->nsyms; i++) {
		if ((rc = read_symbol(e, i, &y)) < 0)
			return rc;
		if (strcmp(y.name, entry) != 0 || y.type == STT_SECTION)
			continue;
		if (!found || (y.bind == STB_GLOBAL && best.bind != STB_GLOBAL))
			best = y;
		found = 1;
	}
	if (!found)
		return fail(e, CELL_E_NOENT,
		    "no function '%s' in .text (a "
		    "gene defines int %s(struct gene_vm_ctx *ctx, void *state))",
		    entry, entry);
	if (best.shndx != e->text || best.type != STT_FUNC)
		return fail(e, CELL_E_NOENT,
		    "'%s' is not a function defined "
		    "in .text",
		    entry);
	if (best.value % 8 != 0 || best.value / 8 >= out->insn_count)
		return fail(e, CELL_E_RANGE,
		    "'%s' at .text+0x%llx is not an "
		    "instruction of .text",
		    entry, (unsigned long long)best.value);
	out->entry = (uint32_t)(best.value / 8);
	return 0;
}

const char *
bpf_elf_reloc_name(uint32_t t)
{
	switch (t) {
	case R_BPF_NONE:
		return "R_BPF_NONE";
	case R_BPF_64_64:
		return "R_BPF_64_64";
	case R_BPF_64_ABS64:
		return "R_BPF_64_ABS64";
	case R_BPF_64_ABS32:
		return "R_BPF_64_ABS32";
	case R_BPF_64_NODYLD32:
		return "R_BPF_64_NODYLD32";
	case R_BPF_64_32:
		return "R_BPF_64_32";
	default:
		return NULL;
	}
}

/* The symbol a relocation names, which must be defined in a section. */
static int
reloc_symbol(struct elf *e, const char *where, uint32_t type, uint32_t idx,
    struct symbol *y)
{
	int rc;

	if (idx == 0 || idx >= e->nsyms)
		return fail(e, CELL_E_RANGE,
		    "%s: symbol index %u, only %u "
		    "symbols",
		    where, idx, e->nsyms);
	if ((rc = read_symbol(e, idx, y)) < 0)
		return rc;
	if (y->shndx == SHN_UNDEF)
		return fail(e, CELL_E_NOENT, "%s: %s undefined %s %s", where,
		    type == R_BPF_64_32 ? "call to" : "reference to",
		    type == R_BPF_64_32 ? "function" : "symbol",
		    y->shown[0] ? y->shown : "(unnamed)");
	if (y->shndx >= e->shnum)
		return fail(e, CELL_E_UNSUPPORTED,
		    "%s: symbol '%s' is %s, not "
		    "in a section",
		    where, y->shown,
		    y->shndx == SHN_ABS ? "absolute" : "special");
	return 0;
}

/* Where a rodata reference lands: VM address of symbol + addend. */
static int
rodata_address(struct elf *e, const char *where, const struct symbol *y,
    uint64_t addend, uint64_t *addr)
{
	const struct section *s = &e->sec[y->shndx];
	uint64_t off = y->value + addend;

	if (s->role == ROLE_TEXT)
		return fail(e, CELL_E_UNSUPPORTED,
		    "%s: the address of code "
		    "('%s') as data is not supported",
		    where, y->shown);
	if (s->role != ROLE_RODATA)
		return fail(e, CELL_E_UNSUPPORTED,
		    "%s: '%s' is in section %u "
		    "(%s), which is not read-only data",
		    where, y->shown, y->shndx, s->shown);
	if (y->value > s->size || addend > s->size - y->value)
		return fail(e, CELL_E_RANGE,
		    "%s: '%s'+%llu + addend %llu is "
		    "past the end of %s (%llu bytes)",
		    where, y->shown, (unsigned long long)y->value,
		    (unsigned long long)addend, s->shown,
		    (unsigned long long)s->size);
	*addr = VM_RODATA_BASE + s->rodata_base + off;
	return 0;
}

/* One relocation of .text. */
static int
reloc_text(struct elf *e, const char *where, uint64_t off, uint32_t type,
    uint32_t symidx, struct bpf_prog *out)
{
	uint8_t *insn;
	uint32_t slot;
	struct symbol y;
	uint64_t addr;
	int rc;

	if (off % 8 != 0 || off / 8 >= out->insn_count)
		return fail(e, CELL_E_RANGE,
		    "%s: not on an instruction of "
		    ".text (%u slots)",
		    where, out->insn_count);
	insn = out->code + off;
	slot = (uint32_t)(off / 8);
	if (type != R_BPF_64_64 && type != R_BPF_64_32)
		return fail(e, CELL_E_UNSUPPORTED,
		    "%s: relocation type %u%s%s%s "
		    "is not supported in .text",
		    where, type, bpf_elf_reloc_name(type) ? " (" : "",
		    bpf_elf_reloc_name(type) ? bpf_elf_reloc_name(type) : "",
		    bpf_elf_reloc_name(type) ? ")" : "");
	if ((rc = reloc_symbol(e, where, type, symidx, &y)) < 0)
		return rc;
	if (type == R_BPF_64_64) {
		uint64_t addend;

		if (insn[0] != BPF_OP_LDDW || slot + 1 >= out->insn_count ||
		    insn[8] != 0)
			return fail(e, CELL_E_UNSUPPORTED,
			    "%s: R_BPF_64_64 on "
			    "opcode 0x%02x, not on an lddw",
			    where, insn[0]);
		addend = (uint64_t)le32_load(insn + 4) |
		    (uint64_t)le32_load(insn + 12) << 32;
		if ((rc = rodata_address(e, where, &y, addend, &addr)) < 0)
			return rc;
		le32_store(insn + 4, (uint32_t)addr);
		le32_store(insn + 12, (uint32_t)(addr >> 32));
		return 0;
	}
	/*
	 * A call of a function in .text: the target slot is the symbol's
	 * slot plus the implicit imm plus one (imm is -1 for a call of a
	 * global function, the static function's slot - 1 when the symbol is
	 * the section); the VM's imm is relative to the next slot.
	 */
	{
		int64_t target;

		if (insn[0] != BPF_OP_CALL)
			return fail(e, CELL_E_UNSUPPORTED,
			    "%s: R_BPF_64_32 on "
			    "opcode 0x%02x, not on a call",
			    where, insn[0]);
		if (y.shndx != e->text)
			return fail(e, CELL_E_UNSUPPORTED,
			    "%s: call of '%s', "
			    "which is not a function in .text",
			    where, y.shown);
		if (y.value % 8 != 0)
			return fail(e, CELL_E_RANGE,
			    "%s: call of '%s' at "
			    ".text+0x%llx, not an instruction boundary",
			    where, y.shown, (unsigned long long)y.value);
		target =
		    (int64_t)(y.value / 8) + (int32_t)le32_load(insn + 4) + 1;
		if (target < 0 || target >= (int64_t)out->insn_count)
			return fail(e, CELL_E_RANGE,
			    "%s: call of '%s' lands on "
			    "slot %lld, outside .text (%u slots)",
			    where, y.shown, (long long)target, out->insn_count);
		le32_store(insn + 4, (uint32_t)(int32_t)(target - slot - 1));
		insn[1] = (uint8_t)(BPF_PSEUDO_CALL << 4 | (insn[1] & 0x0F));
		return 0;
	}
}

/* One relocation of a rodata section: a pointer stored in the data. */
static int
reloc_rodata(struct elf *e, const char *where, const struct section *s,
    uint64_t off, uint32_t type, uint32_t symidx, struct bpf_prog *out)
{
	uint32_t width = type == R_BPF_64_ABS64 ? 8 : 4;
	uint8_t *at;
	struct symbol y;
	uint64_t addr, addend;
	int rc;

	if (type != R_BPF_64_ABS64 && type != R_BPF_64_ABS32)
		return fail(e, CELL_E_UNSUPPORTED,
		    "%s: relocation type %u%s%s%s "
		    "is not supported in read-only data",
		    where, type, bpf_elf_reloc_name(type) ? " (" : "",
		    bpf_elf_reloc_name(type) ? bpf_elf_reloc_name(type) : "",
		    bpf_elf_reloc_name(type) ? ")" : "");
	if (off > s->size || width > s->size - off)
		return fail(e, CELL_E_RANGE,
		    "%s: %u bytes at 0x%llx are past "
		    "the end of %s (%llu bytes)",
		    where, width, (unsigned long long)off, s->shown,
		    (unsigned long long)s->size);
	if ((rc = reloc_symbol(e, where, type, symidx, &y)) < 0)
		return rc;
	at = out->rodata + s->rodata_base + off;
	addend = width == 8 ? le64_load(at) : le32_load(at);
	if ((rc = rodata_address(e, where, &y, addend, &addr)) < 0)
		return rc;
	if (width == 8)
		wr64(at, addr);
	else
		le32_store(at, (uint32_t)addr);
	return 0;
}

/* Apply every relocation section that targets .text or rodata. */
static int
relocate(struct elf *e, struct bpf_prog *out)
{
	char where[NAME_SHOWN * 2 + 96];
	int rc;

	for (uint32_t i = 1; i < e->shnum; i++) {
		const struct section *r = &e->sec[i];
		const struct section *t;
		uint64_t n;

		if (r->type != SHT_REL && r->type != SHT_RELA)
			continue;
		if (r->info == 0 || r->info >= e->shnum)
			return fail(e, CELL_E_RANGE,
			    "section %u (%s): it "
			    "relocates section %u, only %u sections",
			    i, r->shown, r->info, e->shnum);
		t = &e->sec[r->info];
		if (t->role != ROLE_TEXT && t->role != ROLE_RODATA)
			continue; /* .BTF, debug info: not loaded */
		if (r->type == SHT_RELA)
			return fail(e, CELL_E_UNSUPPORTED,
			    "section %u (%s): "
			    "RELA relocations are not supported (clang -target "
			    "bpf writes REL)",
			    i, r->shown);
		if (r->link != e->symtab)
			return fail(e, CELL_E_RANGE,
			    "section %u (%s): its "
			    "symbol table is section %u, not %u",
			    i, r->shown, r->link, e->symtab);
		if (r->entsize != ELF_REL_SIZE || r->size % ELF_REL_SIZE != 0)
			return fail(e, CELL_E_RANGE,
			    "section %u (%s): entry "
			    "size %llu and size %llu do not make %d-byte "
			    "relocations",
			    i, r->shown, (unsigned long long)r->entsize,
			    (unsigned long long)r->size, ELF_REL_SIZE);
		n = r->size / ELF_REL_SIZE;
		for (uint64_t k = 0; k < n; k++) {
			const uint8_t *p =
			    e->buf + r->offset + k * ELF_REL_SIZE;
			uint64_t off = le64_load(p), info = le64_load(p + 8);
			uint32_t type = (uint32_t)info;
			uint32_t sym = (uint32_t)(info >> 32);

			snprintf(where, sizeof where,
			    "section %u (%s) "
			    "relocation %llu at %s+0x%llx",
			    i, r->shown, (unsigned long long)k, t->shown,
			    (unsigned long long)off);
			if (t->role == ROLE_TEXT)
				rc = reloc_text(e, where, off, type, sym, out);
			else
				rc = reloc_rodata(e, where, t, off, type, sym,
				    out);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

int
bpf_elf_load(const uint8_t *buf, size_t len, const char *entry,
    struct bpf_prog *out, char *msg, size_t cap)
{
	struct elf elf; /* about 28 KiB of section table */
	struct elf *e = &elf;
	int rc;

	memset(e, 0, sizeof *e);
	memset(out, 0, sizeof *out);
	e->buf = buf;
	e->len = buf != NULL ? len : 0;
	e->msg = msg;
	e->cap = cap;
	if (cap > 0)
		msg[0] = '\0';
	if ((rc = read_header(e)) < 0 || (rc = read_sections(e)) < 0 ||
	    (rc = find_symtab(e)) < 0 || (rc = classify(e)) < 0 ||
	    (rc = check_symbols(e)) < 0 || (rc = copy_text(e, out)) < 0 ||
	    (rc = pack_rodata(e, out)) < 0 ||
	    (rc = find_entry(e, entry, out)) < 0 ||
	    (rc = relocate(e, out)) < 0) {
		memset(out, 0, sizeof *out);
		return rc;
	}
	return 0;
}
