/*
 * The VM host: hand-assembled bytecode genes run by the scheduler with the
 * kernel's helpers. Each scenario is small enough that the expected
 * charges, messages and kills are worked out by hand in the comments from
 * the rules in vm_abi.h, gene.h and scheduler.c: a quantum costs 1 CPU
 * unit, a send 2 more, a receive 1; a basic block of n instructions costs n
 * gas and a helper its VM_GAS_* on top; a quantum out of gas costs
 * VM_GAS_OUT_CPU CPU units more.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "blk.h"
#include "bpf_asm.h"
#include "byteorder.h"
#include "cellos/errors.h"
#include "cellos/vm_abi.h"
#include "cgraph.h"
#include "event_codec.h"
#include "irq_bridge.h"
#include "kv.h"
#include "organelles.h"
#include "sched_fixture.h"
#include "scheduler.h"
#include "testutil.h"
#include "vm_host.h"

/* ---- programs (bpf_asm.h) ---- */

/* The opcodes used below (RFC 9669 section 3: operation | source | class). */
#define MOV64_K   0xb7
#define MOV64_X   0xbf
#define ADD64_K   0x07
#define DIV64_X   0x3f
#define ST_W      0x62 /* *(u32 *)(dst + off) = imm */
#define ST_B      0x72 /* *(u8 *)(dst + off) = imm */
#define STX_W     0x63 /* *(u32 *)(dst + off) = src */
#define STX_DW    0x7b
#define LDX_W     0x61 /* dst = *(u32 *)(src + off) */
#define JA        0x05
#define JEQ_K     0x15
#define JSGE_K    0x75
#define CALL      0x85
#define EXIT      0x95
#define ATOMIC_DW 0xdb

static void
call(struct bpf_asm *p, int32_t helper)
{
	asm_emit(p, CALL, 0, 0, 0, helper);
}

/* r<dst> = r10 + off */
static void
stack_ptr(struct bpf_asm *p, uint8_t dst, int16_t off)
{
	asm_emit(p, MOV64_X, dst, 10, 0, 0);
	asm_emit(p, ADD64_K, dst, 0, 0, off);
}

/* Store the NUL-terminated s byte by byte at r<base> + off. */
static void
store_string(struct bpf_asm *p, uint8_t base, int16_t off, const char *s)
{
	size_t n = strlen(s) + 1;

	for (size_t i = 0; i < n; i++)
		asm_emit(p, ST_B, base, 0, (int16_t)(off + (int16_t)i),
		    (int32_t)(uint8_t)s[i]);
}

/* ---- a phenotype built by hand (sched_fixture.h) ---- */

static char *console; /* what the last run printed */

#define BIT(h) (1u << (h))

/* A bytecode gene on channel ch running p with the given grant and gas. */
static void
coded_gene(uint32_t id, uint32_t ch, uint32_t cpu, uint32_t mem,
    const struct bpf_asm *p, uint32_t helpers, uint32_t gas)
{
	struct pheno_program *pg = &ph.programs[ph.num_programs];

	ph.genes[ph.num_genes++] =
	    (pbin_gene_t){ id, GENE_KIND_BYTECODE, ch, cpu, 4096, mem, 0, 0 };
	memcpy(ph.code_pool + ph.code_used, p->code, 8 * p->n);
	pg->insn_count = p->n;
	pg->code = ph.code_pool + ph.code_used;
	ph.code_used += 8 * p->n;
	ph.gene_code[ph.num_gene_code++] =
	    (pbin_gene_code_t){ id, ph.num_programs++, helpers, gas };
}

static void
native_gene(uint32_t id, uint32_t kind, uint32_t ch, uint32_t arg0,
    uint32_t arg1)
{
	ph.genes[ph.num_genes++] =
	    (pbin_gene_t){ id, kind, ch, 100, 4096, 256, arg0, arg1 };
}

/* Load the phenotype (keeping what it prints) and run quanta quanta. */
static uint32_t
run(uint32_t quanta)
{
	struct capture c;
	uint32_t ran;

	cg_load(&ph);
	org_init(&ph);
	capture_begin(&c);
	sched_init(&ph);
	ran = sched_run(quanta);
	free(console);
	console = capture_end(&c);
	return ran;
}

static int32_t
state_word(uint32_t slot, unsigned off)
{
	return (int32_t)le32_load(((uint8_t *)gene_state(gene_at(slot))) + off);
}

/* ---- the scenarios ---- */

