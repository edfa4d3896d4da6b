# The Cortex-M board kernel: Debian's arm-none-eabi-gcc, freestanding,
# Thumb-2 for the Cortex-M4 with its single-precision FPU (hard-float
# ABI). gcc's own stddef.h, stdint.h and stdarg.h only; no newlib.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
set(CMAKE_OBJCOPY arm-none-eabi-objcopy CACHE FILEPATH "objcopy for the MCU image")
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

execute_process(COMMAND arm-none-eabi-gcc -print-file-name=include
	OUTPUT_VARIABLE CELLOS_CC_INCLUDE OUTPUT_STRIP_TRAILING_WHITESPACE)

set(CELLOS_MCU_CPU_FLAGS "-mthumb -mcpu=cortex-m4 -mfloat-abi=hard -mfpu=fpv4-sp-d16")
# uint32_t is unsigned int, as on every other target (arch/mps2-cortex-m/int32.h).
set(CELLOS_MCU_INT32 "-include ${CMAKE_CURRENT_LIST_DIR}/../arch/mps2-cortex-m/int32.h")
set(CMAKE_C_FLAGS_INIT "${CELLOS_MCU_CPU_FLAGS} ${CELLOS_MCU_INT32} -ffreestanding -nostdinc \
-isystem ${CELLOS_CC_INCLUDE} -fno-pic -fno-pie -fno-stack-protector \
-fno-asynchronous-unwind-tables -fno-unwind-tables -ffunction-sections -fdata-sections")
set(CMAKE_ASM_FLAGS_INIT "${CELLOS_MCU_CPU_FLAGS}")
set(CMAKE_C_FLAGS_RELEASE "-Os -DNDEBUG" CACHE STRING "Release flags of the board kernels")
set(CMAKE_EXE_LINKER_FLAGS_INIT "${CELLOS_MCU_CPU_FLAGS} -static -nostdlib \
-Wl,--build-id=none -Wl,-z,noexecstack")
