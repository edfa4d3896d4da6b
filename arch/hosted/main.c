/*
 * cellos-hosted: the kernel core as a Linux process. Parses the command
 * line, probes the host, and hands over to the kernel. stdout is channel 0;
 * everything this file says itself goes to stderr.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cell.h"
#include "cellos/exit.h"
#include "hal.h"
#include "hosted.h"

static const char usage_line[] =
    "usage: cellos-hosted [--phenotype=FILE] [--time=virtual|real] "
    "[--irq-record=FILE | --irq-replay=FILE] [--run-for=SECONDS] "
    "[--disk=FILE|none] [--disk-fail=N] [--secret=FILE] [--ram=SIZE] [--boots=N] "
    "[--console=stdout|null] "
    "[-h|--help] [--version]\n";

static void
usage_full(void)
{
	fputs(usage_line, stdout);
	fputs(
	    "\n"
	    "Boot the cell_os kernel core as an ordinary process and walk its\n"
	    "proof chain. Channel 0 (the console) is stdout; diagnostics go to\n"
	    "stderr. The exit status says how the boot ended: 0 after FULL PROOF\n"
	    "SUCCESS, 1 after PROOF FAILURE, 2 after PROOF UNCHECKED (no ledger\n"
	    "for the phenotype), 4 when the machine could not run (a bad option\n"
	    "or file, a console that cannot be written); a kernel panic aborts.\n"
	    "\n"
	    "  --phenotype=FILE  boot this .pbin instead of the built-in\n"
	    "                 hosted.linux phenotype; one the ledger has no\n"
	    "                 evidence for ends in PROOF UNCHECKED; a malformed\n"
	    "                 one is refused (the reason goes to the console),\n"
	    "                 the kernel boots its minimal fallback phenotype\n"
	    "                 and the verdict is PROOF FAILURE\n"
	    "  --time=virtual  time advances only while the kernel waits: a run\n"
	    "                 is deterministic and faster than real time (default)\n"
	    "  --time=real    the timer is setitimer/SIGALRM in real time\n"
	    "  --irq-record=FILE  write the timer and external interrupts taken,\n"
	    "                 and where, to FILE\n"
	    "  --irq-replay=FILE  take exactly the interrupts recorded in FILE\n"
	    "                 instead of real ones: channel 0 repeats the recorded\n"
	    "                 run byte for byte\n"
	    "  --run-for=SECONDS  after the proof, keep serving interrupts for\n"
	    "                 SECONDS of kernel time (100 ticks a second),\n"
	    "                 printing an event line for each; kill -USR1/-USR2\n"
	    "                 <pid> raise external lines 0/1\n"
	    "  --disk=FILE    the block device is FILE (created with 8 MiB if\n"
	    "                 missing, as a proof disk; the proof needs 816 KiB); default: an 8 MiB\n"
	    "                 device in memory that is gone when the process ends;\n"
	    "                 --disk=none: no block device (E7 falls back to RAM\n"
	    "                 and the verdict is PROOF FAILURE)\n"
	    "  --disk-fail=N  from the Nth write of each boot on, every write to\n"
	    "                 the block device fails (1: a write-protected disk),\n"
	    "                 to see how the kernel copes\n"
	    "  --secret=FILE  the machine hands the kernel FILE's 32 bytes as\n"
	    "                 the device secret, instead of the disk's slot (a\n"
	    "                 new --disk file and the memory device are proof\n"
	    "                 disks: the documented TEST secret; docs/SECURITY.md)\n"
	    "  --ram=SIZE     RAM the machine reports (default 128M); SIZE is a\n"
	    "                 number of bytes with an optional K, M or G suffix\n"
	    "                 and must be a whole number of MiB\n"
	    "  --boots=N      boot N times in this one process, each time from\n"
	    "                 cell_reset() as after a power cycle (default 1);\n"
	    "                 stops at the first boot that fails\n"
	    "  --console=null  discard channel 0 (for timing in-process boots)\n"
	    "  --version      print the version and exit\n"
	    "  -h, --help     print this help and exit\n",
	    stdout);
}

static __attribute__((noreturn, format(printf, 1, 2))) void
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("cellos-hosted: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fputs(usage_line, stderr);
	exit(CELL_EXIT_NOSTART);
}

/* Parse "128M"-style sizes. Returns 0 and sets *out, or -1. */
static int
parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	switch (*end) {
	case 'K':
	case 'k':
		shift = 10;
		end++;
		break;
	case 'M':
	case 'm':
		shift = 20;
		end++;
		break;
	case 'G':
	case 'g':
		shift = 30;
		end++;
		break;
	default:
		break;
	}
	if (*end != '\0' || v > (UINT64_MAX >> shift))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

