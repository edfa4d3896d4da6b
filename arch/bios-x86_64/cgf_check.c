/*
 * What stage2 checks in long mode before it copies the kernel to 1 MiB and
 * enters it (docs/BOOT-x86.md, "What stage2 verifies"):
 *
 *  - the layout table and stage2's build record are sane;
 *  - RAM: the E820 map has usable RAM for everything stage2 needs, low
 *    memory up to the end of the kernel as read, and the kernel's image,
 *    BSS and stack at 1 MiB (its memory size, recorded by disk-pack from
 *    the kernel ELF);
 *  - with S2F_CGF_VERIFY in the build record: the CGF blob's header
 *    CRC32C, its gene directory's SHA-256 against the digest disk-pack
 *    recorded in stage2, and through the directory the SHA-256 of the
 *    embedded phenotype and of the whole kernel image, exactly the bytes
 *    stage2 is about to copy and run;
 *  - with CELLOS_VERIFIED_BOOT as well (the build's default): the boot
 *    signature block after the gene directory, whose Ed25519 signature
 *    over the directory (and the block's key id) must verify under the
 *    root public key built into stage2 (cellos_root_key.h), with the
 *    kernel's own verifier (wire/ed25519.c). The directory holds the
 *    SHA-256 of the kernel image and of its phenotype, so the signature
 *    covers both.
 *
 * stage2_check returns only when all hold. Otherwise it prints
 * "#X stage2: <what>: refusing to boot" on port 0xE9 and COM1 and writes
 * EXIT_BOOT_REFUSED to isa-debug-exit (QEMU exits 71), then halts.
 * Built for stage2 (small code model, at 0x8000, no SSE, its BSS and
 * stack in 0xE000..0xFFFF, bootinfo.h), with the kernel's own SHA-256 and
 * CRC32C. The stack's lowest STAGE2_STACK_GUARD bytes are painted on entry
 * and must be intact when the checks are done.
 */
#include <stddef.h>
#include <stdint.h>

#include "bootinfo.h"
#include "cellos/exit.h"
#include "crypto.h"
#ifdef CELLOS_VERIFIED_BOOT
#include "cellos/errors.h"
#include "cellos_root_key.h"
#include "ed25519.h"
#endif

_Static_assert(EXIT_BOOT_REFUSED == (CELL_EXIT_BOARD_BASE | CELL_EXIT_PANIC),
    "a stage's refusal is the board's panic status of exit.h");

#define COM1 0x3F8u
#define KIB  1024u

void stage2_check(void);

/* stage2.asm's build record (bootinfo.h), patched in by disk-pack. */
extern const uint8_t stage2_record[S2R_SIZE];

/* The end of stage2's BSS (stage2.ld): the stack's guard starts there. */
extern uint8_t __s2_bss_end[];

#define STACK_GUARD_BYTE 0xA5u

/* bootinfo.h's stage2 memory: BSS and stack on pages of their own. */
_Static_assert(STAGE2_BSS_ADDR % 4096u == 0 &&
	STAGE2_BSS_ADDR >= STAGE2_ADDR + STAGE2_MAX_SECTORS * SECTOR_BYTES,
    "stage2's BSS must start on a page after the largest stage2 image");
_Static_assert(STAGE2_STACK_TOP <= CGF_ADDR,
    "stage2's stack must end below the CGF blob");

/* A physical address as a pointer, hidden from the compiler's bounds model. */
static uint8_t *
phys(uintptr_t p)
{
	__asm__("" : "+r"(p));
	return (uint8_t *)p;
}

static uint32_t
le16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint64_t
le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static void
outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static uint8_t
inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* One byte to 0xE9 and to COM1 (waiting for room; absent, it reads 0xFF). */
static void
put_char(char c)
{
	outb(0xE9, (uint8_t)c);
	while ((inb(COM1 + 5) & 0x20) == 0)
		;
	outb(COM1, (uint8_t)c);
}

static void
put_str(const char *s)
{
	while (*s != '\0')
		put_char(*s++);
}

