/*
 * The gene VM's ABI: what a bytecode gene sees of the kernel. Genes are eBPF
 * programs (RFC 9669 instruction set, little-endian), written in C under
 * genes/bpf/, compiled with `clang -target bpf`, shipped in the phenotype
 * (pbin.h: PBIN_SEC_PROGRAMS, PBIN_SEC_GENE_CODE), verified when the kernel
 * loads them (core/vm_verify.c) and interpreted one quantum at a time
 * (core/vm_interp.c). This header is included by the kernel and by the BPF
 * gene sources alike, so it uses only fixed-width types and macros.
 *
 * Memory. A gene addresses five regions through 64-bit VM addresses; region
 * n starts at n << VM_REGION_SHIFT. Every load, store and helper pointer is
 * checked against them at run time; anything else faults and the gene is
 * killed (the lysosome's "fault").
 *
 *   1 VM_CTX_BASE     struct gene_vm_ctx, read-only, refreshed every quantum
 *   2 VM_STATE_BASE   VM_STATE_SIZE bytes, read-write, zero at boot; survives
 *                     between quanta (the gene's only memory that does)
 *   3 VM_STACK_BASE   VM_STACK_SIZE bytes, read-write, zero at the start of
 *                     every quantum; frame d (0 = the entry function) has
 *                     r10 = VM_STACK_BASE + VM_STACK_SIZE - d * VM_FRAME_SIZE
 *   4 VM_RODATA_BASE  the program's read-only data (string literals, tables);
 *                     the phenotype compiler resolves .rodata relocations of
 *                     lddw to VM_RODATA_BASE + offset
 *   5 VM_HEAP_BASE    the bytes the alloc helper has handed out so far
 *
 * Entry. Each quantum the kernel calls the program's entry function with
 * r1 = VM_CTX_BASE and r2 = VM_STATE_BASE; its return value is ignored. A
 * quantum ends when the entry function exits, when the gas runs out (the
 * quantum ends early and is charged; see VM_GAS_OUT_CPU), when a helper
 * reports that the gene was killed, or on a fault.
 *
 * Helpers. `call imm` (src 0) calls helper imm with arguments in r1..r5 and
 * the result in r0 (r1..r5 are clobbered). A gene may call only the helpers
 * its phenotype grants (a bit mask, bit n = helper n); the verifier refuses
 * a program that calls any other. Results are >= 0 on success or a negative
 * -CELL_E_* code (include/cellos/errors.h).
 */
#ifndef CELLOS_VM_ABI_H
#define CELLOS_VM_ABI_H

#include <stdint.h>

/* ---- memory map ---- */
#define VM_REGION_SHIFT  28
#define VM_REGION_CTX    1
#define VM_REGION_STATE  2
#define VM_REGION_STACK  3
#define VM_REGION_RODATA 4
#define VM_REGION_HEAP   5
#define VM_REGIONS       6 /* region ids are 1..VM_REGIONS-1 */

#define VM_CTX_BASE    0x10000000u
#define VM_STATE_BASE  0x20000000u
#define VM_STACK_BASE  0x30000000u
#define VM_RODATA_BASE 0x40000000u
#define VM_HEAP_BASE   0x50000000u

#define VM_STATE_SIZE     128 /* = GENE_STATE_SIZE (core/gene.h) */
#define VM_FRAME_SIZE     512 /* stack bytes per call frame */
#define VM_CALL_DEPTH_MAX 8   /* frames, the entry function's included */
#define VM_STACK_SIZE     (VM_FRAME_SIZE * VM_CALL_DEPTH_MAX)

/* What the context region holds: 32 bytes. */
struct gene_vm_ctx {
	uint32_t gene_id;
	uint32_t home;       /* home channel_id */
	uint32_t arg0, arg1; /* the phenotype's per-gene arguments */
	uint32_t quantum;    /* the kernel's quantum number */
	uint32_t epoch;      /* the budget epoch */
	uint32_t kind;       /* enum gene_kind (pbin.h) */
	uint32_t gas;        /* gas granted for this quantum */
};

