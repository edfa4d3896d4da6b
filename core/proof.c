/* The evidence of this boot and its verdict; see proof.h. */
#include <stdarg.h>
#include <stdint.h>

#include "byteorder.h"
#include "cellos/exit.h"
#include "crypto.h"
#include "kprint.h"
#include "ledger.h"
#include "log_ring.h"
#include "proof.h"

#ifndef CELLOS_VERSION_STRING
#error "the build must define CELLOS_VERSION_STRING"
#endif
#ifndef CELLOS_SOURCE_DATE_EPOCH
#error "the build must define CELLOS_SOURCE_DATE_EPOCH"
#endif

#define REASON_MAX 200

/* What each line prints before its fields, and its E number. */
static const struct {
	const char *title;
	unsigned number;
} lines[PROOF_LINES] = {
	[PROOF_E2] = { "#E2 PARCEL proof:", 2 },
	[PROOF_E3] = { "#E3/E4 CG proof:", 3 },
	[PROOF_E5] = { "#E5 ORG proof:", 5 },
	[PROOF_E6] = { "#E6 EVT proof:", 6 },
	[PROOF_E7] = { "#E7 UPD proof:", 7 },
	[PROOF_E8] = { "#E8 OBS proof:", 8 },
	[PROOF_E9] = { "#E9 SEC proof:", 9 },
	[PROOF_E10] = { "#E10 RELEASE proof:", 10 },
};

enum coverage {
	COVERAGE_UNKNOWN, /* no phenotype yet (E2 runs before E4) */
	COVERAGE_LEDGER,  /* the ledger covers the phenotype booted */
	COVERAGE_NONE     /* it does not: PROOF UNCHECKED at best */
};

static struct evidence {
	uint32_t values[PROOF_LINES][PROOF_FIELDS_MAX];
	uint8_t counts[PROOF_LINES];
	uint32_t emitted; /* bit per enum proof_line */
	enum coverage coverage;
	uint8_t phenotype_sha[32];
	int fell_back;
	int secret_unlisted;       /* not the TEST secret */
	char fallback[REASON_MAX]; /* "E<n> <reason>" of the first one */
} ev;

void
proof_reset(void)
{
	ev = (struct evidence){ 0 };
}

void
proof_expect_phenotype(const uint8_t sha256[32])
{
	for (unsigned i = 0; i < 32; i++)
		ev.phenotype_sha[i] = sha256[i];
	ev.coverage =
	    ledger_phenotype(sha256) != NULL ? COVERAGE_LEDGER : COVERAGE_NONE;
}

/* Whether this boot's values are held against the ledger. */
static int
checked(void)
{
	return !ev.fell_back && !ev.secret_unlisted &&
	    ev.coverage != COVERAGE_NONE;
}

void
proof_secret_unlisted(void)
{
	ev.secret_unlisted = 1;
}

/* Compare line's values with the ledger: 0, or -1 after PROOF FAILURE. */
static int
compare(enum proof_line line, const struct proof_field *f, unsigned n)
{
	unsigned number = lines[line].number;
	uint32_t want;

	for (unsigned i = 0; i < n; i++) {
		if (ledger_value(number, f[i].name, &want) < 0)
			return proof_fail(number,
			    "%s=%08X, the ledger has no "
			    "E%u %s",
			    f[i].name, f[i].value, number, f[i].name);
		if (want != f[i].value)
			return proof_fail(number,
			    "%s=%08X, the ledger says %08X", f[i].name,
			    f[i].value, want);
	}
	if (ledger_fields(number) != n)
		return proof_fail(number,
		    "the line has %u values, the ledger "
		    "expects %u",
		    n, ledger_fields(number));
	return 0;
}

int
proof_emit(enum proof_line line, const struct proof_field *f, unsigned n)
{
	char text[KPRINT_MAX];
	int at;

	if ((unsigned)line >= PROOF_LINES || n == 0 || n > PROOF_FIELDS_MAX)
		return proof_fail(0, "proof line %u with %u values", line, n);
	at = ksnprintf(text, sizeof text, "%s", lines[line].title);
	for (unsigned i = 0; i < n; i++) {
		ev.values[line][i] = f[i].value;
		at += ksnprintf(text + at, sizeof text - (unsigned)at,
		    " %s=%08X", f[i].name, f[i].value);
	}
	ev.counts[line] = (uint8_t)n;
	ev.emitted |= 1u << line;
	kprintf("%s\n", text);
	if (!checked())
		return 0;
	if (ev.coverage == COVERAGE_UNKNOWN && line != PROOF_E2)
		return proof_fail(lines[line].number,
		    "no phenotype was "
		    "announced before this line");
	return compare(line, f, n);
}

uint32_t
proof_value(enum proof_line line, unsigned index)
{
	if ((unsigned)line >= PROOF_LINES || index >= ev.counts[line])
		return 0;
	return ev.values[line][index];
}

int
proof_e10_tag(uint32_t *tag)
{
	uint8_t bytes[PROOF_E10 * PROOF_FIELDS_MAX * 4];
	unsigned at = 0;

	for (unsigned l = PROOF_E2; l < PROOF_E10; l++) {
		if (!(ev.emitted & (1u << l)))
			return -1;
		for (unsigned i = 0; i < ev.counts[l]; i++) {
			le32_store(bytes + at, ev.values[l][i]);
			at += 4;
		}
	}
	*tag = sha256_le32(bytes, at);
	return 0;
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
	char reason[REASON_MAX];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	kprintf("PROOF FAILURE: E%u %s\n", line, reason);
	return -1;
}

void
proof_fallback(unsigned line, const char *fmt, ...)
{
	char reason[REASON_MAX];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	kprintf("#W %s\n", reason);
	if (!ev.fell_back) {
		ksnprintf(ev.fallback, sizeof ev.fallback, "E%u %s", line,
		    reason);
		ev.fell_back = 1;
	}
}

int
proof_clean(void)
{
	return !ev.fell_back && log_stats().dropped == 0;
}

int
proof_verdict(void)
{
	struct log_ring_stats log = log_stats();

	if (ev.fell_back) {
		kprintf("PROOF FAILURE: %s\n", ev.fallback);
		return CELL_EXIT_FAILURE;
	}
	if (log.dropped != 0) {
		kprintf("PROOF FAILURE: E8 channel 0 lost %llu bytes of this "
			"boot's output\n",
		    (unsigned long long)log.dropped);
		return CELL_EXIT_FAILURE;
	}
	if (ev.secret_unlisted) {
		kprintf("PROOF UNCHECKED: the device secret is not the TEST "
			"secret; the ledger holds no evidence for it\n");
		return CELL_EXIT_UNCHECKED;
	}
	if (ev.coverage != COVERAGE_LEDGER) {
		kprintf("PROOF UNCHECKED: no ledger for phenotype "
			"%02X%02X%02X%02X%02X%02X%02X%02X\n",
		    ev.phenotype_sha[0], ev.phenotype_sha[1],
		    ev.phenotype_sha[2], ev.phenotype_sha[3],
		    ev.phenotype_sha[4], ev.phenotype_sha[5],
		    ev.phenotype_sha[6], ev.phenotype_sha[7]);
		return CELL_EXIT_UNCHECKED;
	}
	kprintf("FULL PROOF SUCCESS\n");
	return CELL_EXIT_SUCCESS;
}
