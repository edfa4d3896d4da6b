/*
 * The golden ledger, re-derived without the kernel's code: OpenSSL for
 * SHA-256, HMAC and HKDF, and a second implementation of each documented
 * recipe (docs/PROOFS.md). E2, E3/E4, E6, E7, E9 and E10 are recomputed
 * here and compared with proofs/ledger. E8 is recomputed from the records
 * a boot put on channel 0, decoded here (not with the kernel's decoders),
 * after checking them against what the scenario must produce: the marks,
 * the phenotype, the genes that die, a start and an end per quantum in
 * round-robin order, and the IRQ events of the E6 model below. E5 is
 * checked by its own mechanism and by proof.hosted.native-genes. The
 * ledger's phenotype hashes are the SHA-256 of the built .pbin files.
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/sha.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hosted.h"
#include "obs_lines.h"
#include "testutil.h"

static uint32_t
ledger(const char *tag, const char *name)
{
	char path[1024], line[256], want[64];
	FILE *f;

	snprintf(path, sizeof path, "%s/proofs/ledger", CELLOS_SOURCE_DIR);
	snprintf(want, sizeof want, "%s %s=", tag, name);
	assert_non_null(f = fopen(path, "r"));
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, want, strlen(want)) == 0) {
			fclose(f);
			return (uint32_t)strtoul(line + strlen(want), NULL, 16);
		}
	}
	fclose(f);
	fail_msg("%s%s not in the ledger", tag, name);
	return 0;
}

static void
put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t
le32_of(const uint8_t *d)
{
	return (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 |
	    (uint32_t)d[3] << 24;
}

static uint32_t
sha_le32(const void *p, size_t n)
{
	uint8_t d[32];

	SHA256(p, n, d);
	return le32_of(d);
}

static void
hkdf(const void *salt, size_t saltlen, const void *ikm, size_t ikmlen,
    const void *info, size_t infolen, uint8_t *out, int expand_only)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
	size_t outlen = 32;

	EVP_PKEY_derive_init(c);
	EVP_PKEY_CTX_set_hkdf_md(c, EVP_sha256());
	if (expand_only)
		EVP_PKEY_CTX_hkdf_mode(c, EVP_PKEY_HKDEF_MODE_EXPAND_ONLY);
	else
		EVP_PKEY_CTX_set1_hkdf_salt(c, salt, (int)saltlen);
	EVP_PKEY_CTX_set1_hkdf_key(c, ikm, (int)ikmlen);
	EVP_PKEY_CTX_add1_hkdf_info(c, info, (int)infolen);
	assert_true(EVP_PKEY_derive(c, out, &outlen) > 0);
	EVP_PKEY_CTX_free(c);
}

static const uint8_t secret[32] = "cell_os provisioned device secre";

static void
mac_key(uint32_t id, uint32_t version, uint8_t key[32])
{
	uint8_t info[12] = "root key", root[32], mac_info[14] = "parcel mac";

	put32(info + 8, id);
	hkdf("cell_os trust v1", 16, secret, 32, info, 12, root, 0);
	put32(mac_info + 10, version);
	hkdf(NULL, 0, root, 32, mac_info, 14, key, 1);
}

/* E2: 16 parcels, encoded by hand, MACed with OpenSSL under key 0/0. */
static void
test_e2(void **state)
{
	static const uint32_t lengths[16] = { 19, 1, 15, 16, 17, 31, 32, 33, 63,
		64, 65, 127, 128, 129, 255, 1000 };
	static const char text[] = "cell_os E2 log line";
	uint8_t key[32], frame[16 + 1000 + 32];
	EVP_MD_CTX *all = EVP_MD_CTX_new();
	uint8_t d[32];
	unsigned len;

	(void)state;
	mac_key(0, 0, key);
	EVP_DigestInit_ex(all, EVP_sha256(), NULL);
	for (uint32_t i = 0; i < 16; i++) {
		uint32_t n = lengths[i], flags = i % 2;
		put32(frame, i % 6);
		put32(frame + 4, 1 + i % 3);
		put32(frame + 8, flags);
		put32(frame + 12, n);
		for (uint32_t j = 0; j < n; j++)
			frame[16 + j] = i == 0 ?
			    (uint8_t)text[j] :
			    (uint8_t)(j * 31 + i * 7 + (j >> 8));
		if (flags) {
			uint8_t tag[32];
			HMAC(EVP_sha256(), key, 32, frame, 16 + n, tag, &len);
			memcpy(frame + 16 + n, tag, 16);
		}
		EVP_DigestUpdate(all, frame, 16 + n + (flags ? 16 : 0));
	}
	EVP_DigestFinal_ex(all, d, &len);
	EVP_MD_CTX_free(all);
	assert_int_equal(ledger("E2", "frames"), 16);
	assert_int_equal(ledger("E2", "parcel_hash"), le32_of(d));
}

