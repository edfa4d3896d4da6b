/*
 * The kernel's interpreter compiled again with no bounds checks on loads
 * and stores (a bench knob; never a kernel), under its own names, for
 * bench vm.
 */
#define CFG_VM_BENCH_NO_BOUNDS	1
#define vm_run		vm_run_nobounds
#define vm_mem		vm_mem_nobounds
#define vm_fault_name	vm_fault_name_nobounds
#define CELLOS_VM_BENCH_COPY	1
#include "../../../core/vm_interp.c"
