/*
 * Phenotype binary (.pbin), CONTRACT.md section 2. Little-endian.
 *
 *   header      20 bytes (below)
 *   channels    N x channel_qos_t (36 bytes each)
 *   adjacency   ceil(N*N/8) bytes, bit (from*N + to), LSB first in each byte
 *   sections    ver_minor >= 1 only: repeated { u32 tag, u32 len, len bytes }
 *               until the end of the file. A v1.0 file has nothing after the
 *               adjacency; a reader refuses bytes it cannot place, and refuses
 *               section tags it does not know.
 *
 * Version 1.1 sections, each at most once, GENES and SCHED required:
 *   PBIN_SEC_NAME     the phenotype's name, 1..PBIN_NAME_MAX bytes of
 *                     printable ASCII, no terminator
 *   PBIN_SEC_SCHED    pbin_sched_t
 *   PBIN_SEC_QUEUES   N x u32: queue depth of each channel (1..QUEUE_DEPTH_MAX);
 *                     absent: every channel gets QUEUE_DEPTH_DEFAULT
 *   PBIN_SEC_GENES    u32 count, then count x pbin_gene_t
 *   PBIN_SEC_DEVICES  u32 count, then count x pbin_device_t
 *
 * Version 1.2 adds the genes' bytecode (include/cellos/vm_abi.h), two
 * sections that come together or not at all:
 *   PBIN_SEC_PROGRAMS   u32 count (1..VM_PROGRAMS_MAX), then count programs,
 *                       each: pbin_program_t, insn_count x 8 bytes of RFC 9669
 *                       instructions, rodata_len bytes of read-only data,
 *                       zero bytes up to a multiple of 8
 *   PBIN_SEC_GENE_CODE  u32 count (1..GENES_MAX), then count x pbin_gene_code_t:
 *                       which program runs a gene, with which helpers and gas
 * A gene without a PBIN_SEC_GENE_CODE entry runs its kind's native step
 * function; a GENE_KIND_BYTECODE gene must have one.
 *
 * Any minor >= 1 may end with a signature (docs/PHENOTYPES.md, "Signed
 * phenotypes"), written by phenotype-compile --sign:
 *   PBIN_SEC_SIGNATURE  pbin_signature_t, the last section of the file: the
 *                       signing key's id and an Ed25519 signature (R || S)
 *                       of every byte of the file before the signature
 *                       itself (the signature section's header and key id
 *                       included). It says who vouches for the phenotype,
 *                       not what the phenotype is: the phenotype's identity
 *                       (the SHA-256 the ledger lists) is the bytes before
 *                       this section, so signing does not change it. It
 *                       leaves ver_minor alone; a reader older than it
 *                       refuses the unknown tag, as it must.
 *
 * Each record is also written down as a table, PBIN_<RECORD>_LAYOUT: one row
 * X(a, kind, name, offset) per field (wire/layout.h). wire/pbin_codec.c
 * builds every encoder and decoder from these tables and checks them against
 * the structs and sizes below at compile time, and the compiler, the
 * kernel's loader, its built-in phenotype and pbin-dump all go through it:
 * the tables are the one place a field's offset is written.
 */
#ifndef CELLOS_PBIN_H
#define CELLOS_PBIN_H

#include <stddef.h>
#include <stdint.h>

#define PBIN_MAGIC     0x50484E4Fu /* bytes 4F 4E 48 50: "ONHP" */
#define PBIN_VER_MAJOR 1u
#define PBIN_VER_MINOR 2u /* the newest minor this tree writes and reads */
#define PBIN_HDR_SIZE  20u
#define PBIN_QOS_SIZE  36u

/* Header field offsets. */
#define PBIN_OFF_MAGIC        0
#define PBIN_OFF_VER_MAJOR    4
#define PBIN_OFF_VER_MINOR    6
#define PBIN_OFF_ARCH         8
#define PBIN_OFF_RESERVED     10
#define PBIN_OFF_NUM_CHANNELS 12
#define PBIN_OFF_QUANTUM_NS   16