/* The channels every phenotypes/ file shares. */
static const struct {
	uint32_t id, rt, prio, bucket, max, refill, depth;
} ch[6] = {
	{ 0, 0, 1, 4, 8, 2, 8 },
	{ 1, 1, 7, 8, 8, 4, 8 },
	{ 2, 1, 5, 4, 6, 1, 4 },
	{ 3, 0, 3, 2, 4, 1, 4 },
	{ 4, 0, 2, 2, 4, 1, 4 },
	{ 5, 0, 0, 1, 2, 0, 2 },
};
static const int edges[][2] = { { 1, 0 }, { 1, 3 }, { 1, 4 }, { 2, 3 },
	{ 2, 1 }, { 3, 0 }, { 3, 4 }, { 4, 0 }, { 5, 0 } };

/* E3/E4: cg_crc over the records, and the QoS sequence simulated anew. */
static void
test_e3(void **state)
{
	uint8_t bytes[6 * 40 + 5] = { 0 };
	uint32_t tokens[6], queued[6] = { 0 }, ok = 0, busy = 0, drop = 0;
	uint32_t gas = 600;

	(void)state;
	for (int i = 0; i < 6; i++) {
		uint8_t *r = bytes + 40 * i;
		put32(r, ch[i].id);
		put32(r + 4, ch[i].rt);
		put32(r + 8, ch[i].prio);
		put32(r + 12, ch[i].bucket); /* u64, high half zero */
		put32(r + 20, ch[i].max);
		put32(r + 28, ch[i].refill);
		put32(r + 36, ch[i].depth);
		tokens[i] = ch[i].bucket;
	}
	for (size_t e = 0; e < sizeof edges / sizeof edges[0]; e++) {
		int bit = edges[e][0] * 6 + edges[e][1];
		bytes[240 + bit / 8] |= (uint8_t)(1 << (bit % 8));
	}
	assert_int_equal(ledger("E3", "cg_crc"), sha_le32(bytes, sizeof bytes));

	/* 24 ticks: channel i gets i+1 attempts; then one dequeue each and a refill. */
	for (int t = 0; t < 24; t++) {
		for (int i = 0; i < 6; i++) {
			for (int k = 0; k <= i; k++) {
				if (gas == 0)
					continue; /* EGAS */
				gas--;
				if (queued[i] >= ch[i].depth)
					ch[i].rt ? busy++ : drop++;
				else if (tokens[i] == 0)
					busy++;
				else {
					tokens[i]--;
					queued[i]++;
					ok++;
				}
			}
		}
		for (int i = 0; i < 6; i++) {
			if (queued[i] > 0)
				queued[i]--;
			tokens[i] += ch[i].refill;
			if (tokens[i] > ch[i].max)
				tokens[i] = ch[i].max;
		}
	}
	assert_int_equal(ledger("E3", "qos"),
	    (ok & 0xFF) << 24 | (busy & 0xFF) << 16 | (drop & 0xFF) << 8 |
		(gas & 0xFF));
}