static void
test_send_from_the_stack(void **state)
{
	struct bpf_asm p = { .n = 0 };
	struct cg_msg m;

	(void)state;
	/* *(u32 *)(r10 - 8) = "abcd"; send(1, 16, r10 - 8, 4) */
	asm_emit(&p, ST_W, 10, 0, -8, 0x64636261);
	asm_emit(&p, MOV64_K, 1, 0, 0, 1);
	asm_emit(&p, MOV64_K, 2, 0, 0, 16);
	stack_ptr(&p, 3, -8);
	asm_emit(&p, MOV64_K, 4, 0, 0, 4);
	call(&p, VM_HELPER_SEND);
	asm_emit(&p, EXIT, 0, 0, 0, 0);
	channels(2);
	edge(0, 1);
	coded_gene(7, 0, 100, 0, &p, BIT(VM_HELPER_SEND), 100);
	assert_int_equal(run(1), 1);
	assert_int_equal(vmhost_stats().loaded, 1);
	assert_int_equal(vmhost_stats().slots, 8);
	assert_int_equal(cg_pop(1, &m), 0);
	assert_int_equal(m.from_gene, 7);
	assert_int_equal(m.verb, 16);
	assert_int_equal(m.len, 4);
	assert_memory_equal(m.payload, "abcd", 4);
	/* Blocks: slots 0..6 (the call ends it) and slot 7: 8 gas plus the
	 * send's. CPU: 1 for the quantum, 2 for the send. IO: 16 + 4 bytes. */
	assert_int_equal(org.mito[0].gas_total, 8 + VM_GAS_SEND);
	assert_int_equal(org.mito[0].gas_outs, 0);
	assert_int_equal(org.mito[0].cpu_total, 3);
	assert_int_equal(org.mito[0].io_total, 16 + 4);
	assert_false(org_dead(0));
	assert_true(org_dead(1)); /* one gene: slot 1 holds none */
}

static void
test_recv_and_forward_keep_the_sender(void **state)
{
	struct bpf_asm a = { .n = 0 }, b = { .n = 0 };
	struct cg_msg m;

	(void)state;
	/* Gene 4 on channel 0: send(1, 33, "xyz", 3). */
	asm_emit(&a, ST_W, 10, 0, -4, 0x007a7978);
	asm_emit(&a, MOV64_K, 1, 0, 0, 1);
	asm_emit(&a, MOV64_K, 2, 0, 0, 33);
	stack_ptr(&a, 3, -4);
	asm_emit(&a, MOV64_K, 4, 0, 0, 3);
	call(&a, VM_HELPER_SEND);
	asm_emit(&a, EXIT, 0, 0, 0, 0);
	/* Gene 5 on channel 1: n = recv(r10 - 80, 80); state[0] = n;
	 * state[4] = the copied verb; if n >= 0: state[8] = forward(2). */
	stack_ptr(&b, 1, -80);
	asm_emit(&b, MOV64_K, 2, 0, 0, 80);
	call(&b, VM_HELPER_RECV);
	asm_emit(&b, LDX_W, 3, 10, -72, 0); /* gene_vm_msg.verb at +8 */
	asm_emit(&b, MOV64_K, 6, 0, 0, VM_STATE_BASE);
	asm_emit(&b, STX_W, 6, 0, 0, 0);
	asm_emit(&b, STX_W, 6, 3, 4, 0);
	asm_emit(&b, JSGE_K, 0, 0, 1, 0);
	asm_emit(&b, EXIT, 0, 0, 0, 0);
	asm_emit(&b, MOV64_K, 1, 0, 0, 2);
	call(&b, VM_HELPER_FORWARD);
	asm_emit(&b, STX_W, 6, 0, 8, 0);
	asm_emit(&b, EXIT, 0, 0, 0, 0);
	channels(3);
	edge(0, 1);
	edge(1, 2);
	coded_gene(4, 0, 100, 0, &a, BIT(VM_HELPER_SEND), 100);
	coded_gene(5, 1, 100, 0, &b,
	    BIT(VM_HELPER_RECV) | BIT(VM_HELPER_FORWARD), 100);
	assert_int_equal(run(2), 2);
	assert_int_equal(state_word(1, 0), 3);
	assert_int_equal(state_word(1, 4), 33);
	assert_int_equal(state_word(1, 8), 0);
	assert_int_equal(cg_pop(2, &m), 0);
	assert_int_equal(m.from_gene, 4); /* the original sender */
	assert_int_equal(m.verb, 33);
	assert_int_equal(m.len, 3);
	assert_memory_equal(m.payload, "xyz", 3);
	/* Gene 5: 1 (quantum) + 1 (recv) + 2 (forward); IO 16 + 3. */
	assert_int_equal(org.mito[1].cpu_total, 4);
	assert_int_equal(org.mito[1].io_total, 19);
}

