# Runs a scenario on the hosted machine and on QEMU (microsim --machine=qemu)
# and checks that both print the same trace events line for line, the time
# column aside, and exit with the same status.
#   cmake -DMICROSIM=... -DSCENARIO=... -DSTATUS=0|1 -DOUT=dir [-DARGS="--seed 7"] [-DNAME=suffix]
#         [-DFROM=1] -P compare.cmake
# FROM is the first column compared (default 13: the time column aside); 1
# compares whole lines, for output that is not trace lines (--trace=none).
find_program(QEMU qemu-system-x86_64)
if(NOT QEMU)
  # The test is marked skipped (SKIP_REGULAR_EXPRESSION), never passed.
  message(FATAL_ERROR "SKIPPED: qemu-system-x86_64 is not installed; install it with: sudo apt-get install -y qemu-system-x86")
endif()

if(NOT FROM)
  set(FROM 13)
endif()
separate_arguments(extra UNIX_COMMAND "${ARGS}")
set(base ${OUT}/qemu-${SCENARIO}${NAME})
foreach(machine hosted qemu)
  # The whole trace (--trace-filter=all) unless ARGS give a filter of their own.
  execute_process(COMMAND ${CMAKE_COMMAND} -E env NO_COLOR=1 ${MICROSIM} --machine=${machine} --check-invariants
                          --trace-filter=all ${extra} ${SCENARIO}
                  OUTPUT_FILE ${base}.${machine}.trace ERROR_VARIABLE stderr_${machine}
                  RESULT_VARIABLE status_${machine})
  if(NOT status_${machine} EQUAL STATUS)
    message(FATAL_ERROR "microsim --machine=${machine} ${ARGS} ${SCENARIO} exited with ${status_${machine}}, "
                        "expected ${STATUS}:\n${stderr_${machine}}")
  endif()
  # Each event line starts with the 12-column time: compare the rest.
  execute_process(COMMAND cut -c${FROM}- ${base}.${machine}.trace OUTPUT_FILE ${base}.${machine}.events
                  RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "cut failed on ${base}.${machine}.trace")
  endif()
endforeach()

file(SIZE ${base}.qemu.events qemu_size)
if(qemu_size EQUAL 0)
  message(FATAL_ERROR "microsim --machine=qemu ${SCENARIO} printed no trace:\n${stderr_qemu}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${base}.hosted.events ${base}.qemu.events
                RESULT_VARIABLE differ)
if(differ)
  execute_process(COMMAND diff -u ${base}.hosted.events ${base}.qemu.events OUTPUT_VARIABLE diff)
  string(SUBSTRING "${diff}" 0 4000 diff)
  message(FATAL_ERROR "the QEMU trace of ${SCENARIO} differs from the hosted one (time column aside):\n${diff}\n"
                      "QEMU's stderr:\n${stderr_qemu}")
endif()
message(STATUS "${ARGS} ${SCENARIO}: the same output on both machines; exit status ${STATUS}")
