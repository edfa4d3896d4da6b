/*
 * The evidence of this boot and its verdict. Each proof step hands its
 * values to proof_emit, which prints the step's line, keeps the values for
 * E10 and compares them with the ledger the image carries (ledger.h); a
 * failed self-check ends the boot through proof_fail; a fallback (a refused
 * phenotype, a missing disk, a damaged store) is reported at once by
 * proof_fallback and decides the verdict. After E10, proof_verdict prints
 * the one verdict line of CONTRACT.md section 3:
 *
 *   FULL PROOF SUCCESS                      every value equals the ledger's,
 *                                           no fallback, no lost output
 *   PROOF FAILURE: E<n> <reason>            a check, a mismatch, a fallback
 *   PROOF UNCHECKED: no ledger for phenotype <16 hex>
 *                                           the ledger holds no evidence for
 *                                           the phenotype booted
 */
#ifndef CELLOS_PROOF_H
#define CELLOS_PROOF_H

#include <stdint.h>

/* The proof lines that carry values, in boot (and ledger) order. */
enum proof_line {
	PROOF_E2 = 0, /* frames, parcel_hash */
	PROOF_E3,     /* qos, cg_crc (the E3/E4 line) */
	PROOF_E5,     /* mito, golgi, quanta, gas */
	PROOF_E6,     /* delivered, evt_hash, dropped */
	PROOF_E7,     /* old_sha, new_sha */
	PROOF_E8,     /* entries, obs_hash */
	PROOF_E9,     /* key, mac16 */
	PROOF_E10,    /* tag, build */
	PROOF_LINES
};

#define PROOF_FIELDS_MAX 4

struct proof_field {
	const char *name; /* as printed and as the ledger names it */
	uint32_t value;
};

/* Forget this boot's evidence and verdict (cell_reset). */
void proof_reset(void);

/*
 * The phenotype this boot runs, by the SHA-256 of its bytes: from here on
 * the values are compared with the ledger when it covers that phenotype,
 * and the verdict can be at best PROOF UNCHECKED when it does not.
 */
void proof_expect_phenotype(const uint8_t sha256[32]);

/*
 * Print line's proof line with its n fields (n <= PROOF_FIELDS_MAX), keep
 * the values, and compare each with the ledger (unless the phenotype is not
 * covered or the boot has fallen back). Returns 0, or -1 after
 * "PROOF FAILURE: E<n> <field>=<got>, the ledger says <want>".
 */
int proof_emit(enum proof_line line, const struct proof_field *fields,
    unsigned n);

/* Value index (in print order) of line, 0 when not emitted. */
uint32_t proof_value(enum proof_line line, unsigned index);

/*
 * The E10 tag: SHA-256 (first four bytes, little-endian) over every value
 * the E2..E9 lines printed, appended fields included, in print order, each
 * a u32 little-endian. -1 when a line is missing, else 0 and *tag.
 */
int proof_e10_tag(uint32_t *tag);

/* The E10 build id: SHA-256 over "VERSION\nSOURCE_DATE_EPOCH". */
uint32_t proof_build_id(void);

/*
 * A check failed: print "PROOF FAILURE: E<line> <reason>" and return -1, so
 * a check can end with "return proof_fail(...)". The boot stops there.
 */
int proof_fail(unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * The boot falls back to something safe and carries on: print
 * "#W <reason>" now; the first fallback's "E<line> <reason>" becomes the
 * verdict, and values are no longer compared with the ledger.
 */
void proof_fallback(unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * The device secret is this device's own, not the TEST secret the ledger's
 * values are for: values are shown, not compared, and the verdict is at
 * best "PROOF UNCHECKED: the device secret is not the TEST secret; the
 * ledger holds no evidence for it".
 */
void proof_secret_unlisted(void);

/*
 * Whether the boot so far is clean: no fallback and no output lost, so
 * the verdict will be FULL PROOF SUCCESS or PROOF UNCHECKED (every check
 * passed: a failed one has ended the boot before anyone asks).
 */
int proof_clean(void);

/*
 * The end of the boot: print the verdict line and return the exit status
 * (enum cell_exit_status). Channel 0 losing output (the log ring dropped
 * bytes) is a failure too: the evidence did not all get out.
 */
int proof_verdict(void);

#endif