/* 0x and upper-case hex, at least eight digits. */
static void
put_hex(uint64_t v)
{
	int digits = 8;

	while (digits < 16 && (v >> (4 * digits)) != 0)
		digits++;
	put_str("0x");
	while (digits-- > 0)
		put_char("0123456789ABCDEF"[(v >> (4 * digits)) & 0xF]);
}

static void
put_dec(uint64_t v)
{
	char buf[21];
	int n = 0;

	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		put_char(buf[--n]);
}

/* End a refusal line and leave the machine: QEMU exits 71; a PC halts. */
static _Noreturn void
refuse_end(void)
{
	put_str(": refusing to boot\n");
	outb(0xF4, EXIT_BOOT_REFUSED);
	for (;;)
		__asm__ volatile("cli; hlt");
}

static _Noreturn void
refuse(const char *why)
{
	put_str("#X stage2: ");
	put_str(why);
	refuse_end();
}

/* base + len, saturated: an E820 entry may run to the top of the space. */
static uint64_t
end_of(uint64_t base, uint64_t len)
{
	return base + len < base ? UINT64_MAX : base + len;
}

/*
 * How far usable RAM (E820 type 1) reaches from lo without a gap, looking
 * no further than hi: lo itself when lo is not usable. An entry of any
 * other type that overlaps the run cuts it short (reserved wins).
 */
static uint64_t
usable_from(uint64_t lo, uint64_t hi)
{
	const uint8_t *map = phys(E820_ENTRIES_ADDR);
	uint32_t count = le32(phys(E820_COUNT_ADDR));
	uint64_t at = lo;
	int grew = 1;

	if (count > E820_MAX)
		count = E820_MAX;
	while (grew && at < hi) {
		grew = 0;
		for (uint32_t i = 0; i < count; i++) {
			const uint8_t *e = map + i * sizeof(struct e820_entry);
			uint64_t base = le64(e),
				 end = end_of(base, le64(e + 8));

			if (le32(e + 16) == 1 && base <= at && at < end) {
				at = end;
				grew = 1;
			}
		}
	}
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *e = map + i * sizeof(struct e820_entry);
		uint64_t base = le64(e), end = end_of(base, le64(e + 8));

		if (le32(e + 16) != 1 && base < at && end > lo)
			at = base > lo ? base : lo;
	}
	return at;
}

/* The sum of the usable entries, for the refusal. */
static uint64_t
usable_total(void)
{
	const uint8_t *map = phys(E820_ENTRIES_ADDR);
	uint32_t count = le32(phys(E820_COUNT_ADDR));
	uint64_t sum = 0;

	if (count > E820_MAX)
		count = E820_MAX;
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *e = map + i * sizeof(struct e820_entry);

		if (le32(e + 16) == 1)
			sum += le64(e + 8);
	}
	return sum;
}

/*
 * Refuse unless [lo, hi) is usable RAM, naming what needs it, how much
 * there is there and how much the map has in all.
 */
static void
need_ram(uint64_t lo, uint64_t hi, const char *what)
{
	uint64_t got = usable_from(lo, hi);

	if (got >= hi)
		return;
	put_str("#X stage2: not enough RAM: need ");
	put_hex(lo);
	put_str("..");
	put_hex(hi);
	put_str(" (");
	put_dec((hi - lo + KIB - 1) / KIB);
	put_str(" KiB) for ");
	put_str(what);
	if (got == lo) {
		put_str("; found no usable RAM at ");
		put_hex(lo);
	} else {
		put_str("; found usable RAM only at ");
		put_hex(lo);
		put_str("..");
		put_hex(got);
		put_str(" (");
		put_dec((got - lo) / KIB);
		put_str(" KiB)");
	}
	put_str(", ");
	put_dec(usable_total() / KIB);
	put_str(" KiB usable in all");
	refuse_end();
}

#ifdef CELLOS_VERIFIED_BOOT
static const uint8_t root_pubkey[ED25519_PUBKEY_SIZE] = CELLOS_ROOT_PUBKEY;

