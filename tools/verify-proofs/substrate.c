/*
 * The machine lines of a log (verify.h): #E0 raw against the enumerations
 * of CONTRACT.md section 2 and its own substrate code, #E0 info against
 * #E0 raw, #E1 against its format. The values differ per target, so only
 * their form and their agreement are checked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify.h"

struct name_value {
	const char *name;
	uint32_t value;
};

/* CONTRACT.md section 2; value 0 (UNKNOWN) is a probe that failed. */
static const struct name_value arch_names[] = { { "x86_64", 1 }, { "arm64", 2 },
	{ "arm_m", 3 }, { NULL, 0 } };
static const struct name_value tier_names[] = { { "PC_BIOS", 1 },
	{ "QEMU_VIRT", 2 }, { "MCU_CONTROLLER", 3 }, { "HOSTED", 4 },
	{ "PC_UEFI", 5 }, { NULL, 0 } };
static const struct name_value intr_names[] = { { "PIC_IOAPIC", 1 },
	{ "LAPIC_ONLY", 2 }, { "GICV2", 3 }, { "GICV3", 4 },
	{ "ONCHIP_MCU", 5 }, { "POSIX_SIGNALS", 6 }, { NULL, 0 } };
static const struct name_value timer_names[] = { { "PIT", 1 }, { "HPET", 2 },
	{ "ARCH_TIMER", 3 }, { "ONCHIP_MCU", 4 }, { "HOST_TIMER", 5 },
	{ NULL, 0 } };
/* Bits, in the order they are printed. */
static const struct name_value console_bits[] = { { "COM1", 0x1 },
	{ "VGA", 0x2 }, { "PL011", 0x4 }, { "UART0", 0x8 }, { "STDOUT", 0x10 },
	{ NULL, 0 } };
static const struct name_value feature_bits[] = { { "SSE2", 0x1 },
	{ "SSE3", 0x2 }, { "SSE4.2", 0x4 }, { "AVX", 0x8 }, { "AVX2", 0x10 },
	{ "SHA", 0x20 }, { "NEON", 0x100 }, { "FP", 0x200 }, { "SHA2", 0x400 },
	{ "CRC32", 0x800 }, { "MPU", 0x10000 }, { NULL, 0 } };

/* The fields of "#E0 raw", in print order. */
enum raw_field {
	RAW_CODE,
	RAW_ARCH,
	RAW_TIER,
	RAW_RAW,
	RAW_FEAT,
	RAW_INTR,
	RAW_TIMER,
	RAW_CONSOLE,
	RAW_RAM,
	RAW_DMA32,
	RAW_FIELDS
};
static const char *const raw_keys[RAW_FIELDS] = { "code", "arch", "tier", "raw",
	"feat_mask", "intr", "timer", "console", "ram", "dma32" };

#define TOKEN_MAX 80

struct raw_line {
	int parsed; /* the ten key=value tokens are there */
	char text[RAW_FIELDS][TOKEN_MAX];
	int ok[RAW_FIELDS];         /* the value is well formed */
	uint32_t value[RAW_FIELDS]; /* numbers, enumeration values, masks */
};

/* The line's text: log->text from the start of line lineno, without LF/CR. */
static size_t
line_text(const struct plog *log, unsigned long lineno, const char **s)
{
	size_t at = 0;

	for (unsigned long n = 1; n < lineno && at < log->len; n++) {
		const char *nl = memchr(log->text + at, '\n', log->len - at);
		at = nl ? (size_t)(nl - log->text) + 1 : log->len;
	}
	*s = log->text + at;
	const char *nl = memchr(*s, '\n', log->len - at);
	size_t len = nl ? (size_t)(nl - *s) : log->len - at;
	if (len > 0 && (*s)[len - 1] == '\r')
		len--;
	return len;
}

static int
upper_hex(const char *s, size_t digits, uint64_t *v)
{
	*v = 0;
	if (strlen(s) != digits)
		return 0;
	for (size_t i = 0; i < digits; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F')))
			return 0;
		*v = *v << 4 | (uint64_t)(c <= '9' ? c - '0' : c - 'A' + 10);
	}
	return 1;
}

