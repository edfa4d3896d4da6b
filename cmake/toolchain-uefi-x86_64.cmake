# The UEFI loader (arch/uefi-x86_64): a PE32+ EFI application, BOOTX64.EFI,
# built by clang for x86_64-unknown-windows (the Microsoft x64 calling
# convention UEFI uses on x64) and linked by lld-link as an EFI application.
# Freestanding: no red zone (firmware interrupts run on our stack), no SSE
# (the firmware's state is not ours to spend), no stack probes (there is
# no __chkstk), and /Brepro for a timestamp derived from the contents.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER clang)
set(CMAKE_ASM_COMPILER clang)
set(CMAKE_AR llvm-ar)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

execute_process(COMMAND clang -print-resource-dir
	OUTPUT_VARIABLE CELLOS_CLANG_RESOURCE OUTPUT_STRIP_TRAILING_WHITESPACE)

# The target goes in the flags: with a Generic system CMake would not pass
# CMAKE_C_COMPILER_TARGET to a clang that simulates MSVC.
set(CMAKE_C_FLAGS_INIT "--target=x86_64-unknown-windows -ffreestanding -nostdinc -isystem ${CELLOS_CLANG_RESOURCE}/include \
-mno-red-zone -mgeneral-regs-only -mno-stack-arg-probe -fno-stack-protector \
-fno-asynchronous-unwind-tables -fno-unwind-tables -fno-builtin")
set(CMAKE_ASM_FLAGS_INIT "--target=x86_64-unknown-windows")
set(CMAKE_C_FLAGS_RELEASE "-Os -DNDEBUG" CACHE STRING "Release flags of the UEFI loader")
set(CMAKE_EXE_LINKER_FLAGS_INIT "--target=x86_64-unknown-windows -nostdlib -fuse-ld=lld -Wl,-entry:efi_main \
-Wl,-subsystem:efi_application -Wl,/Brepro -Wl,-dynamicbase \
-Wno-unused-command-line-argument")
