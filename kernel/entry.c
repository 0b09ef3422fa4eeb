/* Kernel entries and the common exit path. */
#include "entry.h"

#include "alarm.h"
#include "arch/arch.h"
#include "cpu.h"
#include "exception.h"
#include "fastpath.h"
#include "halt.h"
#include "interrupt.h"
#include "invariants.h"
#include "object/ioport.h"
#include "object/task.h"
#include "object/thread.h"
#include "sched.h"
#include "stats.h"
#include "syscall.h"
#include "timer.h"
#include "trace.h"

/* A change of thread on the CPU: traced, and the time slices accounted. */
static void trace_switch(thread_t *from, thread_t *to)
{
    trace_begin(K_EV_SWITCH, from, to);
    timer_switch(from, to);
}

static void reap(k_cpu_t *cpu);

/* The CPU lets next's task reach the ports its I/O port handles grant (a
 * task switch, or its grants changed). Between tasks that have none, as
 * most have, nothing changes: the IPC path pays nothing. */
static void load_io_permissions(k_cpu_t *cpu, const thread_t *next)
{
    const handle_table_t *ht = &next->task->handles;
    if (cpu->io_task == next->task && cpu->io_version == ht->io_version)
        return;
    cpu->io_task = next->task;
    cpu->io_version = ht->io_version;
    if (ht->nio == 0 && cpu->io_loaded == 0)
        return;
    arch_io_range_t ranges[ARCH_IO_RANGES_MAX];
    unsigned n = ioport_ranges_of(ht, ranges);
    arch_io_permit(ranges, n);
    cpu->io_loaded = n;
}

/* The CPU switches to next's address space (loads CR3) if it is another. */
static void load_address_space(k_cpu_t *cpu, const thread_t *next)
{
    uint64_t root = next->task->aspace.root;
    if (cpu->root == root)
        return;
    arch_page_root_load(root);
    cpu->root = root;
}

/* Makes next the running thread and enters it: the last step of every entry. */
__attribute__((noreturn)) static void resume(k_cpu_t *cpu, thread_t *next)
{
    if (next != cpu->previous)
        trace_switch(cpu->previous, next);
    load_io_permissions(cpu, next);
    load_address_space(cpu, next);
    reap(cpu);
    trace_drain();
    arch_return_to_user(&next->regs);
}

void k_syscall_entry(void)
{
    k_cpu_t *cpu = k_cpu();
    thread_t *cur = cpu->current;
    cpu->entries++;
    cpu->previous = cur;
    uint64_t nr = cur->regs.rax;
    thread_t *next = fastpath_enabled() ? fastpath_syscall(cur) : NULL;
    if (!next)
        syscall_dispatch(cur);
    stats_record(nr, cur);
    if (next) {
        next->state = THREAD_RUNNING;
        cpu->current = next;
        resume(cpu, next);
    }
    k_exit_to_user();
}

void k_interrupt_entry(unsigned vector, uint64_t error, uint64_t addr)
{
    k_cpu_t *cpu = k_cpu();
    cpu->entries++;
    cpu->previous = cpu->current;
    interrupt_dispatch(vector, error, addr);
    k_exit_to_user();
}

/* Drops the reference of a current thread that died during this entry; the
 * entry's work is then complete, and the invariants must hold. */
static void reap(k_cpu_t *cpu)
{
    thread_t *dead = cpu->reap;
    cpu->reap = NULL;
    if (dead)
        kobject_unref(&dead->obj);
    if (invariants_enabled()) {
        invariants_check();
        stats_note_check();
    }
}

/* Nothing is ready: idle until an interrupt, or stop if none can come (a
 * deadlock if tasks that are not daemons still wait). */
static void idle(k_cpu_t *cpu)
{
    if (cpu->previous)
        trace_switch(cpu->previous, NULL); /* an interrupt that woke nobody is no switch */
    cpu->previous = NULL;
    reap(cpu);
    trace_drain();
    uint16_t lines = interrupt_can_wake();
    uint64_t until = alarm_next();
    if (lines || until)
        arch_idle(lines, until);
    if (halt_waiting_tasks() > 0)
        k_halt(1, K_REASON_DEADLOCK);
    k_halt(halt_status(), K_REASON_IDLE);
}

void k_exit_to_user(void)
{
    k_cpu_t *cpu = k_cpu();
    exception_settle();
    if (halt_run_over()) {
        if (cpu->current && cpu->current->state != THREAD_RUNNING)
            cpu->current = NULL; /* it ended: nothing will run again */
        reap(cpu);
        k_halt(halt_status(), K_REASON_DONE);
    }
    thread_t *next = sched_choose();
    if (!next)
        idle(cpu);
    resume(cpu, next);
}
