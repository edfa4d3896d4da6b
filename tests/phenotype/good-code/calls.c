/*
 * A well-formed gene that exercises every relocation the compiler applies:
 * a call of a global function (R_BPF_64_32 against its symbol), a call of a
 * static one (resolved by clang, or R_BPF_64_32 against .text), lddw of
 * rodata (R_BPF_64_64), and a table of string pointers in rodata
 * (R_BPF_64_ABS64 in .rel.rodata).
 */
#include "cellos_gene.h"

uint32_t mix(uint32_t x);

static const char *const words[] = { "zero", "one", "two" };

/* A global function: called through an R_BPF_64_32 relocation. */
__attribute__((noinline)) uint32_t
mix(uint32_t x)
{
	return x * 3 + 7;
}

/* A static function: clang resolves the call itself. */
static __attribute__((noinline)) uint32_t
twice(uint32_t x)
{
	return x * 2 + 1;
}

/* One quantum: mix the arguments into the state and log a word. */
int
gene(struct gene_vm_ctx *ctx, void *state)
{
	uint64_t args[1] = { (uint64_t)(uintptr_t)words[ctx->arg0 % 3] };

	*(uint32_t *)state = mix(ctx->arg0) + twice(ctx->arg1);
	(void)helper_log("word %s", args, 1);
	return 0;
}
