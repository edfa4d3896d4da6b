# The hosted kernel as a 32-bit x86 process (ILP32: 4-byte long and
# pointers), so every unit test and a hosted proof boot run on a 32-bit
# target: Debian's gcc-multilib for -m32, the i386 libraries of multiarch
# (libcmocka-dev:i386, libssl-dev:i386, libyaml-dev:i386; ./cellos deps).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR i686)
set(CMAKE_C_COMPILER gcc)
set(CMAKE_ASM_COMPILER gcc)
set(CMAKE_C_FLAGS_INIT "-m32")
set(CMAKE_ASM_FLAGS_INIT "-m32")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-m32")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-m32")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-m32")
# Libraries and pkg-config files from the i386 multiarch directories only.
set(CMAKE_LIBRARY_ARCHITECTURE i386-linux-gnu)
set(CMAKE_IGNORE_PATH /usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu)
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/i386-linux-gnu/pkgconfig:/usr/share/pkgconfig")
# The tests run the binaries this build makes: they run here.
set(CMAKE_CROSSCOMPILING_EMULATOR "")
