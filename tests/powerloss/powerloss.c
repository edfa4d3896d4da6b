/*
 * powerloss: cut the power at every write of an update sequence, of a
 * sequence of KV puts and of a sequence of atomic two-key KV puts, in four
 * ways, "reboot" on what reached the disk, and check what must survive.
 *
 *   cut      the N-th write never happens, nor anything after it
 *   torn     the N-th write lands half: its first 256 bytes, not the rest
 *   drop     writes are cached until a flush; at the cut every write not
 *            yet flushed is lost
 *   reorder  writes are cached until a flush; at the cut every other write
 *            not yet flushed lands, newest first (so an older write to a
 *            block can land after a newer one)
 *
 * After each cut: the update area opens; if it prefers a strand, that
 * strand verifies (hash and MAC); the boot decision yields a verified
 * strand whenever an install was acknowledged, and never one older than the
 * last acknowledged confirmation. The KV store opens; every acknowledged put
 * reads back with its value (or, for the one put in flight, with the new
 * value or the old one, never anything else), and no key that was never
 * written appears. The two-key puts (kv_put_many of p/a and p/b, between
 * single puts that move the store through compactions) read back both old
 * or both new, never one of each. After every KV cut, the store has moved
 * on: a second open reports no damage and reads the same, and a put after
 * it reads back after a third. The device's update flow (the key set
 * created, the inbox's rotation applied, its package installed and tried,
 * confirmed, the counter raised): the key set opens, is never created
 * again once acknowledged, is the root's or the rotated one, keeps every
 * acknowledged step, its counter never rises before the confirm is on the
 * disk, and the next boot's update step gets through and leaves the counter
 * at the confirmed floor. Prints the cut points per mode and the
 * failures; exits 1 on any failure.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blk.h"
#include "cellos/errors.h"
#include "cellos_root_key.h"
#include "disk.h"
#include "hosted.h"
#include "inbox.h"
#include "keystore.h"
#include "kv.h"
#include "trust.h"
#include "update.h"

enum mode { MODE_CUT, MODE_TORN, MODE_DROP, MODE_REORDER, MODES };
static const char *const mode_names[MODES] = { "cut", "torn", "drop",
	"reorder" };

#define DISK_BLOCKS   (2 * STRAND_BLOCKS + UPDATE_LOG_SLOTS)
#define DEVICE_BLOCKS 64 /* the flow's key set, genome area and inbox */
#define CACHE_MAX     256

struct device {
	uint8_t stable[DEVICE_BLOCKS * HAL_BLOCK_SIZE];
	enum mode mode;
	uint64_t cut_at; /* the write that loses power; 0: never */
	uint64_t writes;
	int dead;
	size_t cached;
	struct {
		uint64_t lba;
		uint8_t data[HAL_BLOCK_SIZE];
	} cache[CACHE_MAX];
};

static struct device d;
static unsigned failures;

static int
dev_read(void *ctx, uint64_t lba, void *buf, uint32_t count)
{
	(void)ctx;
	if (d.dead)
		return -CELL_E_IO;
	memcpy(buf, d.stable + lba * HAL_BLOCK_SIZE,
	    (size_t)count * HAL_BLOCK_SIZE);
	/* The device's cache is what a read sees. */
	for (size_t i = 0; i < d.cached; i++) {
		if (d.cache[i].lba >= lba && d.cache[i].lba < lba + count)
			memcpy((uint8_t *)buf +
				(d.cache[i].lba - lba) * HAL_BLOCK_SIZE,
			    d.cache[i].data, HAL_BLOCK_SIZE);
	}
	return 0;
}

static void
commit(size_t i)
{
	memcpy(d.stable + d.cache[i].lba * HAL_BLOCK_SIZE, d.cache[i].data,
	    HAL_BLOCK_SIZE);
}

