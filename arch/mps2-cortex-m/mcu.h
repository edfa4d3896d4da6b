/*
 * Internals of the Cortex-M board (QEMU mps2-an386) shared between its
 * files: the ARMv7-M system registers it touches, the CMSDK UART, the
 * semihosting call, and what the entry probed.
 */
#ifndef CELLOS_MCU_H
#define CELLOS_MCU_H

#include <stdint.h>

/* ---- ARMv7-M system control space (ARMv7-M ARM, B3.2) ---- */
#define SCS_ICTR   0xE000E004u /* interrupt controller type */
#define SYST_CSR   0xE000E010u /* SysTick control and status */
#define SYST_RVR   0xE000E014u /* reload value */
#define SYST_CVR   0xE000E018u /* current value */
#define SYST_CALIB 0xE000E01Cu /* calibration: TENMS, SKEW, NOREF */
#define NVIC_ISER0 0xE000E100u /* set-enable, 32 lines a word */
#define NVIC_ICER0 0xE000E180u /* clear-enable */
#define NVIC_ISPR0 0xE000E200u /* set-pending */
#define NVIC_ICPR0 0xE000E280u /* clear-pending */
#define NVIC_IPR0  0xE000E400u /* priority, a byte a line */
#define SCB_CPUID  0xE000ED00u
#define SCB_ICSR   0xE000ED04u /* interrupt control and state */
#define SCB_VTOR   0xE000ED08u
#define SCB_AIRCR  0xE000ED0Cu
#define SCB_CCR    0xE000ED14u
#define SCB_SHPR3  0xE000ED20u /* priorities of PendSV, SysTick */
#define SCB_SHCSR  0xE000ED24u /* system handler control and state */
#define SCB_CFSR   0xE000ED28u /* MMFSR | BFSR << 8 | UFSR << 16 */
#define SCB_HFSR   0xE000ED2Cu
#define SCB_MMFAR  0xE000ED34u
#define SCB_BFAR   0xE000ED38u
#define SCB_CPACR  0xE000ED88u
#define MPU_TYPE   0xE000ED90u
#define MPU_CTRL   0xE000ED94u
#define MPU_RNR    0xE000ED98u
#define MPU_RBAR   0xE000ED9Cu
#define MPU_RASR   0xE000EDA0u
#define FPU_MVFR0  0xE000EF40u /* media and FP feature register 0 */

#define ICSR_PENDSTSET      (1u << 26)
#define ICSR_PENDSTCLR      (1u << 25)
#define SHCSR_MEMFAULTENA   (1u << 16)
#define SHCSR_BUSFAULTENA   (1u << 17)
#define SHCSR_USGFAULTENA   (1u << 18)
#define CFSR_BFSR_MASK      0x0000FF00u
#define CFSR_MMARVALID      (1u << 7)  /* MMFSR: MMFAR holds the address */
#define CFSR_PRECISERR      (1u << 9)  /* BFSR: a precise data bus error */
#define CFSR_BFARVALID      (1u << 15) /* BFSR: BFAR holds the address */
#define CFSR_NOCP           (1u << 19) /* UFSR: no coprocessor (no FPU) */
#define HFSR_FORCED         (1u << 30) /* a fault escalated to HardFault */
#define MPU_CTRL_ENABLE     (1u << 0)
#define MPU_CTRL_PRIVDEFENA (1u << 2) /* default map under the regions */
#define MPU_RASR_ENABLE     (1u << 0)
#define MPU_RASR_SIZE_32    (4u << 1)  /* 2^(SIZE + 1) bytes */
#define MPU_RASR_AP_NONE    (0u << 24) /* no access, privileged or not */
#define MPU_RASR_XN         (1u << 28)

/* ---- the board (QEMU hw/arm/mps2.c, AN386) ---- */
#define MPS2_UART0 0x40004000u /* CMSDK APB UART0: channel 0 */
#define MPS2_SCC_ID \
	0x4002FFFCu /* the FPGA's serial config controller: its id */
/* NVIC line of the software interrupt: no AN386 device is wired to it */
#define MCU_SOFT_IRQ    31
#define MCU_RAM_REGIONS 16 /* RAM regions the probe records */

static inline void
mmio_write32(uint32_t addr, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)addr = v;
}

static inline uint32_t
mmio_read32(uint32_t addr)
{
	return *(volatile uint32_t *)(uintptr_t)addr;
}

static inline void
mcu_barrier(void)
{
	__asm__ volatile("dsb; isb" : : : "memory");
}

/* ---- what the entry probed (mcu_main.c, probe.c) ---- */
struct mcu_ram_region {
	uint32_t base;
	uint32_t size;
};

struct mcu_machine {
	uint32_t cpuid;         /* SCB CPUID */
	uint32_t mvfr0;         /* 0: no FPU */
	uint32_t mpu_regions;   /* MPU_TYPE.DREGION; 0: no MPU */
	uint32_t nvic_lines;    /* 32 * (ICTR.INTLINESNUM + 1) */
	uint32_t systick_calib; /* SYST_CALIB */
	uint32_t scc_id; /* the MPS2 FPGA image's id, 0 if none answered */
	int uart_ok;     /* UART0's ID registers name a CMSDK APB UART */
	unsigned ram_count;
	int ram_truncated; /* more regions than MCU_RAM_REGIONS */
	struct mcu_ram_region ram[MCU_RAM_REGIONS];
};

extern struct mcu_machine mcu;

/* Why the kernel cannot drive this machine, or NULL (hal_machine_unsupported). */
extern const char *mcu_unsupported;

/* UART0 (hal_console.c): check its ID registers, then enable TX. */
int mcu_uart_init(void);
void mcu_uart_ensure(void);

/* The RAM probe (probe.c): fills mcu.ram, bus faults guarded. */
void mcu_probe_ram_regions(void);

/* Interrupts (hal_irq.c): NVIC and SysTick set up, all masked. */
void mcu_irq_init(void);

/* The disk (hal_blk.c): open the host file the command line names. */
void mcu_blk_init(const char *cmdline);
void mcu_blk_describe(void); /* the "#I mcu: disk" line */

/*
 * The exception entry (vectors.S) calls this for every exception other
 * than SysTick and the software line, on its own stack, with the frame
 * the hardware stacked (r0-r3, r12, lr, pc, xpsr), the exception number
 * (IPSR) and EXC_RETURN. It returns only when the fault was an expected
 * probe bus fault, with the frame changed to resume after the probe.
 */
void mcu_fault(uint32_t *frame, uint32_t exception, uint32_t exc_return);

/* vectors.S: the guarded RAM probe primitives and their bounds. */
#define MCU_PROBE_FAULT (-1) /* mcu_probe_word: the access bus-faulted */
#define MCU_PROBE_NONE  0    /* answered, but does not hold a value */
#define MCU_PROBE_RAM   1
int mcu_probe_word(uint32_t addr);
int mcu_probe_alias(uint32_t addr, uint32_t partner);
extern const char mcu_probe_start[], mcu_probe_end[], mcu_probe_fail[];
extern volatile int mcu_probing; /* a probe bus fault is expected */

/* vectors.S: one semihosting call (bkpt 0xAB): r0 = op, r1 = arg. */
uint32_t mcu_semihost(uint32_t op, const void *arg);

/* The ISRs the vector table names (hal_irq.c). */
void mcu_systick_isr(void);
void mcu_soft_isr(void);

void mcu_main(void);

#endif
