/*
 * test_kv_gene PBIN: the example gene genes/bpf/kv_counter.c, compiled into
 * a phenotype (kv-counter.sh), run by the kernel's scheduler and VM host
 * with a store on a RAM disk attached, as if over three boots of one disk:
 * each "boot" loads the phenotype afresh (new gene state) and keeps the
 * disk, so the gene must log count=1, 2, 3, and the store must hold 3 as a
 * little-endian u32 under its namespace g<id>, key "count". A store that
 * is not attached (the proof run's case, docs/VM.md) makes it log the
 * helper's -CELL_E_NOSYS instead and store nothing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blk.h"
#include "byteorder.h"
#include "cellos/errors.h"
#include "cgraph.h"
#include "kv.h"
#include "organelles.h"
#include "pheno.h"
#include "scheduler.h"
#include "testutil.h"
#include "vm_host.h"

#define GENE 2 /* the counter's gene id in kv-counter.sh's phenotype */

static int failures;

static void
expect(int ok, const char *what, const char *console)
{
	printf("%s: %s\n", ok ? "ok" : "FAIL", what);
	if (!ok) {
		printf("console:\n%s", console);
		failures++;
	}
}

/* One "boot": load p, run its quanta, return what the genes printed. */
static char *
boot(const struct phenotype *p, struct kv_store *kv)
{
	struct capture c;

	cg_load(p);
	org_init(p);
	vmhost_attach_kv(kv);
	capture_begin(&c);
	sched_init(p);
	sched_run(p->sched.proof_quanta);
	return capture_end(&c);
}

int
main(int argc, char **argv)
{
	static uint8_t buf[PBIN_SIZE_MAX + 1], disk[64 * HAL_BLOCK_SIZE];
	static struct phenotype p;
	static struct kv_store kv;
	struct pheno_error err = { 0 };
	struct blkdev dev;
	char line[64], *out;
	uint8_t value[8];
	FILE *f;
	size_t n;

	if (argc != 2 || (f = fopen(argv[1], "rb")) == NULL) {
		fprintf(stderr, "usage: test_kv_gene PBIN (a readable file)\n");
		return 2;
	}
	n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	if (pheno_parse(buf, n, &p, &err) != 0) {
		fprintf(stderr, "%s: offset %u: %s: %s\n", argv[1], err.offset,
		    err.field, err.detail);
		return 2;
	}
	blk_ram(&dev, disk, 64);
	if (kv_open(&kv, &dev, (struct region){ 0, 64 }) != 0) {
		fprintf(stderr, "test_kv_gene: kv_open of a blank RAM disk\n");
		return 2;
	}

	out = boot(&p, NULL);
	snprintf(line, sizeof line, "#G g%d kv_counter: get failed %d\n", GENE,
	    -CELL_E_NOSYS);
	expect(strstr(out, line) != NULL,
	    "no store attached: get fails with -CELL_E_NOSYS", out);
	free(out);
	expect(kv_get(&kv, "g2", "count", value, sizeof value) == -CELL_E_NOENT,
	    "no store attached: nothing stored", "");

	for (int b = 1; b <= 3; b++) {
		char what[64];

		out = boot(&p, &kv);
		snprintf(line, sizeof line, "#G g%d kv_counter: count=%d\n",
		    GENE, b);
		snprintf(what, sizeof what, "boot %d logs count=%d once", b, b);
		expect(strstr(out, line) != NULL &&
			count_lines_with(out, "#G g2 kv_counter:") == 1,
		    what, out);
		free(out);
	}
	/* The store itself, read back after a reopen of the disk. */
	vmhost_attach_kv(NULL);
	if (kv_open(&kv, &dev, (struct region){ 0, 64 }) != 0)
		failures++;
	expect(kv_get(&kv, "g2", "count", value, sizeof value) == 4 &&
		le32_load(value) == 3,
	    "the store holds count 3 (u32, little-endian) under g2", "");
	expect(kv.damage == 0, "the store reopens undamaged", "");
	return failures ? 1 : 0;
}