static void
power_off(const uint8_t *block, uint64_t lba)
{
	switch (d.mode) {
	case MODE_TORN:
		memcpy(d.stable + lba * HAL_BLOCK_SIZE, block,
		    HAL_BLOCK_SIZE / 2);
		break;
	case MODE_REORDER:
		for (size_t i = d.cached; i-- > 0;) {
			if (i % 2 == 0)
				commit(i);
		}
		break;
	default:
		break; /* cut, drop: nothing more lands */
	}
	d.cached = 0;
	d.dead = 1;
}

static int
dev_write(void *ctx, uint64_t lba, const void *buf, uint32_t count)
{
	const uint8_t *src = buf;

	(void)ctx;
	for (uint32_t b = 0; b < count; b++, lba++, src += HAL_BLOCK_SIZE) {
		if (d.dead)
			return -CELL_E_IO;
		if (++d.writes == d.cut_at) {
			power_off(src, lba);
			return -CELL_E_IO;
		}
		if (d.mode == MODE_DROP || d.mode == MODE_REORDER) {
			if (d.cached == CACHE_MAX) {
				commit(
				    0); /* the cache writes back its oldest */
				memmove(&d.cache[0], &d.cache[1],
				    (CACHE_MAX - 1) * sizeof d.cache[0]);
				d.cached--;
			}
			d.cache[d.cached].lba = lba;
			memcpy(d.cache[d.cached].data, src, HAL_BLOCK_SIZE);
			d.cached++;
		} else {
			memcpy(d.stable + lba * HAL_BLOCK_SIZE, src,
			    HAL_BLOCK_SIZE);
		}
	}
	return 0;
}

static int
dev_flush(void *ctx)
{
	(void)ctx;
	if (d.dead)
		return -CELL_E_IO;
	for (size_t i = 0; i < d.cached; i++)
		commit(i);
	d.cached = 0;
	return 0;
}

static struct blkdev blkdev = { DEVICE_BLOCKS, dev_read, dev_write, dev_flush,
	NULL };

static void
fresh_device(enum mode mode, uint64_t cut_at)
{
	memset(&d, 0, sizeof d);
	d.mode = mode;
	d.cut_at = cut_at;
}

/* After the cut: the machine comes back on with only the stable bytes. */
static void
reboot(void)
{
	d.dead = 0;
	d.cached = 0;
	d.cut_at = 0;
	d.mode = MODE_CUT;
}

static void
failure(const char *what, enum mode mode, uint64_t n, const char *detail)
{
	printf("FAIL: %s, %s at write %llu: %s\n", what, mode_names[mode],
	    (unsigned long long)n, detail);
	failures++;
}

/* ---- the update sequence ---- */

#define VERSIONS 6

static uint8_t image[STRAND_BLOCKS * HAL_BLOCK_SIZE];

static uint32_t
make_image(uint32_t version)
{
	uint32_t len = 500 + 550 * version; /* up to 3800 of 4096 */

	for (uint32_t i = 0; i < len; i++)
		image[i] = (uint8_t)(i * (version + 3) + version);
	return len;
}

struct update_acks {
	int installed;      /* an install returned 0 */
	uint32_t confirmed; /* highest version whose confirm returned 0 */
};

/* Install and confirm versions 1..VERSIONS, skipping no step. */
static void
update_sequence(struct update_acks *acks)
{
	static struct updater u;
	struct region area = { 0, DISK_BLOCKS };

	if (update_format(&blkdev, area) < 0 ||
	    update_open(&u, &blkdev, area) < 0)
		return;
	for (uint32_t v = 1; v <= VERSIONS; v++) {
		uint32_t len = make_image(v);
		if (update_install(&u, image, len, v) < 0)
			return;
		acks->installed = 1;
		if (update_boot(&u) < 0 || update_confirm(&u) < 0)
			return;
		acks->confirmed = v;
	}
}

