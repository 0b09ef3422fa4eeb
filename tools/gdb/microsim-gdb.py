# microsim's gdb extension: signal handling for the simulated hardware, and
# the commands ms-tasks (the kernel's threads) and ms-bt TID (a user thread's
# backtrace from its saved registers).
#
# The build copies this file next to the binary as microsim-gdb.py, which gdb
# auto-loads for build/microsim once the build directory is a safe path:
#   gdb -iex 'add-auto-load-safe-path build' --args build/microsim pingpong
# (or put `add-auto-load-safe-path /path/to/build` in ~/.gdbinit), or load it
# by hand: (gdb) source build/microsim-gdb.py
#
# Plain Python 3 for gdb's embedded interpreter; it reads the kernel's state
# through gdb's type information (field names, never offsets).

import os
import re

import gdb

# The host signals the simulated PC uses (or will use) as its hardware: page
# faults, illegal instructions, arithmetic traps, the timers and I/O. gdb
# passes them to the program silently.
#
# SIGTRAP is not among them although the simulator may use it too: gdb's own
# breakpoints are SIGTRAPs, and with `pass` gdb hands the trap it stopped with
# to the program when it resumes (gdb 13 kills microsim that way at the first
# breakpoint, or at the dynamic linker's internal one during `run`). So
# SIGTRAP keeps gdb's default: stop, print, nopass.
HARDWARE_SIGNALS = ("SIGSEGV", "SIGILL", "SIGFPE", "SIGALRM", "SIGVTALRM", "SIGIO")

# thread_t.regs (arch_regs_t) fields that are gdb's x86-64 register names;
# ms-bt loads them all, so that `bt full` sees the thread's values too.
USER_REGS = ("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
             "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip")

KOBJ_THREAD = 2  # kobject_type_t: the pool slot holds a thread


class MicrosimError(gdb.GdbError):
    """A one-line message for the user, without a Python traceback."""


def set_hardware_signals():
    gdb.execute("handle %s nostop noprint pass" % " ".join(HARDWARE_SIGNALS), to_string=True)


# ---- reading the kernel ----

def require_running():
    if gdb.selected_inferior().pid == 0:
        raise MicrosimError("microsim is not running: `run` it first (a breakpoint such as "
                            "`break ipc_recv` stops it inside the kernel)")


def thread_pool():
    """The kernel's thread pool, kernel/object/thread.c's `static thread_t pool[]`."""
    for sym in gdb.lookup_static_symbols("pool"):
        if sym.symtab is not None and sym.symtab.filename.endswith(os.path.join("object", "thread.c")):
            return sym.value()
    try:
        return gdb.parse_and_eval("'thread.c'::pool")
    except gdb.error:
        raise MicrosimError("no kernel thread pool in this program (is it microsim, built with -g?)")


def global_value(name):
    """A global variable of the simulator, or None if this program has none."""
    sym = gdb.lookup_global_symbol(name)
    return sym.value() if sym is not None else None


def pool_threads():
    """The thread_t value of every live thread (not dead), in pool order."""
    pool = thread_pool()
    low, high = pool.type.range()
    threads = []
    for i in range(low, high + 1):
        t = pool[i]
        if int(t["obj"]["type"]) == KOBJ_THREAD and state_name(t) != "dead":
            threads.append(t)
    return threads


def state_name(t):
    """thread_state_t as thread_state_name() spells it: THREAD_BLOCKED_SEND -> blocked-send."""
    text = str(t["state"])
    if text.startswith("THREAD_"):
        text = text[len("THREAD_"):]
    return text.lower().replace("_", "-")


def address_of(value):
    return int(value.address) if value.address is not None else 0


def current_thread_address():
    cpu = global_value("k_cpu0")
    return int(cpu["current"]) if cpu is not None else 0


def live_sp():
    return int(gdb.newest_frame().read_register("rsp"))


def in_range(addr, lo, hi):
    return lo <= addr < hi


def cpu_mode(current):
    """Where the program stopped: 'kernel' (on the simulated CPU's kernel
    stack: every thread's registers are in its saved frame), 'user' (in the
    current thread's own code: its live registers are the real ones) or
    'host' (the simulator outside the machine)."""
    sp = live_sp()
    hw = global_value("hw_cpu0")
    if hw is not None and int(hw["kstack_map"]) != 0:
        base = int(hw["kstack_map"])
        if in_range(sp, base, base + int(hw["kstack_map_size"])):
            return "kernel"
    if current is not None and in_range(sp, int(current["stack_lo"]), int(current["stack_hi"])):
        return "user"
    return "host" if hw is not None else "kernel"


def find_thread(tid):
    current_addr = current_thread_address()
    for t in pool_threads():
        if int(t["obj"]["id"]) == tid:
            return t, address_of(t) == current_addr
    raise MicrosimError("no live thread %d (ms-tasks lists them)" % tid)


def current_thread(threads):
    addr = current_thread_address()
    for t in threads:
        if address_of(t) == addr:
            return t
    return None