/* clang-format off */
#define PBIN_HEADER_LAYOUT(X, a)					\
	X(a, u32, magic,	PBIN_OFF_MAGIC)				\
	X(a, u16, ver_major,	PBIN_OFF_VER_MAJOR)			\
	X(a, u16, ver_minor,	PBIN_OFF_VER_MINOR)			\
	X(a, u16, arch_id,	PBIN_OFF_ARCH)				\
	X(a, u16, reserved,	PBIN_OFF_RESERVED)			\
	X(a, u32, num_channels,	PBIN_OFF_NUM_CHANNELS)			\
	X(a, u32, quantum_ns,	PBIN_OFF_QUANTUM_NS)
/* clang-format on */

enum pbin_arch {
	PBIN_ARCH_X86_64 = 1,
	PBIN_ARCH_ARM64 = 2,
	PBIN_ARCH_HOSTED = 3,
	PBIN_ARCH_ARM_M = 4, /* a Cortex-M microcontroller (mps2-cortex-m) */
	PBIN_ARCH_MAX = PBIN_ARCH_ARM_M
};

enum channel_qos_class {
	QOS_CLASS_BE = 0, /* best effort */
	QOS_CLASS_RT = 1  /* real time */
};

/* One channel's QoS record: 36 bytes, packed, pinned. */
typedef struct __attribute__((packed)) channel_qos {
	uint32_t channel_id;
	uint32_t qos; /* enum channel_qos_class */
	uint32_t priority;
	uint64_t bucket; /* tokens at start */
	uint64_t bucket_max;
	uint64_t refill_per_tick;
} channel_qos_t;

_Static_assert(sizeof(channel_qos_t) == 36, "channel_qos_t is 36 bytes");
_Static_assert(offsetof(channel_qos_t, priority) == 8, "priority @8");
_Static_assert(offsetof(channel_qos_t, bucket) == 12, "bucket @12");
_Static_assert(offsetof(channel_qos_t, bucket_max) == 20, "bucket_max @20");
_Static_assert(offsetof(channel_qos_t, refill_per_tick) == 28, "refill @28");

/* clang-format off */
#define PBIN_QOS_LAYOUT(X, a)						\
	X(a, u32, channel_id,		0)				\
	X(a, u32, qos,			4)				\
	X(a, u32, priority,		8)				\
	X(a, u64, bucket,		12)				\
	X(a, u64, bucket_max,		20)				\
	X(a, u64, refill_per_tick,	28)
/* clang-format on */

enum pbin_section_tag {
	PBIN_SEC_NAME = 1,
	PBIN_SEC_SCHED = 2,
	PBIN_SEC_QUEUES = 3,
	PBIN_SEC_GENES = 4,
	PBIN_SEC_DEVICES = 5,
	PBIN_SEC_PROGRAMS = 6,  /* minor >= 2 */
	PBIN_SEC_GENE_CODE = 7, /* minor >= 2 */
	PBIN_SEC_SIGNATURE = 8  /* minor >= 1, the last section */
};
#define PBIN_SEC_MAX PBIN_SEC_SIGNATURE

/* Every section opens with its tag and the length of what follows. */
#define PBIN_SECTION_HDR_SIZE 8u
/* clang-format off */
#define PBIN_SECTION_LAYOUT(X, a)					\
	X(a, u32, tag,	0)						\
	X(a, u32, len,	4)
/* clang-format on */

/* GENES, DEVICES, PROGRAMS and GENE_CODE open with a u32 count. */
#define PBIN_COUNT_SIZE 4u
/* QUEUES holds one u32 depth per channel. */
#define PBIN_QUEUE_SIZE 4u
/* A program's code is insn_count slots of 8 bytes, and with its rodata it
 * is padded with zeros to a multiple of 8. */
#define PBIN_INSN_SIZE     8u
#define PBIN_PROGRAM_ALIGN 8u

#define PBIN_NAME_MAX 48u