/*
 * E6 by hand (docs/PROOFS.md): 4 ticks, then 6 bursts of button/sensor
 * software interrupts with one tick after each, then a flood of 40 into a
 * ring of 32. The timer delivers 10 events; the button (one per 2 ticks)
 * gets through in bursts 0, 2, 4; the sensor (bucket 3, refill 1 a tick)
 * lets 3 through in the first burst and 1 in each of the others; the flood
 * delivers 32 and overflows 8.
 */
/* The events of the E6 model, in delivery order: (src, seq), for E8. */
static uint32_t e6_src[64], e6_count;

static void
test_e6(void **state)
{
	enum { TIMER, BUTTON, SENSOR, FLOOD };
	static const int burst[7] = { BUTTON, SENSOR, SENSOR, BUTTON, SENSOR,
		SENSOR, BUTTON };
	uint8_t frames[64 * 20];
	size_t n = 0;
	uint32_t seq = 0, tick = 0, soft = 0, timer = 0, sensor_tokens = 3;
	uint32_t button_last = 0, dropped = 0;
	int button_any = 0;

	(void)state;
#define EMIT(src, kind, word)                   \
	do {                                    \
		e6_src[seq] = (src);            \
		put32(frames + n, seq++);       \
		put32(frames + n + 4, (src));   \
		put32(frames + n + 8, (kind));  \
		put32(frames + n + 12, 4);      \
		put32(frames + n + 16, (word)); \
		n += 20;                        \
	} while (0)
#define TICK()                           \
	do {                             \
		tick++;                  \
		timer++;                 \
		if (sensor_tokens < 3)   \
			sensor_tokens++; \
		EMIT(TIMER, 1, timer);   \
	} while (0)
	for (int i = 0; i < 4; i++)
		TICK();
	for (int b = 0; b < 6; b++) {
		for (int i = 0; i < 7; i++) {
			soft++;
			if (burst[i] == BUTTON) {
				if (button_any && tick - button_last < 2) {
					dropped++;
					continue;
				}
				button_any = 1;
				button_last = tick;
				EMIT(BUTTON, 16, soft);
			} else if (sensor_tokens == 0) {
				dropped++;
			} else {
				sensor_tokens--;
				EMIT(SENSOR, 16, soft);
			}
		}
		TICK();
	}
	for (int i = 0; i < 40; i++) {
		soft++;
		if (i < 32)
			EMIT(FLOOD, 16, soft);
		else
			dropped++;
	}
	assert_int_equal(seq, 53);
	e6_count = seq;
	assert_int_equal(ledger("E6", "delivered"), seq);
	assert_int_equal(ledger("E6", "dropped"), dropped);
	assert_int_equal(ledger("E6", "evt_hash"), sha_le32(frames, n));
}

/* E7: the genome recipe of docs/PROOFS.md, hashed by OpenSSL. */
static uint32_t
genome_sha(uint32_t version, uint32_t len)
{
	static uint8_t g[16384];
	uint32_t x = 0x9E3779B9u ^ (version * 0x85EBCA6Bu);

	for (uint32_t off = 0; off < len; off += 4) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		for (uint32_t i = 0; i < 4 && off + i < len; i++)
			g[off + i] = (uint8_t)(x >> (8 * i));
	}
	return sha_le32(g, len);
}

static void
test_e7(void **state)
{
	(void)state;
	assert_int_equal(ledger("E7", "old_sha"), genome_sha(1, 2000));
	assert_int_equal(ledger("E7", "new_sha"), genome_sha(2, 3000));
}

