/*
 * outfile: how every host tool writes a file it produces. The bytes go to
 * a temporary beside the destination (same directory, so the rename is
 * atomic), which is flushed and fsync'ed, renamed over the destination, and
 * then the directory is fsync'ed so the rename itself survives a power cut.
 * A reader therefore sees the old file or the whole new one, never a part,
 * and a failed run leaves no temporary behind.
 *
 * Errors are printed as "PROG: PATH: reason" on stderr; the functions then
 * return -1 and the caller exits non-zero.
 */
#ifndef CELLOS_TOOLS_OUTFILE_H
#define CELLOS_TOOLS_OUTFILE_H

#include <limits.h>
#include <stddef.h>
#include <stdio.h>

struct outfile {
	FILE *f;             /* write here between open and commit */
	const char *prog;    /* for messages */
	unsigned flags;      /* OUTFILE_* */
	char path[PATH_MAX]; /* the destination */
	char tmp[PATH_MAX];  /* the temporary being written */
};

/*
 * Creates the temporary for path. Returns 0 with o->f open for writing, or
 * -1 (printed) when the directory is not writable or path is too long.
 * The file gets the mode a plain create would give (0666 less the umask).
 */
int outfile_open(struct outfile *o, const char *prog, const char *path);

/* outfile_open's flags. */
#define OUTFILE_PRIVATE    1u /* mode 0600 whatever the umask, unbuffered: keys */
#define OUTFILE_NO_REPLACE 2u /* commit refuses an existing path */

/* outfile_open with flags (OUTFILE_*). */
int outfile_open_flags(struct outfile *o, const char *prog, const char *path,
    unsigned flags);

/*
 * Finishes the file: checks every earlier write succeeded, fsyncs it,
 * renames it over the destination (with OUTFILE_NO_REPLACE: links it there,
 * refusing a path that exists) and fsyncs the directory. Returns 0, or -1
 * (printed, temporary removed, destination untouched).
 */
int outfile_commit(struct outfile *o);

/* Gives up: closes and removes the temporary; the destination is untouched. */
void outfile_abort(struct outfile *o);

/* The whole cycle for a buffer already in memory. Returns 0 or -1 (printed). */
int outfile_write(const char *prog, const char *path, const void *bytes,
    size_t len);

/* The same with flags (OUTFILE_*). */
int outfile_write_flags(const char *prog, const char *path, const void *bytes,
    size_t len, unsigned flags);

#endif