static void
check_update(enum mode mode, uint64_t n, const struct update_acks *acks)
{
	static struct updater u;
	struct region area = { 0, DISK_BLOCKS };
	uint32_t p;
	int s;

	if (update_open(&u, &blkdev, area) < 0) {
		failure("update", mode, n, "the area does not open");
		return;
	}
	p = u.st.preferred;
	if (p != STRAND_NONE && update_verify(&u, p, NULL) != 0)
		failure("update", mode, n,
		    "the preference points at a strand "
		    "that does not verify");
	s = update_boot(&u);
	if (acks->installed && s < 0)
		failure("update", mode, n,
		    "an install was acknowledged but no "
		    "strand boots");
	if (s >= 0 && update_verify(&u, (uint32_t)s, NULL) != 0)
		failure("update", mode, n,
		    "the strand chosen to boot does not "
		    "verify");
	if (s >= 0 && u.st.strand[s].version < acks->confirmed)
		failure("update", mode, n,
		    "the booted strand is older than the "
		    "last acknowledged confirmation");
}

/* ---- the device's update flow: key set, rotation, install, trial, confirm ---- */

/*
 * On one device: the key set at blocks 0 and 1, a genome area after it,
 * the inbox after that. The inbox holds the build's proof rotation
 * statement (key 0 -> 1) and package (counter 2, by key 0), placed before
 * the power goes on (not counted as writes).
 */
#define FLOW_KEYS   0
#define FLOW_GENOME ((struct region){ 2, UPDATE_AREA_BLOCKS })
#define FLOW_INBOX \
	((struct region){ 2 + UPDATE_AREA_BLOCKS, INBOX_ROTATION + 1 })
_Static_assert(2 + UPDATE_AREA_BLOCKS + INBOX_ROTATION + 1 <= DEVICE_BLOCKS,
    "the flow fits the device");

extern const uint8_t hosted_proof_package[], hosted_proof_package_end[];
extern const uint8_t hosted_proof_rotation[], hosted_proof_rotation_end[];
static const uint8_t flow_root[32] = CELLOS_ROOT_PUBKEY;

struct flow_acks {
	int created;   /* keystore_open created the set */
	int processed; /* inbox_process returned 0 */
	int confirmed; /* inbox_confirm returned 0 */
};

static void
flow_setup(void)
{
	struct region in = FLOW_INBOX;

	memcpy(d.stable + (in.start + INBOX_UPDATE) * HAL_BLOCK_SIZE,
	    hosted_proof_package,
	    (size_t)(hosted_proof_package_end - hosted_proof_package));
	memcpy(d.stable + (in.start + INBOX_ROTATION) * HAL_BLOCK_SIZE,
	    hosted_proof_rotation,
	    (size_t)(hosted_proof_rotation_end - hosted_proof_rotation));
}

static void
flow_sequence(struct flow_acks *acks)
{
	static struct keystore k;
	static struct updater u;

	if (update_format(&blkdev, FLOW_GENOME) < 0 ||
	    keystore_open(&k, &blkdev, FLOW_KEYS, 0, flow_root) < 0)
		return;
	acks->created = 1;
	if (update_open(&u, &blkdev, FLOW_GENOME) < 0 ||
	    inbox_process(&blkdev, FLOW_INBOX, &u, &k) < 0)
		return;
	acks->processed = 1;
	if (inbox_confirm(&u, &k) < 0)
		return;
	acks->confirmed = 1;
}