/* Parse a whole number in min..max. */
static int
parse_count(const char *s, unsigned long min, unsigned long max, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/*
 * Say on channel 0 (and stderr) how many signals the interrupt lines
 * refused: someone else tried to drive this kernel's timer or software
 * line. They were never taken; the log is not evidence of a quiet machine.
 */
static void
report_refused(void)
{
	static const char *const names[HAL_IRQ_LINES] = { "SIGALRM (timer)",
		"SIGRTMIN (software line)", "SIGUSR1 (during the replay)",
		"SIGUSR2 (during the replay)" };
	char line[200];

	for (unsigned l = 0; l < HAL_IRQ_LINES; l++) {
		int pid = 0;
		uint64_t n = hosted_irq_refused(l, &pid);
		int len;

		if (n == 0)
			continue;
		len = snprintf(line, sizeof line,
		    "#W hosted: refused %llu %s "
		    "not raised by this kernel (the last from pid %d)\n",
		    (unsigned long long)n, names[l], pid);
		fprintf(stderr, "cellos-%s", line + 3);
		hal_console_write(line, (size_t)len);
	}
}

/*
 * Block the interrupt signals before any other code of this program runs:
 * .preinit_array functions run before every constructor and before main,
 * so a signal sent right after the process started waits for its handler
 * instead of killing the process. (What arrives while the dynamic loader
 * is still mapping the program takes the default action: no code of ours
 * exists yet to say otherwise.)
 */
static void
block_signals_first(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)argv;
	(void)envp;
	hosted_irq_block_early();
}
__attribute__((section(".preinit_array"),
    used)) static void (*const block_first)(int, char **,
    char **) = block_signals_first;

