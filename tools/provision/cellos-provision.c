/*
 * cellos-provision: prepare a cell_os data disk on the host (docs/STORAGE.md).
 *
 *   cellos-provision secret DISK (--random | --from FILE) [--force] [--size SIZE]
 *   cellos-provision proof DISK [--force] [--size SIZE] [--if-fits]
 *   cellos-provision inbox DISK (--package FILE | --rotation FILE)
 *
 * secret writes the device secret slot (block 1): 32 random bytes from the
 * kernel's getrandom, or FILE's 32 bytes, and the inbox's proof slots (the
 * build's public packages and statement E7 and E9 read). proof makes a proof disk: the
 * documented TEST secret and the proof inbox the build signed (the bytes
 * cellos-hosted gives its own fresh disks). inbox places a package or a
 * rotation statement in the inbox's update or rotation slot; the kernel
 * checks it at the next boot and clears the slot. A disk that does not
 * exist is created (--size, default 8M, zeros). A secret already on the
 * disk is replaced only with --force: everything the old one keyed (the key
 * set, the strands) no longer verifies after that.
 *
 * The disk is read whole, changed in memory and written back through
 * tools/outfile (a temporary, fsync, rename), so it is never half-written.
 * Exit status: 0 done, 1 refused (the problem is named), 2 usage error.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "cellos/errors.h"
#include "cellos/package.h"
#include "cellos/rotation.h"
#include "disk.h"
#include "hal.h"
#include "hosted.h"
#include "outfile.h"
#include "package_codec.h"
#include "rotation_codec.h"
#include "update.h"

static const char usage[] =
    "usage: cellos-provision secret DISK (--random | --from FILE) [--force] [--size SIZE]\n"
    "       cellos-provision proof DISK [--force] [--size SIZE] [--if-fits]\n"
    "       cellos-provision inbox DISK (--package FILE | --rotation FILE)\n";

static const char *prog = "cellos-provision";

/* The largest disk handled (it is read whole): 1 GiB, also on 32 bits. */
#define DISK_MAX ((size_t)1 << 30)

static uint8_t *disk;
static size_t disk_len;

static __attribute__((format(printf, 1, 2))) int
refuse(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static int
usage_error(const char *what)
{
	fprintf(stderr, "%s: %s\n%s", prog, what, usage);
	return 2;
}

/* Read path whole (at most max bytes). 0, or -1 printed. */
static int
slurp(const char *path, uint8_t **bytes, size_t *len, size_t max)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b;
	size_t n = 0;

	if (f == NULL) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return -1;
	}
	b = malloc(max + 1);
	if (b == NULL) {
		fclose(f);
		fprintf(stderr, "%s: %s: out of memory\n", prog, path);
		return -1;
	}
	n = fread(b, 1, max + 1, f);
	if (ferror(f)) {
		fprintf(stderr, "%s: %s: read error\n", prog, path);
		fclose(f);
		free(b);
		return -1;
	}
	fclose(f);
	if (n > max) {
		fprintf(stderr, "%s: %s: more than %zu bytes\n", prog, path,
		    max);
		free(b);
		return -1;
	}
	*bytes = b;
	*len = n;
	return 0;
}

static int
parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || s[0] == '-')
		return -1;
	if (*end == 'K')
		v <<= 10, end++;
	else if (*end == 'M')
		v <<= 20, end++;
	else if (*end == 'G')
		v <<= 30, end++;
	if (*end != '\0' || v == 0 || v % HAL_BLOCK_SIZE != 0 || v > DISK_MAX)
		return -1;
	*out = (size_t)v;
	return 0;
}

/* Load DISK, or make a new one of size bytes. 0, or 1 printed. */
static int
open_disk(const char *path, size_t size)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		if (errno != ENOENT)
			return refuse("%s: %s", path, strerror(errno));
		disk = calloc(1, size);
		if (disk == NULL)
			return refuse("%s: out of memory", path);
		disk_len = size;
		return 0;
	}
	if ((uint64_t)st.st_size > DISK_MAX)
		return refuse(
		    "%s: %lld bytes, more than this tool handles (1 GiB)", path,
		    (long long)st.st_size);
	if (slurp(path, &disk, &disk_len, (size_t)st.st_size) < 0)
		return 1;
	if (disk_len % HAL_BLOCK_SIZE != 0)
		return refuse("%s: %zu bytes is not a whole number of %u-byte "
			      "blocks",
		    path, disk_len, HAL_BLOCK_SIZE);
	return 0;
}