static int
lookup(const struct name_value *t, const char *name, uint32_t *v)
{
	for (; t->name != NULL; t++) {
		if (strcmp(t->name, name) == 0) {
			*v = t->value;
			return 1;
		}
	}
	return 0;
}

static void
list_names(char *buf, size_t cap, const struct name_value *t)
{
	size_t n = 0;

	buf[0] = '\0';
	for (; t->name != NULL && n < cap; t++)
		n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? ", " : "",
		    t->name);
}

/*
 * A set of bit names joined by sep, each known and in bit order, none
 * twice; none_name alone is the empty set. Returns 1 and the mask, or 0
 * with *why set.
 */
static int
parse_bits(const char *text, char sep, const struct name_value *bits,
    const char *none_name, uint32_t *mask, const char **why)
{
	const char *at = text;
	int last = -1;

	*mask = 0;
	if (strcmp(text, none_name) == 0)
		return 1;
	for (;;) {
		const char *end = strchr(at, sep);
		size_t n = end ? (size_t)(end - at) : strlen(at);
		int k;

		for (k = 0; bits[k].name != NULL; k++) {
			if (strlen(bits[k].name) == n &&
			    memcmp(bits[k].name, at, n) == 0)
				break;
		}
		if (bits[k].name == NULL) {
			*why = "a name that is not one of the CONTRACT's";
			return 0;
		}
		if (k <= last) {
			*why = k == last ?
			    "a name twice" :
			    "names out of the CONTRACT's bit order";
			return 0;
		}
		last = k;
		*mask |= bits[k].value;
		if (end == NULL)
			return 1;
		at = end + 1;
	}
}

/* The names of the bits of mask that have one, joined by sep. */
static void
join_bits(char *buf, size_t cap, uint32_t mask, const char *sep,
    const struct name_value *bits, const char *none_name)
{
	size_t n = 0;

	buf[0] = '\0';
	for (; bits->name != NULL; bits++) {
		if ((mask & bits->value) && n < cap)
			n += (size_t)snprintf(buf + n, cap - n, "%s%s",
			    n ? sep : "", bits->name);
	}
	if (n == 0)
		snprintf(buf, cap, "%s", none_name);
}

static void
check_enum(const struct plog *log, unsigned long lineno, struct raw_line *r,
    enum raw_field f, const struct name_value *t, unsigned *problems)
{
	char names[160];

	if (lookup(t, r->text[f], &r->value[f])) {
		r->ok[f] = 1;
		return;
	}
	list_names(names, sizeof names, t);
	if (strcmp(r->text[f], "UNKNOWN") == 0)
		vp_problem(problems, log->path, lineno,
		    "#E0 raw %s=UNKNOWN: "
		    "the probe did not identify it (expected one of %s)",
		    raw_keys[f], names);
	else
		vp_problem(problems, log->path, lineno,
		    "#E0 raw %s=%s is not "
		    "one of the CONTRACT's names (%s)",
		    raw_keys[f], r->text[f], names);
}

/* "ram=<decimal>MiB": 1 .. 2^32-1 MiB, no sign, no leading zero. */
static int
parse_ram(const char *text, uint32_t *mib)
{
	size_t n = strspn(text, "0123456789");
	unsigned long long v = 0;

	if (n == 0 || n > 10 || strcmp(text + n, "MiB") != 0 ||
	    (text[0] == '0'))
		return 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (unsigned)(text[i] - '0');
	if (v > 0xFFFFFFFFull)
		return 0;
	*mib = (uint32_t)v;
	return 1;
}