/* What ed25519_verify's refusal means here. */
static const char *
sig_reason(int rc)
{
	switch (rc) {
	case -CELL_E_RANGE:
		return "its S is not below the group order";
	case -CELL_E_INVAL:
		return "its R (or the built-in root key) is not a canonical "
		       "point encoding";
	case -CELL_E_WEAKKEY:
		return "the built-in root key is of small order";
	default:
		return "it does not verify under the built-in root key: a "
		       "changed kernel or phenotype, or another signer";
	}
}

/*
 * The boot signature block at sig (bootinfo.h, BOOTSIG_*) over the gene
 * directory dir: refuse unless it is well formed, names the root key's id
 * and its signature of dir || sig[0..BS_SIGNATURE) verifies under the
 * root public key stage2 was built with.
 */
static void
bootsig_verify(const uint8_t *dir, const uint8_t *sig)
{
	static uint8_t msg[BOOTSIG_MSG_SIZE];
	uint32_t id = le32(sig + BS_KEY_ID);
	int rc;

	if (le32(sig + BS_MAGIC) != BOOTSIG_MAGIC)
		refuse("the image is not signed: no boot signature block "
		       "after the CGF gene directory (cellos-sign sign-image)");
	if (le16(sig + BS_VERSION) != BOOTSIG_VERSION)
		refuse("the boot signature block is not version 1");
	for (unsigned i = BS_RESERVED; i < BS_SIGNATURE; i++)
		if (sig[i] != 0)
			refuse("the boot signature block has a reserved byte "
			       "that is not zero");
	if (le16(sig + BS_RESERVED16) != 0)
		refuse("the boot signature block has a reserved byte that is "
		       "not zero");
	if (id != CELLOS_ROOT_KEY_ID) {
		put_str("#X stage2: the image is signed by key id ");
		put_dec(id);
		put_str(", this stage2 trusts only its root key, id ");
		put_dec(CELLOS_ROOT_KEY_ID);
		refuse_end();
	}
	for (unsigned i = 0; i < GENEDIR_SIZE; i++)
		msg[i] = dir[i];
	for (unsigned i = 0; i < BS_SIGNATURE; i++)
		msg[GENEDIR_SIZE + i] = sig[i];
	rc = ed25519_verify(sig + BS_SIGNATURE, msg, sizeof msg, root_pubkey);
	if (rc != 0) {
		put_str("#X stage2: boot signature refused: ");
		put_str(sig_reason(rc));
		refuse_end();
	}
	put_str("#I stage2: boot signature verified: Ed25519 over the gene "
		"directory, root key id ");
	put_dec(id);
	put_str("\n");
}
#endif

/*
 * The CGF blob at CGF_ADDR and, through its gene directory, the kernel
 * image of kernel_bytes at BOUNCE_ADDR.
 */
