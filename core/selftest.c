/*
 * Power-on self-tests, in the spirit of FIPS 140-3's known-answer tests:
 * before any proof step relies on them, SHA-256, HMAC-SHA-256, HKDF-SHA-256
 * and CRC32C must reproduce published vectors, and the gene VM must compute
 * known answers. A failure is "PROOF FAILURE: E2 self-test <algorithm>: ..."
 * and the boot stops.
 *
 * The crypto runs on the engines the boot installed (hal_crypto_accel: the
 * CPU's SHA and CRC32 instructions where it has them), so the vectors test
 * the path every proof value then takes; before them, an installed engine
 * is compared with the portable code on inputs of many lengths and
 * alignments, and a line says which engines passed.
 *
 * The VM runs three programs (selftest_vm_program builds them):
 *   0  a hand-written program that touches every instruction class (LD,
 *      LDX, ST, STX, ALU, ALU64, JMP, JMP32, a helper call, a local call,
 *      EXIT), its result worked out by hand below;
 *   1  every ALU operation the interpreter decodes (64- and 32-bit, K and X
 *      forms, NEG, MOVSX, the byte swaps), each folded into a running value;
 *   2  every conditional jump (64- and 32-bit, K and X) on operands that
 *      sit on each side of its boundary, each outcome folded in.
 * The answers of 1 and 2 were computed by an independent evaluator of the
 * raw instructions (tests/unit/test_selftest.c checks them against it).
 */
#include <stdint.h>

#include "cellos/vm_abi.h"
#include "config.h"
#include "crypto.h"
#include "kprint.h"
#include "parcel_codec.h"
#include "proof.h"
#include "proof_steps.h"
#include "selftest.h"
#include "vm.h"

/* ---- the crypto vectors ---- */

/* FIPS 180-2, appendix B.1 and B.2. */
/* clang-format off */
static const uint8_t sha_abc[32] = {
	0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde,
	0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
	0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
};
/* clang-format on */
static const char two_block_msg[] =
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
/* clang-format off */
static const uint8_t sha_two_block[32] = {
	0x24, 0x8d, 0x6a, 0x61, 0xd2, 0x06, 0x38, 0xb8, 0xe5, 0xc0, 0x26, 0x93,
	0x0c, 0x3e, 0x60, 0x39, 0xa3, 0x3c, 0xe4, 0x59, 0x64, 0xff, 0x21, 0x67,
	0xf6, 0xec, 0xed, 0xd4, 0x19, 0xdb, 0x06, 0xc1,
};
/* clang-format on */

/* RFC 4231, test case 2. */
/* clang-format off */
static const uint8_t hmac_tc2[32] = {
	0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04, 0x24, 0x26,
	0x08, 0x95, 0x75, 0xc7, 0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27, 0x39, 0x83,
	0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43,
};
/* clang-format on */

/* RFC 5869, test case 1. */
/* clang-format off */
static const uint8_t hkdf_okm[42] = {
	0x3c, 0xb2, 0x5f, 0x25, 0xfa, 0xac, 0xd5, 0x7a, 0x90, 0x43, 0x4f, 0x64,
	0xd0, 0x36, 0x2f, 0x2a, 0x2d, 0x2d, 0x0a, 0x90, 0xcf, 0x1a, 0x5a, 0x4c,
	0x5d, 0xb0, 0x2d, 0x56, 0xec, 0xc4, 0xc5, 0xbf, 0x34, 0x00, 0x72, 0x08,
	0xd5, 0xb8, 0x87, 0x18, 0x58, 0x65,
};
/* clang-format on */

/* The CRC-32C check value (RFC 3720 and the catalogue): "123456789". */
#define CRC32C_CHECK 0xE3069283u
/* RFC 3720, appendix B.4: 32 bytes of zeros, of 0xFF, and 0..31. */
#define CRC32C_ZEROS 0x8A9136AAu
#define CRC32C_ONES  0x62A8AB43u
#define CRC32C_INCR  0x46DD794Eu

/*
 * CRC-32C of one byte, bit by bit from the reflected polynomial 0x82F63B78
 * (the definition, not the table crc32c uses): over the 256 byte values it
 * covers every entry of that table.
 */
static uint32_t
crc32c_bitwise(uint8_t b)
{
	uint32_t crc = 0xFFFFFFFFu ^ b;

	for (int k = 0; k < 8; k++)
		crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1)));
	return ~crc;
}