static void
test_recv_on_an_empty_queue_holds_nothing(void **state)
{
	struct bpf_asm b = { .n = 0 };

	(void)state;
	/* state[0] = recv(r10 - 80, 80); state[4] = forward(1) */
	stack_ptr(&b, 1, -80);
	asm_emit(&b, MOV64_K, 2, 0, 0, 80);
	call(&b, VM_HELPER_RECV);
	asm_emit(&b, MOV64_K, 6, 0, 0, VM_STATE_BASE);
	asm_emit(&b, STX_W, 6, 0, 0, 0);
	asm_emit(&b, MOV64_K, 1, 0, 0, 1);
	call(&b, VM_HELPER_FORWARD);
	asm_emit(&b, STX_W, 6, 0, 4, 0);
	asm_emit(&b, EXIT, 0, 0, 0, 0);
	channels(2);
	edge(0, 1);
	coded_gene(5, 0, 100, 0, &b,
	    BIT(VM_HELPER_RECV) | BIT(VM_HELPER_FORWARD), 100);
	run(1);
	assert_int_equal(state_word(0, 0), -CELL_E_NOENT);
	assert_int_equal(state_word(0, 4), -CELL_E_NOENT);
	assert_false(org_dead(0));
}

/* A gene on channel 1 that logs fmt (kept in its state) with args. */
static void
log_gene(struct bpf_asm *p, const char *fmt, const int64_t *args, int nargs)
{
	asm_emit(p, MOV64_K, 6, 0, 0, VM_STATE_BASE);
	store_string(p, 6, 0, fmt);
	for (int i = 0; i < nargs; i++) {
		asm_lddw(p, 1, (uint64_t)args[i]);
		asm_emit(p, STX_DW, 10, 1, (int16_t)(-64 + 8 * i), 0);
	}
	asm_emit(p, MOV64_X, 1, 6, 0, 0);
	stack_ptr(p, 2, -64);
	asm_emit(p, MOV64_K, 3, 0, 0, nargs);
	call(p, VM_HELPER_LOG);
	asm_emit(p, STX_W, 6, 0, 124, 0);
	asm_emit(p, EXIT, 0, 0, 0, 0);
}

static void
test_log_reaches_the_console_through_the_peroxisome(void **state)
{
	static const int64_t args[] = { 7, -5, 0xBEEF, 0xbeef, 42,
		VM_STATE_BASE + 40 };
	struct bpf_asm p = { .n = 0 };

	(void)state;
	asm_emit(&p, MOV64_K, 6, 0, 0, VM_STATE_BASE);
	store_string(&p, 6, 40, "str");
	log_gene(&p, "u=%u d=%d X=%X x=%x w=%08X%% s=%s", args, 6);
	channels(2);
	edge(1, 0);
	coded_gene(1, 1, 100, 0, &p, BIT(VM_HELPER_LOG), 2000);
	native_gene(2, GENE_KIND_PEROXI_SANITIZE, 0, 0, 0);
	assert_int_equal(run(2), 2);
	assert_int_equal(state_word(0, 124), 0);
	assert_non_null(strstr(console,
	    "#G g1 u=7 d=-5 X=BEEF x=beef w=0000002A% s=str\n"));
}

/*
 * A gene that formats fmt with args into state + 64 (cap bytes) and keeps
 * the result in state[124]; returns it, the text in out.
 */
static int32_t
format_in_vm(const char *fmt, const int64_t *args, int nargs, int32_t cap,
    char out[60])
{
	struct bpf_asm p = { .n = 0 };

	asm_emit(&p, MOV64_K, 6, 0, 0, VM_STATE_BASE);
	store_string(&p, 6, 0, fmt);
	for (int i = 0; i < nargs; i++) {
		asm_lddw(&p, 1, (uint64_t)args[i]);
		asm_emit(&p, STX_DW, 10, 1, (int16_t)(-64 + 8 * i), 0);
	}
	asm_emit(&p, MOV64_X, 1, 6, 0, 0);
	asm_emit(&p, ADD64_K, 1, 0, 0, 64);
	asm_emit(&p, MOV64_K, 2, 0, 0, cap);
	asm_emit(&p, MOV64_X, 3, 6, 0, 0);
	stack_ptr(&p, 4, -64);
	asm_emit(&p, MOV64_K, 5, 0, 0, nargs);
	call(&p, VM_HELPER_FORMAT);
	asm_emit(&p, STX_W, 6, 0, 124, 0);
	asm_emit(&p, EXIT, 0, 0, 0, 0);
	channels(1);
	coded_gene(1, 0, 100, 0, &p, BIT(VM_HELPER_FORMAT), 4000);
	run(1);
	assert_false(org_dead(0));
	memcpy(out, ((uint8_t *)gene_state(gene_at(0))) + 64, 60);
	return state_word(0, 124);
}

