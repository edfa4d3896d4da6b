/*
 * corrupt: the corruption campaign. Age a hosted disk (real boots of
 * cellos-hosted, and for a second disk also the boot report run in this
 * process until the KV store has compacted into its other half), then for
 * each chosen block damage a copy of it one way, boot it twice and check:
 *
 *   - every boot ends by exiting 0 or 1, never by a signal or another status;
 *   - a boot that prints no "#W kv" line lost nothing: it counts one more
 *     boot than the disk had, and "last" names the boot before;
 *   - a boot that does report damage counts at most one more, and its
 *     "last" still names the boot before its count (boot/count and
 *     boot/last are both old or both new);
 *   - the next boot reports no damage again and counts exactly one more;
 *   - the verdict: a boot that printed "#W kv" or "#W disk" ends with a
 *     line starting "PROOF FAILURE:" and exits 1; any other boot ends
 *     "FULL PROOF SUCCESS" and exits 0 (--verdict ignore skips this).
 *
 * Damage: flip one bit, zero the block, tear it (its first half zeros, or
 * from an older copy of the disk). Blocks (--blocks sample, the default):
 * the superblock, every KV block near each half's header and the log's
 * end, every other block of the log, every 8th of the rest of the KV
 * region and every 16th of the rest of the disk; --blocks all: every
 * block of the disk. --seeds N runs everything N times, each time
 * flipping other bits.
 *
 * usage: corrupt --hosted PATH --work DIR [--blocks sample|all] [--seeds N]
 *        [--boots N] [--verdict strict|ignore] [--max-failures N]
 * Prints the figures; exits 0 when every case passed, 1 otherwise, 2 on a
 * usage or setup error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "blk.h"
#include "disk.h"
#include "hosted.h"
#include "kv.h"

#define BS      HAL_BLOCK_SIZE
#define OUT_MAX (1u << 20)

enum kind { FLIP, ZERO, TEAR_ZERO, TEAR_OLD, KINDS };
static const char *const kind_names[KINDS] = { "flip", "zero", "tear0",
	"tear-old" };

struct image {
	const char *name;
	uint8_t *now, *older; /* the aged disk, and a copy from fewer boots */
	uint64_t blocks;
	uint32_t count; /* boots it has counted */
};

static const char *hosted, *work;

/* hosted_proof_disk's writer into an image's blocks. */
static int
put_image(void *ctx, uint64_t lba, const uint8_t *block)
{
	struct image *im = ctx;

	if (lba >= im->blocks)
		return -1;
	memcpy(im->now + lba * BS, block, BS);
	return 0;
}
static int verdict_strict = 1;
static unsigned max_failures = 20;
static unsigned failures, cases, boots, reported_kv, reported_disk,
    verdict_fail, evidence_refused;
static char case_path[4096];

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "corrupt: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* A whole decimal number for option opt, or die naming it. */
static unsigned
number(const char *opt, const char *v)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n > 1000000)
		die("%s %s: expected a whole number up to 1000000", opt, v);
	return (unsigned)n;
}

static void
write_file(const char *path, const uint8_t *bytes, uint64_t blocks)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	size_t len = (size_t)blocks * BS, done = 0;

	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	while (done < len) {
		ssize_t n = write(fd, bytes + done, len - done);
		if (n <= 0)
			die("%s: %s", path, strerror(errno));
		done += (size_t)n;
	}
	close(fd);
}

static void
read_file(const char *path, uint8_t *bytes, uint64_t blocks)
{
	int fd = open(path, O_RDONLY);
	size_t len = (size_t)blocks * BS, done = 0;

	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	while (done < len) {
		ssize_t n = read(fd, bytes + done, len - done);
		if (n <= 0)
			die("%s: short read", path);
		done += (size_t)n;
	}
	close(fd);
}

/*
 * Run cellos-hosted on disk with up to two more arguments (or NULL); its
 * stdout into out (NUL-terminated, cut at cap). Returns the wait status.
 */