static int
same(const uint8_t *a, const uint8_t *b, unsigned n)
{
	return ct_equal(a, b, n);
}

/*
 * An installed engine against the portable code: SHA-256 over one to three
 * blocks at a time, chained from the FIPS initial state, at two
 * alignments; CRC32C on every length 0..23 at every alignment 0..7 (the
 * head, body and tail cases of an eight-bytes-at-a-time loop), chained
 * from a non-zero CRC. The input is an xorshift stream. A few microseconds
 * on a host; nothing runs while the portable code is in use.
 */
static int
check_engines(void)
{
	static uint8_t buf[3 * 64 + 8];
	uint32_t x = 0x9E3779B9u, crc_fast = 0x12345678u, crc_ref = crc_fast;
	uint32_t fast[8] = {
		0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
		0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u,
	}, ref[8];

	for (unsigned i = 0; i < sizeof buf; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (uint8_t)x;
	}
	for (unsigned i = 0; i < 8; i++)
		ref[i] = fast[i];
	for (unsigned n = 1; crypto_sha256_engine() != NULL && n <= 3; n++) {
		for (unsigned off = 0; off < 8; off += 5) {
			sha256_blocks(fast, buf + off, n);
			sha256_blocks_portable(ref, buf + off, n);
			for (unsigned i = 0; i < 8; i++) {
				if (fast[i] != ref[i])
					return proof_fail(2,
					    "self-test SHA-256: %s "
					    "gives h[%u]=%08X after %u block(s) at "
					    "offset %u, the portable code gives %08X",
					    crypto_sha256_engine(), i, fast[i],
					    n, off, ref[i]);
			}
		}
	}
	for (unsigned len = 0; crypto_crc32c_engine() != NULL && len < 24;
	     len++) {
		for (unsigned off = 0; off < 8; off++) {
			crc_fast = crc32c(crc_fast, buf + off, len);
			crc_ref = crc32c_portable(crc_ref, buf + off, len);
			if (crc_fast != crc_ref)
				return proof_fail(2,
				    "self-test CRC32C: %s gives "
				    "%08X on %u bytes at offset %u, the portable "
				    "code gives %08X",
				    crypto_crc32c_engine(), crc_fast, len, off,
				    crc_ref);
		}
	}
	return 0;
}

static int
check_crypto(void)
{
	uint8_t out[42], ikm[22], salt[13], info[10], block[96];

	if (check_engines() < 0)
		return -1;
	sha256("abc", 3, out);
	if (!same(out, sha_abc, 32))
		return proof_fail(2,
		    "self-test SHA-256: \"abc\" gives %02X%02X"
		    "%02X%02X..., FIPS 180-2 says BA7816BF...",
		    out[0], out[1], out[2], out[3]);
	sha256(two_block_msg, sizeof two_block_msg - 1, out);
	if (!same(out, sha_two_block, 32))
		return proof_fail(2,
		    "self-test SHA-256: the 448-bit message "
		    "gives %02X%02X%02X%02X..., FIPS 180-2 says 248D6A61...",
		    out[0], out[1], out[2], out[3]);
	hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, out);
	if (!same(out, hmac_tc2, 32))
		return proof_fail(2,
		    "self-test HMAC-SHA-256: RFC 4231 case 2 "
		    "gives %02X%02X%02X%02X..., the RFC says 5BDCC146...",
		    out[0], out[1], out[2], out[3]);
	for (unsigned i = 0; i < sizeof ikm; i++)
		ikm[i] = 0x0b;
	for (unsigned i = 0; i < sizeof salt; i++)
		salt[i] = (uint8_t)i;
	for (unsigned i = 0; i < sizeof info; i++)
		info[i] = (uint8_t)(0xf0 + i);
	if (hkdf_sha256(salt, sizeof salt, ikm, sizeof ikm, info, sizeof info,
		out, sizeof out) < 0 ||
	    !same(out, hkdf_okm, sizeof hkdf_okm))
		return proof_fail(2,
		    "self-test HKDF-SHA-256: RFC 5869 case 1 "
		    "gives %02X%02X%02X%02X..., the RFC says 3CB25F25...",
		    out[0], out[1], out[2], out[3]);
	if (crc32c(0, "123456789", 9) != CRC32C_CHECK)
		return proof_fail(2,
		    "self-test CRC32C: \"123456789\" gives "
		    "%08X, the check value is %08X",
		    crc32c(0, "123456789", 9), CRC32C_CHECK);
	for (unsigned i = 0; i < 32; i++) {
		block[i] = 0;
		block[32 + i] = 0xFF;
		block[64 + i] = (uint8_t)i;
	}
	if (crc32c(0, block, 32) != CRC32C_ZEROS ||
	    crc32c(0, block + 32, 32) != CRC32C_ONES ||
	    crc32c(0, block + 64, 32) != CRC32C_INCR)
		return proof_fail(2,
		    "self-test CRC32C: RFC 3720's 32-byte "
		    "vectors give %08X %08X %08X, the RFC says %08X %08X %08X",
		    crc32c(0, block, 32), crc32c(0, block + 32, 32),
		    crc32c(0, block + 64, 32), CRC32C_ZEROS, CRC32C_ONES,
		    CRC32C_INCR);
	for (unsigned b = 0; b < 256; b++) {
		uint8_t byte = (uint8_t)b;

		if (crc32c(0, &byte, 1) != crc32c_bitwise(byte))
			return proof_fail(2,
			    "self-test CRC32C: byte %02X gives "
			    "%08X, the polynomial gives %08X",
			    b, crc32c(0, &byte, 1), crc32c_bitwise(byte));
	}
	kprintf("#I crypto: SHA-256 by %s, CRC32C by %s: self-tests passed\n",
	    crypto_sha256_engine() != NULL ? crypto_sha256_engine() :
					     "the portable C",
	    crypto_crc32c_engine() != NULL ? crypto_crc32c_engine() :
					     "the portable C");
	return 0;
}