static void
test_format_conversions_and_refusals(void **state)
{
	static const int64_t a[] = { 255, 3, 'Z' };
	char out[60];

	(void)state;
	assert_int_equal(format_in_vm("[%5u][%02u][%c]", a, 3, 60, out), 14);
	assert_memory_equal(out, "[  255][03][Z]", 14);
	/* Exactly a message's payload (64 bytes) fits; the last four bytes
	 * are under the result word, so only the first 60 are compared. */
	assert_int_equal(format_in_vm("%32u%32u", a, 2, 64, out), 64);
	assert_memory_equal(out + 24, "     255       ", 15); /* 255, then 3 */
	assert_int_equal(format_in_vm("[%-3u]", a, 1, 60, out), -CELL_E_INVAL);
	assert_int_equal(format_in_vm("%u %u", a, 1, 60, out), -CELL_E_INVAL);
	assert_int_equal(format_in_vm("%u", a, 2, 60, out), -CELL_E_INVAL);
	assert_int_equal(format_in_vm("%123u", a, 1, 60, out), -CELL_E_INVAL);
	assert_int_equal(format_in_vm("%q", a, 1, 60, out), -CELL_E_INVAL);
	/* Too long for cap: nothing written. */
	assert_int_equal(format_in_vm("%u%u", a, 2, 3, out), -CELL_E_NOSPACE);
	assert_int_equal(out[0], 0);
	assert_int_equal(format_in_vm("%d", (const int64_t[]){ -2147483648LL },
			     1, 60, out),
	    11);
	assert_memory_equal(out, "-2147483648", 11);
}

static void
test_format_with_a_wild_pointer_is_a_fault(void **state)
{
	struct bpf_asm p = { .n = 0 };

	(void)state;
	/* format(state + 64, 8, 0x60000000, 0, 0): the format is nowhere. */
	asm_emit(&p, MOV64_K, 1, 0, 0, VM_STATE_BASE + 64);
	asm_emit(&p, MOV64_K, 2, 0, 0, 8);
	asm_emit(&p, MOV64_K, 3, 0, 0, 0x60000000);
	asm_emit(&p, MOV64_K, 4, 0, 0, 0);
	asm_emit(&p, MOV64_K, 5, 0, 0, 0);
	call(&p, VM_HELPER_FORMAT);
	asm_emit(&p, EXIT, 0, 0, 0, 0);
	channels(1);
	coded_gene(1, 0, 100, 0, &p, BIT(VM_HELPER_FORMAT), 100);
	run(1);
	assert_true(org_dead(0));
	assert_int_equal(org.lyso[0].reason, LYSO_FAULT);
	assert_non_null(strstr(console, "#W gene g1 fault: "));
}

/*
 * A gene that runs format(buf, 8, fmt, 0, 0), fmt at state + 0, and keeps
 * the result in state[124]; whether the gene survived.
 */
static int
format_to(uint32_t buf, const char *fmt)
{
	struct bpf_asm p = { .n = 0 };

	asm_emit(&p, MOV64_K, 6, 0, 0, VM_STATE_BASE);
	store_string(&p, 6, 0, fmt);
	asm_emit(&p, MOV64_K, 1, 0, 0, (int32_t)buf);
	asm_emit(&p, MOV64_K, 2, 0, 0, 8);
	asm_emit(&p, MOV64_X, 3, 6, 0, 0);
	asm_emit(&p, MOV64_K, 4, 0, 0, 0);
	asm_emit(&p, MOV64_K, 5, 0, 0, 0);
	call(&p, VM_HELPER_FORMAT);
	asm_emit(&p, STX_W, 6, 0, 124, 0);
	asm_emit(&p, EXIT, 0, 0, 0, 0);
	channels(1);
	coded_gene(1, 0, 100, 0, &p, BIT(VM_HELPER_FORMAT), 100);
	run(1);
	return !org_dead(0);
}

/* An empty result writes nothing, so its buffer is never touched. */
static void
test_format_of_nothing_touches_no_buffer(void **state)
{
	(void)state;
	assert_true(format_to(0x60000000, ""));
	assert_int_equal(state_word(0, 124), 0);
	assert_false(format_to(0x60000000, "x"));
	assert_int_equal(org.lyso[0].reason, LYSO_FAULT);
}

static void
test_a_fault_kills_the_gene_not_the_kernel(void **state)
{
	struct bpf_asm p = { .n = 0 }, q = { .n = 0 };

	(void)state;
	/* Gene 1: *(u32 *)0x60000000 = 1 (no region 6). */
	asm_emit(&p, MOV64_K, 1, 0, 0, 0x60000000);
	asm_emit(&p, ST_W, 1, 0, 0, 1);
	asm_emit(&p, EXIT, 0, 0, 0, 0);
	/* Gene 2: state[0] += 1 each quantum. */
	asm_emit(&q, MOV64_K, 6, 0, 0, VM_STATE_BASE);
	asm_emit(&q, LDX_W, 1, 6, 0, 0);
	asm_emit(&q, ADD64_K, 1, 0, 0, 1);
	asm_emit(&q, STX_W, 6, 1, 0, 0);
	asm_emit(&q, EXIT, 0, 0, 0, 0);
	channels(1);
	coded_gene(1, 0, 100, 0, &p, 0, 100);
	coded_gene(2, 0, 100, 0, &q, 0, 100);
	/* q0: gene 1 faults at slot 1; then gene 2 alone runs q1..q3. */
	assert_int_equal(run(4), 4);
	assert_int_equal(org.lyso[0].reason, LYSO_FAULT);
	assert_int_equal(org.lyso[0].quantum, 0);
	assert_int_equal(org.mito[0].quanta, 1);
	assert_int_equal(state_word(1, 0), 3);
	assert_non_null(strstr(console, "#W gene g1 fault: "));
	assert_non_null(strstr(console, " at slot 1 (address 0x60000000)"));
	/* The gas was booked: the block (all 3 slots) is charged on entry. */
	assert_int_equal(org.mito[0].gas_total, 3);
}

