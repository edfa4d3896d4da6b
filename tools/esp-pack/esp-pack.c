/*
 * esp-pack: build the UEFI disk image of the x86 kernel.
 *
 *   esp-pack --loader BOOTX64.EFI --kernel ELF --epoch SECONDS -o OUT [--map]
 *
 * OUT is a GPT disk (UEFI 2.10 chapter 5: a protective MBR, the primary
 * header and entry array at LBA 1..33, the backup ones at the end) with one
 * partition, the EFI system partition, holding a FAT32 file system
 * (Microsoft's FAT specification; UEFI 13.3: FAT32 for a system partition):
 *
 *   \EFI\BOOT\BOOTX64.EFI   the loader, with its build record filled in
 *   \CELLOS\KERNEL.BIN      the kernel image: the ELF's PT_LOAD segments
 *                           from 1 MiB up, as disk-pack makes it
 *   \CELLOS\KERNEL.CGF      the CGF blob: the 4096-byte header and the gene
 *                           directory (docs/BOOT-x86.md), whose SHA-256 of
 *                           the kernel image and of its embedded phenotype
 *                           the loader checks
 *
 * The loader's build record ("UEBR", arch/uefi-x86_64/loader.h) gets the
 * kernel's memory size (image, BSS, stack) and the SHA-256 of the gene
 * directory: the digest recorded at build time that the chain starts from.
 *
 * Everything that could vary is fixed: every timestamp is --epoch
 * (SOURCE_DATE_EPOCH, clamped to FAT's 1980..2107), the volume serial is
 * the epoch's low 32 bits, the disk and partition GUIDs are SHA-256 of a
 * label and the epoch (as version 4 GUIDs), files are laid out in one
 * order, contiguously. The same inputs give the same bytes.
 *
 * --map prints, for each file, "OFFSET LENGTH PATH" (decimal, the file's
 * bytes inside OUT), for tests that damage one of them.
 *
 * Each input is checked first (the ELF and the PE field by field, naming
 * the offset); nothing is written unless all are good, and OUT is written
 * to a temporary next to it and renamed.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "byteorder.h"
#include "crypto.h"
#include "outfile.h"

#define SECTOR      512u
#define KERNEL_PHYS 0x100000ull
#define KERNEL_VIRT 0xFFFFFFFF80100000ull
#define MAPPED_TOP  (1ull << 30) /* the loader maps the first GiB */
#define CGF_HEADER  4096u

/* The loader's build record (arch/uefi-x86_64/loader.h). */
#define RECORD_SIZE   48u
#define RECORD_MAGIC  "UEBR"
#define REC_FLAGS     4u
#define REC_MEMSZ     8u
#define REC_DIGEST    16u
#define UEBR_F_PACKED 1u

/* The CGF gene directory (arch/bios-x86_64/bootinfo.h). */
#define GENEDIR_MAGIC       0x52494447u /* "GDIR" */
#define GENEDIR_VERSION     1u
#define GENEDIR_SIZE        96u
#define GD_KERNEL_BYTES     8u
#define GD_PHENOTYPE_OFF    12u
#define GD_PHENOTYPE_LEN    16u
#define GD_KERNEL_SHA256    32u
#define GD_PHENOTYPE_SHA256 64u

/* ELF64 (System V gABI). */
#define EHDR_SIZE  64u
#define PHDR_SIZE  56u
#define SHDR_SIZE  64u
#define SYM_SIZE   24u
#define PT_LOAD    1u
#define SHT_SYMTAB 2u
#define PHNUM_MAX  64u

/* The disk: 36 MiB, GPT with 128 entries of 128 bytes, the ESP from 1 MiB. */
#define DISK_SECTORS      (36u * 2048u)
#define GPT_ENTRIES       128u
#define GPT_ENTRY_SIZE    128u
#define GPT_ENTRY_SECTORS (GPT_ENTRIES * GPT_ENTRY_SIZE / SECTOR)
#define PART_FIRST        2048u
#define PART_LAST         (DISK_SECTORS - 2u - GPT_ENTRY_SECTORS)

/* FAT32: one sector per cluster, 32 reserved sectors, two FATs. */
#define RESERVED_SECTORS   32u
#define NUM_FATS           2u
#define FAT32_MIN_CLUSTERS 65525u
#define FAT_EOC            0x0FFFFFFFu
#define ROOT_CLUSTER       2u
#define ATTR_VOLUME_ID     0x08u
#define ATTR_DIRECTORY     0x10u
#define ATTR_ARCHIVE       0x20u
#define DIRENT             32u

