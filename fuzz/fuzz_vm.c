/*
 * The gene VM on arbitrary bytes: an 8-byte header chooses the entry, the
 * helper grant mask, the gas and the machine's shape, the rest is the
 * program. Whatever the verifier accepts is run twice, by core's
 * computed-goto interpreter and by a second build of it with the switch
 * dispatch; the two must agree exactly, and every run must keep
 * the VM's promises (gas, codes, a zero stack, read-only regions intact).
 *
 * Header: entry (le16, taken modulo slots + 1, so one past the end is
 * tried too), helper mask (le16), gas (le16, up to 4095), flags (bit 0:
 * a short 1 KiB stack, bit 1: no heap region, bit 2: r1/r2 swapped, bits
 * 3-7: the ctx pattern), one spare byte.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vm.h"

/*
 * The switch dispatch: core/vm_interp.c compiled a second time with
 * CFG_VM_COMPUTED_GOTO=0 and its three entry points renamed (the
 * cellos_vm_switch object library in fuzz/CMakeLists.txt).
 */
void vm_run_switch(const struct vm_prog *prog, struct vm_machine *m,
    uint64_t r1, uint64_t r2, struct vm_result *out);
void *vm_mem_switch(struct vm_machine *m, uint64_t addr, uint64_t len,
    int write);
const char *vm_fault_name_switch(enum vm_fault f);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HEADER      8
#define CTX_SIZE    32
#define RODATA_SIZE 64
#define HEAP_SIZE   64

struct fake {
	uint8_t ctx[CTX_SIZE], state[VM_STATE_SIZE], stack[VM_STACK_SIZE];
	uint8_t rodata[RODATA_SIZE], heap[HEAP_SIZE];
};

static struct fake mem, pristine;
static struct vm_insn pool[VM_INSNS_MAX];

static enum vm_call_status
h_sum(struct vm_machine *m, const uint64_t args[5], uint64_t *ret)
{
	(void)m;
	*ret = args[0] + args[1] + args[2] + args[3] + args[4];
	return VM_CALL_OK;
}

static enum vm_call_status
h_stop(struct vm_machine *m, const uint64_t args[5], uint64_t *ret)
{
	(void)m;
	(void)args;
	*ret = 1;
	return VM_CALL_STOP;
}

static enum vm_call_status
h_fault(struct vm_machine *m, const uint64_t args[5], uint64_t *ret)
{
	(void)m;
	(void)args;
	*ret = 2;
	return VM_CALL_FAULT;
}

/* mem(addr, len, write, byte): fill or sum what vm_mem hands out. */
static enum vm_call_status
h_mem(struct vm_machine *m, const uint64_t args[5], uint64_t *ret)
{
	uint64_t len = args[1] & 0x3ff, sum = 0;
	int write = (int)(args[2] & 1);
	uint8_t *p = vm_mem(m, args[0], len, write);

	if (p == NULL)
		return VM_CALL_FAULT;
	for (uint64_t i = 0; i < len; i++) {
		if (write)
			p[i] = (uint8_t)args[3];
		sum += p[i];
	}
	*ret = sum;
	return VM_CALL_OK;
}

static const struct vm_helper_table table = {
	.fn = { [1] = h_sum,
	    [2] = h_stop,
	    [3] = h_fault,
	    [4] = h_mem,
	    [5] = h_sum },
	.gas = { [1] = 1, [2] = 3, [3] = 0, [4] = 5, [5] = 4000 },
};

static void
machine(struct vm_machine *m, uint8_t flags, uint64_t gas)
{
	memset(m, 0, sizeof *m);
	m->region[VM_REGION_CTX] = (struct vm_region){ mem.ctx, CTX_SIZE, 0 };
	m->region[VM_REGION_STATE] =
	    (struct vm_region){ mem.state, VM_STATE_SIZE, 1 };
	m->region[VM_REGION_STACK] = (struct vm_region){ mem.stack,
		(flags & 1) ? 1024 : VM_STACK_SIZE, 1 };
	m->region[VM_REGION_RODATA] =
	    (struct vm_region){ mem.rodata, RODATA_SIZE, 0 };
	if (!(flags & 2))
		m->region[VM_REGION_HEAP] =
		    (struct vm_region){ mem.heap, HEAP_SIZE, 1 };
	m->helpers = &table;
	m->gas = gas;
}

