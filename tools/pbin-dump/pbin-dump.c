/*
 * pbin-dump FILE: print a phenotype binary readably. It goes through the
 * kernel's own loader (core/pheno.c), so it shows exactly what a kernel
 * would boot, and a file the kernel would refuse is refused here with the
 * same offset, field and reason (exit 1). A v1.2 file's programs are shown
 * as a disassembly (disasm.c) and a hex dump of their rodata, followed by
 * the table of which gene runs which program with which helpers and gas.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cellos/errors.h"
#include "cellos/vm_abi.h"
#include "disasm.h"
#include "pbin_codec.h"
#include "pheno.h"
#include "vm.h"

static const char *
device_kind(uint32_t k)
{
	const char *name = pbin_device_kind_name(k);

	return name != NULL ? name : "?";
}

static const char *
gene_kind(uint32_t k)
{
	const char *name = pbin_gene_kind_name(k);

	return name != NULL ? name : "unknown";
}

static const char *
behaviour(uint32_t b)
{
	static const char *const names[] = { "well_behaved", "rogue_route",
		"budget_hog" };

	return b < 3 ? names[b] : "?";
}

/* A program: its header line, one line per slot, then its rodata in hex. */
static void
print_program(uint32_t k, const struct pheno_program *pr)
{
	char line[256];

	printf("  program %u: %u slots, entry %u, rodata %u bytes\n", k,
	    pr->insn_count, pr->entry, pr->rodata_len);
	for (uint32_t i = 0; i < pr->insn_count; i++) {
		disasm_slot(pr->code, pr->insn_count, i, pr->rodata,
		    pr->rodata_len, line, sizeof line);
		printf("  %4u: %s%s\n", i, line,
		    i == pr->entry ? "  <- entry" : "");
	}
	for (uint32_t o = 0; o < pr->rodata_len; o += 16) {
		uint32_t n = pr->rodata_len - o < 16 ? pr->rodata_len - o : 16;

		printf("  rodata+%04x:", o);
		for (uint32_t j = 0; j < 16; j++) {
			if (j < n)
				printf(" %02x", pr->rodata[o + j]);
			else
				printf("   ");
		}
		printf("  |");
		for (uint32_t j = 0; j < n; j++) {
			uint8_t c = pr->rodata[o + j];
			putchar(c >= 0x20 && c <= 0x7E ? c : '.');
		}
		printf("|\n");
	}
}

/* Which gene runs which program, with which helpers and gas. */
static void
print_gene_code(const struct phenotype *p)
{
	printf("gene code (%u):\n", p->num_gene_code);
	for (uint32_t i = 0; i < p->num_gene_code; i++) {
		const pbin_gene_code_t *gc = &p->gene_code[i];
		int first = 1;

		printf("  g%-3u program %-2u gas %-6u helpers", gc->gene_id,
		    gc->program, gc->gas);
		for (uint32_t h = 1; h < VM_HELPERS_MAX; h++) {
			if (!(gc->helpers & (1u << h)))
				continue;
			printf("%c%s", first ? ' ' : ',', vm_helper_name(h));
			first = 0;
		}
		if (gc->helpers & ~(uint32_t)VM_HELPERS_ALL)
			printf("%cunknown 0x%X", first ? ' ' : ',',
			    gc->helpers & ~(uint32_t)VM_HELPERS_ALL);
		else if (first)
			printf(" (none)");
		putchar('\n');
	}
}

