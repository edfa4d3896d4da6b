/*
 * The dual-strand updater on a RAM device: state records and every refusal
 * (bad hash, bad MAC, rollback, truncated record, out-of-range length),
 * forward-only writes with the newest record winning after the log wraps,
 * the revert of a strand that is never confirmed, and E7 giving the same
 * values twice in one process. Expected digests come from OpenSSL over the
 * bytes written.
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "blk.h"
#include "byteorder.h"
#include "cellos/errors.h"
#include "proof.h"
#include "proof_steps.h"
#include "testutil.h"
#include "trust.h"
#include "update.h"

#define AREA_BLOCKS \
	(2 * STRAND_BLOCKS + UPDATE_LOG_SLOTS + 2) /* + E7's key set */

static uint8_t disk[AREA_BLOCKS * HAL_BLOCK_SIZE];
static struct blkdev dev;
static struct updater u;
static const struct region area = { 0, AREA_BLOCKS };
static uint8_t image[STRAND_BLOCKS * HAL_BLOCK_SIZE];

static int
fresh(void **state)
{
	(void)state;
	memset(disk, 0xA5, sizeof disk); /* junk, as on a used disk */
	blk_ram(&dev, disk, AREA_BLOCKS);
	trust_reset();
	assert_int_equal(update_format(&dev, area), 0);
	assert_int_equal(update_open(&u, &dev, area), 0);
	return 0;
}

static void
make(uint32_t seed, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++)
		image[i] = (uint8_t)(i * seed + seed);
}

