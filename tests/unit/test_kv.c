/*
 * The persistent KV store on a RAM device: namespaces, overwrite and
 * delete, every capacity error, compaction, recovery after a reopen and
 * after a torn record, and the two-boot report.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "blk.h"
#include "cellos/errors.h"
#include "kv.h"
#include "testutil.h"

#define AREA 24		/* two halves of 12 blocks: 11 records each */

static uint8_t disk[AREA * HAL_BLOCK_SIZE];
static struct blkdev dev;
static struct kv_store kv;
static const struct region area = { 0, AREA };

static int
fresh(void **state)
{
	(void)state;
	memset(disk, 0, sizeof disk);
	blk_ram(&dev, disk, AREA);
	assert_int_equal(kv_open(&kv, &dev, area), 0);
	return 0;
}

static void
kv_expect(const char *ns, const char *key, const char *want)
{
	char buf[KV_VALUE_MAX + 1];
	int n = kv_get(&kv, ns, key, buf, sizeof buf - 1);

	assert_int_equal(n, (int)strlen(want));
	buf[n] = '\0';
	assert_string_equal(buf, want);
}

static void
test_put_get_namespaces_delete(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(kv_get(&kv, "a", "k", buf, sizeof buf), -CELL_E_NOENT);
	assert_int_equal(kv_put(&kv, "a", "k", "one", 3), 0);
	assert_int_equal(kv_put(&kv, "b", "k", "two", 3), 0);
	kv_expect("a", "k", "one");
	kv_expect("b", "k", "two");
	assert_int_equal(kv_put(&kv, "a", "k", "three", 5), 0);
	kv_expect("a", "k", "three");
	assert_int_equal(kv_get(&kv, "a", "k", buf, 2), -CELL_E_NOSPACE);
	assert_int_equal(kv_delete(&kv, "a", "k"), 0);
	assert_int_equal(kv_get(&kv, "a", "k", buf, sizeof buf), -CELL_E_NOENT);
	assert_int_equal(kv_delete(&kv, "a", "k"), -CELL_E_NOENT);
	assert_int_equal(kv_put(&kv, "", "k", "", 0), 0);	/* empty ns, value */
	kv_expect("", "k", "");
	/* It all survives a reopen. */
	assert_int_equal(kv_open(&kv, &dev, area), 0);
	kv_expect("b", "k", "two");
	kv_expect("", "k", "");
	assert_int_equal(kv_get(&kv, "a", "k", buf, sizeof buf), -CELL_E_NOENT);
}

static void
test_capacity_errors(void **state)
{
	char ns[KV_NS_MAX + 2], key[KV_KEY_MAX + 2];
	static uint8_t value[KV_VALUE_MAX + 1];

	(void)state;
	memset(ns, 'n', sizeof ns - 1);
	ns[sizeof ns - 1] = '\0';
	memset(key, 'k', sizeof key - 1);
	key[sizeof key - 1] = '\0';
	assert_int_equal(kv_put(&kv, ns, "k", "v", 1), -CELL_E_TOOLONG);
	assert_int_equal(kv_put(&kv, "n", key, "v", 1), -CELL_E_TOOLONG);
	assert_int_equal(kv_put(&kv, "n", "", "v", 1), -CELL_E_TOOLONG);
	assert_int_equal(kv_put(&kv, "n", "k", value, KV_VALUE_MAX + 1),
	    -CELL_E_TOOLONG);
	/* Exactly at the limits is fine. */
	ns[KV_NS_MAX] = '\0';
	key[KV_KEY_MAX] = '\0';
	assert_int_equal(kv_put(&kv, ns, key, value, KV_VALUE_MAX), 0);
	/* More live keys than a half can hold: store full. */
	int rc = 0, stored = 1;
	for (int i = 0; i < 40 && rc == 0; i++) {
		char k[8];
		snprintf(k, sizeof k, "k%d", i);
		rc = kv_put(&kv, "n", k, "v", 1);
		stored += rc == 0;
	}
	assert_int_equal(rc, -CELL_E_NOSPACE);
	/* A half of 12 blocks: its header, the live keys, one spare. */
	assert_int_equal(stored, AREA / 2 - 2);
	assert_int_equal(kv.count, (uint32_t)stored);
	/* Full of keys, but an existing one can still be overwritten, again
	 * and again (each time through compaction). */
	for (int i = 0; i < 30; i++)
		assert_int_equal(kv_put(&kv, "n", "k0", "w", 1), 0);
	kv_expect("n", "k0", "w");
}

static void
test_compaction_keeps_latest(void **state)
{
	char v[16];

	(void)state;
	/* 100 overwrites of 3 keys: many compactions into alternate halves. */
	for (int i = 0; i < 100; i++) {
		char k[4] = { 'k', (char)('0' + i % 3), 0 };
		snprintf(v, sizeof v, "value %d", i);
		assert_int_equal(kv_put(&kv, "c", k, v, (uint32_t)strlen(v)), 0);
	}
	assert_true(kv.generation > 10);
	kv_expect("c", "k0", "value 99");
	kv_expect("c", "k1", "value 97");
	kv_expect("c", "k2", "value 98");
	assert_int_equal(kv_open(&kv, &dev, area), 0);
	assert_int_equal(kv.count, 3);
	kv_expect("c", "k1", "value 97");
}

static void
test_recovery_stops_at_a_torn_record(void **state)
{
	uint64_t torn;

	(void)state;
	assert_int_equal(kv_put(&kv, "t", "a", "first", 5), 0);
	assert_int_equal(kv_put(&kv, "t", "b", "second", 6), 0);
	torn = kv.entries[1].block;
	assert_int_equal(kv_put(&kv, "t", "a", "third", 5), 0);
	/* Half of b's block never reached the disk; a's rewrite after it did. */
	memset(disk + torn * HAL_BLOCK_SIZE + 256, 0, 256);
	assert_int_equal(kv_open(&kv, &dev, area), 0);
	kv_expect("t", "a", "first");	/* the scan stops at the torn block */
	char buf[8];
	assert_int_equal(kv_get(&kv, "t", "b", buf, sizeof buf), -CELL_E_NOENT);
	/* And writing goes on from there. */
	assert_int_equal(kv_put(&kv, "t", "b", "again", 5), 0);
	assert_int_equal(kv_open(&kv, &dev, area), 0);
	kv_expect("t", "b", "again");
}

static void
test_boot_report(void **state)
{
	struct capture c;
	char *out;

	(void)state;
	capture_begin(&c);
	assert_int_equal(kv_boot_report(&kv), 0);
	assert_int_equal(kv_open(&kv, &dev, area), 0);
	assert_int_equal(kv_boot_report(&kv), 0);
	out = capture_end(&c);
	assert_string_equal(out, "#I kv boot=1 last=\"(none)\"\n"
	    "#I kv boot=2 last=\"stored by boot 1\"\n");
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_put_get_namespaces_delete, fresh),
		cmocka_unit_test_setup(test_capacity_errors, fresh),
		cmocka_unit_test_setup(test_compaction_keeps_latest, fresh),
		cmocka_unit_test_setup(test_recovery_stops_at_a_torn_record, fresh),
		cmocka_unit_test_setup(test_boot_report, fresh),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
