/*
 * The golden ledger the image carries: the evidence every proof boot must
 * produce (proofs/ledger, turned into a table at build time by
 * cmake/ledger.cmake) and the phenotypes, by SHA-256, it holds evidence for.
 * The kernel compares what its mechanisms computed against it (proof.c);
 * it is changed only on purpose (./cellos verify --update-ledger, then a
 * rebuild).
 */
#ifndef CELLOS_LEDGER_H
#define CELLOS_LEDGER_H

#include <stdint.h>

struct ledger_value {
	uint8_t line;  /* the E number: 2, 3 (the E3/E4 line), 5..10 */
	char name[16]; /* the field as printed: "parcel_hash" */
	uint32_t value;
};

struct ledger_phenotype {
	char name[32];      /* for messages only: the hash decides */
	uint8_t sha256[32]; /* of the .pbin bytes, as the machine hands them */
};

extern const struct ledger_value ledger_values[];
extern const uint32_t ledger_value_count;
extern const struct ledger_phenotype ledger_phenotypes[];
extern const uint32_t ledger_phenotype_count;

/* The ledger entry for phenotype sha256, or NULL when it holds none. */
const struct ledger_phenotype *ledger_phenotype(const uint8_t sha256[32]);

/* The expected value of field name on line; 0 and *value, or -CELL_E_NOENT. */
int ledger_value(unsigned line, const char *name, uint32_t *value);

/* How many fields the ledger expects on line. */
uint32_t ledger_fields(unsigned line);

#endif
