/*
 * verify-proofs, shared between its files: how a problem is reported, the
 * per-line checks of a captured log (lines.c), the E0/E1 checks
 * (substrate.c) and the golden ledger (ledger.c).
 */
#ifndef CELLOS_VERIFY_H
#define CELLOS_VERIFY_H

#include <stdint.h>

#include "prooflog.h"

/* The E2..E10 proof lines, in print order. */
extern const enum plog_marker vp_proof_markers[];
#define VP_NPROOF 8

/*
 * Report one problem as "PATH:LINE: message" (LINE 0: "PATH: message") on
 * stderr and count it in *problems.
 */
void vp_problem(unsigned *problems, const char *path, unsigned long line,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The ledger's name for a proof marker: "E3" for the "#E3/E4" line. */
const char *vp_ledger_tag(enum plog_marker m);

/*
 * Every line of the log, whatever it is: each must be #-tagged (or be the
 * verdict FULL PROOF SUCCESS), free of CR, NUL and other control bytes,
 * end in LF, carry no PROOF FAILURE / PROOF UNCHECKED text and no #W
 * warning; every #E<n> line must be one of the CONTRACT's; every #P line
 * must decode (hex, parcel, OBS record).
 */
void vp_check_lines(const struct plog *log, unsigned *problems);

/*
 * The #E0 raw line against the CONTRACT's enumerations and its own code,
 * the #E0 info line against the raw one, and the #E1 line's shape.
 */
void vp_check_substrate(const struct plog *log, unsigned *problems);

/* The golden ledger: value lines and the phenotypes they cover. */
#define LEDGER_VALUES_MAX 64
#define LEDGER_PHENOS_MAX 16
#define LEDGER_HEADER_MAX 2048

struct ledger_value {
	enum plog_marker marker;
	char name[16];
	uint32_t value;
	unsigned long lineno;
};

struct ledger_pheno {
	char name[PLOG_PHENO_NAME_MAX];
	char sha256[65];
	unsigned long lineno;
};

struct ledger {
	const char *path;
	struct ledger_value v[LEDGER_VALUES_MAX];
	unsigned nvalues;
	struct ledger_pheno p[LEDGER_PHENOS_MAX];
	unsigned nphenos;
};

/*
 * Read path strictly: every line a comment ("#..."), empty, a value line
 * "E<n> name=XXXXXXXX" or "phenotype NAME sha256=<64 HEX>"; duplicates,
 * CR, NUL and anything else are problems ("PATH:LINE: reason"). Returns 0,
 * or -1 when the file cannot be read.
 */
int ledger_read(struct ledger *l, const char *path, unsigned *problems);

/*
 * Every value of every log in the ledger and equal to it, every ledger
 * value on each log's line; every log's phenotype among the ledger's.
 */
void ledger_check(struct ledger *l, const struct plog *logs,
    const struct plog_pheno *phenos, int n, unsigned *problems);

/*
 * Rewrite path from logs that passed every other check: its leading
 * comment lines kept (a default header when it has none), one phenotype
 * line per distinct phenotype of the logs, then the first log's values.
 * Written to a temporary, fsynced and renamed. Returns 0 or -1 (said on
 * stderr).
 */
int ledger_write(const char *path, const struct plog *logs,
    const struct plog_pheno *phenos, int n);

#endif
