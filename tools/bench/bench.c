/*
 * bench: the in-process figures of ./cellos bench, each as a ratio to a
 * baseline measured in the same run (these machines are shared and noisy):
 *   boots     full E1..E10 boots per second from cell_reset(); SHA-256
 *             compressions and interrupt signals per boot; per boot step
 *             its time, share, compressions and signals
 *   codec     parcel encode + decode, 64 B and 1 KiB, with and without MAC,
 *             divided by memcpy of the same frame
 *   crypto    SHA-256 and HMAC-SHA-256 MB/s divided by OpenSSL's, with the
 *             portable C and with the CPU's engine (hal_crypto_accel), and
 *             Ed25519 verifications per second divided by OpenSSL's
 *   bridge    ns per event from irqb_capture to irqb_pop
 *   sigrtt    a bare signal round trip against one system call
 *   kv FILE   KV puts per second on a file disk, against pwrite + fdatasync
 *   vm DIR    the gene interpreter on loop-heavy genes (DIR/loop_sum.o,
 *             DIR/loop_mem.o): time against the same logic compiled as C,
 *             instructions per second, and the same with the switch
 *             dispatch, without gas metering and without bounds checks
 * Each figure is the median of REPEATS runs, with min and max. Output: one
 * JSON object per line, "name", "value", "unit", "baseline", "ratio",
 * "min", "max".
 */
#include <math.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "bpf_elf.h"
#include "cell.h"
#include "crypto.h"
#include "disk.h"
#include "ed25519.h"
#include "hosted.h"
#include "irq_bridge.h"
#include "kv.h"
#include "obs_emit.h"
#include "parcel_codec.h"
#include "trust.h"
#include "vm.h"

#define REPEATS 7

/* --quick (the ctest that checks the bench runs): one run of everything,
 * with the counts divided by scale. Its figures mean nothing. */
static int repeats = REPEATS, scale = 1;

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

/*
 * JSON output, one object a line (tools/bench/results.py parses every line
 * strictly and writes results.json): strings escaped, numbers finite (a
 * NaN or an infinity, which JSON has no spelling for, becomes null).
 */