def describe_pc(pc):
    """`pingpong_client+174`, and the source line when pc is in the function's
    own code (`server.c:17`), not in a stub inlined into it from a header."""
    text = "?"
    m = re.match(r"(\S+)(?: \+ (\d+))? in section", gdb.execute("info symbol 0x%x" % pc, to_string=True))
    if m:
        text = m.group(1) + ("+" + m.group(2) if m.group(2) else "")
    function = outermost_function(pc)
    sal = gdb.find_pc_line(pc)
    if function is not None and sal.symtab is not None and sal.line and \
            sal.symtab.filename == function.symtab.filename:
        text += " (%s:%d)" % (os.path.basename(sal.symtab.filename), sal.line)
    return text


def outermost_function(pc):
    """The function symbol of the real (not inlined) function holding pc."""
    try:
        block = gdb.block_for_pc(pc)
    except RuntimeError:
        return None
    function = None
    while block is not None:
        if block.function is not None:
            function = block.function
        block = block.superblock
    return function


def waits_on(t, state):
    if state in ("blocked-send", "blocked-recv") and int(t["blocked_on"]) != 0:
        return "ep %d" % int(t["blocked_on"].dereference()["obj"]["id"])
    if state == "blocked-reply" and int(t["reply_from"]) != 0:
        return "tid %d" % int(t["reply_from"].dereference()["obj"]["id"])
    return ""


def task_name(t):
    if int(t["task"]) == 0:
        return "?"
    return t["task"].dereference()["name"].string().split("\0", 1)[0]


# ---- commands ----

class MsTasks(gdb.Command):
    """List the microsim kernel's threads.
Usage: ms-tasks
One line per live thread: tid, task name, state, priority, what a blocked
thread waits on (an endpoint, or the tid that owes it a reply) and the saved
user instruction pointer. `*` marks the thread on the CPU; while the program
is stopped in that thread's user code, its line shows the live pc instead."""

    def __init__(self):
        super().__init__("ms-tasks", gdb.COMMAND_STATUS)

    def invoke(self, arg, from_tty):
        require_running()
        threads = pool_threads()
        if not threads:
            raise MicrosimError("no kernel threads: the kernel has not booted yet (or the run is over)")
        current = current_thread(threads)
        mode = cpu_mode(current)
        lines = ["  %4s  %-15s %-14s %4s  %-8s %s" % ("TID", "TASK", "STATE", "PRIO", "WAITS ON", "SAVED RIP")]
        for t in threads:
            is_current = current is not None and address_of(t) == address_of(current)
            state = state_name(t)
            pc, note = int(t["regs"]["rip"]), ""
            if is_current and mode == "user":
                pc, note = int(gdb.newest_frame().pc()), "  [live pc: in user code]"
            lines.append("%s %4d  %-15s %-14s %4d  %-8s 0x%016x %s%s" % (
                "*" if is_current else " ", int(t["obj"]["id"]), task_name(t), state, int(t["prio"]),
                waits_on(t, state), pc, describe_pc(pc), note))
        gdb.write("\n".join(lines) + "\n")


class MsBt(gdb.Command):
    """Backtrace of a microsim user thread.
Usage: ms-bt TID [bt arguments, e.g. full or a frame count]
Loads the thread's saved user registers into the CPU, runs `bt` and puts the
registers back, whatever happens. Works for any live thread while the program
is stopped in the kernel (the thread on the CPU included: its frame holds the
registers of its system call); for the thread whose user code is running it
is the plain `bt`."""

    def __init__(self):
        super().__init__("ms-bt", gdb.COMMAND_STACK)

    def invoke(self, arg, from_tty):
        words = gdb.string_to_argv(arg)
        if not words or not re.fullmatch(r"\d+", words[0]):
            raise MicrosimError("usage: ms-bt TID [full] [N] (ms-tasks lists the tids)")
        require_running()
        t, is_current = find_thread(int(words[0]))
        bt = " ".join(["bt"] + words[1:])
        if is_current and cpu_mode(t) == "user":
            gdb.execute(bt, from_tty)
            return
        saved_regs = {name: int(t["regs"][name]) for name in USER_REGS}
        with_registers(saved_regs, lambda: gdb.execute(bt, from_tty))


def with_registers(values, action):
    """Runs action with the CPU's registers set to values, then restores them.
    Registers are written in the innermost frame only: writing them in an
    outer frame would write that frame's save slots in memory."""
    selected = gdb.selected_frame()
    level = selected.level()
    newest = gdb.newest_frame()
    newest.select()
    original = {name: int(newest.read_register(name)) for name in values}
    try:
        for name, value in values.items():
            gdb.execute("set $%s = %d" % (name, value), to_string=True)
        action()
    finally:
        gdb.newest_frame().select()
        for name, value in original.items():
            gdb.execute("set $%s = %d" % (name, value), to_string=True)
        reselect(selected, level)


def reselect(frame, level):
    if frame.is_valid():
        frame.select()
    else:
        gdb.execute("frame %d" % level, to_string=True)


set_hardware_signals()
MsTasks()
MsBt()
