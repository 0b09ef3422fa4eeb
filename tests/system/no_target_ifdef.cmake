# The kernel core (kernel/ outside kernel/arch/) has no conditional
# compilation: the same sources build for every machine, and what differs
# lives behind kernel/arch/arch.h. Include guards are the only #if allowed.
#   cmake -DROOT=<repository> -P no_target_ifdef.cmake
file(GLOB_RECURSE sources RELATIVE ${ROOT} ${ROOT}/kernel/*.c ${ROOT}/kernel/*.h)
set(bad "")
foreach(src ${sources})
  if(src MATCHES "^kernel/arch/")
    continue()
  endif()
  file(STRINGS ${ROOT}/${src} conditionals REGEX "^[ \t]*#[ \t]*(if|ifdef|ifndef|elif)")
  foreach(line ${conditionals})
    if(NOT line MATCHES "^#ifndef [A-Z0-9_]+_H$")
      list(APPEND bad "${src}: ${line}")
    endif()
  endforeach()
endforeach()
if(bad)
  string(REPLACE ";" "\n" bad "${bad}")
  message(FATAL_ERROR "conditional compilation in the kernel core (move what differs behind kernel/arch/arch.h):\n${bad}")
endif()
