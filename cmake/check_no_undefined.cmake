# Fails if a relocatable object has undefined symbols (user code must not call
# into the kernel image).   cmake -DNM=nm -DOBJECT=file.o -P check_no_undefined.cmake
execute_process(COMMAND ${NM} -u ${OBJECT} OUTPUT_VARIABLE undefined RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${NM} -u ${OBJECT} failed")
endif()
if(undefined)
  message(FATAL_ERROR "the user image needs symbols it does not define (user code may call only services/lib and rt):\n${undefined}")
endif()
