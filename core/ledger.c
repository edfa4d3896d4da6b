/* Looking things up in the ledger the image carries; see ledger.h. */
#include <stdint.h>

#include "cellos/errors.h"
#include "crypto.h"
#include "ledger.h"

static int
same_name(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

const struct ledger_phenotype *
ledger_phenotype(const uint8_t sha256[32])
{
	for (uint32_t i = 0; i < ledger_phenotype_count; i++) {
		if (ct_equal(ledger_phenotypes[i].sha256, sha256, 32))
			return &ledger_phenotypes[i];
	}
	return NULL;
}

int
ledger_value(unsigned line, const char *name, uint32_t *value)
{
	for (uint32_t i = 0; i < ledger_value_count; i++) {
		if (ledger_values[i].line == line &&
		    same_name(ledger_values[i].name, name)) {
			*value = ledger_values[i].value;
			return 0;
		}
	}
	return -CELL_E_NOENT;
}

uint32_t
ledger_fields(unsigned line)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < ledger_value_count; i++)
		n += ledger_values[i].line == line;
	return n;
}
