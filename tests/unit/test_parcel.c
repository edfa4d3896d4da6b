/*
 * The parcel codec: frames built by hand from CONTRACT.md section 2, every
 * decode error, and the MAC trailer (checked against OpenSSL's HMAC).
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "byteorder.h"
#include "cellos/errors.h"
#include "ch0.h"
#include "parcel_codec.h"

static const uint8_t test_key[] = "parcel test key";

/* MAC16 with OpenSSL: the codec must put exactly this after the payload. */
static void
openssl_mac16(const void *ctx, const uint8_t *msg, size_t len, uint8_t tag[16])
{
	unsigned char full[32];
	unsigned int n = 0;

	(void)ctx;
	HMAC(EVP_sha256(), test_key, sizeof test_key - 1, msg, len, full, &n);
	memcpy(tag, full, 16);
}

static const struct parcel_mac mac = { openssl_mac16, NULL };

static void
test_encode_matches_hand_built_frame(void **state)
{
	/* clang-format off */
	static const uint8_t expected[] = {
		0x44, 0x33, 0x22, 0x11,	/* channel 0x11223344 */
		0x02, 0x00, 0x00, 0x00,	/* verb 2 */
		0x00, 0x00, 0x00, 0x00,	/* flags 0 */
		0x03, 0x00, 0x00, 0x00,	/* len 3 */
		'a', 'b', 'c',
	};
	/* clang-format on */
	uint8_t out[64];
	int n;

	(void)state;
	n = parcel_encode(out, sizeof out, 0x11223344, 2, 0, "abc", 3, NULL);
	assert_int_equal(n, sizeof expected);
	assert_memory_equal(out, expected, sizeof expected);
}

static void
test_round_trip_every_length_with_and_without_mac(void **state)
{
	static uint8_t payload[PARCEL_PAYLOAD_MAX];
	static uint8_t frame[PARCEL_FRAME_MAX];
	struct parcel p;

	(void)state;
	for (size_t i = 0; i < sizeof payload; i++)
		payload[i] = (uint8_t)(i * 13 + 7);
	for (uint32_t len = 0; len <= PARCEL_PAYLOAD_MAX;
	     len += (len < 80 ? 1 : 97)) {
		for (uint32_t flags = 0; flags <= PARCEL_F_MAC; flags++) {
			int n = parcel_encode(frame, sizeof frame, len, 3,
			    flags, payload, len, &mac);
			assert_int_equal(n, 16 + len + (flags ? 16 : 0));
			assert_int_equal(parcel_decode(frame, (size_t)n, &p,
					     &mac),
			    n);
			assert_int_equal(p.channel_id, len);
			assert_int_equal(p.verb, 3);
			assert_int_equal(p.flags, flags);
			assert_int_equal(p.len, len);
			assert_memory_equal(p.payload, payload, len);
			if (flags) {
				uint8_t tag[16];
				openssl_mac16(NULL, frame, 16 + len, tag);
				assert_ptr_equal(p.mac, frame + 16 + len);
				assert_memory_equal(p.mac, tag, 16);
			} else {
				assert_null(p.mac);
			}
		}
	}
}

static void
test_decode_errors(void **state)
{
	uint8_t frame[64];
	struct parcel p = { .channel_id = 0xAAAA };
	int n;

	(void)state;
	n = parcel_encode(frame, sizeof frame, 1, 1, 0, "hello", 5, NULL);
	assert_int_equal(n, 21);
	/* Shorter than a header, then shorter than the frame. */
	for (int cut = 0; cut < n; cut++)
		assert_int_equal(parcel_decode(frame, (size_t)cut, &p, NULL),
		    -CELL_E_TRUNCATED);
	/* One byte too many: a length mismatch, but fine as a prefix. */
	assert_int_equal(parcel_decode(frame, (size_t)n + 1, &p, NULL),
	    -CELL_E_LENGTH);
	assert_int_equal(parcel_decode_prefix(frame, (size_t)n + 1, &p, NULL),
	    n);
	/* Every unknown flag bit. */
	for (int bit = 1; bit < 32; bit++) {
		uint8_t f[64];
		memcpy(f, frame, (size_t)n);
		le32_store(f + 8, 1u << bit);
		assert_int_equal(parcel_decode(f, (size_t)n, &p, NULL),
		    -CELL_E_FLAGS);
	}
	/* A length over the maximum is refused before anything is read. */
	le32_store(frame + 12, PARCEL_PAYLOAD_MAX + 1);
	assert_int_equal(parcel_decode(frame, sizeof frame, &p, NULL),
	    -CELL_E_LENGTH);
	le32_store(frame + 12, 0xFFFFFFFFu);
	p.channel_id = 0xAAAA;
	assert_int_equal(parcel_decode(frame, sizeof frame, &p, NULL),
	    -CELL_E_LENGTH);
	/* On error the output is untouched. */
	assert_int_equal(p.channel_id, 0xAAAA);
	assert_int_equal(parcel_decode(NULL, 100, &p, NULL), -CELL_E_TRUNCATED);
}

