/*
 * The event codec: a frame built by hand from CONTRACT.md section 2 (u32
 * seq @0, src @4, kind @8, len @12, then len bytes of payload, at most
 * 240), every kind the contract lists and the numbers next to them, the
 * payload limit from both sides, and every decode error in the order the
 * header promises, with *out untouched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "event_codec.h"

/* clang-format off */
static const uint8_t hand_built[] = {
	0x04, 0x03, 0x02, 0x01,	/* seq 0x01020304 */
	0x07, 0x00, 0x00, 0x00,	/* src 7 */
	0x03, 0x00, 0x00, 0x00,	/* kind 3, SERIAL_RX */
	0x02, 0x00, 0x00, 0x00,	/* len 2 */
	'h', 'i',
};
/* clang-format on */

/* The contract's kinds, by number, and their names. */
static const struct {
	uint32_t kind;
	const char *name;
} kinds[] = {
	{ 1, "TIMER" },
	{ 2, "BLOCK_IO" },
	{ 3, "SERIAL_RX" },
	{ 4, "NET_RX" },
	{ 16, "CUSTOM" },
};

static void
test_pack_matches_hand_built_frame(void **state)
{
	struct event e = { .seq = 0x01020304, .src = 7, .kind = 3, .len = 2 };
	uint8_t out[EVENT_FRAME_MAX];

	(void)state;
	e.payload[0] = 'h';
	e.payload[1] = 'i';
	assert_int_equal(event_pack(&e, out, sizeof out), sizeof hand_built);
	assert_memory_equal(out, hand_built, sizeof hand_built);
}

static void
test_unpack_hand_built_frame(void **state)
{
	struct event e;

	(void)state;
	assert_int_equal(event_unpack(hand_built, sizeof hand_built, &e),
	    sizeof hand_built);
	assert_int_equal(e.seq, 0x01020304);
	assert_int_equal(e.src, 7);
	assert_int_equal(e.kind, 3);
	assert_int_equal(e.len, 2);
	assert_memory_equal(e.payload, "hi", 2);
}

static void
test_every_contract_kind_and_no_other(void **state)
{
	static const uint32_t unknown[] = { 0, 5, 15, 17, 0xFFFFFFFFu };
	uint8_t frame[sizeof hand_built];
	struct event e;

	(void)state;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		struct event in = { .seq = 1, .kind = kinds[i].kind };

		assert_true(event_kind_known(kinds[i].kind));
		assert_string_equal(event_kind_name(kinds[i].kind),
		    kinds[i].name);
		assert_int_equal(event_pack(&in, frame, sizeof frame),
		    EVENT_HDR_SIZE);
		assert_int_equal(event_unpack(frame, EVENT_HDR_SIZE, &e),
		    EVENT_HDR_SIZE);
		assert_int_equal(e.kind, kinds[i].kind);
	}
	for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
		struct event in = { .kind = unknown[i] };

		assert_false(event_kind_known(unknown[i]));
		assert_string_equal(event_kind_name(unknown[i]), "?");
		assert_int_equal(event_pack(&in, frame, sizeof frame),
		    -CELL_E_RANGE);
		memcpy(frame, hand_built, sizeof frame);
		le32_store(frame + 8, unknown[i]);
		assert_int_equal(event_unpack(frame, sizeof frame, &e),
		    -CELL_E_RANGE);
	}
}

static void
test_payload_limit_from_both_sides(void **state)
{
	static struct event in, e;
	static uint8_t frame[EVENT_FRAME_MAX + 1];

	(void)state;
	in.kind = 16;
	in.len = 240;
	for (uint32_t i = 0; i < 240; i++)
		in.payload[i] = (uint8_t)(i * 7 + 1);
	assert_int_equal(event_pack(&in, frame, EVENT_HDR_SIZE + 240), 256);
	assert_int_equal(event_unpack(frame, 256, &e), 256);
	assert_int_equal(e.len, 240);
	assert_memory_equal(e.payload, in.payload, 240);
	/* One byte of room too few. */
	assert_int_equal(event_pack(&in, frame, EVENT_HDR_SIZE + 239),
	    -CELL_E_NOSPACE);
	assert_int_equal(event_pack(&in, NULL, 0), -CELL_E_NOSPACE);

	in.len = 241;
	assert_int_equal(event_pack(&in, frame, sizeof frame), -CELL_E_LENGTH);
	frame[12] = 241; /* a header claiming 241 bytes, with all of them */
	assert_int_equal(event_unpack(frame, EVENT_HDR_SIZE + 241, &e),
	    -CELL_E_LENGTH);
}

static void
test_each_decode_error_leaves_out_alone(void **state)
{
	static const struct {
		size_t size;
		uint8_t len;
		uint8_t kind;
		int want;
	} cases[] = {
		{ 0, 2, 3, -CELL_E_TRUNCATED },  /* no header */
		{ 15, 2, 3, -CELL_E_TRUNCATED }, /* header short by a byte */
		{ 17, 2, 3, -CELL_E_TRUNCATED }, /* payload short by a byte */
		{ 19, 2, 3, -CELL_E_LENGTH },    /* a byte left over */
		{ 16, 0, 3, 16 },                /* an empty payload */
		{ 17, 2, 9, -CELL_E_TRUNCATED }, /* truncation before kind */
		{ 18, 2, 9, -CELL_E_RANGE },
	};
	uint8_t frame[sizeof hand_built + 1] = { 0 };
	struct event e, before;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memcpy(frame, hand_built, sizeof hand_built);
		frame[12] = cases[i].len;
		frame[8] = cases[i].kind;
		memset(&e, 0xEE, sizeof e);
		before = e;
		assert_int_equal(event_unpack(frame, cases[i].size, &e),
		    cases[i].want);
		if (cases[i].want < 0)
			assert_memory_equal(&e, &before, sizeof e);
	}
	assert_int_equal(event_unpack(NULL, 16, &e), -CELL_E_TRUNCATED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pack_matches_hand_built_frame),
		cmocka_unit_test(test_unpack_hand_built_frame),
		cmocka_unit_test(test_every_contract_kind_and_no_other),
		cmocka_unit_test(test_payload_limit_from_both_sides),
		cmocka_unit_test(test_each_decode_error_leaves_out_alone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
