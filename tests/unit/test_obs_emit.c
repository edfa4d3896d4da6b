/*
 * The OBS emitter and its index: each record goes out as one "#P" line
 * holding a channel-0 parcel (verb 2, no MAC) whose payload is the record
 * (include/cellos/obs.h: version, type, len, seq, payload), numbered from 0;
 * a mark longer than a record's payload is cut to it, not lost; what the
 * emitter refuses is neither printed nor counted; and the index E8 reports
 * is the count and the SHA-256 (here OpenSSL's) of the frames in order.
 * The lines are read by obs_lines.h, from the contract, not by the
 * kernel's decoders.
 */
#include <openssl/sha.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "byteorder.h"
#include "obs_emit.h"
#include "obs_lines.h"
#include "parcel_codec.h"
#include "testutil.h"

#define FRAME_MAX (PARCEL_HDR_SIZE + OBS_HDR_SIZE + OBS_PAYLOAD_MAX)

static struct {
	uint8_t frame[8][FRAME_MAX];
	struct obs_seen rec[8];
	int size[8];
	int n;
} seen;

/*
 * Decode every "#P" line of out into seen, by the contract's layouts
 * (obs_lines.h: channel 0, verb 2, no MAC, OBS version 1).
 */
static void
parse(const char *out)
{
	seen.n = 0;
	for (const char *l = strstr(out, "#P "); l != NULL;
	     l = strstr(l + 1, "\n#P ")) {
		const char *hex = l[0] == '\n' ? l + 4 : l + 3;

		assert_true(seen.n < 8);
		seen.size[seen.n] = (int)decode_p_line(hex, strcspn(hex, "\n"),
		    seen.frame[seen.n], &seen.rec[seen.n]);
		seen.n++;
	}
}

static struct obs_seen
record(int i)
{
	return seen.rec[i];
}

static void
test_records_on_the_console_and_the_index(void **state)
{
	char longtext[101];
	uint8_t all[8 * FRAME_MAX], digest[SHA256_DIGEST_LENGTH];
	size_t total = 0;
	struct capture c;
	struct obs_seen r;
	char *out;

	(void)state;
	memset(longtext, 'm', 100);
	longtext[100] = '\0';
	obs_reset();
	capture_begin(&c);
	obs_mark("hello");
	obs_sys(7, 8, 9);
	obs_mark(longtext);
	obs_trace(1, 2, 3, 4);
	out = capture_end(&c);
	parse(out);
	free(out);
	assert_int_equal(seen.n, 4);

	r = record(0);
	assert_int_equal(r.type, OBS_MARK);
	assert_int_equal(r.seq, 0);
	assert_int_equal(r.len, 5);
	assert_memory_equal(r.payload, "hello", 5);
	r = record(1);
	assert_int_equal(r.type, OBS_SYS);
	assert_int_equal(r.seq, 1);
	assert_int_equal(r.len, 12);
	assert_int_equal(le32_load(r.payload), 7);
	assert_int_equal(le32_load(r.payload + 4), 8);
	assert_int_equal(le32_load(r.payload + 8), 9);
	r = record(2); /* cut to a record's payload, not dropped */
	assert_int_equal(r.type, OBS_MARK);
	assert_int_equal(r.seq, 2);
	assert_int_equal(r.len, OBS_PAYLOAD_MAX);
	assert_memory_equal(r.payload, longtext, OBS_PAYLOAD_MAX);
	r = record(3);
	assert_int_equal(r.type, OBS_TRACE);
	assert_int_equal(r.seq, 3);
	assert_int_equal(r.len, 16);
	assert_int_equal(le32_load(r.payload + 12), 4);

	assert_int_equal(obs_count(0), 4);
	assert_int_equal(obs_count(OBS_MARK), 2);
	assert_int_equal(obs_count(OBS_SYS), 1);
	assert_int_equal(obs_count(OBS_TRACE), 1);
	assert_int_equal(obs_count(OBS_EVENT), 0);
	for (int i = 0; i < seen.n; i++) {
		memcpy(all + total, seen.frame[i], (size_t)seen.size[i]);
		total += (size_t)seen.size[i];
	}
	SHA256(all, total, digest);
	assert_int_equal(obs_index_hash(), le32_load(digest));
}

static void
test_refusals_are_not_printed_or_counted(void **state)
{
	static const uint8_t payload[OBS_PAYLOAD_MAX + 1];
	struct capture c;
	char *out;
	uint32_t before;

	(void)state;
	obs_reset();
	before = obs_index_hash();
	capture_begin(&c);
	assert_int_equal(obs_emit(0, payload, 1), -CELL_E_RANGE);
	assert_int_equal(obs_emit(OBS_TRACE + 1, payload, 1), -CELL_E_RANGE);
	assert_int_equal(obs_emit(OBS_EVENT, payload, OBS_PAYLOAD_MAX + 1),
	    -CELL_E_LENGTH);
	obs_tracing(0);
	obs_trace(1, 2, 3, 4); /* tracing off: nothing */
	obs_tracing(1);
	out = capture_end(&c);
	assert_string_equal(out, "");
	free(out);
	assert_int_equal(obs_count(0), 0);
	assert_int_equal(obs_index_hash(), before);

	/* A payload of exactly the limit goes out whole. */
	capture_begin(&c);
	assert_int_equal(obs_emit(OBS_EVENT, payload, OBS_PAYLOAD_MAX), 0);
	out = capture_end(&c);
	parse(out);
	free(out);
	assert_int_equal(seen.n, 1);
	assert_int_equal(record(0).len, OBS_PAYLOAD_MAX);
	assert_int_equal(obs_count(OBS_EVENT), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records_on_the_console_and_the_index),
		cmocka_unit_test(test_refusals_are_not_printed_or_counted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
