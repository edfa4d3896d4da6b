/* kprintf's formatter, checked against what C's own printf prints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "kprint.h"
#include "testutil.h"

static void __attribute__((format(printf, 1, 2)))
same_as_libc(const char *fmt, ...)
{
	char ours[256], libc[256];
	va_list ap, ap2;
	int n1, n2;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n1 = kvsnprintf(ours, sizeof ours, fmt, ap);
	n2 = vsnprintf(libc, sizeof libc, fmt, ap2);
	va_end(ap2);
	va_end(ap);
	assert_string_equal(ours, libc);
	assert_int_equal(n1, n2);
}

static void
test_conversions_match_libc(void **state)
{
	(void)state;
	same_as_libc("plain text");
	same_as_libc("%d %d %d", 0, -1, 2147483647);
	same_as_libc("%d", (int)-2147483647 - 1);
	same_as_libc("%u %x %X", 4294967295u, 0xdeadbeefu, 0xdeadbeefu);
	same_as_libc("%08X|%8X|%08x", 0xABCu, 0xABCu, 0u);
	same_as_libc("%016llX", 0x123456789ABCDEF0ull);
	same_as_libc("%llu %lld", 18446744073709551615ull,
	    -9223372036854775807ll);
	same_as_libc("%lu %lx", 123456789ul, 0xfffffffful);
	same_as_libc("%zu", (size_t)42);
	same_as_libc("[%s] [%5s] [%.2s] [%.*s]", "abc", "ab", "abcdef", 3,
	    "xyzzy");
	same_as_libc("%c%c%%", 'o', 'k');
	same_as_libc("%05d|%5d", -42, -42);
}

static void
test_truncation_reports_full_length(void **state)
{
	char buf[8];
	int n;

	(void)state;
	n = ksnprintf(buf, sizeof buf, "%s", "0123456789");
	assert_int_equal(n, 10);
	assert_string_equal(buf, "0123456");
	n = ksnprintf(buf, 1, "abc");
	assert_int_equal(n, 3);
	assert_string_equal(buf, "");
}

static void
test_precision_does_not_read_past(void **state)
{
	char buf[16];
	const char unterminated[3] = { 'a', 'b', 'c' };

	(void)state;
	ksnprintf(buf, sizeof buf, "%.*s", 3, unterminated);
	assert_string_equal(buf, "abc");
}

static void
test_kprintf_cuts_long_lines_visibly(void **state)
{
	char big[KPRINT_MAX * 2];
	struct capture c;
	char *out;

	(void)state;
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	capture_begin(&c);
	kprintf("%s\n", big);
	out = capture_end(&c);
	assert_int_equal(strlen(out), KPRINT_MAX);
	assert_int_equal(out[KPRINT_MAX - 2], '~');
	assert_int_equal(out[KPRINT_MAX - 1], '\n');
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conversions_match_libc),
		cmocka_unit_test(test_truncation_reports_full_length),
		cmocka_unit_test(test_precision_does_not_read_past),
		cmocka_unit_test(test_kprintf_cuts_long_lines_visibly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
