/*
 * A reader for the bytecode genes' objects: ELF64, little-endian, EM_BPF,
 * ET_REL, as clang -target bpf -c writes them (genes/bpf/, docs/GENES.md).
 * It takes .text as the program's instructions, packs every allocatable
 * read-only data section into the program's rodata (VM_RODATA_BASE, see
 * include/cellos/vm_abi.h), and applies the relocations: lddw of rodata
 * (R_BPF_64_64), calls of functions in .text (R_BPF_64_32), and pointers
 * inside rodata (R_BPF_64_ABS64, R_BPF_64_ABS32). Everything else is
 * refused with a message naming the section, relocation or offset. The
 * input is untrusted: every offset and size is checked against it first.
 */
#ifndef CELLOS_BPF_ELF_H
#define CELLOS_BPF_ELF_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define BPF_ELF_MSG_MAX 320

/* One gene program, ready for PBIN_SEC_PROGRAMS. */
struct bpf_prog {
	uint32_t insn_count; /* 8-byte slots of code */
	uint32_t entry;      /* slot of the entry function */
	uint32_t rodata_len; /* bytes of rodata */
	uint8_t code[VM_INSNS_MAX * 8];
	uint8_t rodata[VM_RODATA_MAX];
};

/*
 * Read the object buf[0..len) and build the program whose entry is the
 * function named entry in .text. Returns 0 with *out filled, or a negative
 * -CELL_E_* code with msg[0..cap) saying what and where (no file name:
 * the caller adds it). Pure: reads only its arguments, never crashes on
 * any input.
 */
int bpf_elf_load(const uint8_t *buf, size_t len, const char *entry,
    struct bpf_prog *out, char *msg, size_t cap);

/* The name of BPF relocation type t ("R_BPF_64_64", ...), or NULL. */
const char *bpf_elf_reloc_name(uint32_t t);

#endif
