/*
 * disk-pack: build the PC BIOS disk image.
 *
 *   disk-pack --stage1 FILE --stage2 FILE --kernel ELF [--cgf] -o OUT
 *
 * Layout (512-byte sectors, docs/BOOT-x86.md): sector 0 is stage1 with the
 * layout table patched in at LAYOUT_OFF; stage2 from sector STAGE2_LBA; the
 * kernel image from sector KERNEL_LBA; with --cgf, the CGF blob after it;
 * zeros up to a whole MiB. Every offset, sector and address here comes from
 * arch/bios-x86_64/bootinfo.h, the file stage1 and stage2 are assembled
 * from too (as bootinfo.inc), and each record is encoded by its layout
 * table there.
 *
 * The kernel image is made here from the kernel ELF's PT_LOAD segments
 * (what objcopy -O binary would write), so the bytes on the disk are the
 * ones whose digest is recorded. disk-pack records in stage2's build
 * record ("S2BR" at STAGE2_RECORD_OFF) the kernel's memory size from 1 MiB (image,
 * BSS, stack: the ELF's highest p_paddr + p_memsz), which stage2 checks
 * against the E820 map. With --cgf it builds the CGF blob (CONTRACT.md
 * section 2: a 4096-byte header whose CRC32C covers it with the CRC field
 * zeroed, then the gene directory), whose gene directory records the SHA-256
 * of the whole kernel image and the offset, length and SHA-256 of the
 * phenotype embedded in it (the ELF's board_pbin .. board_pbin_end, the
 * bytes the kernel boots), and records the directory's SHA-256 in stage2.
 * stage2 verifies the chain at boot before it enters the kernel.
 *
 * Each input is checked first (the ELF field by field, naming the offset);
 * nothing is written unless all are good, and the image is written to a
 * temporary next to OUT and renamed.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bootinfo.h"
#include "byteorder.h"
#include "crypto.h"
#include "layout.h"
#include "outfile.h"

#define LAYOUT_END (LAYOUT_OFF + LT_SIZE)

/* The records disk-pack writes, as bootinfo.h's tables decode them. */
struct layout_table {
	uint32_t magic, stage2_lba;
	uint16_t stage2_sectors, reserved;
	uint32_t kernel_lba, kernel_sectors, kernel_bytes, cgf_lba;
	uint16_t cgf_sectors;
};

struct cgf_header {
	uint32_t crc, genedir_off, genedir_len;
};

struct genedir {
	uint32_t magic, version, kernel_bytes, phenotype_off, phenotype_len;
	uint8_t reserved[12];
	uint8_t kernel_sha256[32], phenotype_sha256[32];
};

#define LAYOUT_STORE_zero12(p, x) layout_copy(p, x, 12)

static void
layout_table_encode(uint8_t *b, const struct layout_table *v)
{
	LT_LAYOUT(LAYOUT_ENCODE_ROW, ~)
}

static void
cgf_header_encode(uint8_t *b, const struct cgf_header *v)
{
	CGF_LAYOUT(LAYOUT_ENCODE_ROW, ~)
}

static void
genedir_encode(uint8_t *b, const struct genedir *v)
{
	GD_LAYOUT(LAYOUT_ENCODE_ROW, ~)
}

/* ELF64 (System V gABI) offsets used here. */
#define EHDR_SIZE  64u
#define PHDR_SIZE  56u
#define SHDR_SIZE  64u
#define SYM_SIZE   24u
#define PT_LOAD    1u
#define SHT_SYMTAB 2u
#define PHNUM_MAX  64u

struct input {
	const char *path;
	uint8_t *bytes;
	size_t len;
};

/* What the kernel ELF gives the image. */
struct kernel {
	uint8_t *image; /* the bytes stage2 loads at KERNEL_PHYS */
	uint32_t len;
	uint32_t memsz; /* image + BSS + stack, from KERNEL_PHYS */
	int has_phenotype;
	uint32_t phenotype_off; /* board_pbin - KERNEL_VIRT */
	uint32_t phenotype_len;
};

static const char usage_line[] =
    "usage: disk-pack --stage1 FILE --stage2 FILE --kernel ELF [--cgf] "
    "-o OUT\n";

