/*
 * The proof ledger of this boot: each mechanism records the values of its
 * proof line here, E10 is computed over them, and a failed self-check is
 * reported in the one format the verifier and users grep for.
 */
#ifndef CELLOS_PROOF_H
#define CELLOS_PROOF_H

#include <stdint.h>

/* Proof lines that carry two values into the E10 tag, in ledger order. */
enum proof_id {
	PROOF_E2 = 0,	/* frames, parcel_hash */
	PROOF_E3,	/* qos, cg_crc (the E3/E4 line) */
	PROOF_E5,	/* mito, golgi */
	PROOF_E6,	/* delivered, evt_hash */
	PROOF_E7,	/* old_sha, new_sha */
	PROOF_E8,	/* entries, obs_hash */
	PROOF_E9,	/* key, mac16 */
	PROOF_COUNT
};

/* Forget every recorded value (cell_reset). */
void proof_reset(void);

/* Record the two values of proof line id. */
void proof_record(enum proof_id id, uint32_t a, uint32_t b);

/* Value which (0 or 1) recorded for line id, 0 when not recorded. */
uint32_t proof_value(enum proof_id id, unsigned which);

/* Whether every line E2..E9 has been recorded. */
int proof_complete(void);

/*
 * The E10 tag: SHA-256 (first four bytes, little-endian) over the recorded
 * values in ledger order, each a u32 little-endian. Only meaningful when
 * proof_complete().
 */
uint32_t proof_e10_tag(void);

/* The E10 build id: SHA-256 over "VERSION\nSOURCE_DATE_EPOCH". */
uint32_t proof_build_id(void);

/*
 * Print "PROOF FAILURE: E<line> <reason>" and return -1, so a check can end
 * with "return proof_fail(...)". line is the E number as printed ("3/E4"
 * style lines pass 3).
 */
int proof_fail(unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
