# The QEMU virt kernel: aarch64-linux-gnu-gcc, freestanding, general
# registers only (no FP/SIMD state to save on exceptions) and strict
# alignment (Device memory faults on unaligned access before the MMU is on).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_ASM_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_OBJCOPY aarch64-linux-gnu-objcopy CACHE FILEPATH "objcopy for the arm64 image")
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

execute_process(COMMAND aarch64-linux-gnu-gcc -print-file-name=include
	OUTPUT_VARIABLE CELLOS_CC_INCLUDE OUTPUT_STRIP_TRAILING_WHITESPACE)

set(CMAKE_C_FLAGS_INIT "-ffreestanding -nostdinc -isystem ${CELLOS_CC_INCLUDE} \
-march=armv8-a -mgeneral-regs-only -mstrict-align -fno-pic -fno-pie \
-fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables")
set(CMAKE_ASM_FLAGS_INIT "-march=armv8-a -fno-pic -fno-pie")
set(CMAKE_C_FLAGS_RELEASE "-Os -DNDEBUG" CACHE STRING "Release flags of the board kernels")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -nostdlib -no-pie -Wl,--build-id=none \
-Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack -Wl,--no-dynamic-linker")
