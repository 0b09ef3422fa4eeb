# Checks every build and test prerequisite up front and names the Debian
# package that provides a missing one, instead of failing later in a compiler.
set(_ms_apt "sudo apt-get install -y")

find_program(MS_CC NAMES gcc cc clang)
if(NOT MS_CC AND NOT CMAKE_C_COMPILER)
  message(FATAL_ERROR "No C compiler found. Install one with: ${_ms_apt} gcc")
endif()
find_program(MS_MAKE NAMES make ninja)
if(NOT MS_MAKE)
  message(FATAL_ERROR "No build tool (make) found. Install it with: ${_ms_apt} make")
endif()

find_package(PkgConfig QUIET)
if(NOT PKG_CONFIG_FOUND)
  message(FATAL_ERROR "pkg-config not found. Install it with: ${_ms_apt} pkg-config")
endif()

pkg_check_modules(CHECK QUIET IMPORTED_TARGET check)
if(NOT CHECK_FOUND)
  message(FATAL_ERROR "libcheck (the unit test framework) not found. Install it with: ${_ms_apt} check")
endif()

pkg_check_modules(CJSON QUIET IMPORTED_TARGET libcjson)
if(NOT CJSON_FOUND)
  message(FATAL_ERROR "cJSON (used by the trace tests) not found. Install it with: ${_ms_apt} libcjson-dev")
endif()

pkg_check_modules(CAPSTONE QUIET IMPORTED_TARGET capstone)
if(NOT CAPSTONE_FOUND)
  message(FATAL_ERROR "Capstone (the disassembler behind instruction stepping) not found. Install it with: ${_ms_apt} libcapstone-dev")
endif()

pkg_check_modules(LIBDW QUIET IMPORTED_TARGET libdw)
if(NOT LIBDW_FOUND)
  message(FATAL_ERROR "libdw (elfutils: functions and source lines from debug info) not found. Install it with: ${_ms_apt} libdw-dev")
endif()

pkg_check_modules(LIBEDIT QUIET IMPORTED_TARGET libedit)
if(NOT LIBEDIT_FOUND)
  message(FATAL_ERROR "libedit (line editing for microsim --step) not found. Install it with: ${_ms_apt} libedit-dev")
endif()

find_program(MS_CLANG clang)
if(NOT MS_CLANG)
  message(FATAL_ERROR "clang (for the libFuzzer harnesses) not found. Install it with: ${_ms_apt} clang libclang-rt-dev")
endif()
execute_process(COMMAND ${MS_CLANG} -fsanitize=fuzzer -print-file-name=libclang_rt.fuzzer-x86_64.a
                OUTPUT_VARIABLE _ms_fuzzer_lib OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT EXISTS "${_ms_fuzzer_lib}")
  execute_process(COMMAND ${MS_CLANG} -print-resource-dir OUTPUT_VARIABLE _ms_clang_res
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT EXISTS "${_ms_clang_res}/lib/linux/libclang_rt.fuzzer-x86_64.a")
    message(FATAL_ERROR "clang's libFuzzer runtime not found. Install it with: ${_ms_apt} libclang-rt-dev")
  endif()
endif()

find_path(MS_VALGRIND_INCLUDE valgrind/valgrind.h)
if(NOT MS_VALGRIND_INCLUDE)
  message(FATAL_ERROR "valgrind/valgrind.h not found. Install it with: ${_ms_apt} valgrind")
endif()
find_program(MS_VALGRIND valgrind)
if(NOT MS_VALGRIND)
  message(FATAL_ERROR "valgrind not found. Install it with: ${_ms_apt} valgrind")
endif()
