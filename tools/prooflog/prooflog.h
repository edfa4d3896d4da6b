/*
 * Reading a captured channel-0 log: its lines, the proof lines of
 * CONTRACT.md section 3 with their named hex fields, and the "#P" OBS
 * records, decoded with the kernel's own decoders (wire/: parcel_codec,
 * ch0, obs_codec).
 */
#ifndef CELLOS_PROOFLOG_H
#define CELLOS_PROOFLOG_H

#include <stddef.h>
#include <stdint.h>

/* The proof lines in the order a log must show them. */
enum plog_marker {
	PLOG_E0_RAW,
	PLOG_E0_INFO,
	PLOG_E1,
	PLOG_E2,
	PLOG_E3,
	PLOG_E5,
	PLOG_E6,
	PLOG_E7,
	PLOG_E8,
	PLOG_E9,
	PLOG_E10,
	PLOG_SUCCESS,
	PLOG_MARKERS
};

#define PLOG_FIELDS_MAX 8

struct plog_line {
	int present;
	int malformed; /* its fields did not parse: none kept */
	unsigned long lineno;
	unsigned nfields;
	char names[PLOG_FIELDS_MAX][16];
	uint32_t values[PLOG_FIELDS_MAX];
};

struct plog {
	const char *path;
	char *text; /* the whole file, NUL-terminated */
	size_t len;
	struct plog_line m[PLOG_MARKERS];
	unsigned long failure_line; /* first "PROOF FAILURE" line, or 0 */
	unsigned long last_line;    /* number of the last non-empty line */
	unsigned long success_line;
	int quiet; /* count problems without printing them */
};

/* The prefix each marker's line starts with. */
const char *plog_prefix(enum plog_marker m);

/* The marker's name for messages ("#E6 EVT proof"). */
const char *plog_name(enum plog_marker m);

/* The field names each proof line must start with (NULL-terminated). */
const char *const *plog_required(enum plog_marker m);

/*
 * Read and index path. Problems (unreadable file, malformed proof line,
 * marker twice) are reported as "PATH:LINE: message" on stderr and
 * counted in *problems. Returns 0, or -1 when the file cannot be read.
 */
int plog_load(struct plog *log, const char *path, unsigned *problems);
void plog_free(struct plog *log);

/*
 * Index log->text[0..log->len) (set by the caller, NUL-terminated, with
 * log->path naming it): what plog_load does after reading the file.
 */
void plog_index(struct plog *log, unsigned *problems);

/* Value of field name on marker m, or -1 when absent. */
int64_t plog_field(const struct plog *log, enum plog_marker m,
    const char *name);

/* Walk the "#P" lines before line `before` (0: all); see obs-replay. */
struct plog_obs_visit {
	unsigned long lineno;
	const uint8_t *frame; /* the parcel frame */
	size_t frame_len;
	int error;        /* 0, or the -CELL_E_* of the failure */
	const char *what; /* which layer failed: hex, parcel, obs */
	size_t column;    /* 1-based column of a bad hex digit */
};

typedef void (*plog_obs_fn)(void *ctx, const struct plog_obs_visit *v,
    const void *record);

/*
 * Call fn for every "#P" line before line `before` (0: every one), with the
 * decoded struct obs_record (NULL when decoding failed; v->error says why).
 * Returns how many lines were visited.
 */
unsigned long plog_each_obs(const struct plog *log, unsigned long before,
    plog_obs_fn fn, void *ctx);

/*
 * Recompute E8 from the "#P" records before the E8 line: the count of
 * records that decode and the SHA-256 (first four bytes, LE) over their
 * frames. Returns the number of records that failed to decode.
 */
unsigned long plog_recompute_e8(const struct plog *log, uint32_t *entries,
    uint32_t *hash);

/*
 * Recompute the E10 tag from the E2..E9 lines: SHA-256 (first four bytes,
 * LE) over every field each line prints, appended fields included, in print
 * order, each as u32 LE. Absent lines add nothing (the caller checks that
 * all are present).
 */
uint32_t plog_recompute_e10(const struct plog *log);

/*
 * The phenotype the boot loaded, from its one line
 *   #I phenotype NAME vMAJOR.MINOR sha256=<64 HEX>: N channels, G genes, D devices
 */
#define PLOG_PHENO_NAME_MAX 64

struct plog_pheno {
	unsigned long lineno;
	char name[PLOG_PHENO_NAME_MAX];
	unsigned major, minor;
	char sha256[65]; /* 64 upper-case hex digits */
};

/*
 * Find and parse that line. A log without it, with it twice, or with a
 * malformed one (the "(built in)" fallback line, one without sha256=) is a
 * problem reported as "PATH:LINE: message" and counted in *problems.
 * Returns 0 when exactly one well-formed line was found, else -1.
 */
int plog_phenotype(const struct plog *log, struct plog_pheno *out,
    unsigned *problems);

#endif