static int
run_hosted(const char *disk, const char *x1, const char *x2, char *out,
    size_t cap)
{
	char arg[4200];
	int pipefd[2], status;
	size_t got = 0;
	pid_t pid;

	snprintf(arg, sizeof arg, "--disk=%s", disk);
	if (pipe(pipefd) != 0)
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		execl(hosted, hosted, arg, x1, x2, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	for (;;) {
		char sink[4096];
		ssize_t n = got + 1 < cap ?
		    read(pipefd[0], out + got, cap - got - 1) :
		    read(pipefd[0], sink, sizeof sink);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (got + 1 < cap)
			got += (size_t)n;
	}
	out[got] = '\0';
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			die("waitpid: %s", strerror(errno));
	}
	return status;
}

struct boot {
	int status;  /* wait status */
	int have_kv; /* printed "#I kv boot=" */
	unsigned count;
	char last[128];
	int warn_kv, warn_disk; /* "#W kv" / "#W disk" lines */
	char verdict[128];      /* the last line */
};

static void
parse(const char *out, struct boot *b)
{
	const char *p, *line, *last_line = out;

	b->have_kv = 0;
	b->warn_kv = b->warn_disk = 0;
	b->last[0] = b->verdict[0] = '\0';
	for (line = out; *line != '\0'; line = p + 1) {
		p = strchr(line, '\n');
		if (p == NULL)
			p = line + strlen(line) - 1;
		if (p >= line)
			last_line = line;
		if (strncmp(line, "#W kv", 5) == 0)
			b->warn_kv++;
		if (strncmp(line, "#W disk", 7) == 0)
			b->warn_disk++;
		if (strncmp(line, "#I kv boot=", 11) == 0 &&
		    sscanf(line, "#I kv boot=%u last=\"%127[^\"]\"", &b->count,
			b->last) == 2)
			b->have_kv = 1;
		if (p[0] == '\0')
			break;
	}
	p = strchr(last_line, '\n');
	snprintf(b->verdict, sizeof b->verdict, "%.*s",
	    (int)(p ? p - last_line : (long)strlen(last_line)), last_line);
}

