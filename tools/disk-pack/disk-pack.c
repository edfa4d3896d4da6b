/*
 * disk-pack: build the PC BIOS disk image.
 *
 *   disk-pack --stage1 FILE --stage2 FILE --kernel FILE [--cgf-genedir FILE] -o OUT
 *
 * Layout (512-byte sectors): sector 0 is stage1 with the layout table
 * patched in at 0x1E0 (see arch/bios-x86_64/bootinfo.inc); stage2 from
 * sector 1; the kernel from sector KERNEL_LBA; an optional CGF blob after
 * it; zeros up to a whole MiB. With --cgf-genedir, the CGF blob is built
 * here (CONTRACT.md section 2: a 4096-byte header whose CRC32C covers it
 * with the CRC field zeroed, then the gene directory) and the directory's
 * SHA-256 is recorded in stage2's digest slot ("CGFD" at offset 4), which
 * is what stage2 checks the blob against at boot. Each input is checked against its load
 * window first; nothing is written unless all are good, and the image is
 * written to a temporary next to OUT and renamed.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "parcel.h"

#define SECTOR			512u
#define LAYOUT_OFF		0x1E0u
#define LAYOUT_MAGIC		0x544C4543u	/* "CELT" */
#define LAYOUT_END		0x1FEu
#define STAGE2_LBA		1u
#define STAGE2_MAX_SECTORS	48u		/* 0x8000..0xE000 */
#define KERNEL_LBA		64u
#define KERNEL_MAX		0x7C000u	/* bounce buffer 0x20000..0x9C000 */
#define CGF_HEADER		4096u
#define CGF_MAX			(64u * 1024)	/* stage2 reads it to 0x10000 */
#define DIGEST_OFF		4u		/* "CGFD" in stage2, digest after */

struct input {
	const char *path;
	uint8_t *bytes;
	size_t len;
};