static void
cgf_verify(uint32_t kernel_bytes)
{
	uint8_t *blob = phys(CGF_ADDR);
	const uint8_t *kernel = phys(BOUNCE_ADDR), *dir;
	uint32_t len, crc, off, dlen, poff, plen;
	uint8_t saved[4], sha[SHA256_SIZE];

	len = le16(phys(LAYOUT_ADDR) + LT_CGF_SECTORS) * SECTOR_BYTES;
	if (len < CGF_HEADER_SIZE)
		refuse("the CGF blob is shorter than its 4096-byte header");
	for (int i = 0; i < 4; i++) {
		saved[i] = blob[CGF_OFF_CRC + i];
		blob[CGF_OFF_CRC + i] = 0;
	}
	crc = crc32c(0, blob, CGF_HEADER_SIZE);
	for (int i = 0; i < 4; i++)
		blob[CGF_OFF_CRC + i] = saved[i];
	if (crc != le32(blob + CGF_OFF_CRC))
		refuse("CGF header CRC32C mismatch");
	off = le32(blob + CGF_OFF_GENEDIR_OFF);
	dlen = le32(blob + CGF_OFF_GENEDIR_LEN);
	if (off < CGF_HEADER_SIZE || off > len || dlen > len - off)
		refuse("CGF gene directory lies outside the blob");
	dir = blob + off;
	sha256(dir, dlen, sha);
	if (!ct_equal(sha, stage2_record + S2R_DIGEST, SHA256_SIZE))
		refuse("CGF gene directory SHA-256 mismatch");

	/* From here the directory is the one disk-pack wrote. */
	if (dlen != GENEDIR_SIZE || le32(dir + GD_MAGIC) != GENEDIR_MAGIC ||
	    le32(dir + GD_VERSION) != GENEDIR_VERSION)
		refuse("CGF gene directory is not version 1");
#ifdef CELLOS_VERIFIED_BOOT
	/* The signature first: what the rest trusts is the directory. */
	if (BOOTSIG_SIZE > len - off - dlen)
		refuse("the image is not signed: the CGF blob ends at the gene "
		       "directory, with no room for a boot signature block");
	bootsig_verify(dir, dir + dlen);
#endif
	if (le32(dir + GD_KERNEL_BYTES) != kernel_bytes)
		refuse("the layout table's kernel size differs from the CGF "
		       "gene directory's");
	poff = le32(dir + GD_PHENOTYPE_OFF);
	plen = le32(dir + GD_PHENOTYPE_LEN);
	if (plen == 0 || poff > kernel_bytes || plen > kernel_bytes - poff)
		refuse("CGF gene directory puts the phenotype outside the "
		       "kernel image");
	sha256(kernel + poff, plen, sha);
	if (!ct_equal(sha, dir + GD_PHENOTYPE_SHA256, SHA256_SIZE))
		refuse("phenotype SHA-256 mismatch");
	sha256(kernel, kernel_bytes, sha);
	if (!ct_equal(sha, dir + GD_KERNEL_SHA256, SHA256_SIZE))
		refuse("kernel image SHA-256 mismatch");
	put_str("#I stage2: CGF verified: kernel image SHA-256 (");
	put_dec(kernel_bytes);
	put_str(" bytes) and its phenotype's (");
	put_dec(plen);
	put_str(" bytes at +");
	put_hex(poff);
	put_str(") match the gene directory\n");
}

/*
 * Called by stage2.asm in long mode, with the kernel read to BOUNCE_ADDR
 * and (with S2F_CGF_VERIFY) the CGF blob to CGF_ADDR. Returns only when
 * the kernel may be copied to KERNEL_PHYS and entered.
 */
void
stage2_check(void)
{
	const uint8_t *layout = phys(LAYOUT_ADDR);
	uint32_t kbytes = le32(layout + LT_KERNEL_BYTES);
	uint32_t ksectors = le32(layout + LT_KERNEL_SECTORS);
	uint32_t memsz = le32(stage2_record + S2R_MEMSZ);
	uint8_t *guard = phys((uintptr_t)__s2_bss_end);

	for (uint32_t i = 0; i < STAGE2_STACK_GUARD; i++)
		guard[i] = STACK_GUARD_BYTE;
	if (kbytes == 0 || kbytes > BOUNCE_MAX ||
	    kbytes > ksectors * SECTOR_BYTES)
		refuse("the layout table's kernel size does not fit the "
		       "sectors read");
	if (memsz < kbytes || KERNEL_PHYS + memsz > MAPPED_TOP)
		refuse("stage2's build record has no usable kernel memory "
		       "size (not packed by tools/disk-pack?)");
	need_ram(PAGE_TABLES_ADDR, BOUNCE_ADDR + kbytes,
	    "stage2's page tables, E820 map, handoff, stack, CGF blob and "
	    "the kernel as read");
	need_ram(KERNEL_PHYS, KERNEL_PHYS + memsz,
	    "the kernel's image, BSS and stack");
	put_str("#I stage2: RAM ok: the kernel needs ");
	put_hex(KERNEL_PHYS);
	put_str("..");
	put_hex(KERNEL_PHYS + memsz);
	put_str(", usable RAM reaches ");
	put_hex(usable_from(KERNEL_PHYS, UINT64_MAX));
	put_str("\n");
	if (le32(stage2_record + S2R_FLAGS) & S2F_CGF_VERIFY)
		cgf_verify(kbytes);
	for (uint32_t i = 0; i < STAGE2_STACK_GUARD; i++)
		if (guard[i] != STACK_GUARD_BYTE)
			refuse("stage2's checks ran their stack into its guard "
			       "above the BSS (bootinfo.h STAGE2_STACK_GUARD)");
}