/* PBIN_SEC_SCHED payload: 16 bytes. */
typedef struct pbin_sched {
	uint32_t gas; /* GAS reservoir: enqueue attempts allowed, >= 1 */
	uint32_t
	    proof_quanta; /* quanta the E5 run lasts, 1..SCHED_QUANTA_MAX */
	uint32_t epoch_quanta; /* quanta per budget epoch (qos_tick), >= 1 */
	uint32_t reserved;     /* 0 */
} pbin_sched_t;

_Static_assert(sizeof(pbin_sched_t) == 16, "pbin_sched_t is 16 bytes");

#define PBIN_SCHED_SIZE 16u
/* clang-format off */
#define PBIN_SCHED_LAYOUT(X, a)						\
	X(a, u32, gas,		0)					\
	X(a, u32, proof_quanta,	4)					\
	X(a, u32, epoch_quanta,	8)					\
	X(a, u32, reserved,	12)
/* clang-format on */

/*
 * The gene kinds, X(ID, value, name): GENE_KIND_<ID> = value in
 * pbin_gene_t.kind, and the name a phenotype's kind: and pbin-dump use
 * (pbin_gene_kind_name, pbin_gene_kind_value). schemas/ lists the same
 * names (a unit test compares them).
 */
/* clang-format off */
#define PBIN_GENE_KINDS(X)						\
	X(MITO_ENERGY,		1, "mito_energy")			\
	X(GOLGI_ROUTE,		2, "golgi_route")			\
	X(LYSO_CLEANUP,		3, "lyso_cleanup")			\
	X(PEROXI_SANITIZE,	4, "peroxi_sanitize")			\
	X(TESTGENE,		5, "testgene")				\
	X(BYTECODE,		6, "bytecode")	/* no native step: its program */
/* clang-format on */

#define PBIN_GENE_KIND_ENUM(id, value, name) GENE_KIND_##id = value,
enum gene_kind { PBIN_GENE_KINDS(PBIN_GENE_KIND_ENUM) };
#undef PBIN_GENE_KIND_ENUM
#define GENE_KIND_MAX GENE_KIND_BYTECODE

/* One gene of PBIN_SEC_GENES: 32 bytes. */
typedef struct pbin_gene {
	uint32_t gene_id;    /* unique, 1..GENE_ID_MAX */
	uint32_t kind;       /* enum gene_kind */
	uint32_t channel;    /* home channel (a channel_id in this phenotype) */
	uint32_t cpu_budget; /* CPU units per epoch, >= 1 */
	uint32_t io_budget;  /* bytes sent per epoch */
	uint32_t mem_budget; /* bytes held at once, <= GENE_MEM_MAX */
	uint32_t arg0;       /* kind-specific (testgene: target channel_id) */
	uint32_t arg1; /* kind-specific (testgene: behaviour, see genes/) */
} pbin_gene_t;

_Static_assert(sizeof(pbin_gene_t) == 32, "pbin_gene_t is 32 bytes");

#define PBIN_GENE_SIZE 32u
/* clang-format off */
#define PBIN_GENE_LAYOUT(X, a)						\
	X(a, u32, gene_id,	0)					\
	X(a, u32, kind,		4)					\
	X(a, u32, channel,	8)					\
	X(a, u32, cpu_budget,	12)					\
	X(a, u32, io_budget,	16)					\
	X(a, u32, mem_budget,	20)					\
	X(a, u32, arg0,		24)					\
	X(a, u32, arg1,		28)
/* clang-format on */

/* The header of one program in PBIN_SEC_PROGRAMS: 16 bytes. */
typedef struct pbin_program {
	uint32_t insn_count; /* 8-byte instruction slots, 1..VM_INSNS_MAX */
	uint32_t rodata_len; /* bytes, 0..VM_RODATA_MAX */
	uint32_t entry;      /* slot of the entry function, < insn_count */
	uint32_t reserved;   /* 0 */
} pbin_program_t;

_Static_assert(sizeof(pbin_program_t) == 16, "pbin_program_t is 16 bytes");