/* Abort unless a run kept every promise of vm.h. */
static void
check_run(const struct vm_result *res, struct vm_machine *m, uint64_t gas,
    uint32_t n)
{
	if (res->gas_used > gas || m->gas != gas - res->gas_used ||
	    res->insns > res->gas_used)
		abort();
	if (res->exit > VM_EXIT_FAULT || res->fault > VM_FAULT_DEPTH)
		abort();
	if ((res->exit == VM_EXIT_FAULT) != (res->fault != VM_FAULT_NONE))
		abort();
	if (res->exit != VM_EXIT_DONE && res->fault_pc >= n)
		abort();
	/* A faulting access of up to 8 bytes: those 8 are not all valid. */
	if ((res->fault == VM_FAULT_LOAD || res->fault == VM_FAULT_STORE) &&
	    vm_mem(m, res->fault_addr, 8, res->fault == VM_FAULT_STORE) != NULL)
		abort();
	for (size_t i = 0; i < sizeof mem.stack; i++)
		if (mem.stack[i] != 0)
			abort();
	if (memcmp(mem.ctx, pristine.ctx, CTX_SIZE) != 0 ||
	    memcmp(mem.rodata, pristine.rodata, RODATA_SIZE) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vm_verify_error err, err2;
	struct vm_prog prog;
	struct vm_machine m;
	struct vm_result a, b;
	struct fake after;
	uint32_t n, entry, helpers, used;
	uint64_t gas, r1, r2;
	uint8_t flags;
	int rc;

	if (size < HEADER)
		return 0;
	n = (uint32_t)((size - HEADER) / 8);
	if (n > VM_INSNS_MAX + 1)
		n = VM_INSNS_MAX + 1; /* one too many is tried too */
	entry = (uint32_t)(data[0] | data[1] << 8) % (n + 1);
	helpers = (uint32_t)(data[2] | data[3] << 8);
	gas = (uint64_t)(data[4] | data[5] << 8) & 0xfff;
	flags = data[6];

	rc = vm_verify(data + HEADER, n, entry, helpers, &err);
	if (rc !=
		vm_load(&prog, data + HEADER, n, entry, helpers, pool,
		    VM_INSNS_MAX, &used, &err2) ||
	    err.reject != err2.reject || err.insn != err2.insn ||
	    strcmp(err.reason, err2.reason) != 0)
		abort(); /* vm_load is vm_verify, then a decode */
	if (rc != 0) {
		if (err.reject == VM_REJECT_NONE ||
		    err.reject > VM_REJECT_STACK || err.reason[0] == '\0' ||
		    strlen(err.reason) >= sizeof err.reason)
			abort();
		return 0;
	}
	if (used != n || err.reject != VM_REJECT_NONE)
		abort();

	/* Fresh memory: a ctx pattern, state and heap from the flags. */
	for (size_t i = 0; i < CTX_SIZE; i++)
		pristine.ctx[i] = (uint8_t)(i * 37 + (flags >> 3));
	for (size_t i = 0; i < RODATA_SIZE; i++)
		pristine.rodata[i] = (uint8_t)(255 - i);
	for (size_t i = 0; i < VM_STATE_SIZE; i++)
		pristine.state[i] = (uint8_t)(i ^ data[7]);
	memset(pristine.stack, 0, sizeof pristine.stack);
	memset(pristine.heap, 0xA5, sizeof pristine.heap);
	r1 = (flags & 4) ? VM_STATE_BASE : VM_CTX_BASE;
	r2 = (flags & 4) ? VM_CTX_BASE : VM_STATE_BASE;

	mem = pristine;
	machine(&m, flags, gas);
	vm_run(&prog, &m, r1, r2, &a);
	check_run(&a, &m, gas, n);
	after = mem;

	mem = pristine;
	machine(&m, flags, gas);
	vm_run_switch(&prog, &m, r1, r2, &b);
	check_run(&b, &m, gas, n);
	if (a.exit != b.exit || a.fault != b.fault ||
	    a.fault_pc != b.fault_pc || a.fault_addr != b.fault_addr ||
	    a.r0 != b.r0 || a.gas_used != b.gas_used || a.insns != b.insns ||
	    memcmp(&after, &mem, sizeof mem) != 0)
		abort(); /* the two dispatches disagree */
	return 0;
}
