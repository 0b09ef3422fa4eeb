# System tests of the microsim binary (label system) and Valgrind runs (label valgrind).
set(MS_SYS ${PROJECT_SOURCE_DIR}/tests/system)

# ms_system_test(name source): a libcheck program that runs the microsim binary.
function(ms_system_test name)
  add_executable(test_${name} system/test_${name}.c system/runner.c)
  target_compile_definitions(test_${name} PRIVATE _GNU_SOURCE MICROSIM_PATH="$<TARGET_FILE:microsim>")
  ms_quote_includes(test_${name} tests)
  target_link_libraries(test_${name} PRIVATE PkgConfig::CHECK ${ARGN})
  set_target_properties(test_${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  add_dependencies(test_${name} microsim)
  add_test(NAME system.${name} COMMAND test_${name})
  set_tests_properties(system.${name} PROPERTIES LABELS system)
endfunction()

ms_system_test(cli)
ms_system_test(trace_json PkgConfig::CJSON)

# Golden traces: the text trace of each scenario, with the fast path on and off.
set(status_pingpong 0)
set(status_basics 0)
set(status_demo 0)
set(status_deadlock 1)
set(status_faults 0)
set(status_console 0)
set(status_fpu 0)
set(status_pager 0)
set(status_isolation 0)
set(status_shm 0)
set(status_cow 0)
set(status_names 0)
set(status_procman 0)
set(status_terminal 0)
set(status_timer 0)
set(status_files 0)
set(status_shell 0)
set(status_net 0)
set(status_bootfail 1)
foreach(scenario pingpong basics demo deadlock faults console fpu pager isolation shm cow names procman terminal timer files shell net bootfail)
  foreach(fastpath on off)
    add_test(NAME system.golden.${scenario}.fastpath_${fastpath}
             COMMAND ${CMAKE_COMMAND} -DMICROSIM=$<TARGET_FILE:microsim> -DSCENARIO=${scenario}
                     -DSTATUS=${status_${scenario}}
                     -DGOLDEN=${MS_SYS}/golden/${scenario}.trace "-DARGS=--fastpath=${fastpath} --check-invariants"
                     -DSUFFIX=-${fastpath} -P ${MS_SYS}/golden.cmake)
    set_tests_properties(system.golden.${scenario}.fastpath_${fastpath} PROPERTIES LABELS system)
  endforeach()
endforeach()

# The fast MMU keeps page tables, faults, pagers and traces as they are: the
# pager scenario gives the strict mode's golden trace.
add_test(NAME system.golden.pager.mmu_fast
         COMMAND ${CMAKE_COMMAND} -DMICROSIM=$<TARGET_FILE:microsim> -DSCENARIO=pager
                 -DSTATUS=0 -DGOLDEN=${MS_SYS}/golden/pager.trace "-DARGS=--mmu=fast --check-invariants"
                 -DSUFFIX=-fast -P ${MS_SYS}/golden.cmake)
set_tests_properties(system.golden.pager.mmu_fast PROPERTIES LABELS system)

# Determinism: same seed, same bytes, in both trace formats.
foreach(format text json)
  add_test(NAME system.determinism.${format}
           COMMAND ${CMAKE_COMMAND} -DMICROSIM=$<TARGET_FILE:microsim> -DSCENARIO=pingpong -DFORMAT=${format}
                   -DOUT=${CMAKE_CURRENT_BINARY_DIR} -P ${MS_SYS}/determinism.cmake)
  set_tests_properties(system.determinism.${format} PROPERTIES LABELS system)
endforeach()

# The step clock is deterministic too: hog, whose hog never enters the
# kernel, is preempted at the same instruction in every run. (No golden file:
# instruction counts depend on the compiler and the build type.)
add_test(NAME system.determinism.hog_step
         COMMAND ${CMAKE_COMMAND} -DMICROSIM=$<TARGET_FILE:microsim> -DSCENARIO=hog -DFORMAT=text
                 -DARGS=--clock=step -DOUT=${CMAKE_CURRENT_BINARY_DIR} -P ${MS_SYS}/determinism.cmake)
set_tests_properties(system.determinism.hog_step PROPERTIES LABELS system)

# Under the clocks that interrupt user code, hog's round trips finish and IRQ 0
# preempts the hog; the host clock is real time, so only the outcome is checked.
foreach(clock step host)
  add_test(NAME system.clock.hog_${clock}
           COMMAND ${CMAKE_COMMAND} -DMICROSIM=$<TARGET_FILE:microsim> "-DARGS=--clock=${clock};hog"
                   "-DEXPECT=preempt +hog:3 +reason=slice irq=0;20 of 20 round trips answered correctly;reason=done"
                   -P ${MS_SYS}/expect.cmake)
  set_tests_properties(system.clock.hog_${clock} PROPERTIES LABELS system TIMEOUT 120)
endforeach()
# Every scenario still ends as it should on the other clocks.
foreach(scenario pingpong basics faults)
  foreach(clock step host)
    add_test(NAME system.clock.${scenario}_${clock}
             COMMAND ${CMAKE_COMMAND} -DMICROSIM=$<TARGET_FILE:microsim>
                     "-DARGS=--clock=${clock};--check-invariants;${scenario}" "-DEXPECT=reason=done"
                     -P ${MS_SYS}/expect.cmake)
    set_tests_properties(system.clock.${scenario}_${clock} PROPERTIES LABELS system TIMEOUT 120)
  endforeach()
endforeach()

# restart: 10,000 file system requests while fs crashes at 20 points the
# seed draws; every request gets one outcome and the file is what the
# acknowledged writes made it (the client checks, and exits 1 if not).
foreach(seed 1 7 42 2026)
  add_test(NAME system.restart.seed_${seed}
           COMMAND ${CMAKE_COMMAND} -DMICROSIM=$<TARGET_FILE:microsim>
                   "-DARGS=--seed=${seed};--check-invariants;restart"
                   "-DEXPECT=10000 requests: 10000 answered, 0 failed, 0 lost, 0 wrong;matches the acknowledged writes;task.restart +procman:[0-9]+ +name=\"fs\" .*reason=exception;reason=done"
                   -P ${MS_SYS}/expect.cmake)
  set_tests_properties(system.restart.seed_${seed} PROPERTIES LABELS system)
endforeach()

# ms_shell_test(name input clock expect): the shell scenario on the given
# clock, standard input from tests/system/<input>, its output (prints and
# COM1, no trace) matching every regular expression in expect, status 0.
function(ms_shell_test name input clock expect)
  add_test(NAME system.shell_${name}
           COMMAND ${CMAKE_COMMAND} -DMICROSIM=$<TARGET_FILE:microsim>
                   "-DARGS=--check-invariants;--clock=${clock};--trace=none;shell" -DINPUT=${MS_SYS}/${input}
                   "-DEXPECT=${expect};shell: done, exit status 0" -P ${MS_SYS}/expect.cmake)
  set_tests_properties(system.shell_${name} PROPERTIES LABELS system TIMEOUT 60)
endfunction()

# Nothing typed crashes the shell: over-long lines, too many words, stray
# '>', control bytes, bad numbers, addresses and ports; every line gets its
# answer and exit still ends the shell with status 0.
ms_shell_test(nasty_input shell_nasty.input virtual
              "no such command \\(try help\\);mkdir: /n+: E_RANGE;kill: say kill PID;send: say send ADDRESS;udp-echo: \"y+\" from 10.0.0.1;cat: /big: E_NOTFOUND")
# fs out of client records drops those of processes procman says are gone:
# ten leakers die with a file open, and the shell's cat still opens /a.
ms_shell_test(dead_clients_files shell_leak.input virtual "pid 18 leaves /leak open: OK\n;\nhi\n")
# net out of sockets closes those of processes procman says are gone: five
# binders die with four sockets each bound, and the shell can still send.
ms_shell_test(dead_clients_sockets shell_binders.input virtual
              "pid 13 leaves 4 sockets bound: OK;sent 10 bytes to 10.0.0.2:7")
# A reader that died waiting does not keep the console from the next: the
# dead-reader leaves a read saved and ends, and the shell reads on.
ms_shell_test(dead_console_reader shell_dead_reader.input virtual "ends with a console read waiting: OK;still reading")
# On the host clock the console gets its input while the CPU is busy: a
# spinner that never lets the CPU idle does not keep the shell from its
# next lines (on the virtual clock input comes only when the CPU idles).
ms_shell_test(busy_host_clock shell_busy.input host "spawned spinner;still here")

# The random system call campaign: 100,000 calls at several seeds, each run
# twice to check that a seed replays the same campaign.
foreach(campaign "1;4;" "7;4;" "42;16;" "2026;4;--fastpath=off")
  list(GET campaign 0 seed)
  list(GET campaign 1 tasks)
  list(GET campaign 2 args)
  add_test(NAME system.fuzz.seed_${seed}
           COMMAND ${CMAKE_COMMAND} -DMICROSIM=$<TARGET_FILE:microsim> -DSEED=${seed} -DCALLS=100000
                   -DTASKS=${tasks} "-DARGS=${args}" -P ${MS_SYS}/fuzz.cmake)
  set_tests_properties(system.fuzz.seed_${seed} PROPERTIES LABELS "system;fuzz")
endforeach()

# The stepper, driven through a pipe (stepi 5 shows five distinct addresses).
add_test(NAME system.stepper
         COMMAND ${CMAKE_COMMAND} -DMICROSIM=$<TARGET_FILE:microsim> -DOUT=${CMAKE_CURRENT_BINARY_DIR}
                 -P ${MS_SYS}/stepper.cmake)
set_tests_properties(system.stepper PROPERTIES LABELS system TIMEOUT 60)

# User code (services/, examples/) keeps no mutable globals.
add_test(NAME system.user_code_has_no_mutable_globals
         COMMAND ${CMAKE_COMMAND} "-DOBJECTS=$<TARGET_OBJECTS:ms_userlib>;$<TARGET_OBJECTS:ms_examples>"
                 -DOBJDUMP=${CMAKE_OBJDUMP} -P ${MS_SYS}/no_globals.cmake)
set_tests_properties(system.user_code_has_no_mutable_globals PROPERTIES LABELS system)

# gdb: the auto-loaded extension (tools/gdb/microsim-gdb.py) lists the kernel's
# threads and shows a suspended user thread's backtrace.
add_test(NAME system.gdb
         COMMAND ${CMAKE_COMMAND} -DMICROSIM=$<TARGET_FILE:microsim> -DOUT=${CMAKE_CURRENT_BINARY_DIR}
                 -P ${MS_SYS}/gdb.cmake)
set_tests_properties(system.gdb PROPERTIES LABELS system TIMEOUT 90)

# Valgrind: zero errors and no definite leaks on the scenarios (not in a
# sanitizer build: the two do not mix).
if(MICROSIM_SANITIZE)
  return()
endif()
# hog --clock=step: Valgrind ignores the trap flag, so the run says so and
# takes the host clock (see docs/TESTING.md).
add_test(NAME valgrind.hog_step
         COMMAND ${MS_VALGRIND} --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite
                 --suppressions=${PROJECT_SOURCE_DIR}/tests/valgrind.supp
                 --quiet $<TARGET_FILE:microsim> --check-invariants --clock=step --trace=json -o /dev/null hog)
set_tests_properties(valgrind.hog_step PROPERTIES LABELS valgrind TIMEOUT 120)
foreach(scenario pingpong basics faults)
  add_test(NAME valgrind.${scenario}
           COMMAND ${MS_VALGRIND} --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite
                   --suppressions=${PROJECT_SOURCE_DIR}/tests/valgrind.supp
                   --quiet $<TARGET_FILE:microsim> --check-invariants --trace=json -o /dev/null ${scenario})
  set_tests_properties(valgrind.${scenario} PROPERTIES LABELS valgrind)
endforeach()
# Scenarios whose user code takes hosted TLB misses (SIGSEGV, then the
# instruction runs again) need Valgrind's precise exceptions. Demand paging
# at the stack does not work under Valgrind (it grows stacks itself): see
# docs/TESTING.md.
foreach(scenario isolation shm demo restart)
  add_test(NAME valgrind.${scenario}
           COMMAND ${MS_VALGRIND} --vex-iropt-register-updates=allregs-at-mem-access --error-exitcode=1
                   --leak-check=full --errors-for-leak-kinds=definite
                   --suppressions=${PROJECT_SOURCE_DIR}/tests/valgrind.supp
                   --quiet $<TARGET_FILE:microsim> --check-invariants --trace=json -o /dev/null ${scenario})
  set_tests_properties(valgrind.${scenario} PROPERTIES LABELS valgrind TIMEOUT 300)
endforeach()

# The kernel core has no #ifdef for the target (nor any other #if).
add_test(NAME system.kernel_core_has_no_target_ifdef
         COMMAND ${CMAKE_COMMAND} -DROOT=${PROJECT_SOURCE_DIR} -P ${MS_SYS}/no_target_ifdef.cmake)
set_tests_properties(system.kernel_core_has_no_target_ifdef PROPERTIES LABELS system)

# microsim bench's memory measurements run their scenarios to the end (the
# numbers themselves are not checked: speed is measured, not tested).
foreach(measure pagefault tlbfill crossfast)
  add_test(NAME system.bench.${measure} COMMAND microsim bench --only ${measure} --json)
  set_tests_properties(system.bench.${measure} PROPERTIES LABELS system
                       PASS_REGULAR_EXPRESSION "\"(pagefault_rtt_ns|tlb_fill_ns|ipc_rtt_cross_as_fast_ns)\":[0-9]")
endforeach()