/* A received message as VM_HELPER_RECV copies it out: 80 bytes. */
#define VM_MSG_HDR_SIZE    16
#define VM_MSG_PAYLOAD_MAX 64 /* = MSG_PAYLOAD_MAX (core/config.h) */
struct gene_vm_msg {
	uint32_t from_gene;    /* gene id of the sender, 0 for the kernel */
	uint32_t from_channel; /* channel_id it was sent from */
	uint32_t verb;
	uint32_t len; /* payload bytes */
	uint8_t payload[VM_MSG_PAYLOAD_MAX];
};

/* VM_HELPER_ENERGY's output: 20 bytes. */
struct gene_vm_energy {
	uint32_t cpu_total, io_total, mem_held;
	uint32_t live, dead;
};

/* VM_HELPER_RECLAIM's output: 16 bytes. */
struct gene_vm_reclaim {
	uint32_t gene_id;
	/* enum lyso_reason: 1 route, 2 cpu, 3 io, 4 mem, 5 fault, 6 rejected */
	uint32_t reason;
	uint32_t messages; /* queued messages purged */
	uint32_t memory;   /* bytes released */
};

/* ---- helpers: id, arguments (r1..r5) -> r0 ---- */

/* send(channel_id, verb, payload, len): send from the home channel through
 * the Golgi router and QoS. 0, -CELL_E_BUSY (hold and retry later),
 * -CELL_E_NOSPACE (dropped), -CELL_E_BUDGET (GAS reservoir empty),
 * -CELL_E_LENGTH, -CELL_E_DEAD (killed: no such edge, or over budget). */
#define VM_HELPER_SEND 1
/* recv(msg, cap): take the oldest message of the home channel. It becomes
 * the gene's held message (replacing the one before) and min(cap, 16 + len)
 * bytes of struct gene_vm_msg are copied to msg. Returns the payload length,
 * or -CELL_E_NOENT (nothing queued; the held message is unchanged),
 * -CELL_E_DEAD. */
#define VM_HELPER_RECV 2
/* forward(channel_id): send the held message on, keeping its sender and
 * verb. Results as send; -CELL_E_NOENT when nothing is held. The message
 * stays held. */
#define VM_HELPER_FORWARD 3
/* next_hop(channel_id): the next channel on a shortest path from home to
 * channel_id, or -CELL_E_ROUTE. */
#define VM_HELPER_NEXT_HOP 4
/* log(fmt, args, nargs): format a line (see "Formats") and send it one hop
 * toward the console (channel 0) with verb 1. Results as send, or
 * -CELL_E_INVAL for a bad format, -CELL_E_ROUTE when the console is out of
 * reach. */
#define VM_HELPER_LOG 5
/* format(buf, cap, fmt, args, nargs): format into buf (no terminator).
 * Returns the length, or -CELL_E_NOSPACE (longer than cap or than
 * VM_MSG_PAYLOAD_MAX: nothing written), -CELL_E_INVAL (bad format). An
 * empty result writes nothing, so buf is not checked then. */
#define VM_HELPER_FORMAT 6
/* console(): print the held message through the peroxisome as
 * "#G g<sender> <text>". Only a peroxi_sanitize gene may; any other is
 * killed for routing around the graph. 0, -CELL_E_NOENT, -CELL_E_DEAD. */
#define VM_HELPER_CONSOLE 7
/* energy(out): the energy table's totals into struct gene_vm_energy. 0. */
#define VM_HELPER_ENERGY 8
/* reclaim(out): reclaim the next dead gene not yet reclaimed into struct
 * gene_vm_reclaim. 1 when one was reclaimed, 0 when none is left. */
#define VM_HELPER_RECLAIM 9
/* alloc(bytes): reserve bytes of the gene's memory arena (zeroed). The VM
 * address of the first byte, or 0 when the gene was killed for it. */
