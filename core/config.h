/*
 * Every capacity of the kernel in one place (xv6 param.h). Tables are fixed
 * arrays sized here; there is no heap in the kernel.
 */
#ifndef CELLOS_CONFIG_H
#define CELLOS_CONFIG_H

/*
 * A board whose memory is small sets some capacities lower in a profile
 * header its build names with CELLOS_BOARD_CONFIG (arch/<board>/); a value
 * defined there wins over the default below, which every other build uses.
 */
#ifdef CELLOS_BOARD_CONFIG
#include CELLOS_BOARD_CONFIG
#endif

/* Phenotype and channel graph */
#define CHANNELS_MAX        16 /* channels in a phenotype */
#define QUEUE_DEPTH_MAX     16 /* messages queued on one channel */
#define QUEUE_DEPTH_DEFAULT 8
#define MSG_PAYLOAD_MAX     64    /* bytes of payload a queued message keeps */
#define MSG_POOL            64    /* queued messages, all channels together */
#define PBIN_SIZE_MAX       16384 /* largest phenotype binary accepted */
#define DEVICES_MAX         8

/* Genes and scheduler */
#define GENES_MAX        8
#define GENE_ID_MAX      255
#define GENE_MEM_MAX     1024 /* bytes one gene may hold */
#define SCHED_QUANTA_MAX 4096 /* longest E5 run */

/* The gene VM (include/cellos/vm_abi.h has the genes' side of it) */
#define VM_PROGRAMS_MAX 8    /* programs in a phenotype */
#define VM_INSNS_MAX    1024 /* 8-byte instruction slots in one program */
#define VM_RODATA_MAX   1024 /* bytes of read-only data in one program */
/* bytes of instructions and rodata, all programs of a phenotype together */
#define PHENO_CODE_MAX 12288
#ifndef VM_DECODED_MAX
#define VM_DECODED_MAX 4096 /* decoded instructions, all genes together */
#endif
#ifndef CFG_VM_COMPUTED_GOTO
#define CFG_VM_COMPUTED_GOTO 1 /* 0: the portable switch dispatch */
#endif

/* Channel 0 */
#define CFG_ENABLE_NONBLOCK_LOG 1    /* writers never wait for each other */
#define LOG_RING_SIZE           4096 /* bytes buffered for channel 0 */

/* Peroxisome */
#define PEROXI_LINE_MAX 96 /* longest text line a gene may print */

/* IRQ bridge */
#define IRQB_SOURCES_MAX 8  /* event sources */
#define IRQB_RING        32 /* events waiting for the consumer */

/* Storage (block counts are in HAL_BLOCK_SIZE blocks) */
#define DISK_SCRATCH_BLOCKS 256  /* the E7 proof's area, formatted each boot */
#define DISK_GENOME_BLOCKS  256  /* the genome strands and their log */
#define DISK_KV_BLOCKS      1024 /* the KV log: two halves */
#define DISK_INBOX_BLOCKS   80   /* packages and statements from the host */
#define STRAND_BLOCKS       8    /* largest genome image: 4 KiB */
#define UPDATE_LOG_SLOTS    16   /* state records, written round-robin */
#define KV_SLOTS            64   /* live keys */
#define KV_NS_MAX           16   /* bytes of a namespace */
#define KV_KEY_MAX          32   /* bytes of a key */
#define KV_VALUE_MAX        384  /* bytes of a value */
#define KV_MANY_MAX         8    /* keys one record (kv_put_many) carries */
#ifndef KV_SCAN_BLOCKS
/*
 * Blocks a KV scan reads with one request (its buffer: 32 KiB). A boot
 * scans both halves (DISK_KV_BLOCKS); on the boards every request is a
 * round trip through the machine's disk emulation, so fewer, larger ones
 * are most of the scan's cost.
 */
#define KV_SCAN_BLOCKS 64
#endif
#define CFG_ENABLE_ORG_PKV 1 /* the persistent KV store */

/* Trust */
#define TRUST_MAC_KEY_SIZE 32

#endif
