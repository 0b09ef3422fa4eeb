# The source lists that both builds share: the hosted build (microsim) and the
# x86-64 image (cmake/X86_64Image.cmake) compile the very same files from here,
# so a kernel source added once is built for both machines. Paths are relative
# to the repository root.

# The freestanding runtime (mem*, str*, printf), linked into kernel and user code.
set(MS_RT_SOURCES rt/mem.c rt/str.c rt/fmt.c)

# The portable kernel core: no host header, no #ifdef for the target.
set(MS_KERNEL_SOURCES
  kernel/alarm.c
  kernel/aspace.c
  kernel/boot.c
  kernel/cpu.c
  kernel/dev/pic.c
  kernel/dev/pit.c
  kernel/entry.c
  kernel/exception.c
  kernel/fastpath.c
  kernel/frame.c
  kernel/halt.c
  kernel/handle.c
  kernel/interrupt.c
  kernel/introspect.c
  kernel/invariants.c
  kernel/ipc.c
  kernel/kobject.c
  kernel/mapdb.c
  kernel/object/endpoint.c
  kernel/object/frames.c
  kernel/object/ioport.c
  kernel/object/irq.c
  kernel/object/notification.c
  kernel/object/reply.c
  kernel/object/task.c
  kernel/object/thread.c
  kernel/paging.c
  kernel/panic.c
  kernel/sched.c
  kernel/stats.c
  kernel/syscall.c
  kernel/timer.c
  kernel/trace.c
  kernel/trace_format.c
  kernel/usercopy.c)
set(MS_KERNEL_INCLUDES kernel kernel/abi rt/include)

# The user library every program links (system call stubs, ms_printf).
set(MS_USERLIB_SOURCES services/lib/print.c services/lib/errors.c services/lib/names_client.c
  services/lib/console_client.c services/console/console.c services/console/console_core.c
  services/timer/timer.c services/timer/timer_core.c
  services/fs/fs.c services/fs/fs_core.c services/init/init.c services/lib/fs_client.c services/lib/procman_client.c
  services/net/net.c services/net/net_core.c services/lib/net_client.c
  services/shell/shell.c
  services/pager/pager.c services/pager/pager_core.c services/names/names.c services/names/names_core.c
  services/procman/procman.c services/procman/procman_core.c)

# The scenario programs and their boot manifests (user code).
set(MS_EXAMPLE_SOURCES
  examples/pingpong/client.c
  examples/pingpong/server.c
  examples/pingpong/manifest.c
  examples/basics/init.c
  examples/basics/server.c
  examples/basics/client.c
  examples/basics/manifest.c
  examples/bench/bench.c
  examples/bench/manifest.c
  examples/deadlock/deadlock.c
  examples/faults/faults.c
  examples/console/console.c
  examples/hog/hog.c
  examples/fpu/fpu.c
  examples/pager/pager_demo.c
  examples/isolation/isolation.c
  examples/shm/shm.c
  examples/cow/cow.c
  examples/names/names_demo.c
  examples/procman/procman_demo.c
  examples/terminal/terminal.c
  examples/timer/timer_demo.c
  examples/files/files.c
  examples/net/net_demo.c
  examples/shell/shell_demo.c examples/restart/restart.c examples/bootfail/bootfail.c examples/demo/demo.c
  examples/fuzz/fuzz.c
  examples/fuzz/manifest.c)
set(MS_EXAMPLE_INCLUDES examples examples/pingpong examples/basics examples/bench examples/fuzz)

# The table of scenarios by name (scenario_find): user code in the hosted
# build; on x86-64 the kernel reads it to pick the manifest at boot.
set(MS_SCENARIO_TABLE_SOURCES examples/scenarios.c)