struct input {
	const char *path;
	uint8_t *bytes;
	size_t len;
};

struct kernel {
	uint8_t *image;
	uint32_t len;
	uint32_t memsz;
	int has_phenotype;
	uint32_t phenotype_off;
	uint32_t phenotype_len;
};

/* The FAT32 volume being laid out. */
struct fat {
	uint8_t *disk;
	uint32_t fat_sectors;
	uint32_t clusters;   /* data clusters, numbered from 2 */
	uint32_t next;       /* next free cluster */
	uint16_t time, date; /* every timestamp */
	uint32_t part_sectors;
};

static const char usage_line[] =
    "usage: esp-pack --loader BOOTX64.EFI --kernel ELF --epoch SECONDS "
    "-o OUT [--map]\n";

static int
load(struct input *in, const char *what)
{
	FILE *f = fopen(in->path, "rb");
	long n;

	if (f == NULL) {
		fprintf(stderr, "esp-pack: %s %s: %s\n", what, in->path,
		    strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "esp-pack: %s %s: cannot tell its size\n", what,
		    in->path);
		fclose(f);
		return -1;
	}
	in->len = (size_t)n;
	in->bytes = malloc(in->len ? in->len : 1);
	if (in->bytes == NULL || fread(in->bytes, 1, in->len, f) != in->len) {
		fprintf(stderr, "esp-pack: %s %s: read error\n", what,
		    in->path);
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

static int
within(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

/* board_pbin .. board_pbin_end from the symbol table, as offsets in the image. */
static int
elf_phenotype(const struct input *e, struct kernel *k)
{
	const uint8_t *b = e->bytes;
	uint64_t shoff = le64_load(b + 40), start = 0, end = 0;
	uint16_t shentsize = le16_load(b + 58), shnum = le16_load(b + 60);
	int found = 0;

	if (shnum == 0)
		return 0;
	if (shentsize != SHDR_SIZE ||
	    !within(shoff, (uint64_t)shnum * SHDR_SIZE, e->len)) {
		fprintf(stderr,
		    "esp-pack: kernel %s: offset 0x28 (e_shoff, "
		    "e_shentsize, e_shnum): the section headers are not inside "
		    "the file\n",
		    e->path);
		return -1;
	}
	for (unsigned i = 0; i < shnum; i++) {
		const uint8_t *sh = b + shoff + (uint64_t)i * SHDR_SIZE;
		uint64_t symoff, symsize, stroff, strsize;
		uint32_t link;

		if (le32_load(sh + 4) != SHT_SYMTAB)
			continue;
		symoff = le64_load(sh + 24);
		symsize = le64_load(sh + 32);
		link = le32_load(sh + 40);
		if (!within(symoff, symsize, e->len) || link >= shnum) {
			fprintf(stderr,
			    "esp-pack: kernel %s: section header %u "
			    "(the symbol table): sh_offset, sh_size or sh_link out "
			    "of range\n",
			    e->path, i);
			return -1;
		}
		stroff = le64_load(b + shoff + (uint64_t)link * SHDR_SIZE + 24);
		strsize =
		    le64_load(b + shoff + (uint64_t)link * SHDR_SIZE + 32);
		if (!within(stroff, strsize, e->len)) {
			fprintf(stderr,
			    "esp-pack: kernel %s: section header %u "
			    "(the string table): sh_offset or sh_size out of "
			    "range\n",
			    e->path, link);
			return -1;
		}
		for (uint64_t s = 0; s + SYM_SIZE <= symsize; s += SYM_SIZE) {
			const uint8_t *sym = b + symoff + s;
			uint32_t name = le32_load(sym);
			const char *nm;

			if (name >= strsize ||
			    memchr(b + stroff + name, '\0', strsize - name) ==
				NULL)
				continue;
			nm = (const char *)b + stroff + name;
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
		    "esp-pack: kernel %s: board_pbin..board_pbin_end "
		    "(0x%llX..0x%llX) is not inside the loaded image\n",
		    e->path, (unsigned long long)start,
		    (unsigned long long)end);
		return -1;
	}
	k->has_phenotype = 1;
	k->phenotype_off = (uint32_t)(start - KERNEL_VIRT);
	k->phenotype_len = (uint32_t)(end - start);
	return 0;
}

/*
 * The kernel image the loader reads to KERNEL_PHYS: an x86-64 ET_EXEC
 * entered at KERNEL_VIRT whose PT_LOAD segments start at KERNEL_PHYS, map
 * virtual = physical + (KERNEL_VIRT - KERNEL_PHYS) as the loader's page
 * tables do, do not overlap and stay inside the first GiB.
 */
static int
elf_kernel(const struct input *e, struct kernel *k)
{
	const uint8_t *b = e->bytes;
	const char *p = e->path;
	uint64_t phoff, lo = UINT64_MAX, file_hi = 0, mem_hi = 0;
	uint16_t phentsize, phnum;

	if (e->len < EHDR_SIZE || memcmp(b, "\177ELF", 4) != 0) {
		fprintf(stderr,
		    "esp-pack: kernel %s: offset 0 (e_ident): not an "
		    "ELF file\n",
		    p);
		return -1;
	}
	if (b[4] != 2 || b[5] != 1 || le16_load(b + 16) != 2 ||
	    le16_load(b + 18) != 62) {
		fprintf(stderr,
		    "esp-pack: kernel %s: offset 4 (EI_CLASS, "
		    "EI_DATA, e_type, e_machine): not a little-endian ELF64 "
		    "x86-64 executable\n",
		    p);
		return -1;
	}
	if (le64_load(b + 24) != KERNEL_VIRT) {
		fprintf(stderr,
		    "esp-pack: kernel %s: offset 0x18 (e_entry): "
		    "0x%llX; the loader enters the kernel at 0x%llX\n",
		    p, (unsigned long long)le64_load(b + 24), KERNEL_VIRT);
		return -1;
	}
	phoff = le64_load(b + 32);
	phentsize = le16_load(b + 54);
	phnum = le16_load(b + 56);
	if (phentsize != PHDR_SIZE || phnum == 0 || phnum > PHNUM_MAX ||
	    !within(phoff, (uint64_t)phnum * PHDR_SIZE, e->len)) {
		fprintf(stderr,
		    "esp-pack: kernel %s: offset 0x20 (e_phoff, "
		    "e_phentsize, e_phnum): expected 1..%u program headers of %u "
		    "bytes inside the file\n",
		    p, PHNUM_MAX, PHDR_SIZE);
		return -1;
	}
	for (unsigned i = 0; i < phnum; i++) {
		const uint8_t *ph = b + phoff + (uint64_t)i * PHDR_SIZE;
		uint64_t off = le64_load(ph + 8), vaddr = le64_load(ph + 16);
		uint64_t paddr = le64_load(ph + 24),
			 filesz = le64_load(ph + 32);
		uint64_t memsz = le64_load(ph + 40);

		if (le32_load(ph) != PT_LOAD || memsz == 0)
			continue;
		if (filesz > memsz || !within(off, filesz, e->len) ||
		    paddr < KERNEL_PHYS || paddr > MAPPED_TOP ||
		    memsz > MAPPED_TOP - paddr ||
		    vaddr - paddr != KERNEL_VIRT - KERNEL_PHYS) {
			fprintf(stderr,
			    "esp-pack: kernel %s: program header %u at "
			    "0x%llX (p_offset, p_vaddr, p_paddr, p_filesz, "
			    "p_memsz): the segment must lie in the file and in "
			    "0x%llX..0x%llX, mapped at physical + 0x%llX\n",
			    p, i,
			    (unsigned long long)(phoff +
				(uint64_t)i * PHDR_SIZE),
			    KERNEL_PHYS, MAPPED_TOP, KERNEL_VIRT - KERNEL_PHYS);
			return -1;
		}
		for (unsigned j = 0; j < i; j++) {
			const uint8_t *q = b + phoff + (uint64_t)j * PHDR_SIZE;
			uint64_t qa = le64_load(q + 24), qm = le64_load(q + 40);

			if (le32_load(q) == PT_LOAD && qm != 0 &&
			    paddr < qa + qm && qa < paddr + memsz) {
				fprintf(stderr,
				    "esp-pack: kernel %s: program "
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
	if (file_hi == 0 || lo != KERNEL_PHYS) {
		fprintf(stderr,
		    "esp-pack: kernel %s: the PT_LOAD segments must "
		    "start at physical 0x%llX with file bytes (the loader enters "
		    "the image's first byte)\n",
		    p, KERNEL_PHYS);
		return -1;
	}
	k->len = (uint32_t)(file_hi - KERNEL_PHYS);
	k->memsz = (uint32_t)(mem_hi - KERNEL_PHYS);
	k->image = calloc(1, k->len);
	if (k->image == NULL) {
		fprintf(stderr, "esp-pack: out of memory\n");
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
	if (elf_phenotype(e, k) != 0)
		return -1;
	if (!k->has_phenotype || k->phenotype_len == 0) {
		fprintf(stderr,
		    "esp-pack: kernel %s: no embedded phenotype "
		    "(symbols board_pbin..board_pbin_end missing or empty): the "
		    "gene directory would have nothing to name\n",
		    p);
		return -1;
	}
	return 0;
}

/*
 * The loader: a PE32+ (optional header magic 0x20B) for x86-64 (machine
 * 0x8664) with the EFI application subsystem (10), holding exactly one
 * build record. Returns the record's offset, or -1 after naming the fault.
 */
static long
pe_record(const struct input *pe)
{
	const uint8_t *b = pe->bytes;
	const char *p = pe->path;
	uint32_t nt;
	long at = -1;

	if (pe->len < 0x40 || b[0] != 'M' || b[1] != 'Z') {
		fprintf(stderr,
		    "esp-pack: loader %s: offset 0 (e_magic): not an "
		    "MZ/PE file\n",
		    p);
		return -1;
	}
	nt = le32_load(b + 0x3C);
	if (!within(nt, 24 + 72, pe->len) || memcmp(b + nt, "PE\0\0", 4) != 0) {
		fprintf(stderr,
		    "esp-pack: loader %s: offset 0x3C (e_lfanew): "
		    "0x%X does not point at a PE signature\n",
		    p, nt);
		return -1;
	}
	if (le16_load(b + nt + 4) != 0x8664) {
		fprintf(stderr,
		    "esp-pack: loader %s: offset 0x%X (Machine): "
		    "0x%04X, expected 0x8664 (x86-64)\n",
		    p, nt + 4, le16_load(b + nt + 4));
		return -1;
	}
	if (le16_load(b + nt + 24) != 0x20B) {
		fprintf(stderr,
		    "esp-pack: loader %s: offset 0x%X (optional "
		    "header Magic): 0x%04X, expected 0x20B (PE32+)\n",
		    p, nt + 24, le16_load(b + nt + 24));
		return -1;
	}
	if (le16_load(b + nt + 24 + 68) != 10) {
		fprintf(stderr,
		    "esp-pack: loader %s: offset 0x%X (Subsystem): "
		    "%u, expected 10 (EFI application)\n",
		    p, nt + 24 + 68, le16_load(b + nt + 24 + 68));
		return -1;
	}
	for (size_t i = 0; i + RECORD_SIZE <= pe->len; i++) {
		if (memcmp(b + i, RECORD_MAGIC, 4) != 0)
			continue;
		if (at >= 0) {
			fprintf(stderr,
			    "esp-pack: loader %s: two build records "
			    "(\"" RECORD_MAGIC "\" at 0x%lX and 0x%zX)\n",
			    p, at, i);
			return -1;
		}
		at = (long)i;
	}
	if (at < 0) {
		fprintf(stderr,
		    "esp-pack: loader %s: no build record (\"" RECORD_MAGIC
		    "\")\n",
		    p);
		return -1;
	}
	if (le32_load(b + at + 12) != 0) {
		fprintf(stderr,
		    "esp-pack: loader %s: the build record at 0x%lX "
		    "has a non-zero reserved field\n",
		    p, at);
		return -1;
	}
	return at;
}

/* The CGF blob (header, then the gene directory); digest = SHA-256(directory). */
static void
make_cgf(uint8_t *blob, const struct kernel *k, uint8_t digest[32])
{
	uint8_t *dir = blob + CGF_HEADER;

	le32_store(blob + 4, CGF_HEADER);
	le32_store(blob + 8, GENEDIR_SIZE);
	le32_store(blob, crc32c(0, blob, CGF_HEADER));
	le32_store(dir + 0, GENEDIR_MAGIC);
	le32_store(dir + 4, GENEDIR_VERSION);
	le32_store(dir + GD_KERNEL_BYTES, k->len);
	le32_store(dir + GD_PHENOTYPE_OFF, k->phenotype_off);
	le32_store(dir + GD_PHENOTYPE_LEN, k->phenotype_len);
	sha256(k->image, k->len, dir + GD_KERNEL_SHA256);
	sha256(k->image + k->phenotype_off, k->phenotype_len,
	    dir + GD_PHENOTYPE_SHA256);
	sha256(dir, GENEDIR_SIZE, digest);
}

/* CRC-32 of IEEE 802.3 (reflected, polynomial 0xEDB88320), as GPT uses. */
static uint32_t
crc32_ieee(const uint8_t *p, size_t len)
{
	uint32_t crc = 0xFFFFFFFFu;

	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		for (int b = 0; b < 8; b++)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

/* A version 4 GUID from SHA-256(label, epoch), in GPT's byte order. */
static void
derived_guid(uint8_t out[16], const char *label, uint64_t epoch)
{
	struct sha256_ctx c;
	uint8_t e[8], h[SHA256_SIZE];

	le64_store(e, epoch);
	sha256_init(&c);
	sha256_update(&c, label, strlen(label));
	sha256_update(&c, e, sizeof e);
	sha256_final(&c, h);
	memcpy(out, h, 16);
	out[7] = (uint8_t)((out[7] & 0x0F) | 0x40); /* Data3: version 4 */
	out[8] = (uint8_t)((out[8] & 0x3F) | 0x80); /* variant 10 */
}

/* The epoch as FAT's local time and date (UTC, 1980..2107, 2 s steps). */
static void
fat_timestamp(uint64_t epoch, uint16_t *time, uint16_t *date)
{
	static const uint8_t mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
		31, 30, 31 };
	const uint64_t min = 315532800ull; /* 1980-01-01 00:00:00 */
	uint64_t days, secs;
	unsigned year = 1980, month = 0;

	if (epoch < min)
		epoch = min;
	days = (epoch - min) / 86400;
	secs = (epoch - min) % 86400;
	for (;;) {
		unsigned len =
		    (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ?
		    366 :
		    365;

		if (days < len)
			break;
		days -= len;
		year++;
	}
	if (year > 2107) {
		year = 2107;
		days = 364;
		secs = 86399;
	}
	for (;; month++) {
		unsigned len = mdays[month] +
		    (month == 1 &&
			(year % 4 == 0 &&
			    (year % 100 != 0 || year % 400 == 0)));

		if (days < len)
			break;
		days -= len;
	}
	*date = (uint16_t)((year - 1980) << 9 | (month + 1) << 5 | (days + 1));
	*time = (uint16_t)((secs / 3600) << 11 | (secs / 60 % 60) << 5 |
	    (secs % 60) / 2);
}

static uint8_t *
sector(struct fat *f, uint32_t lba)
{
	return f->disk + (size_t)lba * SECTOR;
}

static uint32_t
cluster_lba(const struct fat *f, uint32_t cluster)
{
	return PART_FIRST + RESERVED_SECTORS + NUM_FATS * f->fat_sectors +
	    (cluster - 2);
}

static void
fat_set(struct fat *f, uint32_t cluster, uint32_t value)
{
	for (unsigned n = 0; n < NUM_FATS; n++)
		le32_store(sector(f,
			       PART_FIRST + RESERVED_SECTORS +
				   n * f->fat_sectors) +
			cluster * 4u,
		    value);
}

/* Allocate a contiguous chain for len bytes (at least one cluster). */
static uint32_t
fat_alloc(struct fat *f, size_t len)
{
	uint32_t n = len == 0 ? 1 : (uint32_t)((len + SECTOR - 1) / SECTOR);
	uint32_t first = f->next;

	for (uint32_t i = 0; i < n; i++)
		fat_set(f, first + i, i + 1 < n ? first + i + 1 : FAT_EOC);
	f->next += n;
	return first;
}

static void
dirent(struct fat *f, uint8_t *e, const char name[11], uint8_t attr,
    uint32_t cluster, uint32_t size)
{
	memcpy(e, name, 11);
	e[11] = attr;
	le16_store(e + 14, f->time); /* creation */
	le16_store(e + 16, f->date);
	le16_store(e + 18, f->date); /* last access */
	le16_store(e + 20, (uint16_t)(cluster >> 16));
	le16_store(e + 22, f->time); /* last write */
	le16_store(e + 24, f->date);
	le16_store(e + 26, (uint16_t)cluster);
	le32_store(e + 28, size);
}

/* A subdirectory's first cluster with its "." and ".." entries. */
static uint8_t *
subdir(struct fat *f, uint32_t self, uint32_t parent)
{
	uint8_t *d = sector(f, cluster_lba(f, self));

	dirent(f, d, ".          ", ATTR_DIRECTORY, self, 0);
	dirent(f, d + DIRENT, "..         ", ATTR_DIRECTORY,
	    parent == ROOT_CLUSTER ? 0 : parent, 0);
	return d;
}

struct file {
	const char *path; /* for --map */
	const char *name; /* 8.3, padded */
	const uint8_t *bytes;
	size_t len;
	uint32_t cluster;
};

static void
file_put(struct fat *f, struct file *file, uint8_t *entry)
{
	file->cluster = fat_alloc(f, file->len);
	memcpy(sector(f, cluster_lba(f, file->cluster)), file->bytes,
	    file->len);
	dirent(f, entry, file->name, ATTR_ARCHIVE, file->cluster,
	    (uint32_t)file->len);
}

/* The boot sector (and its backup) of the FAT32 volume. */
static void
boot_sector(struct fat *f, uint8_t *bs, uint32_t serial)
{
	static const uint8_t halt[3] = { 0xF4, 0xEB, 0xFD }; /* hlt; jmp $-1 */

	bs[0] = 0xEB;
	bs[1] = 0x58;
	bs[2] = 0x90;
	memcpy(bs + 3, "CELLOS  ", 8);
	le16_store(bs + 11, SECTOR);
	bs[13] = 1; /* sectors per cluster */
	le16_store(bs + 14, RESERVED_SECTORS);
	bs[16] = NUM_FATS;
	bs[21] = 0xF8; /* fixed disk */
	le16_store(bs + 24, 63);
	le16_store(bs + 26, 255);
	le32_store(bs + 28, PART_FIRST); /* hidden sectors */
	le32_store(bs + 32, f->part_sectors);
	le32_store(bs + 36, f->fat_sectors);
	le32_store(bs + 44, ROOT_CLUSTER);
	le16_store(bs + 48, 1); /* FSInfo */
	le16_store(bs + 50, 6); /* backup boot sector */
	bs[64] = 0x80;
	bs[66] = 0x29;
	le32_store(bs + 67, serial);
	memcpy(bs + 71, "CELLOS ESP ", 11);
	memcpy(bs + 82, "FAT32   ", 8);
	memcpy(bs + 90, halt, sizeof halt);
	bs[510] = 0x55;
	bs[511] = 0xAA;
}

static void
fsinfo(struct fat *f, uint8_t *fi)
{
	le32_store(fi, 0x41615252u);
	le32_store(fi + 484, 0x61417272u);
	le32_store(fi + 488, f->clusters + 2 - f->next);
	le32_store(fi + 492, f->next);
	le32_store(fi + 508, 0xAA550000u);
}

/* FAT sectors for the partition: the fixed point of clusters and FAT size. */
static void
fat_geometry(struct fat *f)
{
	uint32_t fs = 1, clusters;

	for (;;) {
		clusters = f->part_sectors - RESERVED_SECTORS - NUM_FATS * fs;
		uint32_t need = ((clusters + 2) * 4 + SECTOR - 1) / SECTOR;

		if (need <= fs)
			break;
		fs = need;
	}
	f->fat_sectors = fs;
	f->clusters = clusters;
}

static void
gpt_header(uint8_t *h, uint64_t self, uint64_t alternate, uint64_t entries,
    const uint8_t disk_guid[16], uint32_t entries_crc)
{
	memcpy(h, "EFI PART", 8);
	le32_store(h + 8, 0x00010000u);
	le32_store(h + 12, 92);
	le64_store(h + 24, self);
	le64_store(h + 32, alternate);
	le64_store(h + 40, 2 + GPT_ENTRY_SECTORS);
	le64_store(h + 48, PART_LAST);
	memcpy(h + 56, disk_guid, 16);
	le64_store(h + 72, entries);
	le32_store(h + 80, GPT_ENTRIES);
	le32_store(h + 84, GPT_ENTRY_SIZE);
	le32_store(h + 88, entries_crc);
	le32_store(h + 16, crc32_ieee(h, 92));
}

static void
gpt(uint8_t *disk, uint64_t epoch)
{
	/* C12A7328-F81F-11D2-BA4B-00A0C93EC93B: the EFI system partition. */
	static const uint8_t esp_type[16] = { 0x28, 0x73, 0x2A, 0xC1, 0x1F,
		0xF8, 0xD2, 0x11, 0xBA, 0x4B, 0x00, 0xA0, 0xC9, 0x3E, 0xC9,
		0x3B };
	static const char name[] = "EFI system partition";
	uint8_t disk_guid[16], *mbr = disk, *entries = disk + 2 * SECTOR;
	uint8_t *e = entries;
	uint32_t crc;

	/* The protective MBR: one partition of type EE over the whole disk. */
	mbr[446 + 2] = 0x02; /* CHS of LBA 1 */
	mbr[446 + 4] = 0xEE;
	mbr[446 + 5] = 0xFF;
	mbr[446 + 6] = 0xFF;
	mbr[446 + 7] = 0xFF;
	le32_store(mbr + 446 + 8, 1);
	le32_store(mbr + 446 + 12, DISK_SECTORS - 1);
	mbr[510] = 0x55;
	mbr[511] = 0xAA;

	memcpy(e, esp_type, 16);
	derived_guid(e + 16, "cellos ESP partition", epoch);
	le64_store(e + 32, PART_FIRST);
	le64_store(e + 40, PART_LAST);
	for (unsigned i = 0; name[i] != '\0'; i++)
		le16_store(e + 56 + 2 * i, (uint16_t)name[i]);
	crc = crc32_ieee(entries, GPT_ENTRIES * GPT_ENTRY_SIZE);
	derived_guid(disk_guid, "cellos ESP disk", epoch);
	memcpy(disk + (size_t)(DISK_SECTORS - 1 - GPT_ENTRY_SECTORS) * SECTOR,
	    entries, GPT_ENTRIES * GPT_ENTRY_SIZE);
	gpt_header(disk + SECTOR, 1, DISK_SECTORS - 1, 2, disk_guid, crc);
	gpt_header(disk + (size_t)(DISK_SECTORS - 1) * SECTOR, DISK_SECTORS - 1,
	    1, DISK_SECTORS - 1 - GPT_ENTRY_SECTORS, disk_guid, crc);
}

/* Lay out the ESP: the directories, then the three files, contiguously. */
static void
esp(uint8_t *disk, struct file files[3], uint64_t epoch)
{
	struct fat f = { .disk = disk };
	uint32_t efi, boot, cellos;
	uint8_t *root, *d;

	f.part_sectors = PART_LAST - PART_FIRST + 1;
	fat_geometry(&f);
	fat_timestamp(epoch, &f.time, &f.date);
	fat_set(&f, 0, 0x0FFFFFF8u);
	fat_set(&f, 1, FAT_EOC);
	f.next = ROOT_CLUSTER;
	fat_alloc(&f, 0); /* the root directory */
	efi = fat_alloc(&f, 0);
	boot = fat_alloc(&f, 0);
	cellos = fat_alloc(&f, 0);

	root = sector(&f, cluster_lba(&f, ROOT_CLUSTER));
	dirent(&f, root, "CELLOS ESP ", ATTR_VOLUME_ID, 0, 0);
	dirent(&f, root + DIRENT, "EFI        ", ATTR_DIRECTORY, efi, 0);
	dirent(&f, root + 2 * DIRENT, "CELLOS     ", ATTR_DIRECTORY, cellos, 0);
	d = subdir(&f, efi, ROOT_CLUSTER);
	dirent(&f, d + 2 * DIRENT, "BOOT       ", ATTR_DIRECTORY, boot, 0);
	d = subdir(&f, boot, efi);
	file_put(&f, &files[0], d + 2 * DIRENT);
	d = subdir(&f, cellos, ROOT_CLUSTER);
	file_put(&f, &files[1], d + 2 * DIRENT);
	file_put(&f, &files[2], d + 3 * DIRENT);

	boot_sector(&f, sector(&f, PART_FIRST), (uint32_t)epoch);
	fsinfo(&f, sector(&f, PART_FIRST + 1));
	memcpy(sector(&f, PART_FIRST + 6), sector(&f, PART_FIRST), SECTOR);
	memcpy(sector(&f, PART_FIRST + 7), sector(&f, PART_FIRST + 1), SECTOR);
	for (unsigned i = 0; i < 3; i++)
		files[i].cluster = cluster_lba(&f, files[i].cluster);
}

static int
parse_epoch(const char *s, uint64_t *epoch)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0) {
		fprintf(stderr,
		    "esp-pack: --epoch '%s': expected whole seconds "
		    "since 1970 (SOURCE_DATE_EPOCH)\n",
		    s);
		return -1;
	}
	*epoch = v;
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "loader", required_argument, NULL, 'l' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "epoch", required_argument, NULL, 'e' },
		{ "output", required_argument, NULL, 'o' },
		{ "map", no_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct input pe = { 0 }, elf = { 0 };
	struct kernel k = { 0 };
	struct file files[3];
	const char *out = NULL, *epoch_arg = NULL;
	uint8_t cgf[CGF_HEADER + GENEDIR_SIZE] = { 0 }, *disk, *rec;
	uint64_t epoch;
	int c, map = 0, bad;
	long at;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", options, NULL)) != -1) {
		switch (c) {
		case 'l':
			pe.path = optarg;
			break;
		case 'k':
			elf.path = optarg;
			break;
		case 'e':
			epoch_arg = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'm':
			map = 1;
			break;
		case 'h':
			fputs(usage_line, stdout);
			return 0;
		case ':':
			fprintf(stderr, "esp-pack: %s needs a value\n",
			    argv[optind - 1]);
			fputs(usage_line, stderr);
			return 2;
		default:
			if (optopt != 0 &&
			    strncmp(argv[optind - 1], "--", 2) != 0)
				fprintf(stderr,
				    "esp-pack: unknown option "
				    "'-%c'\n",
				    optopt);
			else
				fprintf(stderr,
				    "esp-pack: unknown option "
				    "'%s'\n",
				    argv[optind - 1]);
			fputs(usage_line, stderr);
			return 2;
		}
	}
	if (optind < argc || pe.path == NULL || elf.path == NULL ||
	    epoch_arg == NULL || out == NULL) {
		if (optind < argc)
			fprintf(stderr, "esp-pack: unexpected argument '%s'\n",
			    argv[optind]);
		else
			fprintf(stderr, "esp-pack: missing %s\n",
			    pe.path == NULL       ? "--loader" :
				elf.path == NULL  ? "--kernel" :
				epoch_arg == NULL ? "--epoch" :
						    "-o");
		fputs(usage_line, stderr);
		return 2;
	}
	if (parse_epoch(epoch_arg, &epoch) != 0)
		return 1;
	if (load(&pe, "loader") != 0 || load(&elf, "kernel") != 0)
		return 1;
	bad = elf_kernel(&elf, &k) != 0;
	at = pe_record(&pe);
	if (bad || at < 0)
		return 1;

	rec = pe.bytes + at;
	make_cgf(cgf, &k, rec + REC_DIGEST);
	le32_store(rec + REC_FLAGS, UEBR_F_PACKED);
	le32_store(rec + REC_MEMSZ, k.memsz);

	files[0] = (struct file){ "EFI/BOOT/BOOTX64.EFI", "BOOTX64 EFI",
		pe.bytes, pe.len, 0 };
	files[1] = (struct file){ "CELLOS/KERNEL.BIN", "KERNEL  BIN", k.image,
		k.len, 0 };
	files[2] = (struct file){ "CELLOS/KERNEL.CGF", "KERNEL  CGF", cgf,
		sizeof cgf, 0 };
	if (pe.len + k.len + sizeof cgf >
	    (size_t)(PART_LAST - PART_FIRST - 4096) * SECTOR) {
		fprintf(stderr, "esp-pack: the files do not fit the ESP\n");
		return 1;
	}
	disk = calloc(DISK_SECTORS, SECTOR);
	if (disk == NULL) {
		fprintf(stderr, "esp-pack: out of memory\n");
		return 1;
	}
	gpt(disk, epoch);
	esp(disk, files, epoch);
	if (outfile_write("esp-pack", out, disk,
		(size_t)DISK_SECTORS * SECTOR) != 0)
		return 1;
	if (map) {
		for (unsigned i = 0; i < 3; i++)
			printf("%llu %zu %s\n",
			    (unsigned long long)files[i].cluster * SECTOR,
			    files[i].len, files[i].path);
	}
	free(disk);
	free(pe.bytes);
	free(elf.bytes);
	free(k.image);
	return 0;
}
