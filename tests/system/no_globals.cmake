# User code keeps no mutable globals or statics: every object file of the user
# library and the scenarios must have empty .data and .bss sections.
#   cmake -DOBJECTS="a.o;b.o" -DOBJDUMP=objdump -P no_globals.cmake
set(bad "")
foreach(obj ${OBJECTS})
  execute_process(COMMAND ${OBJDUMP} -h ${obj} OUTPUT_VARIABLE headers RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "objdump -h ${obj} failed")
  endif()
  # "  1 .data         00000000  ...": name and size of every writable data section
  # (.data.rel.ro is constant data the loader relocates, not a variable).
  string(REGEX MATCHALL " \\.t?(data|bss)[^ \n]* +[0-9a-f]+" sections "${headers}")
  foreach(sec ${sections})
    string(REGEX MATCH "[0-9a-f]+$" size "${sec}")
    if(NOT size MATCHES "^0+$" AND NOT sec MATCHES "\\.data\\.rel\\.ro")
      list(APPEND bad "${obj}: ${sec}")
    endif()
  endforeach()
endforeach()
if(bad)
  string(REPLACE ";" "\n" bad "${bad}")
  message(FATAL_ERROR "user code has mutable globals (non-empty .data/.bss):\n${bad}")
endif()
