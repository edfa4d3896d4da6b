/* The proof ledger; see proof.h. */
#include <stdarg.h>
#include <stdint.h>

#include "crypto.h"
#include "kprint.h"
#include "parcel.h"
#include "proof.h"

#ifndef CELLOS_VERSION_STRING
#error "the build must define CELLOS_VERSION_STRING"
#endif
#ifndef CELLOS_SOURCE_DATE_EPOCH
#error "the build must define CELLOS_SOURCE_DATE_EPOCH"
#endif

static uint32_t values[PROOF_COUNT][2];
static uint32_t recorded;	/* bit per enum proof_id */

void
proof_reset(void)
{
	for (unsigned i = 0; i < PROOF_COUNT; i++)
		values[i][0] = values[i][1] = 0;
	recorded = 0;
}

void
proof_record(enum proof_id id, uint32_t a, uint32_t b)
{
	if ((unsigned)id >= PROOF_COUNT)
		return;
	values[id][0] = a;
	values[id][1] = b;
	recorded |= 1u << id;
}

uint32_t
proof_value(enum proof_id id, unsigned which)
{
	if ((unsigned)id >= PROOF_COUNT || which > 1 ||
	    !(recorded & (1u << id)))
		return 0;
	return values[id][which];
}

int
proof_complete(void)
{
	return recorded == (1u << PROOF_COUNT) - 1;
}

uint32_t
proof_e10_tag(void)
{
	uint8_t bytes[PROOF_COUNT * 8];

	for (unsigned i = 0; i < PROOF_COUNT; i++) {
		le32_store(bytes + 8 * i, values[i][0]);
		le32_store(bytes + 8 * i + 4, values[i][1]);
	}
	return sha256_le32(bytes, sizeof bytes);
}

uint32_t
proof_build_id(void)
{
	char id[64];
	int n = ksnprintf(id, sizeof id, "%s\n%llu", CELLOS_VERSION_STRING,
	    (unsigned long long)CELLOS_SOURCE_DATE_EPOCH);

	return sha256_le32(id, (size_t)n);
}

int
proof_fail(unsigned line, const char *fmt, ...)
{
	char reason[160];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	kprintf("PROOF FAILURE: E%u %s\n", line, reason);
	return -1;
}