static void
check_raw(const struct plog *log, struct raw_line *r, unsigned *problems)
{
	const char *prefix = plog_prefix(PLOG_E0_RAW), *s, *why = NULL;
	unsigned long lineno = log->m[PLOG_E0_RAW].lineno;
	size_t len = line_text(log, lineno, &s), at = strlen(prefix);
	uint64_t v;

	memset(r, 0, sizeof *r);
	for (int f = 0; f < RAW_FIELDS; f++) {
		size_t klen = strlen(raw_keys[f]), n;

		if (len - at < klen + 1 ||
		    memcmp(s + at, raw_keys[f], klen) != 0 ||
		    s[at + klen] != '=') {
			vp_problem(problems, log->path, lineno,
			    "#E0 raw line: "
			    "column %zu: expected \"%s=\" (the CONTRACT's fields "
			    "are code arch tier raw feat_mask intr timer console "
			    "ram dma32, one space apart)",
			    at + 1, raw_keys[f]);
			return;
		}
		at += klen + 1;
		n = 0;
		while (at + n < len && s[at + n] != ' ')
			n++;
		if (n >= TOKEN_MAX) {
			vp_problem(problems, log->path, lineno,
			    "#E0 raw line: "
			    "%s= is longer than %d characters",
			    raw_keys[f], TOKEN_MAX - 1);
			return;
		}
		memcpy(r->text[f], s + at, n);
		r->text[f][n] = '\0';
		at += n;
		if (f + 1 < RAW_FIELDS) {
			if (at >= len) {
				vp_problem(problems, log->path, lineno,
				    "#E0 raw "
				    "line ends after %s= (expected \" %s=\")",
				    raw_keys[f], raw_keys[f + 1]);
				return;
			}
			at++;
		} else if (at != len) {
			vp_problem(problems, log->path, lineno,
			    "#E0 raw line: "
			    "column %zu: text after dma32=",
			    at + 1);
			return;
		}
	}
	r->parsed = 1;

	if (strncmp(r->text[RAW_CODE], "0x", 2) == 0 &&
	    upper_hex(r->text[RAW_CODE] + 2, 8, &v)) {
		r->ok[RAW_CODE] = 1;
		r->value[RAW_CODE] = (uint32_t)v;
	} else {
		vp_problem(problems, log->path, lineno,
		    "#E0 raw code=%s is not "
		    "0x and 8 upper-case hex digits",
		    r->text[RAW_CODE]);
	}
	check_enum(log, lineno, r, RAW_ARCH, arch_names, problems);
	check_enum(log, lineno, r, RAW_TIER, tier_names, problems);
	if (upper_hex(r->text[RAW_RAW], 8, &v)) {
		r->ok[RAW_RAW] = 1;
		r->value[RAW_RAW] = (uint32_t)v;
	} else {
		vp_problem(problems, log->path, lineno,
		    "#E0 raw raw=%s is not "
		    "8 upper-case hex digits",
		    r->text[RAW_RAW]);
	}
	if (!upper_hex(r->text[RAW_FEAT], 8, &v)) {
		vp_problem(problems, log->path, lineno,
		    "#E0 raw feat_mask=%s is "
		    "not 8 upper-case hex digits",
		    r->text[RAW_FEAT]);
	} else {
		uint32_t known = 0;
		for (const struct name_value *b = feature_bits; b->name; b++)
			known |= b->value;
		if ((uint32_t)v & ~known)
			vp_problem(problems, log->path, lineno,
			    "#E0 raw "
			    "feat_mask=%s has bits %08X that name no feature "
			    "of the CONTRACT",
			    r->text[RAW_FEAT], (uint32_t)v & ~known);
		else
			r->ok[RAW_FEAT] = 1;
		r->value[RAW_FEAT] = (uint32_t)v;
	}
	check_enum(log, lineno, r, RAW_INTR, intr_names, problems);
	check_enum(log, lineno, r, RAW_TIMER, timer_names, problems);
	if (strcmp(r->text[RAW_CONSOLE], "NONE") == 0) {
		vp_problem(problems, log->path, lineno,
		    "#E0 raw console=NONE, "
		    "but the boot printed this on a console");
	} else if (!parse_bits(r->text[RAW_CONSOLE], '|', console_bits, "NONE",
		       &r->value[RAW_CONSOLE], &why)) {
		vp_problem(problems, log->path, lineno,
		    "#E0 raw console=%s: %s "
		    "(COM1|VGA|PL011|UART0|STDOUT, joined by '|' in this "
		    "order)",
		    r->text[RAW_CONSOLE], why);
	} else {
		r->ok[RAW_CONSOLE] = 1;
	}
	if (parse_ram(r->text[RAW_RAM], &r->value[RAW_RAM]))
		r->ok[RAW_RAM] = 1;
	else
		vp_problem(problems, log->path, lineno,
		    "#E0 raw ram=%s is not a "
		    "number of MiB (decimal, 1 or more, no leading zero, then "
		    "\"MiB\")",
		    r->text[RAW_RAM]);
	if (strncmp(r->text[RAW_DMA32], "0x", 2) == 0 &&
	    upper_hex(r->text[RAW_DMA32] + 2, 16, &v))
		r->ok[RAW_DMA32] = 1;
	else
		vp_problem(problems, log->path, lineno,
		    "#E0 raw dma32=%s is not "
		    "0x and 16 upper-case hex digits",
		    r->text[RAW_DMA32]);

	if (r->ok[RAW_CODE] && r->ok[RAW_ARCH] && r->ok[RAW_TIER] &&
	    r->ok[RAW_INTR] && r->ok[RAW_TIMER]) {
		uint32_t want = r->value[RAW_ARCH] << 24 |
		    r->value[RAW_TIER] << 16 | r->value[RAW_INTR] << 8 |
		    r->value[RAW_TIMER];
		if (r->value[RAW_CODE] != want)
			vp_problem(problems, log->path, lineno,
			    "#E0 raw "
			    "code=0x%08X is not arch<<24 | tier<<16 | intr<<8 "
			    "| timer of this line's names (0x%08X)",
			    r->value[RAW_CODE], want);
	}
}