static void
test_e9_e10(void **state)
{
	static const char msg[] = "cell_os E9 trust proof";
	/* Every value E2..E9 print, appended ones included, in print order. */
	static const char *const fields[17][2] = {
		{ "E2", "frames" },
		{ "E2", "parcel_hash" },
		{ "E3", "qos" },
		{ "E3", "cg_crc" },
		{ "E5", "mito" },
		{ "E5", "golgi" },
		{ "E5", "quanta" },
		{ "E5", "gas" },
		{ "E6", "delivered" },
		{ "E6", "evt_hash" },
		{ "E6", "dropped" },
		{ "E7", "old_sha" },
		{ "E7", "new_sha" },
		{ "E8", "entries" },
		{ "E8", "obs_hash" },
		{ "E9", "key" },
		{ "E9", "mac16" },
	};
	uint8_t key[32], tag[32], values[17 * 4];
	char build[64];
	unsigned len;

	(void)state;
	mac_key(1, 1, key); /* after one rotation */
	HMAC(EVP_sha256(), key, 32, (const uint8_t *)msg, sizeof msg - 1, tag,
	    &len);
	assert_int_equal(ledger("E9", "key"), 1);
	assert_int_equal(ledger("E9", "mac16"), le32_of(tag));
	for (int i = 0; i < 17; i++)
		put32(values + 4 * i, ledger(fields[i][0], fields[i][1]));
	assert_int_equal(ledger("E10", "tag"), sha_le32(values, sizeof values));
	snprintf(build, sizeof build, "%s\n%s", "1.0.0", "1700000000");
	assert_int_equal(ledger("E10", "build"),
	    sha_le32(build, strlen(build)));
}

/* ---- E8 ---- */

static void
test_e8(void **state)
{
	static const char *const marks[] = { "E2 parcels", "E3 graph",
		"E5 organelles", "E6 events", "E7 update", "E8 index" };
	/* The genes that die, in order: the rogue (route), the hog (mem). */
	static const uint32_t deaths[2][2] = { { 6, 1 }, { 7, 4 } };
	struct capture c;
	EVP_MD_CTX *all = EVP_MD_CTX_new();
	uint8_t frame[128], d[32];
	uint32_t entries = 0, nmark = 0, ndeath = 0, quantum = 0, nirq = 0;
	uint32_t expect_gene = 1, alive[8] = { 0, 1, 1, 1, 1, 1, 1, 1 };
	int in_quantum = 0, status;
	unsigned len;
	char *log, *line;

	(void)state;
	assert_int_equal(e6_count, 53); /* test_e6 ran first */
	hosted_irq_configure(HOSTED_TIME_VIRTUAL, NULL, NULL, 0);
	hosted_use_default_phenotype();
	assert_int_equal(hosted_blk_use_memory(HOSTED_DISK_BLOCKS), 0);
	capture_begin(&c);
	status = hosted_boot_once(128u << 20);
	log = capture_end(&c);
	assert_int_equal(status, 0);

	EVP_DigestInit_ex(all, EVP_sha256(), NULL);
	for (line = log; line != NULL && *line != '\0';) {
		char *end = strchr(line, '\n');
		size_t llen = end != NULL ? (size_t)(end - line) : strlen(line);
		struct obs_seen r;

		if (strncmp(line, "#E8 ", 4) == 0)
			break;
		if (strncmp(line, "#P ", 3) == 0) {
			size_t n = decode_p_line(line + 3, llen - 3, frame, &r);

			EVP_DigestUpdate(all, frame, n);
			assert_int_equal(r.seq, entries);
			entries++;
			if (r.type == 1) { /* MARK */
				assert_true(nmark < 6);
				assert_int_equal(r.len, strlen(marks[nmark]));
				assert_memory_equal(r.payload, marks[nmark],
				    r.len);
				nmark++;
			} else if (r.type == 3) { /* SYS */
				uint32_t code = le32_of(r.payload);

				if (code == 1) { /* the phenotype */
					assert_int_equal(nmark, 1);
					assert_int_equal(le32_of(r.payload + 4),
					    6);
					assert_int_equal(le32_of(r.payload + 8),
					    7);
				} else { /* a gene killed */
					assert_int_equal(code, 2);
					assert_true(ndeath < 2);
					assert_int_equal(le32_of(r.payload + 4),
					    deaths[ndeath][0]);
					assert_int_equal(le32_of(r.payload + 8),
					    deaths[ndeath][1]);
					alive[deaths[ndeath][0]] = 0;
					ndeath++;
				}
			} else { /* TRACE */
				uint32_t what = le32_of(r.payload);
				uint32_t id = le32_of(r.payload + 4);
				uint32_t at = le32_of(r.payload + 8);

				assert_int_equal(r.type, 4);
				if (what == 3) { /* an IRQ event delivered */
					assert_int_equal(nmark, 4);
					assert_true(nirq < e6_count);
					assert_int_equal(id, e6_src[nirq]);
					assert_int_equal(le32_of(
							     r.payload + 12),
					    nirq);
					nirq++;
					goto next;
				}
				assert_int_equal(nmark, 3); /* E5 runs them */
				assert_int_equal(at, quantum);
				if (what == 1) { /* start: the next live gene */
					assert_false(in_quantum);
					while (!alive[expect_gene])
						expect_gene =
						    expect_gene % 7 + 1;
					assert_int_equal(id, expect_gene);
					in_quantum = 1;
				} else {
					assert_int_equal(what, 2);
					assert_true(in_quantum);
					assert_int_equal(id, expect_gene);
					in_quantum = 0;
					quantum++;
					expect_gene = expect_gene % 7 + 1;
				}
			}
		}
next:
		line = end != NULL ? end + 1 : NULL;
	}
	EVP_DigestFinal_ex(all, d, &len);
	EVP_MD_CTX_free(all);
	free(log);
	assert_int_equal(nmark, 6);
	assert_int_equal(ndeath, 2);
	assert_int_equal(quantum, 112);
	assert_int_equal(nirq, e6_count);
	assert_int_equal(entries, 6 + 1 + 2 + 2 * 112 + 53);
	assert_int_equal(ledger("E8", "entries"), entries);
	assert_int_equal(ledger("E8", "obs_hash"), le32_of(d));
}

