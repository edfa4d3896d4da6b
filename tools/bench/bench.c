/*
 * bench: the in-process figures of ./cellos bench, each as a ratio to a
 * baseline measured in the same run (these machines are shared and noisy):
 *   boots     full E1..E10 boots per second from cell_reset(), and the share
 *             of each step (the slowest is where to look)
 *   codec     parcel encode + decode, 64 B and 1 KiB, with and without MAC,
 *             divided by memcpy of the same frame
 *   crypto    SHA-256 and HMAC-SHA-256 MB/s divided by OpenSSL's
 *   bridge    ns per event from irqb_capture to irqb_pop
 *   kv FILE   KV puts per second on a file disk, against pwrite + fdatasync
 * Each figure is the median of REPEATS runs, with min and max. Output: one
 * JSON object per line, "name", "value", "unit", "baseline", "ratio",
 * "min", "max".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "cell.h"
#include "crypto.h"
#include "hosted.h"
#include "disk.h"
#include "irq_bridge.h"
#include "kv.h"
#include "obs.h"
#include "parcel.h"
#include "trust.h"

#define REPEATS 7

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct figure {
	double med, min, max;
};

static struct figure
summarize(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return (struct figure){ v[n / 2], v[0], v[n - 1] };
}

static void
emit(const char *name, struct figure f, const char *unit, const char *baseline,
    struct figure base)
{
	printf("{\"name\": \"%s\", \"value\": %.6g, \"unit\": \"%s\", "
	    "\"baseline\": \"%s\", \"baseline_value\": %.6g, \"ratio\": %.4g, "
	    "\"min\": %.6g, \"max\": %.6g}\n", name, f.med, unit, baseline,
	    base.med, base.med != 0 ? f.med / base.med : 0, f.min, f.max);
	fflush(stdout);
}

/* ---- in-process boots, and where their time goes ---- */

#define STEPS_MAX 16
static const char *step_names[STEPS_MAX];
static double step_time[STEPS_MAX], step_start;
static int step_count, step_current = -1;

static void
on_step(const char *name)
{
	double t = now();
	int i;

	if (step_current >= 0)
		step_time[step_current] += t - step_start;
	for (i = 0; i < step_count && strcmp(step_names[i], name) != 0; i++)
		;
	if (i == step_count && step_count < STEPS_MAX)
		step_names[step_count++] = name;
	step_current = strcmp(name, "end") == 0 ? -1 : i;
	step_start = t;
}

static void
bench_boots(void)
{
	double rate[REPEATS], base[REPEATS], total = 0;
	const int n = 300;

	hosted_console_to(-1);
	hosted_irq_configure(HOSTED_TIME_VIRTUAL, NULL, NULL, 0);
	if (hosted_blk_use_memory(HOSTED_DISK_BLOCKS) != 0)
		exit(1);
	hosted_use_default_phenotype();
	for (int r = 0; r < REPEATS; r++) {
		double t0 = now();
		for (int i = 0; i < n; i++) {
			if (hosted_boot_once(128ull << 20) != 0) {
				fprintf(stderr, "bench: a boot failed\n");
				exit(1);
			}
		}
		rate[r] = n / (now() - t0);
		base[r] = 1;
	}
	emit("in-process boots", summarize(rate, REPEATS), "boots/s", "one",
	    summarize(base, REPEATS));
	/* The share of each step, over one more set of boots. */
	cell_step_hook = on_step;
	for (int i = 0; i < n; i++)
		hosted_boot_once(128ull << 20);
	cell_step_hook = NULL;
	for (int i = 0; i < step_count; i++)
		total += step_time[i];
	for (int i = 0; i < step_count; i++) {
		if (strcmp(step_names[i], "end") == 0)
			continue;
		printf("{\"name\": \"boot step %s\", \"value\": %.4g, \"unit\": "
		    "\"share\", \"us_per_boot\": %.4g}\n", step_names[i],
		    step_time[i] / total, step_time[i] / n * 1e6);
	}
	hosted_console_to(1);
}

/* ---- codec ---- */

static volatile uint32_t sink;

static void
bench_codec(uint32_t len, int maced)
{
	static uint8_t payload[1024], frame[PARCEL_FRAME_MAX], copy[PARCEL_FRAME_MAX];
	const struct parcel_mac *mac = maced ? trust_parcel_mac() : NULL;
	double ours[REPEATS], base[REPEATS];
	const int iters = maced ? 20000 : 500000;
	struct parcel p;
	size_t size = parcel_frame_size(len, maced ? PARCEL_F_MAC : 0);
	char name[64];

	trust_reset();
	memset(payload, 7, sizeof payload);
	for (int r = 0; r < REPEATS; r++) {
		double t0 = now();
		for (int i = 0; i < iters; i++) {
			payload[0] = (uint8_t)i;
			parcel_encode(frame, sizeof frame, 1, 2,
			    maced ? PARCEL_F_MAC : 0, payload, len, mac);
			sink += (uint32_t)parcel_decode(frame, size, &p, mac);
		}
		ours[r] = (now() - t0) / iters;
		t0 = now();
		for (int i = 0; i < iters; i++) {
			frame[0] = (uint8_t)i;
			memcpy(copy, frame, size);
			__asm__ volatile("" : : "r"(copy) : "memory");
			sink += copy[i % size];
		}
		base[r] = (now() - t0) / iters;
	}
	snprintf(name, sizeof name, "parcel encode+decode %u B%s", len,
	    maced ? " MAC" : "");
	emit(name, summarize(ours, REPEATS), "s/frame", "memcpy of the frame",
	    summarize(base, REPEATS));
}