int
main(int argc, char **argv)
{
	static uint8_t buf[PBIN_SIZE_MAX + 1];
	static struct phenotype p;
	struct pheno_error err = { 0 };
	size_t len;
	FILE *f;
	int rc;

	const char *path = NULL;
	int options = 1;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (options && strcmp(a, "--") == 0) {
			options = 0;
		} else if (options &&
		    (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
			puts("usage: pbin-dump [--] FILE.pbin\n\n"
			     "Print a phenotype binary as the kernel's loader "
			     "reads it; a file the\nkernel would refuse is "
			     "refused with its offset, field and reason.");
			return 0;
		} else if (options && a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "pbin-dump: unknown option '%s'\n", a);
			fputs("usage: pbin-dump [--] FILE.pbin\n", stderr);
			return 2;
		} else if (path != NULL) {
			fprintf(stderr,
			    "pbin-dump: unexpected argument '%s' "
			    "(one FILE only)\n",
			    a);
			fputs("usage: pbin-dump [--] FILE.pbin\n", stderr);
			return 2;
		} else {
			path = a;
		}
	}
	if (path == NULL) {
		fputs("pbin-dump: no FILE given\n"
		      "usage: pbin-dump [--] FILE.pbin\n",
		    stderr);
		return 2;
	}
	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "pbin-dump: %s: %s\n", path, strerror(errno));
		return 1;
	}
	len = fread(buf, 1, sizeof buf, f);
	fclose(f);
	if ((rc = pheno_parse(buf, len, &p, &err)) < 0) {
		fprintf(stderr, "%s: offset %u: %s: %s (%s)\n", path,
		    err.offset, err.field, err.detail, cell_strerror(rc));
		return 1;
	}
	printf(
	    "phenotype %s: .pbin v%u.%u, arch %u, %zu bytes, quantum %u ns\n",
	    p.name, p.ver_major, p.ver_minor, p.arch_id, len, p.quantum_ns);
	printf("scheduler: gas %u, proof %u quanta, epoch %u quanta\n",
	    p.sched.gas, p.sched.proof_quanta, p.sched.epoch_quanta);
	printf("channels (%u):\n  idx  id class prio bucket/max refill depth\n",
	    p.num_channels);
	for (uint32_t i = 0; i < p.num_channels; i++) {
		const struct pbin_qos *q = &p.channels[i].qos;
		printf("  %3u %3u %-5s %4u %6llu/%-3llu %6llu %5u\n", i,
		    q->channel_id, q->qos ? "RT" : "BE", q->priority,
		    (unsigned long long)q->bucket,
		    (unsigned long long)q->bucket_max,
		    (unsigned long long)q->refill_per_tick,
		    p.channels[i].queue_depth);
	}
	printf("edges (row: from, column: to, by channel id):\n     ");
	for (uint32_t j = 0; j < p.num_channels; j++)
		printf(" %3u", p.channels[j].qos.channel_id);
	putchar('\n');
	for (uint32_t i = 0; i < p.num_channels; i++) {
		printf("  %3u", p.channels[i].qos.channel_id);
		for (uint32_t j = 0; j < p.num_channels; j++)
			printf("   %c", pheno_has_edge(&p, i, j) ? 'x' : '.');
		putchar('\n');
	}
	printf("genes (%u):\n", p.num_genes);
	for (uint32_t i = 0; i < p.num_genes; i++) {
		const pbin_gene_t *g = &p.genes[i];
		printf("  g%-3u %-16s channel %-3u cpu %-5u io %-6u mem %-5u",
		    g->gene_id, gene_kind(g->kind), g->channel, g->cpu_budget,
		    g->io_budget, g->mem_budget);
		if (g->kind == GENE_KIND_TESTGENE)
			printf(" target %u %s", g->arg0, behaviour(g->arg1));
		else if (g->kind == GENE_KIND_BYTECODE)
			printf(" arg0 %u arg1 %u", g->arg0, g->arg1);
		putchar('\n');
	}
	if (p.num_programs > 0) {
		printf("programs (%u):\n", p.num_programs);
		for (uint32_t k = 0; k < p.num_programs; k++)
			print_program(k, &p.programs[k]);
		print_gene_code(&p);
	}
	printf("devices (%u):\n", p.num_devices);
	for (uint32_t i = 0; i < p.num_devices; i++)
		printf("  %-8s channel %-3u addr 0x%llX\n",
		    device_kind(p.devices[i].kind), p.devices[i].channel,
		    (unsigned long long)p.devices[i].addr);
	return 0;
}