#define VM_HELPER_ALLOC 10
/* ticks(): the scheduler's clock, quanta run since the phenotype loaded. */
#define VM_HELPER_TICKS 11
/* event(frame, cap): take the oldest IRQ bridge event as a packed event
 * frame (CONTRACT.md: 16-byte header + payload). The frame's size, or
 * -CELL_E_NOENT (none waiting), -CELL_E_NOSPACE (cap under VM_EVENT_CAP_MIN:
 * nothing is taken). */
#define VM_HELPER_EVENT  12
#define VM_EVENT_CAP_MIN 256 /* = EVENT_FRAME_MAX (cellos/events.h) */
/* kv_get(key, key_len, buf, cap): read the gene's own key (namespace
 * "g<gene id>") from the persistent store. The value's length, or
 * -CELL_E_NOENT, -CELL_E_NOSPACE, -CELL_E_TOOLONG, -CELL_E_NOSYS (no store
 * on this boot), -CELL_E_IO, -CELL_E_CRC. */
#define VM_HELPER_KV_GET 13
/* kv_put(key, key_len, value, len): store durably; 0 only once it is on the
 * device. Errors as kv_get. */
#define VM_HELPER_KV_PUT 14
#define VM_HELPERS_MAX   15      /* helper ids are 1..VM_HELPERS_MAX-1 */
#define VM_HELPERS_ALL   0x7FFEu /* every helper's bit */

/*
 * Gas each helper costs on top of its call instruction, charged before the
 * call: a call the remaining gas cannot pay for ends the quantum instead.
 */
#define VM_GAS_SEND     16
#define VM_GAS_RECV     8
#define VM_GAS_FORWARD  16
#define VM_GAS_NEXT_HOP 4
#define VM_GAS_LOG      32
#define VM_GAS_FORMAT   16
#define VM_GAS_CONSOLE  16
#define VM_GAS_ENERGY   8
#define VM_GAS_RECLAIM  8
#define VM_GAS_ALLOC    8
#define VM_GAS_TICKS    1
#define VM_GAS_EVENT    8
#define VM_GAS_KV_GET   64
#define VM_GAS_KV_PUT   256

/*
 * Formats (log, format): fmt is a NUL-terminated string in gene memory of at
 * most VM_FMT_MAX bytes; args points to nargs u64 values (nargs <= VM_ARGS_MAX),
 * taken in order by the conversions %u %d %x %X %c %s, each with an optional
 * '0' flag and a width of at most 2 digits; %% is a '%'. %d prints the value
 * as a signed 32-bit number, %u/%x/%X as unsigned 32-bit; %s takes the VM
 * address of a NUL-terminated string of at most VM_FMT_STR_MAX bytes. Too
 * few or too many arguments, or any other conversion, is -CELL_E_INVAL.
 * A formatted line longer than VM_MSG_PAYLOAD_MAX bytes is cut to it.
 */
#define VM_FMT_MAX     128
#define VM_FMT_STR_MAX 64
#define VM_ARGS_MAX    8

/* Gas and CPU. */
#define VM_GAS_MAX 100000 /* gas per quantum a phenotype may grant */
/*
 * CPU units a quantum that ran out of gas costs on top (so a spinning gene
 * meets its CPU budget and the lysosome)
 */
#define VM_GAS_OUT_CPU 4

_Static_assert(sizeof(struct gene_vm_ctx) == 32, "gene_vm_ctx is 32 bytes");
_Static_assert(sizeof(struct gene_vm_msg) == 80, "gene_vm_msg is 80 bytes");
_Static_assert(sizeof(struct gene_vm_energy) == 20,
    "gene_vm_energy is 20 bytes");
_Static_assert(sizeof(struct gene_vm_reclaim) == 16,
    "gene_vm_reclaim is 16 bytes");

#endif