static void
test_a_wild_load_kills_the_gene(void **state)
{
	struct bpf_asm p = { .n = 0 };

	(void)state;
	/* r0 = *(u64 *)(VM_RODATA_BASE + 0): this gene has no rodata. */
	asm_emit(&p, MOV64_K, 1, 0, 0, (int32_t)VM_RODATA_BASE);
	asm_emit(&p, 0x79, 0, 1, 0, 0); /* LDX DW */
	asm_emit(&p, EXIT, 0, 0, 0, 0);
	channels(1);
	coded_gene(1, 0, 100, 0, &p, 0, 100);
	run(2);
	assert_int_equal(org.lyso[0].reason, LYSO_FAULT);
	assert_int_equal(org.mito[0].quanta, 1);
	assert_non_null(strstr(console, "#W gene g1 fault: "));
	assert_non_null(strstr(console, " at slot 1 (address 0x40000000)"));
}

static void
test_a_spinner_runs_out_of_gas_then_out_of_cpu(void **state)
{
	struct bpf_asm p = { .n = 0 };

	(void)state;
	asm_emit(&p, JA, 0, 0, -1, 0); /* for (;;) */
	channels(1);
	coded_gene(1, 0, 20, 0, &p, 0, 100);
	/*
	 * Each quantum: 100 one-instruction blocks, then out of gas; CPU 1 +
	 * VM_GAS_OUT_CPU = 5. After four quanta cpu_epoch is 20 (the budget);
	 * the fifth quantum's unit makes 21 and the gene dies before it runs.
	 */
	assert_int_equal(VM_GAS_OUT_CPU, 4);
	assert_int_equal(run(5), 5);
	assert_int_equal(org.mito[0].gas_outs, 4);
	assert_int_equal(org.mito[0].gas_total, 400);
	assert_int_equal(org.mito[0].cpu_total, 21);
	assert_int_equal(org.mito[0].quanta, 5);
	assert_int_equal(org.lyso[0].reason, LYSO_CPU);
	assert_int_equal(org.lyso[0].quantum, 4);
}

static void
test_a_refused_program_never_runs(void **state)
{
	struct bpf_asm p = { .n = 0 }, q = { .n = 0 }, ok = { .n = 0 };

	(void)state;
	/* Gene 1 calls send, which it is not granted. */
	asm_emit(&p, MOV64_K, 1, 0, 0, 0);
	call(&p, VM_HELPER_SEND);
	asm_emit(&p, EXIT, 0, 0, 0, 0);
	/* Gene 2 uses an atomic add, which the VM does not have. */
	asm_emit(&q, MOV64_X, 1, 10, 0, 0);
	asm_emit(&q, ATOMIC_DW, 1, 2, -8, 0);
	asm_emit(&q, EXIT, 0, 0, 0, 0);
	asm_emit(&ok, EXIT, 0, 0, 0, 0);
	channels(1);
	coded_gene(1, 0, 100, 0, &p, BIT(VM_HELPER_LOG), 100);
	coded_gene(2, 0, 100, 0, &q, 0, 100);
	coded_gene(3, 0, 100, 0, &ok, 0, 100);
	assert_int_equal(run(3), 3);
	assert_int_equal(vmhost_stats().loaded, 1);
	assert_int_equal(vmhost_stats().rejected, 2);
	assert_int_equal(org.lyso[0].reason, LYSO_REJECTED);
	assert_int_equal(org.lyso[1].reason, LYSO_REJECTED);
	assert_int_equal(org.mito[0].quanta, 0);
	assert_int_equal(org.mito[1].quanta, 0);
	assert_int_equal(org.mito[2].quanta, 3);
	assert_non_null(strstr(console, "#W gene g1 rejected: slot 1: "));
	assert_non_null(strstr(console, "#W gene g2 rejected: slot 1: "));
	assert_int_equal(sched_dead_runs(), 0);
}

