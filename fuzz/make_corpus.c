/*
 * make-corpus DIR: write the seed corpora (valid examples of each format)
 * under DIR/<target>/. The committed fuzz/corpus/ was made with it:
 *   build/fuzz/fuzz/make-corpus fuzz/corpus
 * Phenotypes and logs come from files passed after DIR:
 *   make-corpus DIR PBIN... -- YAML... -- LOG
 * Every file is written through tools/outfile (temporary, fsync, rename):
 * a failed run leaves each seed either as it was or whole.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "blk.h"
#include "ch0.h"
#include "event_codec.h"
#include "kv.h"
#include "obs_emit.h"
#include "outfile.h"
#include "parcel_codec.h"
#include "trust.h"
#include "update.h"

#define PROG "make-corpus"

static const char *dir;

static const char usage_text[] =
    "usage: make-corpus DIR [PBIN... [-- YAML... [-- LOG]]]\n"
    "Writes the fuzz targets' seed corpora under DIR/<target>/ (both made\n"
    "when missing): parcels, events, an update area and a KV area built here;\n"
    "each PBIN as a pbin and a boot seed, each YAML as a phenotype seed, and\n"
    "LOG's first 64 KiB as an obs seed (existing files of those names are\n"
    "replaced, others kept).\n";

/* Write DIR/target/name; exits 1 (the reason printed) when it cannot. */
static void
put(const char *target, const char *name, const void *bytes, size_t len)
{
	char path[1024];
	int n;

	n = snprintf(path, sizeof path, "%s/%s", dir, target);
	if (n < 0 || (size_t)n >= sizeof path) {
		fprintf(stderr, PROG ": %s/%s: path too long\n", dir, target);
		exit(1);
	}
	if (mkdir(path, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
		exit(1);
	}
	n = snprintf(path, sizeof path, "%s/%s/%s", dir, target, name);
	if (n < 0 || (size_t)n >= sizeof path) {
		fprintf(stderr, PROG ": %s/%s/%s: path too long\n", dir, target,
		    name);
		exit(1);
	}
	if (outfile_write(PROG, path, bytes, len) != 0)
		exit(1);
}

static size_t
slurp(const char *path, uint8_t *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL) {
		fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
		exit(1);
	}
	n = fread(buf, 1, cap, f);
	if (ferror(f)) {
		fprintf(stderr, PROG ": %s: read error\n", path);
		exit(1);
	}
	fclose(f);
	return n;
}

static void
parcels(void)
{
	uint8_t f[256];
	int n;

	trust_reset();
	n = ch0_log_parcel(f, sizeof f, "hello, channel 0", 16);
	put("parcel", "log-line", f, (size_t)n);
	n = parcel_encode(f, sizeof f, 3, 16, PARCEL_F_MAC, "sensor reading",
	    14, trust_parcel_mac());
	put("parcel", "maced", f, (size_t)n);
	n = parcel_encode(f, sizeof f, 0, PARCEL_VERB_OBS, 0, NULL, 0, NULL);
	put("parcel", "empty", f, (size_t)n);
}

static void
events(void)
{
	struct event e = { 7, 1, EVENT_TIMER, 4, { 1, 0, 0, 0 } };
	uint8_t f[EVENT_FRAME_MAX];
	int n = event_pack(&e, f, sizeof f);

	put("event", "timer", f, (size_t)n);
	e = (struct event){ 9, 3, EVENT_CUSTOM, 12, "custom data" };
	n = event_pack(&e, f, sizeof f);
	put("event", "custom", f, (size_t)n);
}

static void
updates(void)
{
	static uint8_t
	    disk[(2 * STRAND_BLOCKS + UPDATE_LOG_SLOTS) * HAL_BLOCK_SIZE];
	static struct updater u;
	uint8_t image[3000];
	struct blkdev dev;
	struct region area = { 0, sizeof disk / HAL_BLOCK_SIZE };

	for (size_t i = 0; i < sizeof image; i++)
		image[i] = (uint8_t)(i * 7);
	blk_ram(&dev, disk, area.blocks);
	update_format(&dev, area);
	update_open(&u, &dev, area);
	update_install(&u, image, sizeof image, 1);
	update_boot(&u);
	update_confirm(&u);
	put("update", "area-v1-confirmed", disk, sizeof disk);
	put("update", "record",
	    disk +
		(2 * STRAND_BLOCKS + u.st.seq % UPDATE_LOG_SLOTS) *
		    HAL_BLOCK_SIZE,
	    HAL_BLOCK_SIZE);
}

static void
kvs(void)
{
	static uint8_t disk[16 * HAL_BLOCK_SIZE];
	static struct kv_store kv;
	struct blkdev dev;
	struct region area = { 0, 16 };

	blk_ram(&dev, disk, 16);
	kv_open(&kv, &dev, area);
	kv_put(&kv, "boot", "count", "3", 1);
	kv_put(&kv, "boot", "last", "stored by boot 3", 16);
	kv_put(&kv, "app", "colour", "green", 5);
	kv_delete(&kv, "app", "colour");
	put("kv", "three-puts-one-delete", disk, sizeof disk);
}

int
main(int argc, char **argv)
{
	static uint8_t buf[1 << 20];
	int i = 2, k = 0;
	char name[64];

	if (argc >= 2 &&
	    (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (argc < 2 || strcmp(argv[1], "--") == 0) {
		fputs(usage_text, stderr);
		return 2;
	}
	for (int a = 1; a < argc; a++) {
		if (argv[a][0] == '-' && strcmp(argv[a], "--") != 0) {
			fprintf(stderr,
			    PROG ": unknown option '%s' (a path "
				 "starting with '-': write ./%s)\n",
			    argv[a], argv[a]);
			return 2;
		}
	}
	dir = argv[1];
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, PROG ": %s: %s\n", dir, strerror(errno));
		return 1;
	}
	parcels();
	events();
	updates();
	kvs();
	for (; i < argc && strcmp(argv[i], "--") != 0; i++, k++) {
		size_t n = slurp(argv[i], buf + 2, sizeof buf - 2);
		snprintf(name, sizeof name, "pbin-%d", k);
		put("pbin", name, buf + 2, n);
		buf[0] = (uint8_t)n;
		buf[1] = (uint8_t)(n >> 8);
		snprintf(name, sizeof name, "phenotype-%d", k);
		put("boot", name, buf, n + 2);
	}
	put("boot", "default-phenotype", "\0\0\x10\0\x02", 5);
	for (i++, k = 0; i < argc && strcmp(argv[i], "--") != 0; i++, k++) {
		size_t n = slurp(argv[i], buf, sizeof buf);
		snprintf(name, sizeof name, "yaml-%d", k);
		put("phenotype", name, buf, n);
	}
	if (++i < argc) {
		/* A log's first 64 KiB; and one OBS payload from it. */
		size_t n = slurp(argv[i], buf + 1, 65536);
		buf[0] = 0;
		put("obs", "log", buf, n + 1);
		uint8_t rec[OBS_HDR_SIZE + 16] = { OBS_VERSION, OBS_TRACE, 16,
			0, 5, 0, 0, 0, 1, 0, 0, 0, 7 };
		buf[0] = 1;
		memcpy(buf + 1, rec, sizeof rec);
		put("obs", "trace-record", buf, sizeof rec + 1);
	}
	return 0;
}