static int
load(struct input *in, const char *what)
{
	FILE *f = fopen(in->path, "rb");
	long n;

	if (f == NULL) {
		fprintf(stderr, "disk-pack: %s %s: %s\n", what, in->path,
		    strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "disk-pack: %s %s: cannot tell its size\n",
		    what, in->path);
		fclose(f);
		return -1;
	}
	in->len = (size_t)n;
	in->bytes = malloc(in->len ? in->len : 1);
	if (in->bytes == NULL || fread(in->bytes, 1, in->len, f) != in->len) {
		fprintf(stderr, "disk-pack: %s %s: read error\n", what,
		    in->path);
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

/* Is [off, off + len) inside a file of size? (no overflow) */
static int
within(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

/*
 * Find board_pbin and board_pbin_end in the ELF's symbol table and turn
 * them into an offset and length inside the image. 0 (and has_phenotype
 * 0 when there is no symbol table or no such symbols), or -1 after naming
 * the problem.
 */
static int
elf_phenotype(const struct input *e, struct kernel *k)
{
	const uint8_t *b = e->bytes;
	uint64_t shoff = le64_load(b + 40);
	uint16_t shentsize = le16_load(b + 58), shnum = le16_load(b + 60);
	uint64_t start = 0, end = 0;
	int found = 0;

	if (shnum == 0)
		return 0;
	if (shentsize != SHDR_SIZE) {
		fprintf(stderr,
		    "disk-pack: kernel %s: offset 0x3A (e_shentsize): "
		    "%u, expected %u\n",
		    e->path, shentsize, SHDR_SIZE);
		return -1;
	}
	if (!within(shoff, (uint64_t)shnum * SHDR_SIZE, e->len)) {
		fprintf(stderr,
		    "disk-pack: kernel %s: offset 0x28 (e_shoff): "
		    "%u section headers at 0x%llX run past the end of the file "
		    "(%zu bytes)\n",
		    e->path, shnum, (unsigned long long)shoff, e->len);
		return -1;
	}
	for (unsigned i = 0; i < shnum; i++) {
		const uint8_t *sh = b + shoff + (uint64_t)i * SHDR_SIZE;
		uint64_t symoff, symsize, stroff, strsize;
		uint32_t link;
		const uint8_t *str;

		if (le32_load(sh + 4) != SHT_SYMTAB)
			continue;
		symoff = le64_load(sh + 24);
		symsize = le64_load(sh + 32);
		link = le32_load(sh + 40);
		if (!within(symoff, symsize, e->len) || link >= shnum) {
			fprintf(stderr,
			    "disk-pack: kernel %s: section header %u "
			    "(the symbol table) at 0x%llX: sh_offset, sh_size or "
			    "sh_link out of range\n",
			    e->path, i,
			    (unsigned long long)(shoff +
				(uint64_t)i * SHDR_SIZE));
			return -1;
		}
		stroff = le64_load(b + shoff + (uint64_t)link * SHDR_SIZE + 24);
		strsize =
		    le64_load(b + shoff + (uint64_t)link * SHDR_SIZE + 32);
		if (!within(stroff, strsize, e->len)) {
			fprintf(stderr,
			    "disk-pack: kernel %s: section header %u "
			    "(the string table): sh_offset or sh_size out of "
			    "range\n",
			    e->path, link);
			return -1;
		}
		str = b + stroff;
		for (uint64_t s = 0; s + SYM_SIZE <= symsize; s += SYM_SIZE) {
			const uint8_t *sym = b + symoff + s;
			uint32_t name = le32_load(sym);
			const char *nm;

			if (name >= strsize ||
			    memchr(str + name, '\0', strsize - name) == NULL)
				continue;
			nm = (const char *)str + name;
			if (strcmp(nm, "board_pbin") == 0) {
				start = le64_load(sym + 8);
				found |= 1;
			} else if (strcmp(nm, "board_pbin_end") == 0) {
				end = le64_load(sym + 8);
				found |= 2;
			}
		}
	}
	if (found != 3)
		return 0;
	if (start < KERNEL_VIRT || end < start || end - KERNEL_VIRT > k->len) {
		fprintf(stderr,
		    "disk-pack: kernel %s: board_pbin..board_pbin_end "
		    "(0x%llX..0x%llX) is not inside the loaded image "
		    "0x%llX..0x%llX\n",
		    e->path, (unsigned long long)start, (unsigned long long)end,
		    (unsigned long long)KERNEL_VIRT,
		    (unsigned long long)(KERNEL_VIRT + k->len));
		return -1;
	}
	k->has_phenotype = 1;
	k->phenotype_off = (uint32_t)(start - KERNEL_VIRT);
	k->phenotype_len = (uint32_t)(end - start);
	return 0;
}

/*
 * Turn the kernel ELF into the image stage2 loads: an x86-64 ET_EXEC that
 * enters at KERNEL_VIRT, whose PT_LOAD segments start at KERNEL_PHYS, map
 * virtual = physical + (KERNEL_VIRT - KERNEL_PHYS) as stage2's page tables
 * do, do not overlap, fit the bounce buffer (file bytes) and the first GiB
 * (memory). 0, or -1 after naming the offset and field at fault.
 */
static int
elf_kernel(const struct input *e, struct kernel *k)
{
	const uint8_t *b = e->bytes;
	uint64_t phoff, entry, lo = UINT64_MAX, file_hi = 0, mem_hi = 0;
	uint16_t phentsize, phnum;
	const char *p = e->path;
	unsigned loads = 0;

	if (e->len < EHDR_SIZE) {
		fprintf(stderr,
		    "disk-pack: kernel %s: %zu bytes, too short for "
		    "an ELF64 header (%u)\n",
		    p, e->len, EHDR_SIZE);
		return -1;
	}
	if (memcmp(b, "\177ELF", 4) != 0) {
		fprintf(stderr,
		    "disk-pack: kernel %s: offset 0 (e_ident): not an "
		    "ELF file (no 7F 45 4C 46)\n",
		    p);
		return -1;
	}
	if (b[4] != 2 || b[5] != 1) {
		fprintf(stderr,
		    "disk-pack: kernel %s: offset 4 (EI_CLASS, "
		    "EI_DATA): %u %u, expected 2 1 (ELF64, little-endian)\n",
		    p, b[4], b[5]);
		return -1;
	}
	if (le16_load(b + 16) != 2 || le16_load(b + 18) != 62) {
		fprintf(stderr,
		    "disk-pack: kernel %s: offset 0x10 (e_type, "
		    "e_machine): %u %u, expected 2 62 (an x86-64 executable)\n",
		    p, le16_load(b + 16), le16_load(b + 18));
		return -1;
	}
	entry = le64_load(b + 24);
	if (entry != KERNEL_VIRT) {
		fprintf(stderr,
		    "disk-pack: kernel %s: offset 0x18 (e_entry): "
		    "0x%llX; stage2 enters the kernel at 0x%llX\n",
		    p, (unsigned long long)entry,
		    (unsigned long long)KERNEL_VIRT);
		return -1;
	}
	phoff = le64_load(b + 32);
	phentsize = le16_load(b + 54);
	phnum = le16_load(b + 56);
	if (phentsize != PHDR_SIZE || phnum == 0 || phnum > PHNUM_MAX ||
	    !within(phoff, (uint64_t)phnum * PHDR_SIZE, e->len)) {
		fprintf(stderr,
		    "disk-pack: kernel %s: offset 0x20 (e_phoff, "
		    "e_phentsize, e_phnum): 0x%llX %u %u: expected 1..%u program "
		    "headers of %u bytes inside the file (%zu bytes)\n",
		    p, (unsigned long long)phoff, phentsize, phnum, PHNUM_MAX,
		    PHDR_SIZE, e->len);
		return -1;
	}
	for (unsigned i = 0; i < phnum; i++) {
		const uint8_t *ph = b + phoff + (uint64_t)i * PHDR_SIZE;
		uint64_t at = phoff + (uint64_t)i * PHDR_SIZE;
		uint64_t off = le64_load(ph + 8), vaddr = le64_load(ph + 16);
		uint64_t paddr = le64_load(ph + 24),
			 filesz = le64_load(ph + 32);
		uint64_t memsz = le64_load(ph + 40);

		if (le32_load(ph) != PT_LOAD || memsz == 0)
			continue;
		loads++;
		if (filesz > memsz || !within(off, filesz, e->len)) {
			fprintf(stderr,
			    "disk-pack: kernel %s: program header %u at "
			    "0x%llX (p_offset, p_filesz, p_memsz): 0x%llX 0x%llX "
			    "0x%llX: the file bytes must lie inside the file and "
			    "within the segment\n",
			    p, i, (unsigned long long)at,
			    (unsigned long long)off, (unsigned long long)filesz,
			    (unsigned long long)memsz);
			return -1;
		}
		if (paddr < KERNEL_PHYS || paddr > MAPPED_TOP ||
		    memsz > MAPPED_TOP - paddr) {
			fprintf(stderr,
			    "disk-pack: kernel %s: program header %u at "
			    "0x%llX (p_paddr, p_memsz): 0x%llX 0x%llX is not inside "
			    "0x%llX..0x%llX, where stage2 loads the kernel\n",
			    p, i, (unsigned long long)at,
			    (unsigned long long)paddr,
			    (unsigned long long)memsz,
			    (unsigned long long)KERNEL_PHYS,
			    (unsigned long long)MAPPED_TOP);
			return -1;
		}
		if (vaddr - paddr != KERNEL_VIRT - KERNEL_PHYS) {
			fprintf(stderr,
			    "disk-pack: kernel %s: program header %u at "
			    "0x%llX (p_vaddr, p_paddr): 0x%llX 0x%llX; stage2 maps "
			    "physical p at virtual p + 0x%llX\n",
			    p, i, (unsigned long long)at,
			    (unsigned long long)vaddr,
			    (unsigned long long)paddr,
			    (unsigned long long)(KERNEL_VIRT - KERNEL_PHYS));
			return -1;
		}
		for (unsigned j = 0; j < i; j++) {
			const uint8_t *q = b + phoff + (uint64_t)j * PHDR_SIZE;
			uint64_t qa = le64_load(q + 24), qm = le64_load(q + 40);

			if (le32_load(q) == PT_LOAD && qm != 0 &&
			    paddr < qa + qm && qa < paddr + memsz) {
				fprintf(stderr,
				    "disk-pack: kernel %s: program "
				    "headers %u and %u (p_paddr, p_memsz) "
				    "overlap\n",
				    p, j, i);
				return -1;
			}
		}
		if (paddr < lo)
			lo = paddr;
		if (filesz > 0 && paddr + filesz > file_hi)
			file_hi = paddr + filesz;
		if (paddr + memsz > mem_hi)
			mem_hi = paddr + memsz;
	}
	if (loads == 0 || file_hi == 0) {
		fprintf(stderr,
		    "disk-pack: kernel %s: no PT_LOAD segment with "
		    "file bytes: nothing to load\n",
		    p);
		return -1;
	}
	if (lo != KERNEL_PHYS) {
		fprintf(stderr,
		    "disk-pack: kernel %s: the lowest PT_LOAD segment "
		    "is at physical 0x%llX; stage2 copies the kernel to 0x%llX and "
		    "enters its first byte\n",
		    p, (unsigned long long)lo, (unsigned long long)KERNEL_PHYS);
		return -1;
	}
	if (file_hi - KERNEL_PHYS > BOUNCE_MAX) {
		fprintf(stderr,
		    "disk-pack: kernel %s: %llu bytes to load; its "
		    "load window 0x20000..0x9C000 holds 1..%u bytes\n",
		    p, (unsigned long long)(file_hi - KERNEL_PHYS), BOUNCE_MAX);
		return -1;
	}
	k->len = (uint32_t)(file_hi - KERNEL_PHYS);
	k->memsz = (uint32_t)(mem_hi - KERNEL_PHYS);
	k->image = calloc(1, k->len);
	if (k->image == NULL) {
		fprintf(stderr, "disk-pack: out of memory\n");
		return -1;
	}
	for (unsigned i = 0; i < phnum; i++) {
		const uint8_t *ph = b + phoff + (uint64_t)i * PHDR_SIZE;
		uint64_t filesz = le64_load(ph + 32);

		if (le32_load(ph) != PT_LOAD || le64_load(ph + 40) == 0 ||
		    filesz == 0)
			continue;
		memcpy(k->image + (le64_load(ph + 24) - KERNEL_PHYS),
		    b + le64_load(ph + 8), filesz);
	}
	return elf_phenotype(e, k);
}

static int
check_stages(const struct input *s1, const struct input *s2)
{
	int bad = 0;

	if (s1->len != SECTOR_BYTES) {
		fprintf(stderr,
		    "disk-pack: stage1 %s: %zu bytes, a boot sector "
		    "is exactly %u\n",
		    s1->path, s1->len, SECTOR_BYTES);
		bad = 1;
	} else if (s1->bytes[510] != 0x55 || s1->bytes[511] != 0xAA) {
		fprintf(stderr,
		    "disk-pack: stage1 %s: no boot signature 55 AA "
		    "at offset 510 (found %02X %02X)\n",
		    s1->path, s1->bytes[510], s1->bytes[511]);
		bad = 1;
	} else {
		for (unsigned i = LAYOUT_OFF; i < LAYOUT_END; i++) {
			if (s1->bytes[i] != 0) {
				fprintf(stderr,
				    "disk-pack: stage1 %s: byte at "
				    "0x%X is not zero: 0x%X..0x%X is reserved "
				    "for the layout table\n",
				    s1->path, i, LAYOUT_OFF, LAYOUT_END - 1);
				bad = 1;
				break;
			}
		}
	}
	if (s2->len == 0 || s2->len > STAGE2_MAX_SECTORS * SECTOR_BYTES) {
		fprintf(stderr,
		    "disk-pack: stage2 %s: %zu bytes; its load window "
		    "0x8000..0xE000 holds 1..%u bytes\n",
		    s2->path, s2->len, STAGE2_MAX_SECTORS * SECTOR_BYTES);
		bad = 1;
	} else if (s2->len < STAGE2_RECORD_OFF + S2R_SIZE ||
	    le32_load(s2->bytes + STAGE2_RECORD_OFF + S2R_MAGIC) !=
		STAGE2_RECORD_MAGIC) {
		fprintf(stderr,
		    "disk-pack: stage2 %s: no build record "
		    "(\"S2BR\" at offset %u)\n",
		    s2->path, STAGE2_RECORD_OFF);
		bad = 1;
	}
	return bad ? -1 : 0;
}

/*
 * --cgf and the stage2 must agree: a stage2 that verifies refuses to boot
 * without a blob, and a blob for a stage2 that does not verify it would
 * only look like a check.
 */
static int
check_cgf(const struct input *s2, const struct input *elf,
    const struct kernel *k, int cgf)
{
	int verifies = (le32_load(s2->bytes + STAGE2_RECORD_OFF + S2R_FLAGS) &
			   S2F_CGF_VERIFY) != 0;

	if (verifies && !cgf) {
		fprintf(stderr,
		    "disk-pack: stage2 %s verifies a CGF blob "
		    "(built with CELLOS_CGF_VERIFY) but --cgf is not given: it "
		    "would refuse to boot\n",
		    s2->path);
		return -1;
	}
	if (!verifies && cgf) {
		fprintf(stderr,
		    "disk-pack: stage2 %s was built without "
		    "CELLOS_CGF_VERIFY: nothing would check the --cgf blob\n",
		    s2->path);
		return -1;
	}
	if (cgf && (!k->has_phenotype || k->phenotype_len == 0)) {
		fprintf(stderr,
		    "disk-pack: kernel %s: no embedded phenotype "
		    "(symbols board_pbin..board_pbin_end missing or empty), so "
		    "--cgf has nothing to name\n",
		    elf->path);
		return -1;
	}
	return 0;
}

static uint32_t
sectors(size_t len)
{
	return (uint32_t)((len + SECTOR_BYTES - 1) / SECTOR_BYTES);
}

/* The CGF blob (header, then the gene directory) at blob. */
static void
write_cgf(uint8_t *blob, const struct kernel *k, uint8_t digest[32])
{
	struct cgf_header h = { 0, CGF_HEADER_SIZE, GENEDIR_SIZE };
	struct genedir d = { GENEDIR_MAGIC, GENEDIR_VERSION, k->len,
		k->phenotype_off, k->phenotype_len, { 0 }, { 0 }, { 0 } };
	uint8_t *dir = blob + CGF_HEADER_SIZE;

	/* The CRC covers the header with its own field still zero. */
	cgf_header_encode(blob, &h);
	le32_store(blob + CGF_OFF_CRC, crc32c(0, blob, CGF_HEADER_SIZE));
	sha256(k->image, k->len, d.kernel_sha256);
	sha256(k->image + k->phenotype_off, k->phenotype_len,
	    d.phenotype_sha256);
	genedir_encode(dir, &d);
	sha256(dir, GENEDIR_SIZE, digest);
}

int
main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "stage1", required_argument, NULL, '1' },
		{ "stage2", required_argument, NULL, '2' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "cgf", no_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct input s1 = { 0 }, s2 = { 0 }, elf = { 0 };
	struct kernel k = { 0 };
	struct layout_table lt;
	const char *out = NULL;
	uint8_t *image, *record;
	size_t size, used;
	uint32_t cgf_lba = 0, cgf_sectors = 0;
	int cgf = 0, c, bad;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", options, NULL)) != -1) {
		switch (c) {
		case '1':
			s1.path = optarg;
			break;
		case '2':
			s2.path = optarg;
			break;
		case 'k':
			elf.path = optarg;
			break;
		case 'c':
			cgf = 1;
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			fputs(usage_line, stdout);
			return 0;
		case ':':
			fprintf(stderr, "disk-pack: %s needs a value\n",
			    argv[optind - 1]);
			fputs(usage_line, stderr);
			return 2;
		default:
			fprintf(stderr, "disk-pack: unknown option '%s'\n",
			    argv[optind - 1]);
			fputs(usage_line, stderr);
			return 2;
		}
	}
	if (optind < argc || s1.path == NULL || s2.path == NULL ||
	    elf.path == NULL || out == NULL) {
		fputs(usage_line, stderr);
		return 2;
	}
	if (load(&s1, "stage1") != 0 || load(&s2, "stage2") != 0 ||
	    load(&elf, "kernel") != 0)
		return 1;
	bad = check_stages(&s1, &s2) != 0;
	bad |= elf_kernel(&elf, &k) != 0;
	if (bad || check_cgf(&s2, &elf, &k, cgf) != 0)
		return 1;

	used = (KERNEL_LBA + sectors(k.len)) * (size_t)SECTOR_BYTES;
	if (cgf) {
		cgf_lba = KERNEL_LBA + sectors(k.len);
		cgf_sectors =
		    sectors(CGF_BLOB_BYTES); /* room for the signature */
		used += cgf_sectors * (size_t)SECTOR_BYTES;
	}
	size = (used + (1u << 20) - 1) & ~(size_t)((1u << 20) - 1);
	image = calloc(1, size);
	if (image == NULL) {
		fprintf(stderr, "disk-pack: out of memory\n");
		return 1;
	}
	memcpy(image, s1.bytes, SECTOR_BYTES);
	lt = (struct layout_table){
		.magic = LAYOUT_MAGIC,
		.stage2_lba = STAGE2_LBA,
		.stage2_sectors = (uint16_t)sectors(s2.len),
		.reserved = 0,
		.kernel_lba = KERNEL_LBA,
		.kernel_sectors = sectors(k.len),
		.kernel_bytes = k.len,
		.cgf_lba = cgf_lba,
		.cgf_sectors = (uint16_t)cgf_sectors,
	};
	layout_table_encode(image + LAYOUT_OFF, &lt);
	memcpy(image + STAGE2_LBA * SECTOR_BYTES, s2.bytes, s2.len);
	memcpy(image + KERNEL_LBA * SECTOR_BYTES, k.image, k.len);
	record = image + STAGE2_LBA * SECTOR_BYTES + STAGE2_RECORD_OFF;
	le32_store(record + S2R_MEMSZ, k.memsz);
	if (cgf)
		write_cgf(image + (size_t)cgf_lba * SECTOR_BYTES, &k,
		    record + S2R_DIGEST);

	if (outfile_write("disk-pack", out, image, size) != 0) {
		free(image);
		return 1;
	}
	free(image);
	free(s1.bytes);
	free(s2.bytes);
	free(elf.bytes);
	free(k.image);
	return 0;
}
