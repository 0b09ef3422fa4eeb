# ms_freestanding(target): compile target as code that must run without a host
# (the kernel core, rt, services, examples). -nostdinc leaves only the
# compiler's own freestanding headers (stdint.h, stddef.h, stdarg.h, ...), so
# a stray #include <stdio.h> is a compile error, not a silent dependency.
execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=include
                OUTPUT_VARIABLE MS_COMPILER_INCLUDE OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT EXISTS "${MS_COMPILER_INCLUDE}/stdint.h")
  message(FATAL_ERROR "The compiler's freestanding headers were not found at '${MS_COMPILER_INCLUDE}'")
endif()

function(ms_freestanding target)
  target_compile_options(${target} PRIVATE
    -ffreestanding -nostdinc -isystem ${MS_COMPILER_INCLUDE} -fno-stack-protector -fno-builtin)
endfunction()
