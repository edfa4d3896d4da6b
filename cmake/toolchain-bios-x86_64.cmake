# The PC BIOS kernel: the host gcc, freestanding, for a higher-half x86_64
# kernel (-mcmodel=kernel) with no red zone and no SSE (interrupt handlers
# do not save vector state).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER gcc)
set(CMAKE_ASM_COMPILER gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# -nostdinc drops libc's headers; gcc's own freestanding ones (stddef.h,
# stdint.h, stdarg.h) are added back explicitly.
execute_process(COMMAND gcc -print-file-name=include
	OUTPUT_VARIABLE CELLOS_CC_INCLUDE OUTPUT_STRIP_TRAILING_WHITESPACE)

set(CMAKE_C_FLAGS_INIT "-ffreestanding -nostdinc -isystem ${CELLOS_CC_INCLUDE} \
-mno-red-zone -mgeneral-regs-only -mcmodel=kernel -fno-pic -fno-pie \
-fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables")
set(CMAKE_ASM_FLAGS_INIT "-fno-pic -fno-pie")
set(CMAKE_C_FLAGS_RELEASE "-Os -DNDEBUG" CACHE STRING "Release flags of the board kernels")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -nostdlib -no-pie -Wl,--build-id=none \
-Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack -Wl,--no-dynamic-linker")
