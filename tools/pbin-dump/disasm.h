/*
 * A small eBPF (RFC 9669) disassembler for pbin-dump: one line of text per
 * 8-byte instruction slot, in the notation of llvm-objdump's BPF output
 * ("r1 = *(u32 *)(r2 + 8)", "if w1 != 0 goto +5"), with helper names from
 * include/cellos/vm_abi.h. It describes what the bytes say; it judges
 * nothing (that is the verifier's work).
 */
#ifndef CELLOS_DISASM_H
#define CELLOS_DISASM_H

#include <stddef.h>
#include <stdint.h>

/*
 * Describe slot of code[0..slots*8) into out[0..cap): the raw bytes
 * ("85 00 00 00 01000000") and the instruction ("call 1 (send)"). The
 * second slot of an lddw says so. rodata[0..rodata_len) lets an lddw of a
 * rodata address show the string it points at.
 */
void disasm_slot(const uint8_t *code, uint32_t slots, uint32_t slot,
    const uint8_t *rodata, uint32_t rodata_len, char *out, size_t cap);

#endif