static void
check_flow(enum mode mode, uint64_t n, const struct flow_acks *acks)
{
	static struct keystore k;
	static struct updater u;
	const struct keyset *ks = &k.ks;
	int rotated, rc;

	if ((rc = keystore_open(&k, &blkdev, FLOW_KEYS, 0, flow_root)) < 0) {
		failure("flow", mode, n, "the key set does not open");
		return;
	}
	if (acks->created && k.state == KEYSTORE_CREATED)
		failure("flow", mode, n,
		    "an acknowledged key set was created "
		    "again from the root key");
	rotated = ks->count == 2 && keyset_active(ks)->id == 1 &&
	    ks->statement_version == 1;
	if (!rotated && !(ks->count == 1 && ks->statement_version == 0))
		failure("flow", mode, n,
		    "the key set is neither the root's nor "
		    "the rotated one");
	if (ks->security_counter != 0 && ks->security_counter != 2)
		failure("flow", mode, n,
		    "the security counter is neither 0 nor 2");
	if (acks->processed && !rotated)
		failure("flow", mode, n, "an acknowledged rotation was lost");
	if (acks->confirmed && ks->security_counter != 2)
		failure("flow", mode, n,
		    "an acknowledged confirm did not raise "
		    "the counter");
	if (update_open(&u, &blkdev, FLOW_GENOME) < 0) {
		failure("flow", mode, n, "the genome area does not open");
		return;
	}
	/* The counter rises only after the confirm is on the disk. */
	if (ks->security_counter == 2 && (u.st.floor != 2 || u.st.pending))
		failure("flow", mode, n,
		    "the counter rose before the trial was "
		    "confirmed");
	if (u.st.preferred != STRAND_NONE &&
	    update_verify(&u, u.st.preferred, NULL) != 0)
		failure("flow", mode, n,
		    "the preference points at a strand that "
		    "does not verify");
	/* The next boot runs the flow again and must get through it. */
	if (inbox_process(&blkdev, FLOW_INBOX, &u, &k) < 0 ||
	    inbox_confirm(&u, &k) < 0)
		failure("flow", mode, n,
		    "the boot after the cut cannot run the "
		    "update step");
	else if (k.ks.security_counter != u.st.floor)
		failure("flow", mode, n,
		    "after the next boot the counter is not "
		    "the confirmed floor");
}

/* ---- the KV sequence ---- */

#define KV_AREA 20 /* two halves of 10: compaction every few puts */
#define KV_PUTS 120
#define KV_KEYS 4

struct kv_acks {
	char value[KV_KEYS][16]; /* last acknowledged value, "" for none */
	int flight_key;          /* the put in flight at the cut, or -1 */
	char flight_value[16];
};

static void
kv_sequence(struct kv_acks *acks)
{
	static struct kv_store kv;
	struct region area = { 0, KV_AREA };

	acks->flight_key = -1;
	if (kv_open(&kv, &blkdev, area) < 0)
		return;
	for (int i = 0; i < KV_PUTS; i++) {
		int k = (i * 7) % KV_KEYS;
		char key[4] = { 'k', (char)('0' + k), 0 }, value[16];

		snprintf(value, sizeof value, "v%d", i);
		acks->flight_key = k;
		strcpy(acks->flight_value, value);
		if (kv_put(&kv, "p", key, value, (uint32_t)strlen(value)) < 0)
			return;
		strcpy(acks->value[k], value);
		acks->flight_key = -1;
	}
}

static void
check_kv(enum mode mode, uint64_t n, const struct kv_acks *acks)
{
	static struct kv_store kv;
	struct region area = { 0, KV_AREA };
	char buf[KV_VALUE_MAX + 1], detail[KV_VALUE_MAX + 128];

	if (kv_open(&kv, &blkdev, area) < 0) {
		failure("kv", mode, n, "the store does not open");
		return;
	}
	for (int k = 0; k < KV_KEYS; k++) {
		char key[4] = { 'k', (char)('0' + k), 0 };
		int len = kv_get(&kv, "p", key, buf, sizeof buf - 1);
		int ok;

		if (len >= 0)
			buf[len] = '\0';
		if (acks->value[k][0] == '\0')
			ok = len == -CELL_E_NOENT;
		else
			ok = len >= 0 && strcmp(buf, acks->value[k]) == 0;
		if (!ok && k == acks->flight_key && len >= 0 &&
		    strcmp(buf, acks->flight_value) == 0)
			ok = 1; /* the put in flight made it */
		if (!ok) {
			snprintf(detail, sizeof detail,
			    "key %s reads \"%s\" (%d), "
			    "acknowledged \"%s\"",
			    key, len >= 0 ? buf : "", len, acks->value[k]);
			failure("kv", mode, n, detail);
		}
	}
}

/*
 * The store as the first open after the cut left it must be the store the
 * next open sees, with nothing more to report; and a write after it must
 * survive (nothing dead comes back over it).
 */