/* The ledger names each shipped phenotype by the SHA-256 of its .pbin. */
static const char *pbin_dir;

static void
test_phenotype_hashes(void **state)
{
	static const char *const names[] = { "hosted.linux", "x86_bios.minimal",
		"arm64.virt.pl011" };
	char path[1024], line[256], want[160], hex[65];
	uint8_t buf[16384], d[32];

	(void)state;
	for (unsigned i = 0; i < 3; i++) {
		FILE *f;
		size_t n;
		int found = 0;

		snprintf(path, sizeof path, "%s/%s.pbin", pbin_dir, names[i]);
		assert_non_null(f = fopen(path, "rb"));
		n = fread(buf, 1, sizeof buf, f);
		fclose(f);
		SHA256(buf, n, d);
		for (int k = 0; k < 32; k++)
			snprintf(hex + 2 * k, 3, "%02X", d[k]);
		snprintf(want, sizeof want, "phenotype %s sha256=%s\n",
		    names[i], hex);
		snprintf(path, sizeof path, "%s/proofs/ledger",
		    CELLOS_SOURCE_DIR);
		assert_non_null(f = fopen(path, "r"));
		while (fgets(line, sizeof line, f) != NULL)
			found |= strcmp(line, want) == 0;
		fclose(f);
		if (!found)
			fail_msg("the ledger has no line \"%.*s\"",
			    (int)strlen(want) - 1, want);
	}
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_e2),
		cmocka_unit_test(test_e3),
		cmocka_unit_test(test_e6),
		cmocka_unit_test(test_e7),
		cmocka_unit_test(test_e8),
		cmocka_unit_test(test_e9_e10),
		cmocka_unit_test(test_phenotype_hashes),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: test_proof_values PBIN-DIR\n");
		return 2;
	}
	pbin_dir = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