static void
json_str(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void
json_num(double v)
{
	if (!isfinite(v))
		fputs("null", stdout);
	else
		printf("%.6g", v);
}

static void
json_key(const char *key, int first)
{
	fputs(first ? "{" : ", ", stdout);
	json_str(key);
	fputs(": ", stdout);
}

static void
emit(const char *name, struct figure f, const char *unit, const char *baseline,
    struct figure base)
{
	json_key("name", 1);
	json_str(name);
	json_key("value", 0);
	json_num(f.med);
	json_key("unit", 0);
	json_str(unit);
	json_key("baseline", 0);
	json_str(baseline);
	json_key("baseline_value", 0);
	json_num(base.med);
	json_key("ratio", 0);
	json_num(base.med != 0 ? f.med / base.med : NAN);
	json_key("min", 0);
	json_num(f.min);
	json_key("max", 0);
	json_num(f.max);
	puts("}");
	fflush(stdout);
}

/* A figure with no baseline (a count): name, value, unit, and an optional
 * target it is held against (NULL for none). */
static void
emit_count(const char *name, double value, const char *unit,
    const char *target_what, double target)
{
	json_key("name", 1);
	json_str(name);
	json_key("value", 0);
	json_num(value);
	json_key("unit", 0);
	json_str(unit);
	if (target_what != NULL) {
		json_key("target", 0);
		json_num(target);
		json_key("target_is", 0);
		json_str(target_what);
	}
	puts("}");
	fflush(stdout);
}

/* ---- in-process boots, and where their time goes ---- */

/*
 * Per boot step: time, SHA-256 compressions (wire/crypto.c's counter) and
 * interrupt signals taken (the hosted HAL's per-line counts, which every
 * boot's power cycle zeroes), summed over the boots of one set.
 */
#define STEPS_MAX 16
static const char *step_names[STEPS_MAX];
static double step_time[STEPS_MAX], step_start;
static uint64_t step_sha[STEPS_MAX], step_sig[STEPS_MAX];
static uint64_t sha_start, sig_start;
static int step_count, step_current = -1;

static uint64_t
signals_taken(void)
{
	uint64_t n = 0;

	for (unsigned l = 0; l < HAL_IRQ_LINES; l++)
		n += hal_irq_taken(l);
	return n;
}

static void
on_step(const char *name)
{
	double t = now();
	uint64_t sha = crypto_sha256_compressions();
	/* E0 starts a boot, after the power cycle zeroed the counts. */
	uint64_t sig = strcmp(name, "E0") == 0 ? 0 : signals_taken();
	int i;

	if (step_current >= 0) {
		step_time[step_current] += t - step_start;
		step_sha[step_current] += sha - sha_start;
		step_sig[step_current] += sig - sig_start;
	}
	for (i = 0; i < step_count && strcmp(step_names[i], name) != 0; i++)
		;
	if (i == step_count && step_count < STEPS_MAX)
		step_names[step_count++] = name;
	step_current = strcmp(name, "end") == 0 || i == STEPS_MAX ? -1 : i;
	step_start = t;
	sha_start = sha;
	sig_start = sig;
}

static void
bench_boots(int n)
{
	double rate[REPEATS], base[REPEATS], total = 0;
	uint64_t sha = 0, sig = 0, sha0;
	char name[64];

	hosted_console_to(-1);
	hosted_irq_configure(HOSTED_TIME_VIRTUAL, NULL, NULL, 0);
	if (hosted_blk_use_memory(HOSTED_DISK_BLOCKS) != 0)
		exit(1);
	hosted_use_default_phenotype();
	for (int r = 0; r < repeats; r++) {
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
	emit("in-process boots", summarize(rate, repeats), "boots/s", "one",
	    summarize(base, repeats));
	/* Counts and the share of each step, over one more set of boots. */
	cell_step_hook = on_step;
	for (int i = 0; i < n; i++) {
		sha0 = crypto_sha256_compressions();
		hosted_boot_once(128ull << 20);
		sha += crypto_sha256_compressions() - sha0;
		sig += signals_taken();
	}
	cell_step_hook = NULL;
	emit_count("SHA-256 compressions per boot", (double)sha / n, "blocks",
	    "issue 20: at most", 600);
	emit_count("interrupt signals per boot", (double)sig / n, "signals",
	    NULL, 0);
	for (int i = 0; i < step_count; i++)
		total += step_time[i];
	for (int i = 0; i < step_count; i++) {
		if (strcmp(step_names[i], "end") == 0)
			continue;
		snprintf(name, sizeof name, "boot step %s", step_names[i]);
		json_key("name", 1);
		json_str(name);
		json_key("value", 0);
		json_num(step_time[i] / n * 1e6);
		json_key("unit", 0);
		json_str("us/boot");
		json_key("share", 0);
		json_num(step_time[i] / total);
		json_key("compressions_per_boot", 0);
		json_num((double)step_sha[i] / n);
		json_key("signals_per_boot", 0);
		json_num((double)step_sig[i] / n);
		puts("}");
	}
	fflush(stdout);
	hosted_console_to(1);
}

/* ---- codec ---- */

static volatile uint32_t sink;

static void
bench_codec(uint32_t len, int maced)
{
	static uint8_t payload[1024], frame[PARCEL_FRAME_MAX],
	    copy[PARCEL_FRAME_MAX];
	const struct parcel_mac *mac = maced ? trust_parcel_mac() : NULL;
	double ours[REPEATS], base[REPEATS];
	const int iters = (maced ? 20000 : 500000) / scale;
	struct parcel p;
	size_t size = parcel_frame_size(len, maced ? PARCEL_F_MAC : 0);
	char name[64];

	trust_reset();
	memset(payload, 7, sizeof payload);
	for (int r = 0; r < repeats; r++) {
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
	emit(name, summarize(ours, repeats), "s/frame", "memcpy of the frame",
	    summarize(base, repeats));
}

/* ---- crypto against OpenSSL ---- */

/*
 * SHA-256 (or HMAC-SHA-256) MB/s over len-byte messages with the portable
 * C (accel NULL) or with the engines hal_crypto_accel offers, against
 * OpenSSL's on the same messages. Without an engine on this machine, the
 * accelerated figure is not emitted. Leaves the engine a boot would use.
 */
static void
bench_crypto(int hmac, int accel, size_t len)
{
	static uint8_t buf[1 << 20];
	const struct crypto_accel *a = accel ? hal_crypto_accel() : NULL;
	double ours[REPEATS], theirs[REPEATS];
	const int iters = (int)((16u << 20) / len) / scale + 1;
	uint8_t out[32];
	unsigned olen;
	char name[96];

	if (accel && (a == NULL || a->sha256_blocks == NULL))
		return;
	crypto_use_accel(a);
	memset(buf, 3, sizeof buf);
	for (int r = 0; r < repeats; r++) {
		double t0 = now();
		for (int i = 0; i < iters; i++) {
			if (hmac)
				hmac_sha256("key", 3, buf, len, out);
			else
				sha256(buf, len, out);
		}
		ours[r] = (double)iters * (double)len / (now() - t0) / 1e6;
		t0 = now();
		for (int i = 0; i < iters; i++) {
			if (hmac)
				HMAC(EVP_sha256(), "key", 3, buf, len, out,
				    &olen);
			else
				EVP_Digest(buf, len, out, &olen, EVP_sha256(),
				    NULL);
		}
		theirs[r] = (double)iters * (double)len / (now() - t0) / 1e6;
	}
	snprintf(name, sizeof name, "%s, %zu B messages, %s",
	    hmac ? "HMAC-SHA-256" : "SHA-256", len,
	    accel ? a->sha256_name : "portable C");
	emit(name, summarize(ours, repeats), "MB/s", "OpenSSL",
	    summarize(theirs, repeats));
	/* Back to what a boot chooses (cell_boot), for the figures after. */
	crypto_use_accel(hal_crypto_accel());
}

/*
 * Ed25519: verifications per second of ed25519_verify and of OpenSSL's
 * EVP_DigestVerify (a context and an init per call, as a caller makes
 * them; the key objects made beforehand) over the same 64 signatures of
 * 0..252-byte messages under 64 keys, all signed by OpenSSL.
 */
#define ED_CASES 64

static void
bench_ed25519(void)
{
	static uint8_t msg[ED_CASES][256], sig[ED_CASES][64], pub[ED_CASES][32];
	static size_t len[ED_CASES];
	static EVP_PKEY *key[ED_CASES];
	double ours[REPEATS], theirs[REPEATS];
	int rounds = scale > 1 ? 1 : 8, bad = 0;

	for (int i = 0; i < ED_CASES; i++) {
		uint8_t secret[32];
		EVP_PKEY *k;
		EVP_MD_CTX *c = EVP_MD_CTX_new();
		size_t n = 32, siglen = 64;

		for (int j = 0; j < 32; j++)
			secret[j] = (uint8_t)(i * 31 + j * 7 + 1);
		len[i] = (size_t)(i * 4);
		for (size_t j = 0; j < len[i]; j++)
			msg[i][j] = (uint8_t)(i + j);
		k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, secret,
		    32);
		if (k == NULL || c == NULL ||
		    EVP_PKEY_get_raw_public_key(k, pub[i], &n) != 1 ||
		    EVP_DigestSignInit(c, NULL, NULL, NULL, k) != 1 ||
		    EVP_DigestSign(c, sig[i], &siglen, msg[i], len[i]) != 1) {
			fprintf(stderr, "bench: OpenSSL could not sign\n");
			exit(1);
		}
		EVP_MD_CTX_free(c);
		EVP_PKEY_free(k);
		key[i] = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL,
		    pub[i], 32);
	}
	for (int r = 0; r < repeats; r++) {
		double t0 = now();
		for (int n = 0; n < rounds; n++)
			for (int i = 0; i < ED_CASES; i++)
				bad |= ed25519_verify(sig[i], msg[i], len[i],
				    pub[i]);
		ours[r] = rounds * ED_CASES / (now() - t0);
		t0 = now();
		for (int n = 0; n < rounds; n++) {
			for (int i = 0; i < ED_CASES; i++) {
				EVP_MD_CTX *c = EVP_MD_CTX_new();

				if (EVP_DigestVerifyInit(c, NULL, NULL, NULL,
					key[i]) != 1 ||
				    EVP_DigestVerify(c, sig[i], 64, msg[i],
					len[i]) != 1)
					bad = 1;
				EVP_MD_CTX_free(c);
			}
		}
		theirs[r] = rounds * ED_CASES / (now() - t0);
	}
	for (int i = 0; i < ED_CASES; i++)
		EVP_PKEY_free(key[i]);
	if (bad) {
		fprintf(stderr, "bench: an Ed25519 signature did not verify\n");
		exit(1);
	}
	emit("Ed25519 verify", summarize(ours, repeats), "verify/s", "OpenSSL",
	    summarize(theirs, repeats));
}

/* ---- the IRQ bridge ---- */

static void
bench_bridge(int traced)
{
	struct irqb_source_cfg cfg = { EVENT_CUSTOM, 0, 0, 0 };
	double ours[REPEATS], base[REPEATS];
	const int iters = (traced ? 200000 : 2000000) / scale;
	struct event e;

	hosted_console_to(-1);
	obs_reset();
	obs_tracing(traced);
	for (int r = 0; r < repeats; r++) {
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
	emit(traced ?
		"IRQ bridge raise to delivery, with its OBS trace record" :
		"IRQ bridge raise to delivery",
	    summarize(ours, repeats), "ns/event", "an empty loop",
	    summarize(base, repeats));
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
	const int puts = 200 / scale + 1;
	uint8_t block[HAL_BLOCK_SIZE] = { 0 };
	char key[16], value[32];

	unlink(path);
	if (hosted_blk_open(path) != 0 || disk_open(&d, blk_hal()) != 0 ||
	    kv_open(&kv, blk_hal(), d.kv) != 0) {
		fprintf(stderr, "bench: cannot set up a KV store on %s\n",
		    path);
		exit(1);
	}
	for (int r = 0; r < repeats; r++) {
		double t0 = now();
		for (int i = 0; i < puts; i++) {
			snprintf(key, sizeof key, "k%d", i % 20);
			int n = snprintf(value, sizeof value, "value %d", i);
			if (kv_put(&kv, "bench", key, value, (uint32_t)n) !=
			    0) {
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
	emit("KV puts, file disk", summarize(ours, repeats), "puts/s",
	    "pwrite+fdatasync of one block", summarize(base, repeats));
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

/*
 * The floor under every hosted interrupt: a bare signal round trip (tgkill
 * to this thread, an empty handler, sigreturn) as the hosted HAL raises its
 * software interrupts, against one bare system call (getppid).
 */
static volatile sig_atomic_t rtt_hits;

static void
rtt_handler(int sig)
{
	(void)sig;
	rtt_hits++;
}

static void
bench_signal_rtt(void)
{
	struct sigaction sa, old;
	double ours[REPEATS], base[REPEATS];
	const int iters = 100000 / scale;
	pid_t pid = getpid(), tid = (pid_t)syscall(SYS_gettid);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = rtt_handler;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR2, &sa, &old) != 0) {
		perror("bench: sigaction");
		exit(1);
	}
	for (int r = 0; r < repeats; r++) {
		double t0 = now();
		for (int i = 0; i < iters; i++)
			syscall(SYS_tgkill, pid, tid, SIGUSR2);
		ours[r] = (now() - t0) / iters * 1e9;
		t0 = now();
		for (int i = 0; i < iters; i++)
			sink += (uint32_t)syscall(SYS_getppid);
		base[r] = (now() - t0) / iters * 1e9;
	}
	sigaction(SIGUSR2, &old, NULL);
	if (rtt_hits != (sig_atomic_t)(iters * repeats)) {
		fprintf(stderr, "bench: %d signals sent, %d taken\n",
		    iters * repeats, (int)rtt_hits);
		exit(1);
	}
	emit("bare signal round trip (tgkill, empty handler)",
	    summarize(ours, repeats), "ns", "one getppid system call",
	    summarize(base, repeats));
}

/* ---- the gene VM against native code ---- */

/* The interpreters bench vm compares (tools/bench/vm/). */
typedef void (*vm_run_fn)(const struct vm_prog *, struct vm_machine *, uint64_t,
    uint64_t, struct vm_result *);
void vm_run_switch(const struct vm_prog *, struct vm_machine *, uint64_t,
    uint64_t, struct vm_result *);
void vm_run_nogas(const struct vm_prog *, struct vm_machine *, uint64_t,
    uint64_t, struct vm_result *);
void vm_run_nobounds(const struct vm_prog *, struct vm_machine *, uint64_t,
    uint64_t, struct vm_result *);

/* The native twins of genes/bpf/loop_sum.c and loop_mem.c (see there). */
struct loop_sum_state {
	uint32_t x, runs;
};

static __attribute__((noinline)) void
loop_sum_native(struct loop_sum_state *st, uint32_t rounds, uint32_t seed)
{
	uint32_t x;

	if (st->runs == 0)
		st->x = seed;
	x = st->x;
	for (uint32_t i = 0; i < rounds; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		x = x * 2654435761u + i;
	}
	st->x = x;
	st->runs++;
}

struct loop_mem_state {
	uint32_t h, runs;
	uint8_t buf[64];
};

static __attribute__((noinline)) void
loop_mem_native(struct loop_mem_state *st, uint32_t rounds)
{
	uint32_t h;

	if (st->runs == 0)
		st->h = 2166136261u;
	h = st->h;
	for (uint32_t i = 0; i < rounds; i++) {
		for (uint32_t j = 0; j < 64; j++)
			h = (h ^ st->buf[j]) * 16777619u;
		st->buf[i & 63] = (uint8_t)h;
	}
	st->h = h;
	st->runs++;
}

static struct vm_prog
load_gene(const char *dir, const char *name, struct vm_insn *pool)
{
	static struct bpf_prog obj;
	static uint8_t file[1 << 16];
	struct vm_verify_error err = { 0 };
	struct vm_prog prog;
	char path[1024], msg[BPF_ELF_MSG_MAX] = "";
	uint32_t used;
	size_t n;
	FILE *f;

	snprintf(path, sizeof path, "%s/%s.o", dir, name);
	if ((f = fopen(path, "rb")) == NULL) {
		perror(path);
		exit(1);
	}
	n = fread(file, 1, sizeof file, f);
	fclose(f);
	if (bpf_elf_load(file, n, "gene", &obj, msg, sizeof msg) < 0 ||
	    vm_load(&prog, obj.code, obj.insn_count, obj.entry, 0, pool,
		VM_INSNS_MAX, &used, &err) < 0) {
		fprintf(stderr, "bench: %s: %s%s\n", path, msg, err.reason);
		exit(1);
	}
	return prog;
}

/*
 * One quantum of prog with arg0 = rounds and arg1 = seed on a zeroed state
 * area; returns the seconds it took, the state in state, the result in *res.
 */
static double
vm_time(vm_run_fn run, const struct vm_prog *prog, uint32_t rounds,
    uint32_t seed, uint8_t state[VM_STATE_SIZE], struct vm_result *res)
{
	static uint8_t stack[VM_STACK_SIZE];
	struct gene_vm_ctx ctx = { 0 };
	struct vm_machine m = { 0 };
	double t0;

	ctx.arg0 = rounds;
	ctx.arg1 = seed;
	memset(state, 0, VM_STATE_SIZE);
	m.region[VM_REGION_CTX] =
	    (struct vm_region){ (uint8_t *)&ctx, sizeof ctx, 0 };
	m.region[VM_REGION_STATE] =
	    (struct vm_region){ state, VM_STATE_SIZE, 1 };
	m.region[VM_REGION_STACK] =
	    (struct vm_region){ stack, VM_STACK_SIZE, 1 };
	m.gas = UINT64_MAX;
	t0 = now();
	run(prog, &m, VM_CTX_BASE, VM_STATE_BASE, res);
	return now() - t0;
}

static void
bench_vm(const char *dir)
{
	static struct vm_insn pool[2][VM_INSNS_MAX];
	static const struct {
		const char *name;
		vm_run_fn run;
	} variants[] = {
		{ "computed goto", vm_run },
		{ "switch dispatch", vm_run_switch },
		{ "no gas metering", vm_run_nogas },
		{ "no bounds checks", vm_run_nobounds },
	};
	const struct vm_prog progs[2] = {
		load_gene(dir, "loop_sum", pool[0]),
		load_gene(dir, "loop_mem", pool[1]),
	};
	const uint32_t rounds[2] = { 2000000u / (uint32_t)scale,
		20000u / (uint32_t)scale };
	double vm_s[REPEATS], nat_s[REPEATS], ips[REPEATS];
	uint8_t state[VM_STATE_SIZE];
	struct vm_result res;
	uint64_t insns = 0;
	char name[128];

	for (int g = 0; g < 2; g++) {
		/* The native result, to check every interpreter against. */
		struct loop_sum_state ss = { 0 };
		struct loop_mem_state ms = { 0, 0, { 0 } };
		uint8_t want[VM_STATE_SIZE] = { 0 };

		for (int r = 0; r < repeats; r++) {
			double t0 = now();

			if (g == 0) {
				ss = (struct loop_sum_state){ 0, 0 };
				loop_sum_native(&ss, rounds[g], 1);
			} else {
				ms = (struct loop_mem_state){ 0, 0, { 0 } };
				loop_mem_native(&ms, rounds[g]);
			}
			nat_s[r] = now() - t0;
		}
		if (g == 0)
			memcpy(want, &ss, sizeof ss);
		else
			memcpy(want, &ms, sizeof ms);
		for (size_t v = 0; v < sizeof variants / sizeof variants[0];
		     v++) {
			for (int r = 0; r < repeats; r++) {
				vm_s[r] = vm_time(variants[v].run, &progs[g],
				    rounds[g], 1, state, &res);
				if (res.exit != VM_EXIT_DONE ||
				    memcmp(state, want, sizeof want) != 0) {
					fprintf(stderr,
					    "bench: %s gave another "
					    "result than native code\n",
					    variants[v].name);
					exit(1);
				}
				/* Instructions as the metered run counts them
				 * (an unmetered one counts none). */
				if (v == 0)
					insns = res.insns;
				ips[r] = (double)insns / vm_s[r];
			}
			snprintf(name, sizeof name, "VM %s (%s), time",
			    g == 0 ? "loop_sum" : "loop_mem", variants[v].name);
			emit(name, summarize(vm_s, repeats), "s",
			    "the same logic in C", summarize(nat_s, repeats));
			snprintf(name, sizeof name, "VM %s (%s), instructions",
			    g == 0 ? "loop_sum" : "loop_mem", variants[v].name);
			emit(name, summarize(ips, repeats), "insns/s", "one",
			    (struct figure){ 1, 1, 1 });
		}
	}
}

static void
usage(FILE *f)
{
	fputs(
	    "usage: bench [--quick] [all|boots|codec|crypto|bridge|sigrtt]\n"
	    "       bench [--quick] vm GENE-DIR | kv DISK-FILE\n"
	    "       bench signals PID SECONDS\n"
	    "One JSON object a line on stdout (tools/bench/bench.sh runs it);\n"
	    "--quick runs each figure once with tiny counts (for a test).\n",
	    f);
}

int
main(int argc, char **argv)
{
	const char *only;
	int all, done = 0;

	while (argc > 1 && argv[1][0] == '-') {
		if (strcmp(argv[1], "--quick") == 0) {
			repeats = 1;
			scale = 100;
		} else if (strcmp(argv[1], "-h") == 0 ||
		    strcmp(argv[1], "--help") == 0) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "bench: unknown option %s\n", argv[1]);
			usage(stderr);
			return 2;
		}
		argc--;
		argv++;
	}
	only = argc > 1 ? argv[1] : "all";
	all = strcmp(only, "all") == 0;
	if ((all || strcmp(only, "boots") == 0 || strcmp(only, "codec") == 0 ||
		strcmp(only, "crypto") == 0 || strcmp(only, "bridge") == 0 ||
		strcmp(only, "sigrtt") == 0) &&
	    argc > 2) {
		fprintf(stderr, "bench: %s takes no argument\n", only);
		return 2;
	}
	if (all || strcmp(only, "boots") == 0) {
		bench_boots(scale > 1 ? 3 : 300);
		done = 1;
	}
	if (all || strcmp(only, "codec") == 0) {
		bench_codec(64, 0);
		bench_codec(1024, 0);
		bench_codec(64, 1);
		bench_codec(1024, 1);
		done = 1;
	}
	if (all || strcmp(only, "crypto") == 0) {
		for (int accel = 0; accel <= 1; accel++) {
			bench_crypto(0, accel, 1 << 20);
			bench_crypto(0, accel, 16384);
			bench_crypto(0, accel, 64);
			bench_crypto(1, accel, 1 << 20);
		}
		bench_ed25519();
		done = 1;
	}
	if (all || strcmp(only, "bridge") == 0) {
		bench_bridge(0);
		bench_bridge(1);
		done = 1;
	}
	if (all || strcmp(only, "sigrtt") == 0) {
		bench_signal_rtt();
		done = 1;
	}
	if (strcmp(only, "vm") == 0 && argc == 3) {
		bench_vm(argv[2]);
		done = 1;
	}
	if (strcmp(only, "kv") == 0 && argc == 3) {
		bench_kv(argv[2]);
		done = 1;
	}
	if (strcmp(only, "signals") == 0 && argc == 4) {
		send_signals((pid_t)atoi(argv[2]), atof(argv[3]));
		done = 1;
	}
	if (!done) {
		fprintf(stderr, "bench: unknown group or wrong arguments: %s\n",
		    only);
		usage(stderr);
		return 2;
	}
	return 0;
}