/* One " / "-separated part of the info line against what the raw line says. */
static void
info_agrees(const struct plog *log, unsigned long lineno,
    unsigned long raw_line, const char *what, const char *info, const char *raw,
    unsigned *problems)
{
	if (strcmp(info, raw) != 0)
		vp_problem(problems, log->path, lineno,
		    "#E0 info says %s "
		    "\"%s\", the #E0 raw line (line %lu) says \"%s\"",
		    what, info, raw_line, raw);
}

static void
check_info(const struct plog *log, const struct raw_line *r, unsigned *problems)
{
	static const char *const what[6] = { "arch", "tier", "intr", "console",
		"the features", "ram" };
	const char *prefix = plog_prefix(PLOG_E0_INFO), *s;
	unsigned long lineno = log->m[PLOG_E0_INFO].lineno;
	unsigned long raw_line = log->m[PLOG_E0_RAW].lineno;
	size_t len = line_text(log, lineno, &s), plen = strlen(prefix);
	char part[6][TOKEN_MAX + 16], want[TOKEN_MAX + 16];
	const char *at, *end;
	int k;

	s += plen;
	len -= plen;
	if (len < 2 || s[0] != '"' || s[len - 1] != '"' ||
	    memchr(s + 1, '"', len - 2) != NULL) {
		vp_problem(problems, log->path, lineno,
		    "#E0 info line is not "
		    "one quoted string");
		return;
	}
	at = s + 1;
	end = s + len - 1;
	for (k = 0; k < 6; k++) {
		const char *sep =
		    k < 5 ? memmem(at, (size_t)(end - at), " / ", 3) : end;
		size_t n;

		if (sep == NULL)
			break;
		n = (size_t)(sep - at);
		if (n >= sizeof part[k])
			n = sizeof part[k] - 1;
		memcpy(part[k], at, n);
		part[k][n] = '\0';
		at = sep + (k < 5 ? 3 : 0);
	}
	if (k < 6 || strncmp(part[4], "feats[", 6) != 0 ||
	    part[4][strlen(part[4]) - 1] != ']' ||
	    strncmp(part[5], "ram=", 4) != 0) {
		vp_problem(problems, log->path, lineno,
		    "#E0 info line is not "
		    "\"ARCH / TIER / INTR / CONSOLE / feats[FEATURES] / "
		    "ram=NMiB\"");
		return;
	}
	if (!r->parsed)
		return; /* the raw line's problem is already named */
	info_agrees(log, lineno, raw_line, what[0], part[0], r->text[RAW_ARCH],
	    problems);
	info_agrees(log, lineno, raw_line, what[1], part[1], r->text[RAW_TIER],
	    problems);
	info_agrees(log, lineno, raw_line, what[2], part[2], r->text[RAW_INTR],
	    problems);
	info_agrees(log, lineno, raw_line, what[3], part[3],
	    r->text[RAW_CONSOLE], problems);
	if (r->ok[RAW_FEAT]) {
		char feats[TOKEN_MAX];

		join_bits(feats, sizeof feats, r->value[RAW_FEAT], ",",
		    feature_bits, "none");
		snprintf(want, sizeof want, "feats[%s]", feats);
		if (strcmp(part[4], want) != 0)
			vp_problem(problems, log->path, lineno,
			    "#E0 info says "
			    "%s, but feat_mask=%s of the #E0 raw line (line %lu) "
			    "gives %s",
			    part[4], r->text[RAW_FEAT], raw_line, want);
	}
	snprintf(want, sizeof want, "ram=%s", r->text[RAW_RAM]);
	info_agrees(log, lineno, raw_line, what[5], part[5], want, problems);
}

