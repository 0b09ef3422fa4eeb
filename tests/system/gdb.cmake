# Drives gdb in batch mode over microsim pingpong with the auto-loaded
# extension (tools/gdb/microsim-gdb.py, copied next to the binary) and checks
# what ms-tasks and ms-bt print at two breakpoints in the kernel.
#   cmake -DMICROSIM=path/to/microsim -DOUT=dir -P gdb.cmake
# Stop 1, the server's first ms_recv (ipc_recv): the server runs, the client
# is ready at its entry point. Stop 2, the server's first ms_reply_recv
# (ipc_reply_recv, on the ordinary path with --fastpath=off): the client is
# blocked in its call, waiting for the server's reply.
find_program(GDB gdb)
if(NOT GDB)
  message(FATAL_ERROR "gdb not found; install it with: sudo apt-get install -y gdb")
endif()

get_filename_component(bindir ${MICROSIM} DIRECTORY)
if(NOT EXISTS ${MICROSIM}-gdb.py)
  message(FATAL_ERROR "${MICROSIM}-gdb.py is missing: the build copies tools/gdb/microsim-gdb.py there")
endif()

# Each section of the output starts with a line `@@ NAME`.
set(script
  "echo @@ not-running\\n" ms-tasks
  "echo @@ signals\\n" "info signals SIGSEGV" "info signals SIGILL" "info signals SIGFPE"
  "info signals SIGALRM" "info signals SIGVTALRM" "info signals SIGIO" "info signals SIGTRAP"
  "break ipc_recv" run
  "echo @@ stop1\\n" ms-tasks
  delete "break ipc_reply_recv" continue
  "echo @@ stop2\\n" ms-tasks
  "echo @@ bt-server\\n" "ms-bt 1"
  "echo @@ bt-client\\n" "ms-bt 2"
  "echo @@ frame-after\\n" frame
  "echo @@ bt-missing\\n" "ms-bt 7"
  "echo @@ end\\n" delete continue)
set(args)
foreach(command IN LISTS script)
  list(APPEND args -ex "${command}")
endforeach()

# A sanitizer build's leak check cannot run under ptrace: keep it off here.
execute_process(COMMAND ${CMAKE_COMMAND} -E env NO_COLOR=1 "ASAN_OPTIONS=$ENV{ASAN_OPTIONS}:detect_leaks=0"
                        ${GDB} -batch -nx -iex "set debuginfod enabled off"
                        -iex "add-auto-load-safe-path ${bindir}" ${args}
                        --args ${MICROSIM} pingpong --trace=none --fastpath=off
                OUTPUT_VARIABLE out ERROR_VARIABLE out RESULT_VARIABLE status TIMEOUT 60)
file(WRITE ${OUT}/gdb.out "${out}")

function(fail why)
  message(FATAL_ERROR "${why}\n(gdb exited with ${status}; its whole output is in ${OUT}/gdb.out)\n${out}")
endfunction()

# section(NAME var): the output between `@@ NAME` and the next `@@ ` line.
function(section name var)
  string(FIND "${out}" "\n@@ ${name}\n" start)
  if(start EQUAL -1)
    fail("gdb never reached section ${name}")
  endif()
  string(LENGTH "\n@@ ${name}" skip)
  math(EXPR start "${start} + ${skip}")
  string(SUBSTRING "${out}" ${start} -1 rest)
  string(FIND "${rest}" "\n@@ " end)
  string(SUBSTRING "${rest}" 0 ${end} text)
  set(${var} "${text}" PARENT_SCOPE)
endfunction()

function(expect name regex what)
  section(${name} text)
  if(NOT text MATCHES "${regex}")
    fail("${name}: expected ${what} (regex ${regex}), got:${text}")
  endif()
endfunction()

function(reject name regex what)
  section(${name} text)
  if(text MATCHES "${regex}")
    fail("${name}: ${what} (regex ${regex}):${text}")
  endif()
endfunction()

set(out "\n${out}") # every line, the first included, follows a newline
if(out MATCHES "Undefined command: \"ms-")
  fail("ms-tasks or ms-bt is not defined: gdb did not auto-load ${MICROSIM}-gdb.py, or it defines nothing")
endif()
if(out MATCHES "Python Exception|Traceback|Error occurred in Python")
  fail("the extension raised a Python exception")
endif()

set(hex "0x[0-9a-f]+")
expect(not-running "\nmicrosim is not running" "a one-line message before `run`")
foreach(signal SIGSEGV SIGILL SIGFPE SIGALRM SIGVTALRM SIGIO)
  expect(signals "\n${signal}[ \t]+No[ \t]+No[ \t]+Yes" "${signal} nostop noprint pass")
endforeach()
expect(signals "\nSIGTRAP[ \t]+Yes[ \t]+Yes[ \t]+No" "SIGTRAP left to gdb (its breakpoints)")

# Stop 1: the listing, with the manifest's priorities; the client never ran.
expect(stop1 "\n +TID +TASK +STATE +PRIO +WAITS ON +SAVED RIP\n" "the header")
expect(stop1 "\n\\* +1 +server +running +20 +${hex} [a-z_]" "the server, current, running at priority 20")
expect(stop1 "\n +2 +client +ready +10 +${hex} pingpong_client \\(client\\.c:[0-9]+\\)\n"
       "the client, ready at priority 10, at its entry point")
# Stop 2: the client waits for tid 1's reply.
expect(stop2 "\n\\* +1 +server +running +20 +${hex} [a-z_]+\\+[0-9]+" "the server, current")
expect(stop2 "\n +2 +client +blocked-reply +10 +tid 1 +${hex} [a-z_]+\\+[0-9]+"
       "the client, blocked-reply on tid 1")
reject(stop2 "\n\\* +2" "only the server is current")

# ms-bt: the user stacks, not the kernel's; then the kernel frame is back.
expect(bt-server "\n#[0-9]+ +(${hex} in )?pingpong_server \\(start=" "the server's user function")
reject(bt-server "ipc_reply_recv|syscall_dispatch|pingpong_client" "the server's backtrace is its own user stack")
expect(bt-client "\n#[0-9]+ +(${hex} in )?pingpong_client \\(start=" "the client's user function")
reject(bt-client "ipc_reply_recv|syscall_dispatch|pingpong_server" "the client's backtrace is its own user stack")
expect(frame-after "\n#0 +ipc_reply_recv \\(" "the registers restored after ms-bt")
expect(bt-missing "\nno live thread 7" "a message for a tid that does not exist")

# The run goes on undisturbed after ms-bt rewrote and restored the registers.
expect(end "\npingpong server: 1000 pings checked, 0 wrong\n" "the server's final line")
expect(end "\npingpong client: 1000 of 1000 round trips answered correctly\n" "the client's final line")
expect(end "\n\\[Inferior 1 \\(process [0-9]+\\) exited normally\\]" "a normal exit")