static void
test_a_killed_gene_stops_at_once(void **state)
{
	struct bpf_asm p = { .n = 0 };

	(void)state;
	/* send(1, 16, r10 - 8, 0) along an edge the graph lacks, then
	 * state[0] = 99: the store must never happen. */
	asm_emit(&p, MOV64_K, 1, 0, 0, 1);
	asm_emit(&p, MOV64_K, 2, 0, 0, 16);
	stack_ptr(&p, 3, -8);
	asm_emit(&p, MOV64_K, 4, 0, 0, 0);
	call(&p, VM_HELPER_SEND);
	asm_emit(&p, MOV64_K, 6, 0, 0, VM_STATE_BASE);
	asm_emit(&p, ST_W, 6, 0, 0, 99);
	asm_emit(&p, EXIT, 0, 0, 0, 0);
	channels(2);
	coded_gene(1, 0, 100, 0, &p, BIT(VM_HELPER_SEND), 100);
	run(1);
	assert_int_equal(org.lyso[0].reason, LYSO_ROUTE);
	assert_int_equal(state_word(0, 0), 0);
	/* Only the first block (6 instructions) and the send were charged. */
	assert_int_equal(org.mito[0].gas_total, 6 + VM_GAS_SEND);
}

static void
test_alloc_maps_the_heap_and_nothing_past_it(void **state)
{
	struct bpf_asm p = { .n = 0 }, q = { .n = 0 };

	(void)state;
	/* r6 = alloc(64); state[0] = r6; *(u32 *)(r6 + 60) = 0x11223344;
	 * *(u8 *)(r6 + 64) = 1 (one past the heap: a fault). */
	asm_emit(&p, MOV64_K, 1, 0, 0, 64);
	call(&p, VM_HELPER_ALLOC);
	asm_emit(&p, MOV64_X, 6, 0, 0, 0);
	asm_emit(&p, MOV64_K, 7, 0, 0, VM_STATE_BASE);
	asm_emit(&p, STX_W, 7, 6, 0, 0);
	asm_emit(&p, ST_W, 6, 0, 60, 0x11223344);
	asm_emit(&p, ST_B, 6, 0, 64, 1);
	asm_emit(&p, EXIT, 0, 0, 0, 0);
	/* alloc(2^32 + 16) must not wrap to a 16-byte allocation. */
	asm_lddw(&q, 1, 0x100000010ULL);
	call(&q, VM_HELPER_ALLOC);
	asm_emit(&q, EXIT, 0, 0, 0, 0);
	channels(1);
	coded_gene(1, 0, 100, 128, &p, BIT(VM_HELPER_ALLOC), 100);
	coded_gene(2, 0, 100, 128, &q, BIT(VM_HELPER_ALLOC), 100);
	run(2);
	assert_int_equal((uint32_t)state_word(0, 0), VM_HEAP_BASE);
	assert_int_equal(le32_load(gene_arena(gene_at(0)) + 60), 0x11223344);
	assert_int_equal(org.mito[0].mem_held, 64);
	assert_int_equal(org.lyso[0].reason, LYSO_FAULT);
	assert_non_null(strstr(console, "(address 0x50000040)"));
	assert_int_equal(org.lyso[1].reason, LYSO_MEM);
	assert_int_equal(org.mito[1].mem_held, 0);
}

static void
test_event_helper_hands_out_bridge_events(void **state)
{
	static const struct irqb_source_cfg src = { EVENT_CUSTOM, 0, 0, 0 };
	struct bpf_asm p = { .n = 0 };
	struct event e;
	int id;

	(void)state;
	/* r6 = alloc(256); state[0] = event(r6, 256); state[4] =
	 * event(r6, 256); state[8] = event(r6, 255) */
	asm_emit(&p, MOV64_K, 1, 0, 0, 256);
	call(&p, VM_HELPER_ALLOC);
	asm_emit(&p, MOV64_X, 6, 0, 0, 0);
	asm_emit(&p, MOV64_K, 7, 0, 0, VM_STATE_BASE);
	for (int i = 0; i < 3; i++) {
		asm_emit(&p, MOV64_X, 1, 6, 0, 0);
		asm_emit(&p, MOV64_K, 2, 0, 0, i == 2 ? 255 : 256);
		call(&p, VM_HELPER_EVENT);
		asm_emit(&p, STX_W, 7, 0, (int16_t)(4 * i), 0);
	}
	asm_emit(&p, EXIT, 0, 0, 0, 0);
	irqb_reset();
	assert_true((id = irqb_add_source(&src)) >= 0);
	irqb_capture((uint32_t)id, 0xAABBCCDDu);
	channels(1);
	coded_gene(1, 0, 100, 256, &p,
	    BIT(VM_HELPER_ALLOC) | BIT(VM_HELPER_EVENT), 200);
	run(1);
	assert_false(org_dead(0));
	/* One frame: a 16-byte header and the 4-byte payload word. */
	assert_int_equal(state_word(0, 0), 20);
	assert_int_equal(state_word(0, 4), -CELL_E_NOENT);
	assert_int_equal(state_word(0, 8), -CELL_E_NOSPACE);
	assert_int_equal(event_unpack(gene_arena(gene_at(0)), 20, &e), 20);
	assert_int_equal(e.src, (uint32_t)id);
	assert_int_equal(e.kind, EVENT_CUSTOM);
	assert_int_equal(le32_load(e.payload), 0xAABBCCDDu);
	irqb_reset();
}

