/*
 * The BPF side of a bytecode gene: include this, write
 *
 *	int gene(struct gene_vm_ctx *ctx, void *state);
 *
 * and compile with clang -target bpf (genes/bpf/CMakeLists.txt). The ABI
 * itself (memory map, entry convention, helper semantics, gas) is
 * include/cellos/vm_abi.h; docs/GENES.md says how to grant and ship a gene.
 *
 * There is no libc: only what is declared here. A helper is called through
 * a constant function pointer whose value is its id, the idiomatic BPF way;
 * clang turns each call into `call <id>`. Nothing here may make clang emit a
 * call to memcpy or memset (there are no such functions in the VM): copy
 * with helper_copy or __builtin_memcpy of a small constant size.
 */
#ifndef CELLOS_GENE_BPF_H
#define CELLOS_GENE_BPF_H

#ifndef __bpf__
#error "genes/bpf/ sources are compiled with clang -target bpf"
#endif

#include <stdint.h>

#include "byteorder.h" /* le32_store and friends, as the kernel's */
#include "cellos/errors.h"
#include "cellos/parcel.h"
#include "cellos/vm_abi.h"

/* Channel and verbs the genes share with the kernel (core/genes.h, gene.h). */
#define CG_CHANNEL_CONSOLE 0u
#define CG_VERB_LOG        PARCEL_VERB_LOG
#define CG_VERB_READING    16u /* = GENE_VERB_READING: u32 quantum, u32 value */
#define CG_VERB_ENERGY     17u /* = GENE_VERB_ENERGY */

/* The header of struct gene_vm_msg: what recv copies with cap 16. */
struct helper_msg_hdr {
	uint32_t from_gene;
	uint32_t from_channel;
	uint32_t verb;
	uint32_t len;
};
_Static_assert(sizeof(struct helper_msg_hdr) == VM_MSG_HDR_SIZE,
    "helper_msg_hdr is the message header");

/* The entry point every gene defines. */
int gene(struct gene_vm_ctx *ctx, void *state);

/* ---- helpers (vm_abi.h has their contracts) ---- */

static long (*const helper_send)(uint32_t channel_id, uint32_t verb,
    const void *payload, uint32_t len) = (void *)VM_HELPER_SEND;
static long (*const helper_recv)(void *msg,
    uint32_t cap) = (void *)VM_HELPER_RECV;
static long (*const helper_forward)(
    uint32_t channel_id) = (void *)VM_HELPER_FORWARD;
static long (*const helper_next_hop)(
    uint32_t channel_id) = (void *)VM_HELPER_NEXT_HOP;
static long (*const helper_log)(const char *fmt, const uint64_t *args,
    uint32_t nargs) = (void *)VM_HELPER_LOG;
static long (*const helper_format)(char *buf, uint32_t cap, const char *fmt,
    const uint64_t *args, uint32_t nargs) = (void *)VM_HELPER_FORMAT;
static long (*const helper_console)(void) = (void *)VM_HELPER_CONSOLE;
static long (*const helper_energy)(
    struct gene_vm_energy *out) = (void *)VM_HELPER_ENERGY;
static long (*const helper_reclaim)(
    struct gene_vm_reclaim *out) = (void *)VM_HELPER_RECLAIM;
static void *(*const helper_alloc)(uint32_t bytes) = (void *)VM_HELPER_ALLOC;
static uint64_t (*const helper_ticks)(void) = (void *)VM_HELPER_TICKS;
static long (*const helper_event)(void *frame,
    uint32_t cap) = (void *)VM_HELPER_EVENT;
static long (*const helper_kv_get)(const char *key, uint32_t key_len, void *buf,
    uint32_t cap) = (void *)VM_HELPER_KV_GET;
static long (*const helper_kv_put)(const char *key, uint32_t key_len,
    const void *value, uint32_t len) = (void *)VM_HELPER_KV_PUT;

/* ---- small utilities ---- */

/* Copy n bytes one at a time: a loop clang keeps (no memcpy call). */
static inline void
helper_copy(void *to, const void *from, uint32_t n)
{
	volatile uint8_t *d = to;
	const uint8_t *s = from;

	for (uint32_t i = 0; i < n; i++)
		d[i] = s[i];
}

#endif
