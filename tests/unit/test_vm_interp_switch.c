/*
 * The interpreter tests again, against the portable switch dispatch
 * (CFG_VM_COMPUTED_GOTO 0): both dispatches must give identical results.
 * This executable carries its own vm_interp.c object, built that way; the
 * linker takes vm_run, vm_mem and vm_fault_name from it and so never pulls
 * core's vm_interp.o out of cellos_core (nothing else that object defines
 * is referenced), which is why there is no duplicate definition.
 */
#define CFG_VM_COMPUTED_GOTO 0
#include "../../core/vm_interp.c"
#include "test_vm_interp.c"
