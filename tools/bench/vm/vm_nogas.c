/*
 * The kernel's interpreter compiled again with no gas metering (a bench
 * knob; never a kernel), under its own names, for bench vm.
 */
#define CFG_VM_BENCH_NO_GAS	1
#define vm_run		vm_run_nogas
#define vm_mem		vm_mem_nogas
#define vm_fault_name	vm_fault_name_nogas
#define CELLOS_VM_BENCH_COPY	1
#include "../../../core/vm_interp.c"
