/*
 * The kernel of the debug tests that faults on purpose (CELLOS_TEST_FAULT,
 * cellos-x86-fault.elf and cellos-arm64-fault.elf). It is linked with
 * -Wl,--wrap=hal_machine_unsupported, so cell_boot's first question to the
 * HAL lands here: __wrap_hal_machine_unsupported calls debug_fault_outer,
 * which calls debug_fault_inner, which executes the CPU's undefined
 * instruction (__builtin_trap: ud2 on x86, brk on arm64). The "#X" lines
 * must name debug_fault_inner as the faulting function and walk back
 * through debug_fault_outer, the wrapper, cell_boot and cell_main to the
 * arch entry. The proof images never contain this file.
 */
const char *__wrap_hal_machine_unsupported(void);
void debug_fault_outer(void);
void debug_fault_inner(void);

/* Volatile, so the compiler can neither drop the trap nor the return. */
static volatile int debug_fault_armed = 1;

/*
 * The scratch array gives the function a stack frame: x86 gcc keeps no
 * frame pointer in a leaf that needs none, and its caller would then be
 * missing from the backtrace.
 */
__attribute__((noinline, noipa)) void
debug_fault_inner(void)
{
	volatile unsigned char scratch[16];

	scratch[0] = 1;
	if (debug_fault_armed)
		__builtin_trap();
	(void)scratch[0];
}

__attribute__((noinline, noipa)) void
debug_fault_outer(void)
{
	debug_fault_inner();
	debug_fault_armed = 2;
}

const char *
__wrap_hal_machine_unsupported(void)
{
	debug_fault_outer();
	return "the debug fault image did not fault";
}
