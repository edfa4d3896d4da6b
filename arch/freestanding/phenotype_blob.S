/*
 * The board's phenotype, embedded at build time (cellos_embed_phenotype in
 * cmake/CellosCommon.cmake): board_pbin .. board_pbin_end, empty when the
 * build had no phenotype compiler.
 */
	.section .rodata
	.balign 8
	.globl board_pbin
	.globl board_pbin_end
board_pbin:
#ifdef CELLOS_PBIN_FILE
	.incbin CELLOS_PBIN_FILE
#endif
board_pbin_end:

	.section .note.GNU-stack, "", %progbits