static uint32_t
openssl_le32(const uint8_t *p, size_t n)
{
	uint8_t d[32];

	SHA256(p, n, d);
	return (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 |
	    (uint32_t)d[3] << 24;
}

static void
test_install_confirm_update(void **state)
{
	uint32_t sha;

	(void)state;
	assert_int_equal(update_boot(&u), -CELL_E_NOENT); /* nothing yet */
	make(3, 3000);
	assert_int_equal(update_install(&u, image, 3000, 1), 0);
	assert_int_equal(u.st.preferred, 0);
	assert_true(u.st.pending);
	assert_int_equal(update_boot(&u), 0);
	assert_true(u.st.attempted);
	assert_int_equal(update_confirm(&u), 0);
	assert_int_equal(u.st.floor, 1);
	assert_int_equal(update_strand_sha(&u, 0, &sha, NULL), 0);
	assert_int_equal(sha, openssl_le32(image, 3000));
	/* The image sits at the start of strand A, byte for byte. */
	assert_memory_equal(disk, image, 3000);

	make(5, 3500);
	assert_int_equal(update_install(&u, image, 3500, 2), 0);
	assert_int_equal(u.st.preferred, 1);
	assert_memory_equal(disk + STRAND_BLOCKS * HAL_BLOCK_SIZE, image, 3500);
	assert_int_equal(update_boot(&u), 1);
	assert_int_equal(update_confirm(&u), 0);
	assert_int_equal(update_strand_sha(&u, 1, &sha, NULL), 0);
	assert_int_equal(sha, openssl_le32(image, 3500));

	/* A verified read hands over the image's bytes and not one more. */
	static uint8_t out[3500 + 1];
	out[3500] = 0x5A;
	assert_int_equal(update_strand_sha(&u, 1, &sha, out), 0);
	assert_memory_equal(out, image, 3500);
	assert_int_equal(out[3500], 0x5A);
}

static void
test_refusals(void **state)
{
	(void)state;
	make(3, 100);
	assert_int_equal(update_install(&u, image, 0, 1), -CELL_E_LENGTH);
	assert_int_equal(update_install(&u, image,
			     STRAND_BLOCKS * HAL_BLOCK_SIZE + 1, 1),
	    -CELL_E_LENGTH);
	assert_int_equal(update_install(&u, image, 100, 4), 0);
	assert_int_equal(update_install(&u, image, 100, 5), -CELL_E_BUSY);
	assert_int_equal(update_boot(&u), 0);
	assert_int_equal(update_confirm(&u), 0);
	/* At or below the confirmed version: refused, nothing written. */
	uint64_t seq = u.st.seq;
	assert_int_equal(update_install(&u, image, 100, 4), -CELL_E_ROLLBACK);
	assert_int_equal(update_install(&u, image, 100, 2), -CELL_E_ROLLBACK);
	assert_int_equal(u.st.seq, seq);

	/* The strand's bytes change on disk: bad hash. */
	disk[10] ^= 1;
	assert_int_equal(update_verify(&u, 0, NULL), -CELL_E_BADHASH);
	disk[10] ^= 1;
	assert_int_equal(update_verify(&u, 0, NULL), 0);
	/* The trailer's MAC does not match: bad MAC. */
	u.st.strand[0].mac[0] ^= 1;
	assert_int_equal(update_verify(&u, 0, NULL), -CELL_E_BADMAC);
	u.st.strand[0].mac[0] ^= 1;
	assert_int_equal(update_verify(&u, 1, NULL), -CELL_E_NOENT);
	assert_int_equal(update_verify(&u, UPDATE_STRANDS, NULL),
	    -CELL_E_NOENT);
}

/* The largest image, a whole strand, installs, verifies and reads back. */
static void
test_whole_strand_image(void **state)
{
	static uint8_t out[STRAND_BYTES];
	uint32_t sha;

	(void)state;
	make(7, STRAND_BYTES);
	assert_int_equal(update_install(&u, image, STRAND_BYTES, 1), 0);
	assert_int_equal(update_boot(&u), 0);
	assert_int_equal(update_strand_sha(&u, 0, &sha, out), 0);
	assert_int_equal(sha, openssl_le32(image, STRAND_BYTES));
	assert_memory_equal(out, image, STRAND_BYTES);
}

static void
test_record_refusals(void **state)
{
	uint8_t block[HAL_BLOCK_SIZE], bad[HAL_BLOCK_SIZE];
	struct update_state st, back;

	(void)state;
	memset(&st, 0, sizeof st);
	st.seq = 9;
	st.preferred = 1;
	st.floor = 3;
	st.strand[1].valid = 1;
	st.strand[1].version = 3;
	st.strand[1].length = 1234;
	update_record_encode(&st, block);
	assert_int_equal(update_record_decode(block, &back), 0);
	assert_int_equal(back.seq, 9);
	assert_int_equal(back.strand[1].length, 1234);

	memcpy(bad, block, sizeof bad);
	bad[0] ^= 1;
	assert_int_equal(update_record_decode(bad, &back), -CELL_E_MAGIC);
	memcpy(bad, block, sizeof bad);
	bad[4] = 2;
	assert_int_equal(update_record_decode(bad, &back), -CELL_E_VERSION);
	/* A torn record: the second half of the block never arrived. */
	memcpy(bad, block, sizeof bad);
	memset(bad + 100, 0, sizeof bad - 100);
	assert_int_equal(update_record_decode(bad, &back), -CELL_E_CRC);
	/* A record re-CRC'd without the device key: bad MAC. */
	memcpy(bad, block, sizeof bad);
	bad[16] = 0; /* prefer strand 0 */
	le32_store(bad + 216, 0);
	{
		/* CRC32C by the independent bitwise definition */
		uint32_t c = 0xFFFFFFFFu;
		for (int i = 0; i < 216; i++) {
			c ^= bad[i];
			for (int b = 0; b < 8; b++)
				c = (c >> 1) ^ (0x82F63B78u & (0u - (c & 1)));
		}
		le32_store(bad + 216, ~c);
	}
	assert_int_equal(update_record_decode(bad, &back), -CELL_E_BADMAC);
	/* A length out of range, properly signed: refused as out of range. */
	st.strand[1].length = STRAND_BLOCKS * HAL_BLOCK_SIZE + 1;
	update_record_encode(&st, bad);
	assert_int_equal(update_record_decode(bad, &back), -CELL_E_RANGE);
	/* Junk after the CRC: not canonical, refused. */
	memcpy(bad, block, sizeof bad);
	bad[400] = 1;
	assert_int_equal(update_record_decode(bad, &back), -CELL_E_RANGE);
}

/*
 * Every field of a state record where the layout in update.c's comment and
 * docs/STORAGE.md put it, read back at offsets written out here by hand;
 * the MAC recomputed with OpenSSL under the device key, the CRC by the
 * bitwise definition.
 */
static void
test_record_layout_by_hand(void **state)
{
	uint8_t block[HAL_BLOCK_SIZE], key[32], mac[32];
	struct update_state st;
	unsigned int mac_len = 0;
	uint32_t c = 0xFFFFFFFFu;

	(void)state;
	memset(&st, 0, sizeof st);
	st.seq = 0x0102030405060708ull;
	st.preferred = 1;
	st.pending = 1;
	st.attempted = 0;
	st.floor = 0x11223344u;
	for (int s = 0; s < UPDATE_STRANDS; s++) {
		st.strand[s].valid = 1;
		st.strand[s].version = 0xA0u + (uint32_t)s;
		st.strand[s].length = 100u + (uint32_t)s;
		for (int i = 0; i < 32; i++) {
			st.strand[s].sha256[i] = (uint8_t)(0x40 + 32 * s + i);
			st.strand[s].mac[i] = (uint8_t)(0x80 + 32 * s + i);
		}
	}
	update_record_encode(&st, block);
	assert_int_equal(le32_load(block + 0), 0x52445055u); /* "UPDR" */
	assert_memory_equal(block, "UPDR", 4);
	assert_int_equal(le32_load(block + 4), 1);
	assert_true(le64_load(block + 8) == 0x0102030405060708ull);
	assert_int_equal(le32_load(block + 16), 1);
	assert_int_equal(le32_load(block + 20), 1);
	assert_int_equal(le32_load(block + 24), 0);
	assert_int_equal(le32_load(block + 28), 0x11223344u);
	for (int s = 0; s < UPDATE_STRANDS; s++) {
		const uint8_t *t = block + 32 + 76 * s;

		assert_int_equal(le32_load(t + 0), 1);
		assert_int_equal(le32_load(t + 4), 0xA0u + (uint32_t)s);
		assert_int_equal(le32_load(t + 8), 100u + (uint32_t)s);
		assert_memory_equal(t + 12, st.strand[s].sha256, 32);
		assert_memory_equal(t + 44, st.strand[s].mac, 32);
	}
	update_device_key(key);
	HMAC(EVP_sha256(), key, sizeof key, block, 184, mac, &mac_len);
	assert_int_equal(mac_len, 32);
	assert_memory_equal(block + 184, mac, 32);
	for (int i = 0; i < 216; i++) {
		c ^= block[i];
		for (int b = 0; b < 8; b++)
			c = (c >> 1) ^ (0x82F63B78u & (0u - (c & 1)));
	}
	assert_int_equal(le32_load(block + 216), ~c);
	for (unsigned i = 220; i < HAL_BLOCK_SIZE; i++)
		assert_int_equal(block[i], 0);
}

static void
test_forward_only_and_wrap(void **state)
{
	static uint8_t before[AREA_BLOCKS * HAL_BLOCK_SIZE];
	struct updater again;

	(void)state;
	make(7, 600);
	/* Many state changes: the log wraps several times. */
	for (uint32_t v = 1; v <= 3 * UPDATE_LOG_SLOTS; v++) {
		uint64_t seq = u.st.seq;
		memcpy(before, disk, sizeof disk);
		assert_int_equal(update_install(&u, image, 600, v), 0);
		assert_int_equal(update_boot(&u), (int)u.st.preferred);
		assert_int_equal(update_confirm(&u), 0);
		/* No slot but the ones for the new records changed in the log. */
		unsigned changed = 0;
		for (unsigned s = 0; s < UPDATE_LOG_SLOTS; s++) {
			size_t off = (2 * STRAND_BLOCKS + s) * HAL_BLOCK_SIZE;
			changed += memcmp(before + off, disk + off,
				       HAL_BLOCK_SIZE) != 0;
		}
		assert_int_equal(changed, u.st.seq - seq);
	}
	assert_int_equal(update_open(&again, &dev, area), 0);
	assert_int_equal(again.st.seq, u.st.seq);
	assert_int_equal(again.st.floor, 3 * UPDATE_LOG_SLOTS);
	assert_int_equal(again.st.preferred, u.st.preferred);
}

static void
test_unconfirmed_strand_is_reverted(void **state)
{
	(void)state;
	make(3, 900);
	assert_int_equal(update_install(&u, image, 900, 1), 0);
	assert_int_equal(update_boot(&u), 0);
	assert_int_equal(update_confirm(&u), 0);
	make(4, 900);
	assert_int_equal(update_install(&u, image, 900, 2), 0);
	assert_int_equal(update_boot(&u), 1); /* tried once */
	/* A "reboot" that never confirmed: read the state back, boot again. */
	assert_int_equal(update_open(&u, &dev, area), 0);
	assert_int_equal(update_boot(&u), 0); /* reverted */
	assert_false(u.st.strand[1].valid);
	assert_int_equal(u.st.floor, 1);
	/* The preferred strand fails to verify: the other one boots. */
	make(5, 900);
	assert_int_equal(update_install(&u, image, 900, 3), 0);
	assert_int_equal(update_boot(&u), 1);
	assert_int_equal(update_confirm(&u), 0);
	disk[STRAND_BLOCKS * HAL_BLOCK_SIZE + 5] ^= 0x40;
	assert_int_equal(update_boot(&u), 0);
	assert_int_equal(u.st.preferred, 0);
}

static void
test_e7_is_the_same_twice(void **state)
{
	struct capture c;
	char *first, *second;

	static const uint8_t no_phenotype[32];
	/* No inbox: the RAM scenario a fallback boot runs. */
	const struct proof_media media = { &dev, area, { 0, 0 } };

	(void)state;
	proof_reset();
	proof_expect_phenotype(no_phenotype); /* no ledger: values only */
	capture_begin(&c);
	assert_int_equal(proof_e7_update(&media), 0);
	first = capture_end(&c);
	capture_begin(&c);
	assert_int_equal(proof_e7_update(&media), 0);
	second = capture_end(&c);
	assert_non_null(strstr(first, "#E7 UPD proof: old_sha="));
	assert_string_equal(strstr(first, "#E7"), strstr(second, "#E7"));
	free(first);
	free(second);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_install_confirm_update, fresh),
		cmocka_unit_test_setup(test_refusals, fresh),
		cmocka_unit_test_setup(test_whole_strand_image, fresh),
		cmocka_unit_test_setup(test_record_refusals, fresh),
		cmocka_unit_test_setup(test_record_layout_by_hand, fresh),
		cmocka_unit_test_setup(test_forward_only_and_wrap, fresh),
		cmocka_unit_test_setup(test_unconfirmed_strand_is_reverted,
		    fresh),
		cmocka_unit_test_setup(test_e7_is_the_same_twice, fresh),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