/*
 * "#E1 handoff base=%016X len=%016X mem=%016X cons=%016X", exactly; cons
 * is the handoff's console bitmask, the same bits as #E0 raw console=.
 */
static void
check_e1(const struct plog *log, const struct raw_line *r, unsigned *problems)
{
	static const char *const keys[] = { "base", "len", "mem", "cons" };
	const char *prefix = plog_prefix(PLOG_E1), *s;
	unsigned long lineno = log->m[PLOG_E1].lineno;
	size_t len = line_text(log, lineno, &s), at = strlen(prefix);

	for (unsigned k = 0; k < 4; k++) {
		size_t klen = strlen(keys[k]), sp = k > 0;
		char hex[17];
		uint64_t v;

		if (len - at < sp + klen + 1 + 16 || (sp && s[at] != ' ') ||
		    memcmp(s + at + sp, keys[k], klen) != 0 ||
		    s[at + sp + klen] != '=') {
			vp_problem(problems, log->path, lineno,
			    "#E1 line: column "
			    "%zu: expected \"%s%s=\" and 16 upper-case hex "
			    "digits",
			    at + 1, sp ? " " : "", keys[k]);
			return;
		}
		at += sp + klen + 1;
		memcpy(hex, s + at, 16);
		hex[16] = '\0';
		if (!upper_hex(hex, 16, &v)) {
			vp_problem(problems, log->path, lineno,
			    "#E1 line: %s=%s "
			    "is not 16 upper-case hex digits",
			    keys[k], hex);
			return;
		}
		at += 16;
		if (k == 3 && r->ok[RAW_CONSOLE] && v != r->value[RAW_CONSOLE])
			vp_problem(problems, log->path, lineno,
			    "#E1 cons=%s, "
			    "but the #E0 raw line (line %lu) says console=%s "
			    "(%016X)",
			    hex, log->m[PLOG_E0_RAW].lineno,
			    r->text[RAW_CONSOLE], r->value[RAW_CONSOLE]);
	}
	if (at != len)
		vp_problem(problems, log->path, lineno,
		    "#E1 line: column %zu: "
		    "text after cons=",
		    at + 1);
}

void
vp_check_substrate(const struct plog *log, unsigned *problems)
{
	struct raw_line r;

	memset(&r, 0, sizeof r);
	if (log->m[PLOG_E0_RAW].present)
		check_raw(log, &r, problems);
	if (log->m[PLOG_E0_INFO].present)
		check_info(log, &r, problems);
	if (log->m[PLOG_E1].present)
		check_e1(log, &r, problems);
}
