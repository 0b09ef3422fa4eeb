# Drives microsim --step through a pipe, as a script would, and checks what it
# prints: the commands' output, not just that it ran.
#   cmake -DMICROSIM=... -DOUT=dir -P stepper.cmake
function(step_session name commands)
  file(WRITE ${OUT}/stepper-${name}.in "${commands}")
  execute_process(COMMAND ${MICROSIM} --step ${ARGN} INPUT_FILE ${OUT}/stepper-${name}.in
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "microsim --step ${ARGN} (${name}) exited with ${status}:\n${out}\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

function(expect text re what)
  if(NOT text MATCHES "${re}")
    message(FATAL_ERROR "${what}: nothing matches '${re}' in:\n${text}")
  endif()
endfunction()

# stepi 5: five instructions, each with its address, function, source line
# and disassembly, at five different addresses.
step_session(stepi "stepi 5\nregs\nquit\n" pingpong)
string(REGEX MATCHALL "\n0x[0-9a-f]+  [^\n]*" lines "${out}")
list(LENGTH lines n)
if(NOT n EQUAL 5)
  message(FATAL_ERROR "stepi 5 printed ${n} instruction lines, not 5:\n${out}")
endif()
set(addrs "")
foreach(line IN LISTS lines)
  expect("${line}" "^\n0x[0-9a-f]+  pingpong_server\\+0x[0-9a-f]+ \\([a-z_]+\\.[ch]:[0-9]+\\) +[a-z]+" "stepi line")
  string(REGEX MATCH "0x[0-9a-f]+" addr "${line}")
  list(APPEND addrs ${addr})
endforeach()
list(REMOVE_DUPLICATES addrs)
list(LENGTH addrs distinct)
if(NOT distinct EQUAL 5)
  message(FATAL_ERROR "stepi 5 showed ${distinct} distinct addresses, not 5:\n${out}")
endif()
expect("${out}" "server:1, full \\(interrupted\\) frame:\n  rax +0x" "regs")
list(GET lines 4 last)
string(REGEX MATCH "0x[0-9a-f]+" last_addr "${last}")
string(REGEX REPLACE "^0x0*" "" last_hex "${last_addr}")
expect("${out}" "rip +0x0*${last_hex}" "regs after stepi shows the last stepped address as rip")

# next, break, continue, tasks, trace and a bad command.
step_session(events "next\nbreak ep=1\ncontinue\ntasks\ntrace 2\nfly\nquit\n" pingpong)
expect("${out}" "\\(microsim\\) next\n +100 +0 ipc.wait +server:1" "next shows the next event")
expect("${out}" "breakpoint 1: ep=1\n\\(microsim\\) continue\n[^\n]*switch[^\n]*\n[^\n]*ipc.call +client:2 +-> server:1 +ep=1[^\n]*\nbreakpoint 1: ep=1"
       "continue stops at the breakpoint")
expect("${out}" "TID +TASK[^\n]*\n\\* +1 +server +running +20[^\n]*\n +2 +client +blocked-reply +10 +tid 1" "tasks")
expect("${out}" "unknown command 'fly'; commands: next, stepi" "an unknown command gets a hint")

# An exception breakpoint in faults, and the end of input quits.
step_session(exception "break exception\ncontinue\n" faults)
expect("${out}" "exception +divzero:3 +vector=0 name=#DE[^\n]*\nbreakpoint 1: exception" "break exception")
