# Runs microsim and checks its exit status and that its output (standard
# output and error together) matches every regular expression in EXPECT.
#   cmake -DMICROSIM=... "-DARGS=opt;opt;scenario" "-DEXPECT=re;re" [-DSTATUS=0] [-DINPUT=file] -P expect.cmake
# INPUT is its standard input (default /dev/null).
if(NOT DEFINED STATUS)
  set(STATUS 0)
endif()
if(NOT DEFINED INPUT)
  set(INPUT /dev/null)
endif()
execute_process(COMMAND ${MICROSIM} ${ARGS} INPUT_FILE ${INPUT}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
string(APPEND out "${err}")
if(NOT status EQUAL STATUS)
  message(FATAL_ERROR "microsim ${ARGS} exited with ${status}, not ${STATUS}:\n${err}")
endif()
foreach(re IN LISTS EXPECT)
  if(NOT out MATCHES "${re}")
    message(FATAL_ERROR "microsim ${ARGS}: nothing in its output matches '${re}':\n${out}")
  endif()
endforeach()
