/*
 * The kernel's interpreter compiled again with the portable switch
 * dispatch (CFG_VM_COMPUTED_GOTO 0), under its own names, for bench vm.
 */
#define CFG_VM_COMPUTED_GOTO	0
#define vm_run		vm_run_switch
#define vm_mem		vm_mem_switch
#define vm_fault_name	vm_fault_name_switch
#define CELLOS_VM_BENCH_COPY	1
#include "../../../core/vm_interp.c"