static void
check_moved_on(enum mode mode, uint64_t n, const char *what, const char *ns,
    const char *const *keys, int nkeys)
{
	static struct kv_store kv;
	struct region area = { 0, KV_AREA };
	char was[8][KV_VALUE_MAX + 1], buf[KV_VALUE_MAX + 1];
	int len[8];

	if (kv_open(&kv, &blkdev, area) < 0) {
		failure(what, mode, n, "the store does not open");
		return;
	}
	for (int k = 0; k < nkeys; k++) {
		len[k] = kv_get(&kv, ns, keys[k], was[k], KV_VALUE_MAX);
		if (len[k] >= 0)
			was[k][len[k]] = '\0';
	}
	if (kv_open(&kv, &blkdev, area) < 0 || kv.damage != 0) {
		failure(what, mode, n, "a second open reports damage again");
		return;
	}
	for (int k = 0; k < nkeys; k++) {
		int l = kv_get(&kv, ns, keys[k], buf, KV_VALUE_MAX);

		if (l >= 0)
			buf[l] = '\0';
		if (l != len[k] || (l >= 0 && strcmp(buf, was[k]) != 0))
			failure(what, mode, n, "a second open reads otherwise");
	}
	if (kv_put(&kv, ns, keys[0], "after", 5) < 0 ||
	    kv_open(&kv, &blkdev, area) < 0 ||
	    kv_get(&kv, ns, keys[0], buf, KV_VALUE_MAX) != 5 ||
	    memcmp(buf, "after", 5) != 0)
		failure(what, mode, n,
		    "a put after the recovery does not read "
		    "back");
}

/* ---- the two-key KV sequence ---- */

#define MANY_STEPS 90

struct many_acks {
	int acked;  /* step of the last acknowledged pair, or -1 */
	int flight; /* the pair in flight at the cut, or -1 */
};

/* Every step writes p/a = "a<i>" and p/b = "b<i>" together; every third
 * step a single put too, so compactions move the pair around. */
static void
many_sequence(struct many_acks *acks)
{
	static struct kv_store kv;
	struct region area = { 0, KV_AREA };

	acks->acked = acks->flight = -1;
	if (kv_open(&kv, &blkdev, area) < 0)
		return;
	for (int i = 0; i < MANY_STEPS; i++) {
		char a[16], b[16];
		struct kv_item it[2];

		snprintf(a, sizeof a, "a%d", i);
		snprintf(b, sizeof b, "b%d", i);
		it[0] = (struct kv_item){ "p", "a", a, (uint32_t)strlen(a), 0 };
		it[1] = (struct kv_item){ "p", "b", b, (uint32_t)strlen(b), 0 };
		acks->flight = i;
		if (kv_put_many(&kv, it, 2) < 0)
			return;
		acks->acked = i;
		acks->flight = -1;
		if (i % 3 == 2 &&
		    kv_put(&kv, "p", "x", a, (uint32_t)strlen(a)) < 0)
			return;
	}
}

/* The step a value "<c><i>" names, -1 for none, -2 for anything else. */
static int
pair_step(struct kv_store *kv, const char *key, char c)
{
	char buf[KV_VALUE_MAX + 1];
	int len = kv_get(kv, "p", key, buf, KV_VALUE_MAX), i = 0;

	if (len == -CELL_E_NOENT)
		return -1;
	if (len < 2 || buf[0] != c)
		return -2;
	for (int j = 1; j < len; j++) {
		if (buf[j] < '0' || buf[j] > '9')
			return -2;
		i = i * 10 + (buf[j] - '0');
	}
	return i;
}

static void
check_many(enum mode mode, uint64_t n, const struct many_acks *acks)
{
	static struct kv_store kv;
	static const char *const keys[] = { "a", "b", "x" };
	struct region area = { 0, KV_AREA };
	char detail[128];
	int a, b;

	if (kv_open(&kv, &blkdev, area) < 0) {
		failure("kv pair", mode, n, "the store does not open");
		return;
	}
	a = pair_step(&kv, "a", 'a');
	b = pair_step(&kv, "b", 'b');
	if (a != b || a == -2 || (a != acks->acked && a != acks->flight)) {
		snprintf(detail, sizeof detail,
		    "p/a is of step %d, p/b of step "
		    "%d; acknowledged %d, in flight %d",
		    a, b, acks->acked, acks->flight);
		failure("kv pair", mode, n, detail);
	}
	check_moved_on(mode, n, "kv pair", "p", keys, 3);
}

