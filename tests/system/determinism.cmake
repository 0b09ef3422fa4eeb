# Runs microsim twice with one seed and once with another, in one trace format;
# the first two outputs must be byte-identical and the third must differ.
#   cmake -DMICROSIM=... -DSCENARIO=... -DFORMAT=text|json -DOUT=dir [-DARGS="--clock=step"] -P determinism.cmake
separate_arguments(extra UNIX_COMMAND "${ARGS}")
foreach(run a b c)
  set(seed 7)
  if(run STREQUAL "c")
    set(seed 8)
  endif()
  execute_process(COMMAND ${MICROSIM} --trace=${FORMAT} --seed ${seed} ${extra}
                          -o ${OUT}/det-${SCENARIO}-${FORMAT}-${run} ${SCENARIO}
                  RESULT_VARIABLE status ERROR_VARIABLE stderr)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "microsim --seed ${seed} ${SCENARIO} exited with ${status}: ${stderr}")
  endif()
endforeach()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT}/det-${SCENARIO}-${FORMAT}-a
                        ${OUT}/det-${SCENARIO}-${FORMAT}-b RESULT_VARIABLE differ)
if(differ)
  message(FATAL_ERROR "two runs of ${SCENARIO} with seed 7 wrote different ${FORMAT} traces")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT}/det-${SCENARIO}-${FORMAT}-a
                        ${OUT}/det-${SCENARIO}-${FORMAT}-c RESULT_VARIABLE differ)
if(NOT differ)
  message(FATAL_ERROR "seeds 7 and 8 gave the same ${FORMAT} trace of ${SCENARIO}: the seed has no effect")
endif()
