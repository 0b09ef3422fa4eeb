# Runs a libFuzzer harness for a bounded number of new inputs, seeded from the
# corpus; new inputs go to WORK (never into the source tree), findings fail.
#   cmake -DEXE=... -DCORPUS=... -DWORK=... -P explore.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND ${EXE} -runs=30000 -seed=1 -max_total_time=120 -artifact_prefix=${WORK}/ ${WORK} ${CORPUS}
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the fuzzer found a problem (inputs in ${WORK}):\n${err}")
endif()
string(REGEX MATCH "Done [0-9]+ runs[^\n]*" done "${err}")
message("${done}")
