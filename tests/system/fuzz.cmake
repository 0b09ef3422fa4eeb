# Runs a seeded fuzz campaign twice: both must pass (exit 0, every call made)
# and print the same summary, byte for byte.
#   cmake -DMICROSIM=... -DSEED=N -DCALLS=N -DTASKS=K [-DARGS=...] -P fuzz.cmake
separate_arguments(extra UNIX_COMMAND "${ARGS}")
foreach(run 1 2)
  execute_process(COMMAND ${MICROSIM} fuzz --seed ${SEED} --calls ${CALLS} --tasks ${TASKS} ${extra}
                  OUTPUT_VARIABLE out${run} ERROR_VARIABLE err RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "microsim fuzz --seed ${SEED} failed (${status}):\n${out${run}}\n${err}")
  endif()
endforeach()
if(NOT out1 STREQUAL out2)
  message(FATAL_ERROR "two runs of microsim fuzz --seed ${SEED} printed different summaries:\n${out1}\n---\n${out2}")
endif()
if(NOT out1 MATCHES "seed ${SEED}, ${CALLS} system calls by ${TASKS} tasks")
  message(FATAL_ERROR "the summary does not account for ${CALLS} calls:\n${out1}")
endif()
message("${out1}")
