/*
 * The power-on self-tests (selftest.c) and the VM programs they run, which
 * the unit tests rebuild to check the known answers against an independent
 * evaluator.
 */
#ifndef CELLOS_SELFTEST_H
#define CELLOS_SELFTEST_H

#include <stdint.h>

#include "cellos/vm_abi.h"

#define SELFTEST_VM_PROGRAMS 3
#define SELFTEST_HELPER      VM_HELPER_TICKS /* the id program 0 calls */
#define SELFTEST_R1          0xA5u           /* the programs' r1 and r2 */
#define SELFTEST_R2          0x5Au

/*
 * Write self-test program i (0 .. SELFTEST_VM_PROGRAMS - 1) into
 * code[0..cap) and return its length in 8-byte slots (0 when it does not
 * fit). Its helper, SELFTEST_HELPER, returns r1 * 3 + r2.
 */
uint32_t selftest_vm_program(unsigned i, uint8_t *code, uint32_t cap);

/* The r0 program i must return (selftest.c's table of known answers). */
uint64_t selftest_vm_answer(unsigned i);

#endif