static const char usage_line[] =
    "usage: disk-pack --stage1 FILE --stage2 FILE --kernel FILE "
    "[--cgf-genedir FILE] -o OUT\n";

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
		fprintf(stderr, "disk-pack: %s %s: cannot tell its size\n", what,
		    in->path);
		fclose(f);
		return -1;
	}
	in->len = (size_t)n;
	in->bytes = malloc(in->len ? in->len : 1);
	if (in->bytes == NULL || fread(in->bytes, 1, in->len, f) != in->len) {
		fprintf(stderr, "disk-pack: %s %s: read error\n", what, in->path);
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

static int
check_inputs(const struct input *s1, const struct input *s2,
    const struct input *k, const struct input *cgf)
{
	int bad = 0;

	if (s1->len != SECTOR) {
		fprintf(stderr, "disk-pack: stage1 %s: %zu bytes, a boot sector "
		    "is exactly %u\n", s1->path, s1->len, SECTOR);
		bad = 1;
	} else if (s1->bytes[510] != 0x55 || s1->bytes[511] != 0xAA) {
		fprintf(stderr, "disk-pack: stage1 %s: no boot signature 55 AA "
		    "at offset 510 (found %02X %02X)\n", s1->path,
		    s1->bytes[510], s1->bytes[511]);
		bad = 1;
	} else {
		for (unsigned i = LAYOUT_OFF; i < LAYOUT_END; i++) {
			if (s1->bytes[i] != 0) {
				fprintf(stderr, "disk-pack: stage1 %s: byte at "
				    "0x%X is not zero: 0x%X..0x%X is reserved "
				    "for the layout table\n", s1->path, i,
				    LAYOUT_OFF, LAYOUT_END - 1);
				bad = 1;
				break;
			}
		}
	}
	if (s2->len == 0 || s2->len > STAGE2_MAX_SECTORS * SECTOR) {
		fprintf(stderr, "disk-pack: stage2 %s: %zu bytes; its load window "
		    "0x8000..0xE000 holds 1..%u bytes\n", s2->path, s2->len,
		    STAGE2_MAX_SECTORS * SECTOR);
		bad = 1;
	}
	if (k->len == 0 || k->len > KERNEL_MAX) {
		fprintf(stderr, "disk-pack: kernel %s: %zu bytes; its load window "
		    "0x20000..0x9C000 holds 1..%u bytes\n", k->path, k->len,
		    KERNEL_MAX);
		bad = 1;
	}
	if (cgf->path != NULL && (cgf->len == 0 ||
	    cgf->len > CGF_MAX - CGF_HEADER)) {
		fprintf(stderr, "disk-pack: gene directory %s: %zu bytes; the CGF "
		    "blob holds 1..%u after its header\n", cgf->path, cgf->len,
		    CGF_MAX - CGF_HEADER);
		bad = 1;
	}
	if (cgf->path != NULL && s2->len >= DIGEST_OFF + 4 + 32 &&
	    memcmp(s2->bytes + DIGEST_OFF, "CGFD", 4) != 0) {
		fprintf(stderr, "disk-pack: stage2 %s: no CGF digest slot (\"CGFD\" "
		    "at offset %u), so it cannot check a CGF blob\n", s2->path,
		    DIGEST_OFF);
		bad = 1;
	}
	return bad ? -1 : 0;
}

static uint32_t
sectors(size_t len)
{
	return (uint32_t)((len + SECTOR - 1) / SECTOR);
}

int
main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "stage1", required_argument, NULL, '1' },
		{ "stage2", required_argument, NULL, '2' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "cgf-genedir", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct input s1 = { 0 }, s2 = { 0 }, k = { 0 }, cgf = { 0 };
	const char *out = NULL;
	char tmp[4096];
	uint8_t *image;
	size_t size, used;
	uint32_t cgf_lba = 0;
	FILE *f;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", options, NULL)) != -1) {
		switch (c) {
		case '1': s1.path = optarg; break;
		case '2': s2.path = optarg; break;
		case 'k': k.path = optarg; break;
		case 'c': cgf.path = optarg; break;
		case 'o': out = optarg; break;
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
	    k.path == NULL || out == NULL) {
		fputs(usage_line, stderr);
		return 2;
	}
	if (load(&s1, "stage1") != 0 || load(&s2, "stage2") != 0 ||
	    load(&k, "kernel") != 0 ||
	    (cgf.path && load(&cgf, "gene directory") != 0))
		return 1;
	if (check_inputs(&s1, &s2, &k, &cgf) != 0)
		return 1;

	used = (KERNEL_LBA + sectors(k.len)) * (size_t)SECTOR;
	if (cgf.path != NULL) {
		cgf_lba = KERNEL_LBA + sectors(k.len);
		used += sectors(CGF_HEADER + cgf.len) * (size_t)SECTOR;
	}
	size = (used + (1u << 20) - 1) & ~(size_t)((1u << 20) - 1);
	image = calloc(1, size);
	if (image == NULL) {
		fprintf(stderr, "disk-pack: out of memory\n");
		return 1;
	}
	memcpy(image, s1.bytes, SECTOR);
	le32_store(image + LAYOUT_OFF + 0, LAYOUT_MAGIC);
	le32_store(image + LAYOUT_OFF + 4, STAGE2_LBA);
	le16_store(image + LAYOUT_OFF + 8, (uint16_t)sectors(s2.len));
	le32_store(image + LAYOUT_OFF + 12, KERNEL_LBA);
	le32_store(image + LAYOUT_OFF + 16, sectors(k.len));
	le32_store(image + LAYOUT_OFF + 20, (uint32_t)k.len);
	le32_store(image + LAYOUT_OFF + 24, cgf_lba);
	le16_store(image + LAYOUT_OFF + 28,
	    (uint16_t)(cgf.path ? sectors(CGF_HEADER + cgf.len) : 0));
	memcpy(image + STAGE2_LBA * SECTOR, s2.bytes, s2.len);
	memcpy(image + KERNEL_LBA * SECTOR, k.bytes, k.len);
	if (cgf.path != NULL) {
		uint8_t *blob = image + (size_t)cgf_lba * SECTOR;

		le32_store(blob + 4, CGF_HEADER);	/* genedir_off */
		le32_store(blob + 8, (uint32_t)cgf.len);	/* genedir_len */
		memcpy(blob + CGF_HEADER, cgf.bytes, cgf.len);
		le32_store(blob, crc32c(0, blob, CGF_HEADER));
		sha256(cgf.bytes, cgf.len, image + STAGE2_LBA * SECTOR +
		    DIGEST_OFF + 4);
	}

	snprintf(tmp, sizeof tmp, "%s.tmp.%ld", out, (long)getpid());
	f = fopen(tmp, "wb");
	if (f == NULL) {
		fprintf(stderr, "disk-pack: %s: %s\n", tmp, strerror(errno));
		return 1;
	}
	if (fwrite(image, 1, size, f) != size || fflush(f) != 0 ||
	    fsync(fileno(f)) != 0) {
		fprintf(stderr, "disk-pack: %s: write error: %s\n", tmp,
		    strerror(errno));
		fclose(f);
		unlink(tmp);
		return 1;
	}
	fclose(f);
	if (rename(tmp, out) != 0) {
		fprintf(stderr, "disk-pack: %s: %s\n", out, strerror(errno));
		unlink(tmp);
		return 1;
	}
	free(image);
	free(s1.bytes);
	free(s2.bytes);
	free(k.bytes);
	free(cgf.bytes);
	return 0;
}
