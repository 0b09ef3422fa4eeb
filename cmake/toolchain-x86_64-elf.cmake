# Freestanding x86-64 with the machine's own gcc and binutils: no cross
# toolchain to install. Used for the bootable image (cmake/X86_64Image.cmake):
#   cmake --preset x86_64      (or: cmake -B build-x86 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-x86_64-elf.cmake)
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER gcc)
set(CMAKE_ASM_COMPILER gcc)
# There is no C library to link a test program against.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# What every object of the image shares. Debian's gcc makes PIE by default;
# the image is linked at fixed addresses. Per-target flags add the code model
# (kernel: -mcmodel=kernel -mno-red-zone -mgeneral-regs-only).
set(CMAKE_C_FLAGS_INIT "-ffreestanding -fno-pic -fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables")
set(CMAKE_ASM_FLAGS_INIT "-fno-pic -fno-pie")
# No host libgcc (it is built with the red zone) and no C library.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostdlib -static -no-pie -Wl,-z,max-page-size=0x1000 -Wl,--build-id=none")

set(MICROSIM_TARGET x86_64 CACHE STRING "The machine this build is for: x86_64 builds the bootable image")
