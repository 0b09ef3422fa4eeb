# Runs microsim on a scenario and compares its text trace with a golden file.
#   cmake -DMICROSIM=... -DSCENARIO=... -DGOLDEN=... [-DARGS="--fastpath=off"] [-DSTATUS=1] -P golden.cmake
# STATUS is the exit status the scenario must end with (default 0).
# A golden trace is the whole trace: --trace-filter=all, whatever filter the
# scenario has by default (ms_manifest_t.trace_filter).
# To regenerate a golden file deliberately (and review the diff before committing):
#   build/microsim --trace-filter=all --check-invariants SCENARIO < tests/system/golden/SCENARIO.input (or /dev/null)
#     > tests/system/golden/SCENARIO.trace
separate_arguments(extra UNIX_COMMAND "${ARGS}")
get_filename_component(GOLDEN_DIR ${GOLDEN} DIRECTORY)
set(actual "${CMAKE_CURRENT_BINARY_DIR}/${SCENARIO}${SUFFIX}.trace")
# A scenario that reads its console gets tests/system/golden/SCENARIO.input.
set(input /dev/null)
if(EXISTS ${GOLDEN_DIR}/${SCENARIO}.input)
  set(input ${GOLDEN_DIR}/${SCENARIO}.input)
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E env NO_COLOR=1 ${MICROSIM} --trace-filter=all ${extra} ${SCENARIO}
                INPUT_FILE ${input} OUTPUT_FILE ${actual} ERROR_VARIABLE stderr RESULT_VARIABLE status)
if(NOT DEFINED STATUS)
  set(STATUS 0)
endif()
if(NOT status EQUAL STATUS)
  message(FATAL_ERROR "microsim ${SCENARIO} exited with ${status}, not ${STATUS}: ${stderr}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${GOLDEN} ${actual} RESULT_VARIABLE differ)
if(differ)
  execute_process(COMMAND diff -u ${GOLDEN} ${actual} OUTPUT_VARIABLE diff)
  string(SUBSTRING "${diff}" 0 4000 diff)
  message(FATAL_ERROR "the trace of ${SCENARIO} differs from ${GOLDEN}:\n${diff}")
endif()