static uint8_t *
block_at(uint64_t lba)
{
	return disk + lba * HAL_BLOCK_SIZE;
}

/* Whether the slot holds a secret (other than want, when want is given). */
static int
other_secret(const uint8_t *want)
{
	uint8_t have[DISK_SECRET_SIZE];

	if (disk_len < 2 * HAL_BLOCK_SIZE)
		return 0;
	if (disk_secret_decode(block_at(DISK_SECRET_LBA), have) < 0)
		return 0;
	return want == NULL || memcmp(have, want, sizeof have) != 0;
}

static int
put_block(void *ctx, uint64_t lba, const uint8_t *block)
{
	(void)ctx;
	if ((lba + 1) * HAL_BLOCK_SIZE > disk_len)
		return -CELL_E_NOSPACE;
	memcpy(block_at(lba), block, HAL_BLOCK_SIZE);
	return 0;
}

static int
save(const char *path)
{
	return outfile_write(prog, path, disk, disk_len) == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	const char *cmd, *path, *from = NULL, *package = NULL, *rotation = NULL;
	int random_secret = 0, force = 0, if_fits = 0, rc;
	size_t size = 8u << 20;

	if (argc >= 2 &&
	    (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc < 3)
		return usage_error("a command and a DISK are needed");
	cmd = argv[1];
	path = argv[2];
	for (int i = 3; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage, stdout);
			return 0;
		} else if (strcmp(a, "--random") == 0) {
			random_secret = 1;
		} else if (strcmp(a, "--force") == 0) {
			force = 1;
		} else if (strcmp(a, "--if-fits") == 0) {
			if_fits = 1;
		} else if (strcmp(a, "--from") == 0 ||
		    strcmp(a, "--package") == 0 ||
		    strcmp(a, "--rotation") == 0 || strcmp(a, "--size") == 0) {
			if (v == NULL) {
				fprintf(stderr, "%s: %s needs a value\n", prog,
				    a);
				return 2;
			}
			i++;
			if (strcmp(a, "--from") == 0)
				from = v;
			else if (strcmp(a, "--package") == 0)
				package = v;
			else if (strcmp(a, "--rotation") == 0)
				rotation = v;
			else if (parse_size(v, &size) < 0) {
				fprintf(stderr,
				    "%s: --size %s: expected a whole "
				    "number of %u-byte blocks up to 1G, such as 8M\n",
				    prog, v, HAL_BLOCK_SIZE);
				return 2;
			}
		} else {
			fprintf(stderr, "%s: unknown option '%s'\n%s", prog, a,
			    usage);
			return 2;
		}
	}

	if (strcmp(cmd, "secret") == 0) {
		uint8_t secret[DISK_SECRET_SIZE], block[HAL_BLOCK_SIZE];
		uint8_t *bytes;
		size_t n;

		if (package || rotation || if_fits ||
		    random_secret == (from != NULL))
			return usage_error("secret takes one of --random and "
					   "--from FILE");
		if (from != NULL) {
			if (slurp(from, &bytes, &n, DISK_SECRET_SIZE) < 0)
				return 1;
			if (n != DISK_SECRET_SIZE)
				return refuse(
				    "%s: %zu bytes, a secret is exactly "
				    "%u",
				    from, n, DISK_SECRET_SIZE);
			memcpy(secret, bytes, n);
			free(bytes);
		} else if (getrandom(secret, sizeof secret, 0) !=
		    (ssize_t)sizeof secret) {
			return refuse("getrandom: %s", strerror(errno));
		}
		disk_secret_encode(secret, block);
		if ((rc = disk_secret_decode(block, secret)) < 0)
			return refuse("%s: the secret is refused (%s): an "
				      "all-zero secret protects nothing",
			    from ? from : "getrandom", cell_strerror(rc));
		if ((rc = open_disk(path, size)) != 0)
			return rc;
		if (disk_len < disk_blocks_needed() * HAL_BLOCK_SIZE)
			return refuse(
			    "%s: %zu blocks, the cell_os layout needs "
			    "%llu",
			    path, disk_len / HAL_BLOCK_SIZE,
			    (unsigned long long)disk_blocks_needed());
		if (!force && other_secret(NULL))
			return refuse(
			    "%s: block %u holds a device secret already; "
			    "replacing it makes the key set and the strands it "
			    "keyed unverifiable (--force to do it anyway)",
			    path, DISK_SECRET_LBA);
		/* The proof slots too (public, the same on every disk), so E7
		 * and E9 run on this device; then its own secret. */
		if ((rc = hosted_proof_disk(put_block, NULL)) < 0)
			return refuse("%s: the proof inbox does not fit (%s)",
			    path, cell_strerror(rc));
		put_block(NULL, DISK_SECRET_LBA, block);
		return save(path);
	}
	if (strcmp(cmd, "proof") == 0) {
		extern const uint8_t hosted_test_secret[];

		if (package || rotation || from || random_secret)
			return usage_error(
			    "proof takes only --force, --size and "
			    "--if-fits");
		if ((rc = open_disk(path, size)) != 0)
			return rc;
		if (if_fits && disk_len < disk_blocks_needed() * HAL_BLOCK_SIZE)
			return 0;
		if (disk_len < disk_blocks_needed() * HAL_BLOCK_SIZE)
			return refuse(
			    "%s: %zu blocks, the cell_os layout needs "
			    "%llu",
			    path, disk_len / HAL_BLOCK_SIZE,
			    (unsigned long long)disk_blocks_needed());
		if (!force && other_secret(hosted_test_secret))
			return refuse(
			    "%s: block %u holds another device secret; "
			    "a proof disk has the TEST secret (--force to replace "
			    "it)",
			    path, DISK_SECRET_LBA);
		if ((rc = hosted_proof_disk(put_block, NULL)) < 0)
			return refuse("%s: the proof disk does not fit (%s)",
			    path, cell_strerror(rc));
		return save(path);
	}
	if (strcmp(cmd, "inbox") == 0) {
		struct disk d;
		uint8_t *bytes;
		size_t n;
		uint64_t at;

		if (from || random_secret || force || if_fits ||
		    (package == NULL) == (rotation == NULL))
			return usage_error(
			    "inbox takes one of --package FILE and "
			    "--rotation FILE");
		if (package != NULL) {
			struct package pkg;

			if (slurp(package, &bytes, &n,
				(size_t)INBOX_PACKAGE_BLOCKS * HAL_BLOCK_SIZE) <
			    0)
				return 1;
			if ((rc = package_decode(bytes, n, STRAND_BYTES,
				 &pkg)) < 0)
				return refuse(
				    "%s: not a package this kernel takes "
				    "(%s); cellos-sign verify names the field",
				    package, cell_strerror(rc));
		} else {
			struct rotation r;

			if (slurp(rotation, &bytes, &n, HAL_BLOCK_SIZE) < 0)
				return 1;
			if ((rc = rotation_decode(bytes, n, &r)) < 0)
				return refuse(
				    "%s: not a rotation statement (%s); "
				    "cellos-sign verify names the field",
				    rotation, cell_strerror(rc));
		}
		if ((rc = open_disk(path, size)) != 0)
			return rc;
		if (disk_len < disk_blocks_needed() * HAL_BLOCK_SIZE)
			return refuse(
			    "%s: %zu blocks, the cell_os layout needs "
			    "%llu",
			    path, disk_len / HAL_BLOCK_SIZE,
			    (unsigned long long)disk_blocks_needed());
		disk_regions(&d);
		at = d.inbox.start + (package ? INBOX_UPDATE : INBOX_ROTATION);
		memset(block_at(at), 0,
		    (package ? INBOX_PACKAGE_BLOCKS : 1) *
			(size_t)HAL_BLOCK_SIZE);
		memcpy(block_at(at), bytes, n);
		free(bytes);
		return save(path);
	}
	return usage_error("unknown command (expected secret, proof or inbox)");
}
