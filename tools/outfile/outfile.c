/*
 * outfile: write-then-rename with fsync of the file and its directory. See
 * outfile.h for the contract.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

static int
fail(struct outfile *o, const char *what, int err)
{
	fprintf(stderr, "%s: %s: %s\n", o->prog, what, strerror(err));
	outfile_abort(o);
	return -1;
}

/* The directory part of path ("." when it has none), into dir. */
static void
dir_of(const char *path, char *dir, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		snprintf(dir, len, ".");
	else if (slash == path)
		snprintf(dir, len, "/");
	else
		snprintf(dir, len, "%.*s", (int)(slash - path), path);
}

int
outfile_open(struct outfile *o, const char *prog, const char *path)
{
	return outfile_open_flags(o, prog, path, 0);
}

int
outfile_open_flags(struct outfile *o, const char *prog, const char *path,
    unsigned flags)
{
	char dir[PATH_MAX];
	const char *base;
	mode_t mask;
	int fd;

	o->f = NULL;
	o->prog = prog;
	o->flags = flags;
	o->tmp[0] = '\0';
	if (strlen(path) >= sizeof o->path || path[0] == '\0') {
		fprintf(stderr, "%s: %s: %s\n", prog, path[0] ? path : "\"\"",
		    path[0] ? "path too long" : "empty output path");
		return -1;
	}
	memcpy(o->path, path, strlen(path) + 1);
	dir_of(path, dir, sizeof dir);
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	if ((size_t)snprintf(o->tmp, sizeof o->tmp, "%s/.%s.XXXXXX", dir,
		base) >= sizeof o->tmp) {
		fprintf(stderr, "%s: %s: path too long\n", prog, path);
		o->tmp[0] = '\0';
		return -1;
	}
	if ((fd = mkstemp(o->tmp)) < 0) {
		int err = errno;

		o->tmp[0] = '\0';
		fprintf(stderr,
		    "%s: %s: cannot create a temporary beside it: "
		    "%s\n",
		    prog, path, strerror(err));
		return -1;
	}
	/* mkstemp makes it 0600; the result gets what a plain create would. */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, (flags & OUTFILE_PRIVATE) ? 0600 : 0666 & ~mask) != 0 ||
	    (o->f = fdopen(fd, "wb")) == NULL) {
		int err = errno;

		close(fd);
		return fail(o, o->tmp, err);
	}
	/* A private key goes straight to the file, never into stdio's buffer. */
	if (flags & OUTFILE_PRIVATE)
		setvbuf(o->f, NULL, _IONBF, 0);
	return 0;
}

int
outfile_commit(struct outfile *o)
{
	char dir[PATH_MAX];
	FILE *f = o->f;
	int fd;

	if (fflush(f) != 0 || ferror(f))
		return fail(o, o->tmp, errno ? errno : EIO);
	if (fsync(fileno(f)) != 0)
		return fail(o, o->tmp, errno);
	o->f = NULL;
	if (fclose(f) != 0)
		return fail(o, o->tmp, errno);
	if (o->flags & OUTFILE_NO_REPLACE) {
		if (link(o->tmp, o->path) != 0) {
			int err = errno;

			if (err == EEXIST) {
				fprintf(stderr,
				    "%s: %s: already exists; not "
				    "replaced\n",
				    o->prog, o->path);
				outfile_abort(o);
				return -1;
			}
			return fail(o, o->path, err);
		}
		unlink(o->tmp);
	} else if (rename(o->tmp, o->path) != 0) {
		return fail(o, o->path, errno);
	}
	o->tmp[0] = '\0';
	dir_of(o->path, dir, sizeof dir);
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) < 0 ||
	    (fsync(fd) != 0 && errno != EINVAL)) {
		int err = errno;

		if (fd >= 0)
			close(fd);
		fprintf(stderr, "%s: %s: %s\n", o->prog, dir, strerror(err));
		return -1;
	}
	close(fd);
	return 0;
}

void
outfile_abort(struct outfile *o)
{
	if (o->f != NULL) {
		fclose(o->f);
		o->f = NULL;
	}
	if (o->tmp[0] != '\0') {
		unlink(o->tmp);
		o->tmp[0] = '\0';
	}
}

int
outfile_write(const char *prog, const char *path, const void *bytes, size_t len)
{
	return outfile_write_flags(prog, path, bytes, len, 0);
}

int
outfile_write_flags(const char *prog, const char *path, const void *bytes,
    size_t len, unsigned flags)
{
	struct outfile o;

	if (outfile_open_flags(&o, prog, path, flags) != 0)
		return -1;
	if (len > 0 && fwrite(bytes, 1, len, o.f) != len)
		return fail(&o, o.tmp, errno ? errno : EIO);
	return outfile_commit(&o);
}