/* A fresh 64-block KV store in RAM, attached to the VM host. */
static struct kv_store *
fresh_kv(void)
{
	static uint8_t disk[64 * HAL_BLOCK_SIZE];
	static struct kv_store kv;
	static struct blkdev dev;

	memset(disk, 0, sizeof disk);
	blk_ram(&dev, disk, 64);
	assert_int_equal(kv_open(&kv, &dev, (struct region){ 0, 64 }), 0);
	vmhost_attach_kv(&kv);
	return &kv;
}

static void
test_kv_helpers_use_the_genes_namespace(void **state)
{
	struct bpf_asm p = { .n = 0 };
	struct kv_store *kv;
	uint8_t buf[8];

	(void)state;
	/* key "count" at state + 0, value 5 at state + 16;
	 * state[32] = kv_put(state, 5, state + 16, 4);
	 * state[36] = kv_get(state, 5, state + 40, 4);
	 * state[44] = kv_get(state, 5, state + 40, 3) */
	asm_emit(&p, MOV64_K, 6, 0, 0, VM_STATE_BASE);
	store_string(&p, 6, 0, "count");
	asm_emit(&p, ST_W, 6, 0, 16, 5);
	asm_emit(&p, MOV64_X, 1, 6, 0, 0);
	asm_emit(&p, MOV64_K, 2, 0, 0, 5);
	asm_emit(&p, MOV64_X, 3, 6, 0, 0);
	asm_emit(&p, ADD64_K, 3, 0, 0, 16);
	asm_emit(&p, MOV64_K, 4, 0, 0, 4);
	call(&p, VM_HELPER_KV_PUT);
	asm_emit(&p, STX_W, 6, 0, 32, 0);
	for (int i = 0; i < 2; i++) {
		asm_emit(&p, MOV64_X, 1, 6, 0, 0);
		asm_emit(&p, MOV64_K, 2, 0, 0, 5);
		asm_emit(&p, MOV64_X, 3, 6, 0, 0);
		asm_emit(&p, ADD64_K, 3, 0, 0, 40);
		asm_emit(&p, MOV64_K, 4, 0, 0, 4 - i);
		call(&p, VM_HELPER_KV_GET);
		asm_emit(&p, STX_W, 6, 0, (int16_t)(i == 0 ? 36 : 44), 0);
	}
	asm_emit(&p, EXIT, 0, 0, 0, 0);
	channels(1);
	coded_gene(9, 0, 100, 0, &p,
	    BIT(VM_HELPER_KV_GET) | BIT(VM_HELPER_KV_PUT), 2000);

	/* Without a store: -NOSYS. */
	vmhost_attach_kv(NULL);
	run(1);
	assert_int_equal(state_word(0, 32), -CELL_E_NOSYS);

	kv = fresh_kv();
	run(1);
	assert_int_equal(state_word(0, 32), 0);
	assert_int_equal(state_word(0, 36), 4);
	assert_int_equal(state_word(0, 40), 5);
	assert_int_equal(state_word(0, 44), -CELL_E_NOSPACE);
	/* The value is on the device under the gene's own namespace. */
	assert_int_equal(kv_get(kv, "g9", "count", buf, sizeof buf), 4);
	assert_int_equal(le32_load(buf), 5);
	assert_int_equal(kv_get(kv, "g1", "count", buf, sizeof buf),
	    -CELL_E_NOENT);
	vmhost_attach_kv(NULL);
}

/*
 * A key the store cannot take is refused by the helper, before a byte of it
 * is copied: empty, and one byte over KV_KEY_MAX (33 'k's in the state).
 * state[100] = kv_put(state, 33, state + 40, 4);
 * state[104] = kv_put(state, 0, state + 40, 4)
 */
static void
test_kv_helpers_refuse_bad_key_lengths(void **state)
{
	struct bpf_asm p = { .n = 0 };
	char key[KV_KEY_MAX + 2];

	(void)state;
	memset(key, 'k', KV_KEY_MAX + 1);
	key[KV_KEY_MAX + 1] = '\0';
	asm_emit(&p, MOV64_K, 6, 0, 0, VM_STATE_BASE);
	store_string(&p, 6, 0, key);
	for (int i = 0; i < 2; i++) {
		asm_emit(&p, MOV64_X, 1, 6, 0, 0);
		asm_emit(&p, MOV64_K, 2, 0, 0, i == 0 ? KV_KEY_MAX + 1 : 0);
		asm_emit(&p, MOV64_X, 3, 6, 0, 0);
		asm_emit(&p, ADD64_K, 3, 0, 0, 40);
		asm_emit(&p, MOV64_K, 4, 0, 0, 4);
		call(&p, VM_HELPER_KV_PUT);
		asm_emit(&p, STX_W, 6, 0, (int16_t)(100 + 4 * i), 0);
	}
	asm_emit(&p, EXIT, 0, 0, 0, 0);
	channels(1);
	coded_gene(9, 0, 100, 0, &p, BIT(VM_HELPER_KV_PUT), 2000);
	struct kv_store *kv = fresh_kv();
	run(1);
	assert_int_equal(state_word(0, 100), -CELL_E_TOOLONG);
	assert_int_equal(state_word(0, 104), -CELL_E_TOOLONG);
	assert_int_equal(kv->count, 0);
	vmhost_attach_kv(NULL);
}

