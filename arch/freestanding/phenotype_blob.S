/*
 * The board's phenotype, embedded at build time (cellos_embed_phenotype in
 * cmake/CellosCommon.cmake): board_pbin .. board_pbin_end.
 */
	.section .rodata
	.balign 8
	.globl board_pbin
	.globl board_pbin_end
board_pbin:
	.incbin CELLOS_PBIN_FILE
board_pbin_end:

	.section .note.GNU-stack, "", %progbits