int
main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "phenotype", required_argument, NULL, 'p' },
		{ "time", required_argument, NULL, 't' },
		{ "irq-record", required_argument, NULL, 'R' },
		{ "irq-replay", required_argument, NULL, 'P' },
		{ "run-for", required_argument, NULL, 'f' },
		{ "disk", required_argument, NULL, 'd' },
		{ "disk-fail", required_argument, NULL, 'F' },
		{ "secret", required_argument, NULL, 'S' },
		{ "ram", required_argument, NULL, 'r' },
		{ "boots", required_argument, NULL, 'b' },
		{ "console", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t ram = 128ull << 20;
	enum hosted_time time_mode = HOSTED_TIME_VIRTUAL;
	const char *record_path = NULL, *replay_path = NULL;
	const char *pheno_path = NULL, *disk_path = NULL;
	struct hosted_irq_event *schedule = NULL;
	size_t schedule_len = 0;
	FILE *record = NULL;
	uint32_t run_for = 0, boots = 1, disk_fail = 0;
	int c, status = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case 'p':
			pheno_path = optarg;
			break;
		case 't':
			if (strcmp(optarg, "virtual") == 0)
				time_mode = HOSTED_TIME_VIRTUAL;
			else if (strcmp(optarg, "real") == 0)
				time_mode = HOSTED_TIME_REAL;
			else
				usage_error(
				    "--time=%s: expected virtual or real",
				    optarg);
			break;
		case 'R':
			record_path = optarg;
			break;
		case 'P':
			replay_path = optarg;
			break;
		case 'f':
			if (parse_count(optarg, 1, 86400, &run_for) != 0)
				usage_error(
				    "--run-for=%s: expected whole seconds, "
				    "1..86400",
				    optarg);
			break;
		case 'd':
			disk_path = optarg;
			break;
		case 'F':
			if (parse_count(optarg, 1, UINT32_MAX, &disk_fail) != 0)
				usage_error(
				    "--disk-fail=%s: expected the number of "
				    "the first write to fail, 1 or more",
				    optarg);
			break;
		case 'S':
			if (hosted_load_secret(optarg) != 0)
				return CELL_EXIT_NOSTART;
			break;
		case 'b':
			if (parse_count(optarg, 1, 1000000, &boots) != 0)
				usage_error("--boots=%s: expected 1..1000000",
				    optarg);
			break;
		case 'c':
			if (strcmp(optarg, "null") == 0)
				hosted_console_to(-1);
			else if (strcmp(optarg, "stdout") != 0)
				usage_error(
				    "--console=%s: expected stdout or null",
				    optarg);
			break;
		case 'r':
			if (parse_size(optarg, &ram) != 0 || ram == 0 ||
			    (ram & ((1u << 20) - 1)) != 0 ||
			    (ram >> 20) > UINT32_MAX)
				usage_error(
				    "--ram=%s: expected a whole number of MiB, such as 128M or 1G",
				    optarg);
			break;
		case 'h':
			usage_full();
			return 0;
		case 'V':
			printf("cellos-hosted %s\n", CELLOS_VERSION_STRING);
			return 0;
		case ':':
			usage_error("%s needs a value", argv[optind - 1]);
		default:
			usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	if (record_path != NULL && replay_path != NULL)
		usage_error("%s",
		    "--irq-record and --irq-replay exclude each other");

	if (pheno_path != NULL) {
		if (hosted_load_phenotype(pheno_path) != 0)
			return CELL_EXIT_NOSTART;
	} else {
		hosted_use_default_phenotype();
	}
	if (disk_path != NULL && strcmp(disk_path, "none") == 0)
		hosted_blk_use_none();
	else if (disk_path != NULL ?
		hosted_blk_open(disk_path) != 0 :
		hosted_blk_use_memory(HOSTED_DISK_BLOCKS) != 0)
		return CELL_EXIT_NOSTART;
	hosted_blk_fail_writes(disk_fail);
	if (replay_path != NULL &&
	    hosted_irq_load_schedule(replay_path, &schedule, &schedule_len) !=
		0)
		return CELL_EXIT_NOSTART;
	if (record_path != NULL && (record = fopen(record_path, "w")) == NULL) {
		fprintf(stderr, "cellos-hosted: %s: %s\n", record_path,
		    strerror(errno));
		return CELL_EXIT_NOSTART;
	}
	hosted_irq_configure(time_mode, record, schedule, schedule_len);

	for (uint32_t i = 0; i < boots && status == CELL_EXIT_SUCCESS; i++)
		status = hosted_boot_once(ram);
	if ((status == CELL_EXIT_SUCCESS || status == CELL_EXIT_UNCHECKED) &&
	    run_for > 0)
		cell_serve(run_for * CELL_SERVE_HZ);
	report_refused();

	if (record != NULL && fclose(record) != 0) {
		fprintf(stderr, "cellos-hosted: %s: %s\n", record_path,
		    strerror(errno));
		status = status ? status : CELL_EXIT_NOSTART;
	}
	if (schedule != NULL && !hosted_irq_replay_done()) {
		fprintf(stderr,
		    "cellos-hosted: --irq-replay: the run ended "
		    "before every recorded interrupt was taken\n");
		status = status ? status : CELL_EXIT_NOSTART;
	}
	free(schedule);
	hal_exit(status);
}