/* ---- crypto against OpenSSL ---- */

static void
bench_crypto(int hmac)
{
	static uint8_t buf[1 << 20];
	double ours[REPEATS], theirs[REPEATS];
	uint8_t out[32];
	unsigned len;

	memset(buf, 3, sizeof buf);
	for (int r = 0; r < REPEATS; r++) {
		double t0 = now();
		for (int i = 0; i < 16; i++) {
			if (hmac)
				hmac_sha256("key", 3, buf, sizeof buf, out);
			else
				sha256(buf, sizeof buf, out);
		}
		ours[r] = 16.0 * sizeof buf / (now() - t0) / 1e6;
		t0 = now();
		for (int i = 0; i < 16; i++) {
			if (hmac)
				HMAC(EVP_sha256(), "key", 3, buf, sizeof buf, out, &len);
			else
				EVP_Digest(buf, sizeof buf, out, &len, EVP_sha256(), NULL);
		}
		theirs[r] = 16.0 * sizeof buf / (now() - t0) / 1e6;
	}
	emit(hmac ? "HMAC-SHA-256" : "SHA-256", summarize(ours, REPEATS), "MB/s",
	    "OpenSSL", summarize(theirs, REPEATS));
}

/* ---- the IRQ bridge ---- */

static void
bench_bridge(int traced)
{
	struct irqb_source_cfg cfg = { EVENT_CUSTOM, 0, 0, 0 };
	double ours[REPEATS], base[REPEATS];
	const int iters = traced ? 200000 : 2000000;
	struct event e;

	hosted_console_to(-1);
	obs_reset();
	obs_tracing(traced);
	for (int r = 0; r < REPEATS; r++) {
		irqb_reset();
		irqb_add_source(&cfg);
		double t0 = now();
		for (int i = 0; i < iters; i++) {
			irqb_capture(0, (uint32_t)i);
			sink += (uint32_t)irqb_pop(&e);
		}
		ours[r] = (now() - t0) / iters * 1e9;
		t0 = now();
		for (int i = 0; i < iters; i++) {
			e.seq = (uint32_t)i;
			__asm__ volatile("" : : "r"(&e) : "memory");
			sink += e.seq;
		}
		base[r] = (now() - t0) / iters * 1e9;
	}
	emit(traced ? "IRQ bridge raise to delivery, with its OBS trace record" :
	    "IRQ bridge raise to delivery", summarize(ours, REPEATS), "ns/event",
	    "an empty loop", summarize(base, REPEATS));
	obs_tracing(1);
	hosted_console_to(1);
}

/*
 * KV puts per second on a file disk (each put is written and fdatasync'd
 * before it is acknowledged), against one 512-byte pwrite + fdatasync on
 * the same file: the floor of any durable put.
 */
static void
bench_kv(const char *path)
{
	static struct kv_store kv;
	static struct disk d;
	double ours[REPEATS], base[REPEATS];
	const int puts = 200;
	uint8_t block[HAL_BLOCK_SIZE] = { 0 };
	char key[16], value[32];

	unlink(path);
	if (hosted_blk_open(path) != 0 || disk_open(&d, blk_hal()) != 0 ||
	    kv_open(&kv, blk_hal(), d.kv) != 0) {
		fprintf(stderr, "bench: cannot set up a KV store on %s\n", path);
		exit(1);
	}
	for (int r = 0; r < REPEATS; r++) {
		double t0 = now();
		for (int i = 0; i < puts; i++) {
			snprintf(key, sizeof key, "k%d", i % 20);
			int n = snprintf(value, sizeof value, "value %d", i);
			if (kv_put(&kv, "bench", key, value, (uint32_t)n) != 0) {
				fprintf(stderr, "bench: a put failed\n");
				exit(1);
			}
		}
		ours[r] = puts / (now() - t0);
		t0 = now();
		for (int i = 0; i < puts; i++) {
			block[0] = (uint8_t)i;
			hal_blk_write(d.kv.start + d.kv.blocks - 1, block, 1);
			hal_blk_flush();
		}
		base[r] = puts / (now() - t0);
	}
	emit("KV puts, file disk", summarize(ours, REPEATS), "puts/s",
	    "pwrite+fdatasync of one block", summarize(base, REPEATS));
	unlink(path);
}

/*
 * Send SIGUSR1 to pid as fast as possible for seconds; print how many were
 * sent (the kernel's own summary line says how many it absorbed).
 */
static void
send_signals(pid_t pid, double seconds)
{
	double end = now() + seconds;
	unsigned long sent = 0;

	while (now() < end) {
		if (kill(pid, SIGUSR1) != 0)
			break;
		sent++;
	}
	printf("%lu\n", sent);
}

int
main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : "all";
	int all = strcmp(only, "all") == 0;

	if (all || strcmp(only, "boots") == 0)
		bench_boots();
	if (all || strcmp(only, "codec") == 0) {
		bench_codec(64, 0);
		bench_codec(1024, 0);
		bench_codec(64, 1);
		bench_codec(1024, 1);
	}
	if (all || strcmp(only, "crypto") == 0) {
		bench_crypto(0);
		bench_crypto(1);
	}
	if (all || strcmp(only, "bridge") == 0) {
		bench_bridge(0);
		bench_bridge(1);
	}
	if (strcmp(only, "kv") == 0 && argc == 3)
		bench_kv(argv[2]);
	if (strcmp(only, "signals") == 0 && argc == 4)
		send_signals((pid_t)atoi(argv[2]), atof(argv[3]));
	return 0;
}
