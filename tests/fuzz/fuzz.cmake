# libFuzzer harnesses (clang -fsanitize=fuzzer), built with clang whatever the
# project's compiler, and run by ctest over their checked-in corpus and for a
# bounded number of new inputs (label fuzz).
#
#   build/tests/fuzz_syscall tests/fuzz/corpus/syscall          replay the corpus
#   build/tests/fuzz_syscall -max_total_time=600 NEWDIR tests/fuzz/corpus/syscall
#                                                               a longer search
get_target_property(ms_kernel_sources ms_kernel SOURCES)
get_target_property(ms_rt_sources ms_rt SOURCES)
set(ms_fuzz_sources)
foreach(src ${ms_kernel_sources} ${ms_rt_sources})
  list(APPEND ms_fuzz_sources ${PROJECT_SOURCE_DIR}/${src})
endforeach()

# ms_fuzz_harness(name): tests/fuzz/fuzz_<name>.c with the kernel, rt and the
# fake arch port; corpus in tests/fuzz/corpus/<name>/.
function(ms_fuzz_harness name)
  set(exe ${CMAKE_BINARY_DIR}/tests/fuzz_${name})
  set(srcs ${PROJECT_SOURCE_DIR}/tests/fuzz/fuzz_${name}.c ${PROJECT_SOURCE_DIR}/tests/unit/fake_arch.c
           ${ms_fuzz_sources})
  add_custom_command(
    OUTPUT ${exe}
    COMMAND ${MS_CLANG} -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Wall -Wextra -Werror
            -iquote ${PROJECT_SOURCE_DIR}/kernel -iquote ${PROJECT_SOURCE_DIR}/kernel/abi
            -iquote ${PROJECT_SOURCE_DIR}/rt/include -iquote ${PROJECT_SOURCE_DIR}/tests/unit ${srcs} -o ${exe}
    DEPENDS ${srcs}
    COMMENT "Building the libFuzzer harness fuzz_${name} with clang"
    VERBATIM)
  add_custom_target(fuzz_${name} ALL DEPENDS ${exe})
  set(corpus ${PROJECT_SOURCE_DIR}/tests/fuzz/corpus/${name})
  add_test(NAME fuzz.${name}.corpus COMMAND ${exe} -runs=0 ${corpus})
  add_test(NAME fuzz.${name}.explore
           COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=1
                   ${CMAKE_COMMAND} -DEXE=${exe} -DCORPUS=${corpus} -DWORK=${CMAKE_BINARY_DIR}/fuzz-${name}
                   -P ${PROJECT_SOURCE_DIR}/tests/fuzz/explore.cmake)
  set_tests_properties(fuzz.${name}.corpus fuzz.${name}.explore PROPERTIES LABELS fuzz)
endfunction()

ms_fuzz_harness(syscall)
