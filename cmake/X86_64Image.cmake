# The bootable x86-64 image: the kernel core from the same sources as the
# hosted build (cmake/KernelSources.cmake), the port in kernel/arch/x86_64/,
# and the user programs of services/ and examples/ compiled a second time for
# ring 3. Needs the toolchain file cmake/toolchain-x86_64-elf.cmake.
#
# Produces in MICROSIM_IMAGE_DIR (default: the build directory):
#   microsim-x86_64.elf    the ELF64 image with symbols (for gdb)
#   microsim-x86_64.elf32  the same as a 32-bit ELF, which QEMU's -kernel boots (Multiboot)
enable_language(C ASM)
set(CMAKE_C_STANDARD 11)
set(CMAKE_C_STANDARD_REQUIRED ON)
set(CMAKE_C_EXTENSIONS OFF)
if(NOT CMAKE_BUILD_TYPE)
  set(CMAKE_BUILD_TYPE RelWithDebInfo CACHE STRING "Build type" FORCE)
endif()
set(MICROSIM_IMAGE_DIR ${CMAKE_BINARY_DIR} CACHE PATH "Where the image files go")
add_compile_options(-Wall -Wextra -Werror -Wmissing-prototypes -Wstrict-prototypes -Wundef -Wshadow -fno-common -g)
include(Freestanding)

set(MS_X86_DIR kernel/arch/x86_64)
set(MS_X86_KERNEL_FLAGS -mcmodel=kernel -mno-red-zone -mgeneral-regs-only)

# The kernel: the core, its own copy of rt, and the port.
add_library(ms_x86_kernel OBJECT
  ${MS_KERNEL_SOURCES} ${MS_RT_SOURCES} rt/libc_shim.c
  ${MS_X86_DIR}/boot.S
  ${MS_X86_DIR}/entry.S
  ${MS_X86_DIR}/arch_x86_64.c
  ${MS_X86_DIR}/desc.c
  ${MS_X86_DIR}/image.c
  ${MS_X86_DIR}/paging.c
  ${MS_X86_DIR}/serial.c
  ${MS_X86_DIR}/start.c
  ${MS_X86_DIR}/trap.c)
target_include_directories(ms_x86_kernel PRIVATE ${MS_KERNEL_INCLUDES} ${MS_X86_DIR} examples)
ms_freestanding(ms_x86_kernel)
target_compile_options(ms_x86_kernel PRIVATE ${MS_X86_KERNEL_FLAGS})

# The scenario table, read by the kernel at boot. Its entries point into the
# user image at MS_USER_IMAGE_BASE (0x48000000), out of the RIP-relative reach
# of -mcmodel=kernel code: the large model addresses them with 64-bit
# immediates. The kernel reads the manifests themselves through its direct
# map of physical memory (start.c), not at these user addresses.
add_library(ms_x86_scenarios OBJECT ${MS_SCENARIO_TABLE_SOURCES})
target_include_directories(ms_x86_scenarios PRIVATE examples kernel/abi rt/include)
ms_freestanding(ms_x86_scenarios)
target_compile_options(ms_x86_scenarios PRIVATE -mcmodel=large -mno-red-zone -mgeneral-regs-only)

# User space, as in the hosted build but with the real `syscall` instruction
# (services/lib/arch/x86_64/ms_trap.h), its own rt and mem* (no C library).
add_library(ms_x86_user OBJECT ${MS_USERLIB_SOURCES} ${MS_EXAMPLE_SOURCES} ${MS_RT_SOURCES} rt/libc_shim.c)
target_include_directories(ms_x86_user PRIVATE ${MS_EXAMPLE_INCLUDES} services/lib/include services/lib/arch/x86_64
                           kernel/abi rt/include)
ms_freestanding(ms_x86_user)

# One relocatable object for the user image. Only the manifests (scenario_*)
# stay global, so the user copies of rt_* and mem* never meet the kernel's;
# nothing may stay undefined (user code calls nothing in the kernel).
set(user_image ${CMAKE_CURRENT_BINARY_DIR}/user_image.o)
add_custom_command(OUTPUT ${user_image}
  COMMAND ${CMAKE_LINKER} -r -o ${user_image}.tmp $<TARGET_OBJECTS:ms_x86_user>
  COMMAND ${CMAKE_COMMAND} -DNM=${CMAKE_NM} -DOBJECT=${user_image}.tmp -P ${PROJECT_SOURCE_DIR}/cmake/check_no_undefined.cmake
  COMMAND ${CMAKE_OBJCOPY} --wildcard --keep-global-symbol=scenario_* ${user_image}.tmp ${user_image}
  DEPENDS ms_x86_user $<TARGET_OBJECTS:ms_x86_user> ${PROJECT_SOURCE_DIR}/cmake/check_no_undefined.cmake
  COMMAND_EXPAND_LISTS
  COMMENT "Linking the user image (services/, examples/)")
set_source_files_properties(${user_image} PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)

set(linker_script ${PROJECT_SOURCE_DIR}/${MS_X86_DIR}/link.ld)
add_executable(microsim-x86_64.elf
  $<TARGET_OBJECTS:ms_x86_kernel> $<TARGET_OBJECTS:ms_x86_scenarios> ${user_image})
set_target_properties(microsim-x86_64.elf PROPERTIES
  LINKER_LANGUAGE C
  RUNTIME_OUTPUT_DIRECTORY ${MICROSIM_IMAGE_DIR}
  LINK_DEPENDS ${linker_script})
target_link_options(microsim-x86_64.elf PRIVATE -T ${linker_script})

# QEMU's -kernel loads Multiboot images only as 32-bit ELF: same bytes, same
# physical load addresses, no symbols (gdb reads them from the ELF64).
add_custom_command(TARGET microsim-x86_64.elf POST_BUILD
  COMMAND ${CMAKE_OBJCOPY} -I elf64-x86-64 -O elf32-i386 --strip-all
          ${MICROSIM_IMAGE_DIR}/microsim-x86_64.elf ${MICROSIM_IMAGE_DIR}/microsim-x86_64.elf32
  COMMENT "Making the 32-bit ELF that QEMU boots: ${MICROSIM_IMAGE_DIR}/microsim-x86_64.elf32")