static void
test_division_by_zero_is_defined_not_fatal(void **state)
{
	struct bpf_asm p = { .n = 0 };

	(void)state;
	/* state[0] = 7 / 0 (RFC 9669: 0); the gene lives on. */
	asm_emit(&p, MOV64_K, 1, 0, 0, 7);
	asm_emit(&p, MOV64_K, 2, 0, 0, 0);
	asm_emit(&p, DIV64_X, 1, 2, 0, 0);
	asm_emit(&p, MOV64_K, 6, 0, 0, VM_STATE_BASE);
	asm_emit(&p, ST_W, 6, 0, 0, -1);
	asm_emit(&p, STX_W, 6, 1, 0, 0);
	asm_emit(&p, EXIT, 0, 0, 0, 0);
	channels(1);
	coded_gene(1, 0, 100, 0, &p, 0, 100);
	run(1);
	assert_false(org_dead(0));
	assert_int_equal(state_word(0, 0), 0);
}

static void
test_context_region_is_read_only_and_current(void **state)
{
	struct bpf_asm p = { .n = 0 }, q = { .n = 0 };

	(void)state;
	/* state[0] = ctx->gene_id, state[4] = ctx->quantum, state[8] =
	 * ctx->gas, state[12] = ticks() (r1 is ctx on entry). */
	asm_emit(&p, MOV64_K, 6, 0, 0, VM_STATE_BASE);
	asm_emit(&p, LDX_W, 3, 1, 0, 0);
	asm_emit(&p, STX_W, 6, 3, 0, 0);
	asm_emit(&p, LDX_W, 3, 1, 16, 0);
	asm_emit(&p, STX_W, 6, 3, 4, 0);
	asm_emit(&p, LDX_W, 3, 1, 28, 0);
	asm_emit(&p, STX_W, 6, 3, 8, 0);
	call(&p, VM_HELPER_TICKS);
	asm_emit(&p, STX_W, 6, 0, 12, 0);
	asm_emit(&p, EXIT, 0, 0, 0, 0);
	/* A store into the context faults. */
	asm_emit(&q, ST_W, 1, 0, 0, 1);
	asm_emit(&q, EXIT, 0, 0, 0, 0);
	channels(1);
	coded_gene(6, 0, 100, 0, &p, BIT(VM_HELPER_TICKS), 77);
	coded_gene(8, 0, 100, 0, &q, 0, 77);
	/* q0 gene 6, q1 gene 8 (dies), q2 gene 6 again. */
	run(3);
	assert_int_equal(state_word(0, 0), 6);
	assert_int_equal(state_word(0, 4), 2);
	assert_int_equal(state_word(0, 8), 77);
	assert_int_equal(state_word(0, 12), 2);
	assert_int_equal(org.lyso[1].reason, LYSO_FAULT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_send_from_the_stack),
		cmocka_unit_test(test_recv_and_forward_keep_the_sender),
		cmocka_unit_test(test_recv_on_an_empty_queue_holds_nothing),
		cmocka_unit_test(
		    test_log_reaches_the_console_through_the_peroxisome),
		cmocka_unit_test(test_format_conversions_and_refusals),
		cmocka_unit_test(test_format_with_a_wild_pointer_is_a_fault),
		cmocka_unit_test(test_format_of_nothing_touches_no_buffer),
		cmocka_unit_test(test_a_fault_kills_the_gene_not_the_kernel),
		cmocka_unit_test(test_a_wild_load_kills_the_gene),
		cmocka_unit_test(
		    test_a_spinner_runs_out_of_gas_then_out_of_cpu),
		cmocka_unit_test(test_a_refused_program_never_runs),
		cmocka_unit_test(test_a_killed_gene_stops_at_once),
		cmocka_unit_test(test_alloc_maps_the_heap_and_nothing_past_it),
		cmocka_unit_test(test_event_helper_hands_out_bridge_events),
		cmocka_unit_test(test_kv_helpers_use_the_genes_namespace),
		cmocka_unit_test(test_kv_helpers_refuse_bad_key_lengths),
		cmocka_unit_test(test_division_by_zero_is_defined_not_fatal),
		cmocka_unit_test(test_context_region_is_read_only_and_current),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