#define PBIN_PROGRAM_SIZE 16u
/* clang-format off */
#define PBIN_PROGRAM_LAYOUT(X, a)					\
	X(a, u32, insn_count,	0)					\
	X(a, u32, rodata_len,	4)					\
	X(a, u32, entry,	8)					\
	X(a, u32, reserved,	12)
/* clang-format on */

/* One entry of PBIN_SEC_GENE_CODE: 16 bytes. */
typedef struct pbin_gene_code {
	uint32_t gene_id; /* a gene of PBIN_SEC_GENES, at most one entry each */
	uint32_t program; /* index into PBIN_SEC_PROGRAMS */
	uint32_t helpers; /* granted helpers: bit n = helper n (vm_abi.h) */
	uint32_t gas;     /* gas per quantum, 1..VM_GAS_MAX */
} pbin_gene_code_t;

_Static_assert(sizeof(pbin_gene_code_t) == 16, "pbin_gene_code_t is 16 bytes");

#define PBIN_GENE_CODE_SIZE 16u
/* clang-format off */
#define PBIN_GENE_CODE_LAYOUT(X, a)					\
	X(a, u32, gene_id,	0)					\
	X(a, u32, program,	4)					\
	X(a, u32, helpers,	8)					\
	X(a, u32, gas,		12)
/* clang-format on */

/* PBIN_SEC_SIGNATURE payload: 72 bytes, the last bytes of a signed file. */
typedef struct pbin_signature {
	uint32_t key_id;   /* the signing key's id (docs/SECURITY.md) */
	uint32_t reserved; /* 0 */
	uint8_t r[32];     /* Ed25519 R */
	uint8_t s[32];     /* Ed25519 S */
} pbin_signature_t;

_Static_assert(sizeof(pbin_signature_t) == 72, "pbin_signature_t is 72 bytes");

#define PBIN_SIGNATURE_SIZE 72u
/* The whole section: its 8-byte header and the 72 bytes. */
#define PBIN_SIGNATURE_SECTION (PBIN_SECTION_HDR_SIZE + PBIN_SIGNATURE_SIZE)
/* Where R starts: the signature covers the file's bytes before it. */
#define PBIN_SIGNATURE_SIGNED 8u
#define PBIN_SIGNATURE_LAYOUT(X, a) \
	X(a, u32, key_id, 0)        \
	X(a, u32, reserved, 4)      \
	X(a, b32, r, 8)             \
	X(a, b32, s, 40)

/*
 * The device kinds, X(ID, value, name): PBIN_DEV_<ID> = value in
 * pbin_device_t.kind, and the name a phenotype's devices and pbin-dump use
 * (pbin_device_kind_name, pbin_device_kind_value).
 */
/* clang-format off */
#define PBIN_DEVICE_KINDS(X)						\
	X(CONSOLE,	1, "console")	/* channel 0's UART/stdout */	\
	X(TIMER,	2, "timer")					\
	X(BLOCK,	3, "block")					\
	X(IRQ_LINE,	4, "irq_line")
/* clang-format on */

#define PBIN_DEVICE_KIND_ENUM(id, value, name) PBIN_DEV_##id = value,
enum pbin_device_kind { PBIN_DEVICE_KINDS(PBIN_DEVICE_KIND_ENUM) };
#undef PBIN_DEVICE_KIND_ENUM

/* One device of PBIN_SEC_DEVICES: 16 bytes. Not part of any proof hash. */
typedef struct pbin_device {
	uint32_t kind;    /* enum pbin_device_kind */
	uint32_t channel; /* channel_id the device feeds */
	uint64_t addr;    /* MMIO base, I/O port or signal number */
} pbin_device_t;

_Static_assert(sizeof(pbin_device_t) == 16, "pbin_device_t is 16 bytes");

#define PBIN_DEVICE_SIZE 16u
/* clang-format off */
#define PBIN_DEVICE_LAYOUT(X, a)					\
	X(a, u32, kind,		0)					\
	X(a, u32, channel,	4)					\
	X(a, u64, addr,		8)
/* clang-format on */

#endif
