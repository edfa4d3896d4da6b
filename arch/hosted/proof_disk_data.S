/*
 * The proof disk's bytes (proof_disk.c): the TEST device secret and the
 * proof inbox the build signed. Each CELLOS_PROOF_* is a file's path.
 */
	.section .rodata
	.balign 8

	.globl hosted_test_secret
	.globl hosted_test_secret_end
hosted_test_secret:
	.incbin CELLOS_TEST_SECRET_FILE
hosted_test_secret_end:

	.balign 8
	.globl hosted_proof_package
	.globl hosted_proof_package_end
hosted_proof_package:
	.incbin CELLOS_PROOF_PACKAGE_FILE
hosted_proof_package_end:

	.balign 8
	.globl hosted_proof_older
	.globl hosted_proof_older_end
hosted_proof_older:
	.incbin CELLOS_PROOF_OLDER_FILE
hosted_proof_older_end:

	.balign 8
	.globl hosted_proof_foreign
	.globl hosted_proof_foreign_end
hosted_proof_foreign:
	.incbin CELLOS_PROOF_FOREIGN_FILE
hosted_proof_foreign_end:

	.balign 8
	.globl hosted_proof_rotation
	.globl hosted_proof_rotation_end
hosted_proof_rotation:
	.incbin CELLOS_PROOF_ROTATION_FILE
hosted_proof_rotation_end:

	.section .note.GNU-stack, "", @progbits
