/*
 * The channel-0 log ring: bytes come out in order and whole; a writer that
 * finds a drain under way only appends; what does not fit is dropped,
 * counted, and announced by the next drain.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "config.h"
#include "log_ring.h"
#include "testutil.h"

static void
test_in_order_and_whole(void **state)
{
	struct capture c;
	char *out;

	(void)state;
	log_reset();
	capture_begin(&c);
	log_write("one\n", 4);
	log_write("two\n", 4);
	out = capture_end(&c);
	assert_string_equal(out, "one\ntwo\n");
	assert_int_equal(log_stats().written, 8);
	assert_int_equal(log_stats().dropped, 0);
	free(out);
}

static void
test_overflow_is_counted_and_announced(void **state)
{
	static char chunk[1000];
	struct capture c;
	char *out;

	(void)state;
	log_reset();
	memset(chunk, 'x', sizeof chunk);
	chunk[sizeof chunk - 1] = '\n';
	capture_begin(&c);
	log_hold(1); /* as if a drain were under way */
	for (int i = 0; i < 5; i++)
		log_write(chunk, sizeof chunk); /* 4 fit in 4096, 1 does not */
	log_write("tail\n", 5);                 /* 96 bytes left: it fits */
	log_hold(0);
	log_flush();
	out = capture_end(&c);
	assert_int_equal(log_stats().dropped, 1000);
	assert_int_equal(log_stats().dropped_writes, 1);
	assert_int_equal(log_stats().written, 4 * 1000 + 5);
	assert_true(strncmp(out, "#W log ring dropped 1000 bytes\n", 31) == 0);
	assert_int_equal(strlen(out), 31 + 4000 + 5);
	assert_string_equal(out + strlen(out) - 5, "tail\n");
	free(out);
}

static void
test_wraps_around(void **state)
{
	static char a[3000], b[3000];
	struct capture c;
	char *out;

	(void)state;
	log_reset();
	memset(a, 'a', sizeof a);
	memset(b, 'b', sizeof b);
	capture_begin(&c);
	log_write(a, sizeof a);
	log_write(b, sizeof b); /* starts at 3000, wraps at 4096 */
	out = capture_end(&c);
	assert_int_equal(strlen(out), 6000);
	assert_int_equal(out[2999], 'a');
	assert_int_equal(out[3000], 'b');
	assert_int_equal(out[5999], 'b');
	free(out);
}

/*
 * A write that fills the ring to the last byte: every byte comes out, the
 * oldest first. (A copy that ran one byte past the write would put that
 * byte where the oldest one waits.)
 */
static void
test_an_exact_fill_keeps_every_byte(void **state)
{
	static char first[1000], rest[LOG_RING_SIZE - 1000 + 1];
	struct capture c;
	char *out;

	(void)state;
	log_reset();
	memset(first, 'f', sizeof first);
	memset(rest, 'r', sizeof rest);
	rest[sizeof rest - 1] = 'Z'; /* past the write: must not get in */
	capture_begin(&c);
	log_hold(1);
	log_write(first, sizeof first);
	log_write(rest, sizeof rest - 1);
	log_hold(0);
	log_flush();
	out = capture_end(&c);
	assert_int_equal(log_stats().dropped, 0);
	assert_int_equal(strlen(out), LOG_RING_SIZE);
	assert_int_equal(out[0], 'f');
	assert_int_equal(out[999], 'f');
	assert_int_equal(out[1000], 'r');
	assert_int_equal(out[LOG_RING_SIZE - 1], 'r');
	assert_null(strchr(out, 'Z'));
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order_and_whole),
		cmocka_unit_test(test_overflow_is_counted_and_announced),
		cmocka_unit_test(test_wraps_around),
		cmocka_unit_test(test_an_exact_fill_keeps_every_byte),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