static void __attribute__((format(printf, 4, 5)))
failure(const struct image *im, uint64_t blk, enum kind k, const char *fmt, ...)
{
	va_list ap;

	failures++;
	if (failures > max_failures)
		return;
	printf("FAIL: %s disk, block %llu, %s: ", im->name,
	    (unsigned long long)blk, kind_names[k]);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* The status is a plain exit with 0 or 1. */
static int
exit_ok(int status)
{
	return WIFEXITED(status) &&
	    (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 1);
}

static void
check_verdict(const struct image *im, uint64_t blk, enum kind k, int n,
    const struct boot *b)
{
	int damaged = b->warn_kv > 0 || b->warn_disk > 0;
	int code = WIFEXITED(b->status) ? WEXITSTATUS(b->status) : -1;

	if (!verdict_strict)
		return;
	if (damaged &&
	    (strncmp(b->verdict, "PROOF FAILURE:", 14) != 0 || code != 1)) {
		verdict_fail++;
		failure(im, blk, k,
		    "boot %d reported damage but ended \"%s\", "
		    "status %d",
		    n, b->verdict, code);
	} else if (!damaged &&
	    (strcmp(b->verdict, "FULL PROOF SUCCESS") != 0 || code != 0)) {
		verdict_fail++;
		failure(im, blk, k,
		    "boot %d reported no damage but ended "
		    "\"%s\", status %d",
		    n, b->verdict, code);
	}
}

static int
last_names(const struct boot *b)
{
	char want[64];

	if (b->count == 1)
		return strcmp(b->last, "(none)") == 0;
	snprintf(want, sizeof want, "stored by boot %u", b->count - 1);
	return strcmp(b->last, want) == 0;
}

/*
 * The inbox's proof slots hold what the build signed for E7 and E9 (the
 * package E7 installs, the older and the foreign one it must refuse, E9's
 * rotation statement); the kernel reads them and never writes them. A
 * damaged block there is damaged evidence: the proof fails at E7 or E9,
 * exit 1, before the boot report, and so does the next boot (nothing on
 * the device may repair a signed input). The store is not touched.
 */
static struct region evidence;

static int
in_evidence(uint64_t blk)
{
	return blk >= evidence.start && blk < evidence.start + evidence.blocks;
}

static void
evidence_case(const struct image *im, uint64_t blk, enum kind k,
    const struct boot *b1, const struct boot *b2)
{
	int code1 = WEXITSTATUS(b1->status), code2 = WEXITSTATUS(b2->status);

	if (code1 != 1 || code2 != 1 ||
	    (strncmp(b1->verdict, "PROOF FAILURE: E7 ", 18) != 0 &&
		strncmp(b1->verdict, "PROOF FAILURE: E9 ", 18) != 0) ||
	    strcmp(b1->verdict, b2->verdict) != 0) {
		failure(im, blk, k,
		    "damaged proof evidence: boots ended \"%s\" (%d) and "
		    "\"%s\" (%d), expected the same E7 or E9 PROOF FAILURE, "
		    "status 1",
		    b1->verdict, code1, b2->verdict, code2);
		return;
	}
	evidence_refused++;
}

static void
one_case(const struct image *im, uint64_t blk, enum kind k, unsigned seed)
{
	static uint8_t *disk;
	static char *out;
	struct boot b1, b2;
	uint8_t *p;

	if (disk == NULL) {
		disk = malloc((size_t)im->blocks * BS);
		out = malloc(OUT_MAX);
		if (disk == NULL || out == NULL)
			die("out of memory");
	}
	memcpy(disk, im->now, (size_t)im->blocks * BS);
	p = disk + blk * BS;
	switch (k) {
	case FLIP: {
		unsigned bit =
		    (unsigned)((blk * 2654435761u + seed * 40503u) % (8 * BS));
		p[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		break;
	}
	case ZERO:
		memset(p, 0, BS);
		break;
	case TEAR_ZERO:
		memset(p, 0, BS / 2);
		break;
	default:
		memcpy(p, im->older + blk * BS, BS / 2);
		break;
	}
	write_file(case_path, disk, im->blocks);
	cases++;

	b1.status = run_hosted(case_path, NULL, NULL, out, OUT_MAX);
	parse(out, &b1);
	b2.status = run_hosted(case_path, NULL, NULL, out, OUT_MAX);
	parse(out, &b2);
	boots += 2;
	reported_kv += b1.warn_kv > 0;
	reported_disk += b1.warn_disk > 0;

	if (!exit_ok(b1.status) || !exit_ok(b2.status)) {
		failure(im, blk, k,
		    "wait statuses %#x, %#x: not an exit with 0 "
		    "or 1",
		    b1.status, b2.status);
		return;
	}
	if (in_evidence(blk) && !b1.have_kv) {
		evidence_case(im, blk, k, &b1, &b2);
		return;
	}
	if (!b1.have_kv || !b2.have_kv) {
		failure(im, blk, k, "no \"#I kv boot=\" line (boot %d)",
		    b1.have_kv ? 2 : 1);
		return;
	}
	if (b1.warn_kv == 0 && b1.count != im->count + 1)
		failure(im, blk, k,
		    "boot 1 counts %u without a report, the "
		    "disk had %u",
		    b1.count, im->count);
	if (b1.count < 1 || b1.count > im->count + 1)
		failure(im, blk, k, "boot 1 counts %u, the disk had %u",
		    b1.count, im->count);
	if (!last_names(&b1))
		failure(im, blk, k, "boot 1: count %u with last \"%s\"",
		    b1.count, b1.last);
	if (b2.warn_kv != 0)
		failure(im, blk, k, "boot 2 reports kv damage again");
	if (b2.count != b1.count + 1)
		failure(im, blk, k, "boot 2 counts %u after boot 1's %u",
		    b2.count, b1.count);
	if (!last_names(&b2))
		failure(im, blk, k, "boot 2: count %u with last \"%s\"",
		    b2.count, b2.last);
	check_verdict(im, blk, k, 1, &b1);
	check_verdict(im, blk, k, 2, &b2);
}

/* ---- aging ---- */

static struct region kv_region;

/* Boot the image's disk n times in one process, console discarded. */
static void
real_boots(struct image *im, unsigned n, const char *path)
{
	static char out[4096];
	char extra[32];
	int status;

	write_file(path, im->now, im->blocks);
	snprintf(extra, sizeof extra, "--boots=%u", n);
	status = run_hosted(path, extra, "--console=null", out, sizeof out);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die("aging %s: %u boots of %s ended with status %#x", im->name,
		    n, hosted, status);
	read_file(path, im->now, im->blocks);
	im->count += n;
	boots += n;
}

/* The boot report alone, n times, on the image in memory. */
static void
report_boots(struct image *im, unsigned n)
{
	static struct kv_store kv;
	struct blkdev dev;

	blk_ram(&dev, im->now, im->blocks);
	for (unsigned i = 0; i < n; i++) {
		if (kv_open(&kv, &dev, kv_region) < 0 || kv.damage != 0 ||
		    kv_boot_report(&kv) < 0)
			die("aging %s in process: boot %u", im->name,
			    im->count + 1);
		im->count++;
	}
}

/* The committed half and its log's end, from the store itself. */
static void
store_shape(const struct image *im, uint32_t *active, uint64_t *next)
{
	static struct kv_store kv;
	struct blkdev dev;
	static uint8_t *copy;

	if (copy == NULL && (copy = malloc((size_t)im->blocks * BS)) == NULL)
		die("out of memory");
	memcpy(copy, im->now, (size_t)im->blocks * BS);
	blk_ram(&dev, copy, im->blocks);
	if (kv_open(&kv, &dev, kv_region) < 0)
		die("%s: the aged store does not open", im->name);
	*active = kv.active;
	*next = kv.next_block;
}

/* ---- the blocks ---- */

static int
chosen(uint64_t b, int all, uint32_t active, uint64_t next)
{
	uint64_t half = kv_region.blocks / 2, in, at;

	if (all || b == 0)
		return 1;
	if (b < kv_region.start || b >= kv_region.start + kv_region.blocks)
		return b % 16 == 0;
	in = (b - kv_region.start) / half;
	at = (b - kv_region.start) % half;
	if (at < 4)
		return 1; /* the header and its log's start */
	if (in == active && at + 3 >= next && at <= next + 3)
		return 1; /* the log's end */
	if (in == active && at < next)
		return at % 2 == 0; /* the log */
	return at % 8 == 0;
}

static void
campaign(struct image *im, int all, unsigned seeds)
{
	uint8_t *pick = calloc(im->blocks, 1);
	unsigned picked = 0;
	uint32_t active;
	uint64_t next;

	if (pick == NULL)
		die("out of memory");
	store_shape(im, &active, &next);
	for (uint64_t b = 0; b < im->blocks; b++)
		picked += pick[b] = (uint8_t)chosen(b, all, active, next);
	printf("%s disk: %u boots counted, %u of %llu blocks chosen\n",
	    im->name, im->count, picked, (unsigned long long)im->blocks);
	fflush(stdout);
	for (unsigned seed = 0; seed < seeds; seed++) {
		for (uint64_t b = 0; b < im->blocks; b++) {
			for (int k = 0; pick[b] && k < KINDS; k++)
				one_case(im, b, (enum kind)k, seed);
		}
	}
	free(pick);
}

int
main(int argc, char **argv)
{
	static struct image young = { .name = "young" },
			    compacted = { .name = "compacted" };
	unsigned seeds = 1, age = 40;
	const char *blocks = "sample";
	char age_path[4096];
	struct timespec t0, t1;
	struct disk d;
	struct blkdev dev;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (v == NULL)
			die("%s needs a value", a);
		if (strcmp(a, "--hosted") == 0)
			hosted = v;
		else if (strcmp(a, "--work") == 0)
			work = v;
		else if (strcmp(a, "--blocks") == 0)
			blocks = v;
		else if (strcmp(a, "--seeds") == 0)
			seeds = number(a, v);
		else if (strcmp(a, "--boots") == 0)
			age = number(a, v);
		else if (strcmp(a, "--verdict") == 0) {
			if (strcmp(v, "strict") != 0 &&
			    strcmp(v, "ignore") != 0)
				die("--verdict %s: expected strict or ignore",
				    v);
			verdict_strict = strcmp(v, "strict") == 0;
		} else if (strcmp(a, "--max-failures") == 0)
			max_failures = number(a, v);
		else
			die("unknown option '%s'", a);
		i++;
	}
	if (hosted == NULL || work == NULL)
		die("usage: corrupt --hosted PATH --work DIR [--blocks sample|all] "
		    "[--seeds N] [--boots N] [--verdict strict|ignore]");
	if (strcmp(blocks, "sample") != 0 && strcmp(blocks, "all") != 0)
		die("--blocks %s: expected sample or all", blocks);
	if (seeds < 1 || age < 12)
		die("--seeds must be 1 or more, --boots 12 or more");
	/* The work directory may be in a tmpfs that a reboot emptied. */
	if (mkdir(work, 0700) != 0 && errno != EEXIST)
		die("%s: %s", work, strerror(errno));
	snprintf(case_path, sizeof case_path, "%s/case.img", work);
	snprintf(age_path, sizeof age_path, "%s/aged.img", work);
	hosted_console_to(-1);
	clock_gettime(CLOCK_MONOTONIC, &t0);

	/* The smallest disk the layout takes: every block of it matters. */
	young.blocks = disk_blocks_needed();
	young.now = calloc(young.blocks, BS);
	young.older = malloc((size_t)young.blocks * BS);
	if (young.now == NULL || young.older == NULL)
		die("out of memory");
	/* A proof disk, as every runner makes one: the TEST secret and the
	 * proof inbox (arch/hosted/proof_disk.c). */
	if (hosted_proof_disk(put_image, &young) < 0)
		die("the proof disk does not fit %llu blocks",
		    (unsigned long long)young.blocks);
	real_boots(&young, age - 8, age_path);
	memcpy(young.older, young.now, (size_t)young.blocks * BS);
	real_boots(&young, 8, age_path);
	blk_ram(&dev, young.now, young.blocks);
	if (disk_open(&d, &dev) < 0 || d.state != DISK_CLEAN)
		die("the aged disk has no superblock");
	kv_region = d.kv;
	evidence.start = d.inbox.start + INBOX_PROOF_PACKAGE;
	evidence.blocks = DISK_INBOX_BLOCKS - INBOX_PROOF_PACKAGE;

	/* Past one compaction: the older half full of records, the newer
	 * one's log well on; the last boots are real ones. */
	compacted.blocks = young.blocks;
	compacted.now = malloc((size_t)young.blocks * BS);
	compacted.older = malloc((size_t)young.blocks * BS);
	if (compacted.now == NULL || compacted.older == NULL)
		die("out of memory");
	memcpy(compacted.now, young.now, (size_t)young.blocks * BS);
	compacted.count = young.count;
	report_boots(&compacted,
	    (unsigned)(kv_region.blocks / 2 + 60 - compacted.count));
	memcpy(compacted.older, compacted.now, (size_t)young.blocks * BS);
	real_boots(&compacted, 6, age_path);
	{
		uint32_t active;
		uint64_t next;

		store_shape(&compacted, &active, &next);
		if (active != 1)
			die("the compacted disk did not compact");
	}

	campaign(&young, strcmp(blocks, "all") == 0, seeds);
	campaign(&compacted, strcmp(blocks, "all") == 0, seeds);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	unlink(case_path);
	unlink(age_path);
	printf("%u cases (%s blocks, %u seed(s)), %u boots in %.1f s: %u "
	       "first boots reported kv damage, %u disk damage; %u verdict "
	       "failure(s); %u damaged-evidence refusal(s); %u failure(s)\n",
	    cases, blocks, seeds, boots,
	    (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	    reported_kv, reported_disk, verdict_fail, evidence_refused,
	    failures);
	return failures == 0 ? 0 : 1;
}
