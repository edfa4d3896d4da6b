/*
 * Error codes shared by the kernel, wire/, the host tools and the tests.
 * Functions return 0 (or a non-negative count) on success and -CELL_E_* on
 * failure, so that a caller can always test "r < 0".
 */
#ifndef CELLOS_ERRORS_H
#define CELLOS_ERRORS_H

enum cell_error {
	CELL_OK = 0,
	CELL_E_INVAL = 1,     /* an argument is out of range */
	CELL_E_TRUNCATED = 2, /* the buffer ends before the record does */
	CELL_E_LENGTH = 3,    /* a length field disagrees with the buffer */
	CELL_E_FLAGS = 4,     /* a flag bit this decoder does not know */
	CELL_E_BADMAC = 5,    /* a MAC did not verify */
	CELL_E_MAGIC = 6,     /* wrong magic number */
	CELL_E_VERSION = 7,   /* a version this reader cannot read */
	CELL_E_RANGE = 8,     /* a field value is out of its allowed range */
	CELL_E_NOSPACE = 9,   /* the output buffer or a table is full */
	CELL_E_NOENT = 10,    /* no such entry */
	CELL_E_IO = 11,       /* the device reported an error */
	CELL_E_BADHASH = 12,  /* a digest did not match */
	CELL_E_ROLLBACK = 13, /* an older version than the current one */
	CELL_E_BUSY = 14,     /* try again later */
	CELL_E_DEAD = 15,     /* the gene was killed */
	CELL_E_ROUTE = 16,    /* the channel graph has no such edge */
	CELL_E_BUDGET = 17,   /* a resource budget was exceeded */
	CELL_E_NOSYS = 18,    /* not provided by this target */
	CELL_E_CRC = 19,      /* a CRC did not match */
	CELL_E_TOOLONG = 20,  /* a key or value is longer than allowed */
	CELL_E_EXISTS = 21,   /* the entry already exists */
	CELL_E_UNSUPPORTED =
	    22,              /* a section, kind or verb this reader refuses */
	CELL_E_BADSIG = 23,  /* a signature did not verify */
	CELL_E_WEAKKEY = 24, /* a key refused as weak (Ed25519: small order) */
	CELL_E_REVOKED = 25, /* the key was revoked */
	CELL_E_RESERVED = 26 /* a reserved field is not zero */
};

/* A short, stable, lower-case name for an error code (positive or negative). */
const char *cell_strerror(int err);

#endif
