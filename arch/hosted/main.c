/*
 * cellos-hosted: the kernel core as a Linux process. Parses the command
 * line, probes the host, and hands over to cell_main. stdout is channel 0;
 * everything this file says itself goes to stderr.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cell.h"
#include "hal.h"
#include "hosted.h"

static const char usage_line[] =
    "usage: cellos-hosted [--ram=SIZE] [--help] [--version]\n";

static void
usage_full(void)
{
	fputs(usage_line, stdout);
	fputs("\n"
	    "Boot the cell_os kernel core as an ordinary process and walk its\n"
	    "proof chain. Channel 0 (the console) is stdout; diagnostics go to\n"
	    "stderr. The exit status is 0 after FULL PROOF SUCCESS.\n"
	    "\n"
	    "  --ram=SIZE     RAM the machine reports (default 128M); SIZE is a\n"
	    "                 number of bytes with an optional K, M or G suffix\n"
	    "                 and must be a whole number of MiB\n"
	    "  --version      print the version and exit\n"
	    "  --help         print this help and exit\n", stdout);
}

static __attribute__((noreturn)) void
usage_error(const char *fmt, const char *arg)
{
	fputs("cellos-hosted: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	fputs(usage_line, stderr);
	exit(2);
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
	case 'K': case 'k': shift = 10; end++; break;
	case 'M': case 'm': shift = 20; end++; break;
	case 'G': case 'g': shift = 30; end++; break;
	default: break;
	}
	if (*end != '\0' || v > (UINT64_MAX >> shift))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "ram", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t ram = 128ull << 20;
	handoff_t handoff;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", options, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (parse_size(optarg, &ram) != 0 || ram == 0 ||
			    (ram & ((1u << 20) - 1)) != 0 || (ram >> 20) > UINT32_MAX)
				usage_error("--ram=%s: expected a whole number of MiB, such as 128M or 1G",
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

	static const char stage[] = "#E0 hosted start\n";
	hal_console_write(stage, sizeof stage - 1);
	hosted_probe(&handoff, ram);
	cell_main(&handoff);
}
