/*
 * The gene object reader (tools/phenotype-compile/bpf_elf.c) on any bytes,
 * in memory: no file is read or written. A refusal must say why; what it
 * accepts must be a program the phenotype format can hold (1..VM_INSNS_MAX
 * slots, an entry inside them, rodata within VM_RODATA_MAX), reading the
 * same bytes again must give the same program, and the kernel's verifier
 * must be able to judge it without crashing.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bpf_elf.h"
#include "cellos/vm_abi.h"
#include "vm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bpf_prog a, b;
	struct vm_verify_error err;
	char msg[BPF_ELF_MSG_MAX];

	if (bpf_elf_load(data, size, "gene", &a, msg, sizeof msg) < 0) {
		if (msg[0] == '\0' || strlen(msg) >= sizeof msg)
			abort(); /* a refusal must say why */
		return 0;
	}
	if (a.insn_count < 1 || a.insn_count > VM_INSNS_MAX ||
	    a.entry >= a.insn_count || a.rodata_len > VM_RODATA_MAX)
		abort();
	if (bpf_elf_load(data, size, "gene", &b, msg, sizeof msg) != 0 ||
	    memcmp(&a, &b, sizeof a) != 0)
		abort(); /* the same bytes, another program */
	(void)vm_verify(a.code, a.insn_count, a.entry, VM_HELPERS_ALL, &err);
	return 0;
}