/* ---- driver ---- */

int
main(void)
{
	static const uint8_t test_secret[32] =
	    "cell_os provisioned device secre";
	uint64_t points[MODES] = { 0 }, total = 0, full_update, full_kv,
		 full_many;
	uint64_t full_flow;
	struct flow_acks fa;
	static const char *const kv_keys[] = { "k0", "k1", "k2", "k3" };
	struct update_acks ua;
	struct kv_acks ka;
	struct many_acks ma;

	/* What the store reports about torn writes is checked through what
	 * it reads back, not read here. */
	hosted_console_to(-1);
	trust_reset();
	trust_set_secret(test_secret);
	/* Count the writes of each sequence when nothing goes wrong. */
	fresh_device(MODE_CUT, 0);
	memset(&ua, 0, sizeof ua);
	update_sequence(&ua);
	full_update = d.writes;
	if (ua.confirmed != VERSIONS) {
		printf(
		    "FAIL: the update sequence does not complete without a cut\n");
		return 1;
	}
	fresh_device(MODE_CUT, 0);
	flow_setup();
	memset(&fa, 0, sizeof fa);
	flow_sequence(&fa);
	full_flow = d.writes;
	if (!fa.confirmed) {
		printf(
		    "FAIL: the update flow does not complete without a cut\n");
		return 1;
	}
	fresh_device(MODE_CUT, 0);
	memset(&ka, 0, sizeof ka);
	kv_sequence(&ka);
	full_kv = d.writes;
	fresh_device(MODE_CUT, 0);
	many_sequence(&ma);
	full_many = d.writes;
	if (ma.acked != MANY_STEPS - 1) {
		printf("FAIL: the two-key sequence does not complete without a "
		       "cut\n");
		return 1;
	}

	for (int m = 0; m < MODES; m++) {
		for (uint64_t n = 1; n <= full_update; n++) {
			fresh_device((enum mode)m, n);
			memset(&ua, 0, sizeof ua);
			update_sequence(&ua);
			reboot();
			check_update((enum mode)m, n, &ua);
			points[m]++;
		}
		for (uint64_t n = 1; n <= full_flow; n++) {
			fresh_device((enum mode)m, n);
			flow_setup();
			memset(&fa, 0, sizeof fa);
			flow_sequence(&fa);
			reboot();
			check_flow((enum mode)m, n, &fa);
			points[m]++;
		}
		for (uint64_t n = 1; n <= full_kv; n++) {
			fresh_device((enum mode)m, n);
			memset(&ka, 0, sizeof ka);
			kv_sequence(&ka);
			reboot();
			check_kv((enum mode)m, n, &ka);
			check_moved_on((enum mode)m, n, "kv", "p", kv_keys, 4);
			points[m]++;
		}
		for (uint64_t n = 1; n <= full_many; n++) {
			fresh_device((enum mode)m, n);
			many_sequence(&ma);
			reboot();
			check_many((enum mode)m, n, &ma);
			points[m]++;
		}
	}
	for (int m = 0; m < MODES; m++) {
		printf("%-8s %llu cut points\n", mode_names[m],
		    (unsigned long long)points[m]);
		total += points[m];
	}
	printf(
	    "update sequence: %llu writes; update flow (key set, rotation, "
	    "install, trial, confirm, counter): %llu writes; kv sequence: %llu "
	    "writes; two-key kv sequence: %llu writes\n",
	    (unsigned long long)full_update, (unsigned long long)full_flow,
	    (unsigned long long)full_kv, (unsigned long long)full_many);
	printf("%llu cut points, %u failure(s)\n", (unsigned long long)total,
	    failures);
	return failures == 0 ? 0 : 1;
}
