/*
 * What the loader checks before anything of the kernel runs, the chain
 * stage2 checks on the BIOS path (docs/BOOT-x86.md, "What stage2
 * verifies"), over the same CGF blob format:
 *
 *  - the build record tools/esp-pack patched into this loader names the
 *    kernel's memory size and the SHA-256 of the CGF gene directory;
 *  - the CGF header's CRC32C, the gene directory inside the blob, its
 *    SHA-256 against the recorded digest, its version;
 *  - the kernel file's size against the directory's kernel size;
 *  - the SHA-256 of the phenotype inside the kernel image, then of the whole
 *    image, each against the directory.
 *
 * The digests are taken over the bytes already at KERNEL_PHYS, where the
 * kernel runs from: what is verified is what boots. The kernel's own
 * SHA-256 and CRC32C (wire/crypto.c) do the work.
 */
#include <stdint.h>

#include "bootinfo.h"
#include "cellos/exit.h"
#include "crypto.h"
#include "loader.h"

_Static_assert(EXIT_BOOT_REFUSED == (CELL_EXIT_BOARD_BASE | CELL_EXIT_PANIC),
    "a loader's refusal is the board's panic status of exit.h");

#define CGF_HEADER 4096u

/* The build record as patched in (volatile: esp-pack changes it after the build). */
volatile const uint8_t uefi_record[UEBR_SIZE] __attribute__((used)) = {
	'U',
	'E',
	'B',
	'R',
};

static uint32_t
le32(const volatile uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

uint32_t
record_memsz(void)
{
	if (!(le32(uefi_record + UEBR_FLAGS) & UEBR_F_PACKED))
		return 0;
	return le32(uefi_record + UEBR_MEMSZ);
}

int
verify_kernel(const uint8_t *cgf, uint32_t cgf_len, const uint8_t *kernel,
    uint32_t kernel_len)
{
	static uint8_t copy[CGF_HEADER];
	uint8_t digest[SHA256_SIZE], sha[SHA256_SIZE];
	uint32_t off, dlen, poff, plen;
	const uint8_t *dir;
	struct line l;

	if (record_memsz() == 0) {
		refuse("the loader's build record is empty (BOOTX64.EFI not "
		       "packed by tools/esp-pack?)");
		return -1;
	}
	for (unsigned i = 0; i < SHA256_SIZE; i++)
		digest[i] = uefi_record[UEBR_DIGEST + i];
	if (cgf_len < CGF_HEADER) {
		refuse("the CGF blob is shorter than its 4096-byte header");
		return -1;
	}
	memcpy(copy, cgf, CGF_HEADER);
	memset(copy, 0, 4);
	if (crc32c(0, copy, CGF_HEADER) != le32(cgf)) {
		refuse("CGF header CRC32C mismatch");
		return -1;
	}
	off = le32(cgf + 4);
	dlen = le32(cgf + 8);
	if (off < CGF_HEADER || off > cgf_len || dlen > cgf_len - off) {
		refuse("CGF gene directory lies outside the blob");
		return -1;
	}
	dir = cgf + off;
	sha256(dir, dlen, sha);
	if (!ct_equal(sha, digest, SHA256_SIZE)) {
		refuse("CGF gene directory SHA-256 mismatch");
		return -1;
	}
	/* From here the directory is the one esp-pack wrote. */
	if (dlen != GENEDIR_SIZE || le32(dir + GD_MAGIC) != GENEDIR_MAGIC ||
	    le32(dir + GD_VERSION) != GENEDIR_VERSION) {
		refuse("CGF gene directory is not version 1");
		return -1;
	}
	if (le32(dir + GD_KERNEL_BYTES) != kernel_len) {
		line_start(&l, "the kernel file's size (");
		line_dec(&l, kernel_len);
		line_str(&l, " bytes) differs from the CGF gene directory's (");
		line_dec(&l, le32(dir + GD_KERNEL_BYTES));
		line_str(&l, ")");
		refuse_line(&l);
		return -1;
	}
	poff = le32(dir + GD_PHENOTYPE_OFF);
	plen = le32(dir + GD_PHENOTYPE_LEN);
	if (plen == 0 || poff > kernel_len || plen > kernel_len - poff) {
		refuse("CGF gene directory puts the phenotype outside the "
		       "kernel image");
		return -1;
	}
	sha256(kernel + poff, plen, sha);
	if (!ct_equal(sha, dir + GD_PHENOTYPE_SHA256, SHA256_SIZE)) {
		refuse("phenotype SHA-256 mismatch");
		return -1;
	}
	sha256(kernel, kernel_len, sha);
	if (!ct_equal(sha, dir + GD_KERNEL_SHA256, SHA256_SIZE)) {
		refuse("kernel image SHA-256 mismatch");
		return -1;
	}
	line_start(&l, "#I uefi: CGF verified: kernel image SHA-256 (");
	line_dec(&l, kernel_len);
	line_str(&l, " bytes) and its phenotype's (");
	line_dec(&l, plen);
	line_str(&l, " bytes at +");
	line_hex(&l, poff);
	line_str(&l, ") match the gene directory");
	line_emit(&l);
	return 0;
}
