/*
 * The microcontroller profile: core/config.h's capacities this board
 * sets smaller, to fit its 192 KiB of data, BSS and stack. Only tables
 * whose size no proof value depends on, each still large enough for every
 * phenotype the board ships (the build includes this file through
 * CELLOS_BOARD_CONFIG; nothing else does).
 */
#ifndef CELLOS_BOARD_CONFIG_H
#define CELLOS_BOARD_CONFIG_H

/*
 * Decoded gene instructions, all genes together: 16 bytes each, 64 KiB at
 * the default. 1536 slots hold every program of the largest phenotype the
 * loader accepts (PHENO_CODE_MAX bytes) decoded once; the shipped
 * phenotype decodes 458 (its testgene program three times). One that
 * needs more is refused gene by gene ("no room left to decode it"), never
 * misread.
 */
#define VM_DECODED_MAX 1536

/*
 * Blocks one KV scan request reads: 4 KiB of buffer instead of 32 (the
 * scan's result does not depend on it; each semihosting read is one host
 * call, whatever its size, so the saving is small).
 */
#define KV_SCAN_BLOCKS 8

#endif
