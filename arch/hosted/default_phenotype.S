/*
 * The hosted.linux phenotype, built into cellos-hosted so that it boots to
 * its proof with no arguments. CELLOS_PBIN_FILE is the compiled .pbin.
 */
	.section .rodata
	.balign 8
	.globl hosted_default_pbin
	.globl hosted_default_pbin_end
hosted_default_pbin:
	.incbin CELLOS_PBIN_FILE
hosted_default_pbin_end:

	.section .note.GNU-stack, "", @progbits