static void
test_mac_errors(void **state)
{
	uint8_t frame[64];
	struct parcel p;
	int n;

	(void)state;
	n = parcel_encode(frame, sizeof frame, 7, 1, PARCEL_F_MAC, "data", 4,
	    &mac);
	assert_int_equal(n, 36);
	/* No key to check it with: refused, not accepted unchecked. */
	assert_int_equal(parcel_decode(frame, (size_t)n, &p, NULL),
	    -CELL_E_BADMAC);
	/* Every single bit of the frame, flipped, is rejected. */
	for (int bit = 0; bit < n * 8; bit++) {
		frame[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		int r = parcel_decode(frame, (size_t)n, &p, &mac);
		frame[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		assert_true(r < 0);
	}
	assert_int_equal(parcel_decode(frame, (size_t)n, &p, &mac), n);
}

/* The frame size for a payload, at and past each limit. */
static void
test_frame_size_at_the_limits(void **state)
{
	static uint8_t payload[PARCEL_PAYLOAD_MAX];
	static uint8_t frame[PARCEL_FRAME_MAX];
	struct parcel p;

	(void)state;
	assert_int_equal(parcel_frame_size(0, 0), 16);
	assert_int_equal(parcel_frame_size(0, PARCEL_F_MAC), 32);
	assert_int_equal(parcel_frame_size(PARCEL_PAYLOAD_MAX, 0),
	    16 + PARCEL_PAYLOAD_MAX);
	assert_int_equal(parcel_frame_size(PARCEL_PAYLOAD_MAX, PARCEL_F_MAC),
	    PARCEL_FRAME_MAX);
	assert_int_equal(parcel_frame_size(PARCEL_PAYLOAD_MAX + 1, 0), 0);
	assert_int_equal(parcel_frame_size(1, 2), 0); /* an unknown flag */
	/* The largest payload, MACed: exactly the largest frame, both ways. */
	memset(payload, 0x6B, sizeof payload);
	assert_int_equal(parcel_encode(frame, sizeof frame, 9, 3, PARCEL_F_MAC,
			     payload, PARCEL_PAYLOAD_MAX, &mac),
	    PARCEL_FRAME_MAX);
	assert_int_equal(parcel_decode(frame, sizeof frame, &p, &mac),
	    PARCEL_FRAME_MAX);
	assert_int_equal(p.len, PARCEL_PAYLOAD_MAX);
}

static void
test_encode_errors(void **state)
{
	uint8_t out[64];

	(void)state;
	assert_int_equal(parcel_encode(out, sizeof out, 0, 1, 2, "x", 1, NULL),
	    -CELL_E_FLAGS);
	assert_int_equal(parcel_encode(out, sizeof out, 0, 1, 0, "x",
			     PARCEL_PAYLOAD_MAX + 1, NULL),
	    -CELL_E_LENGTH);
	assert_int_equal(parcel_encode(out, sizeof out, 0, 1, PARCEL_F_MAC, "x",
			     1, NULL),
	    -CELL_E_INVAL);
	assert_int_equal(parcel_encode(out, sizeof out, 0, 1, 0, NULL, 1, NULL),
	    -CELL_E_INVAL);
	assert_int_equal(parcel_encode(out, 16, 0, 1, 0, "x", 1, NULL),
	    -CELL_E_NOSPACE);
	assert_int_equal(parcel_encode(out, 17, 0, 1, 0, "x", 1, NULL), 17);
}

static void
test_channel0_framing(void **state)
{
	uint8_t frame[64], back[64];
	char line[160];
	size_t bad = 0;
	int n, m;

	(void)state;
	n = ch0_log_parcel(frame, sizeof frame, "hi", 2);
	assert_int_equal(n, 18);
	m = ch0_hex_line(line, sizeof line, frame, (size_t)n);
	assert_string_equal(line, "#P 000000000100000000000000020000006869\n");
	assert_int_equal(m, (int)strlen(line));
	assert_int_equal(ch0_hex_decode(line + 3, (size_t)m - 4, back,
			     sizeof back, &bad),
	    n);
	assert_memory_equal(back, frame, (size_t)n);
	assert_int_equal(ch0_hex_decode("abc", 3, back, sizeof back, &bad),
	    -CELL_E_LENGTH);
	assert_int_equal(ch0_hex_decode("00AB", 4, back, sizeof back, &bad),
	    -CELL_E_RANGE);
	assert_int_equal(bad, 2);
	assert_int_equal(ch0_hex_decode("0011", 4, back, 1, &bad),
	    -CELL_E_NOSPACE);
	assert_int_equal(ch0_hex_line(line, 10, frame, (size_t)n),
	    -CELL_E_NOSPACE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_matches_hand_built_frame),
		cmocka_unit_test(
		    test_round_trip_every_length_with_and_without_mac),
		cmocka_unit_test(test_decode_errors),
		cmocka_unit_test(test_mac_errors),
		cmocka_unit_test(test_frame_size_at_the_limits),
		cmocka_unit_test(test_encode_errors),
		cmocka_unit_test(test_channel0_framing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