/* ---- the VM programs ---- */

static struct vm_insn pool[VM_INSNS_MAX];
static uint8_t code[VM_INSNS_MAX * 8];
static uint8_t stack_mem[VM_STACK_SIZE];

/* The helper the hand program calls: r1 * 3 + r2. */
static enum vm_call_status
triple_plus(struct vm_machine *m, const uint64_t a[5], uint64_t *ret)
{
	(void)m;
	*ret = a[0] * 3 + a[1];
	return VM_CALL_OK;
}

static const struct vm_helper_table helpers = {
	.fn = { [SELFTEST_HELPER] = triple_plus },
	.gas = { [SELFTEST_HELPER] = 1 },
};

/*
 * The expected r0 of each program. Program 0 by hand, instruction by
 * instruction (see selftest_vm_program); 1 and 2 from tests/unit's
 * independent evaluator.
 */
static const uint64_t answers[SELFTEST_VM_PROGRAMS] = {
	0x000000000459A002ull,
	0xF5BF12B65E45FA66ull,
	0x8E1E2D5176CCF8E9ull,
};

static int
check_vm(void)
{
	for (unsigned i = 0; i < SELFTEST_VM_PROGRAMS; i++) {
		struct vm_verify_error err = { 0 };
		struct vm_machine m = { 0 };
		struct vm_result res;
		struct vm_prog prog;
		uint32_t slots = selftest_vm_program(i, code, sizeof code);
		uint32_t used;

		if (vm_load(&prog, code, slots, 0, 1u << SELFTEST_HELPER, pool,
			VM_INSNS_MAX, &used, &err) < 0)
			return proof_fail(2,
			    "self-test VM: program %u refused at "
			    "slot %u: %s",
			    i, err.insn, err.reason);
		m.region[VM_REGION_STACK] =
		    (struct vm_region){ stack_mem, sizeof stack_mem, 1 };
		m.helpers = &helpers;
		m.gas = VM_GAS_MAX;
		vm_run(&prog, &m, SELFTEST_R1, SELFTEST_R2, &res);
		if (res.exit != VM_EXIT_DONE)
			return proof_fail(2,
			    "self-test VM: program %u ended with "
			    "exit %u (fault %s at slot %u)",
			    i, res.exit, vm_fault_name(res.fault),
			    res.fault_pc);
		if (res.r0 != answers[i])
			return proof_fail(2,
			    "self-test VM: program %u returned "
			    "%08X%08X, the known answer is %08X%08X",
			    i, (uint32_t)(res.r0 >> 32), (uint32_t)res.r0,
			    (uint32_t)(answers[i] >> 32), (uint32_t)answers[i]);
	}
	return 0;
}

uint64_t
selftest_vm_answer(unsigned i)
{
	return i < SELFTEST_VM_PROGRAMS ? answers[i] : 0;
}

int
selftest_run(void)
{
	return check_crypto() < 0 || check_vm() < 0 ? -1 : 0;
}
