/*
 * libFuzzer harness for the system call decoder and everything behind it:
 * each input is a sequence of system calls (number and registers) that the
 * threads of three small tasks make, in whatever order the scheduler runs
 * them. After every call the kernel's invariants are checked; a panic, a
 * sanitizer report or a result the ABI does not list is a finding.
 *
 * Input: records of 26 bytes: the call number (byte 0, taken modulo 20 so
 * that numbers outside the table come up too), a byte of pointer flags, and
 * six 32-bit little-endian values for rdi, rsi, w0, w1, w2 and rbx. A set
 * flag bit turns its value into an address inside the calling task's
 * memory, so that valid buffers, stacks and IPC buffers are reachable.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"
#include "exception.h"
#include "fastpath.h"
#include "halt.h"
#include "handle.h"
#include "invariants.h"
#include "object/endpoint.h"
#include "object/task.h"
#include "object/thread.h"
#include "sched.h"
#include "stats.h"
#include "syscall.h"
#include "frame.h"
#include "object/frames.h"
#include "fake_arch.h"
#include "trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TASKS 3
#define MEM_SIZE (64u * 1024u)
#define RECORD 26

/* Each task's memory: fresh frames mapped read-write at the user addresses
 * that are also their host addresses (fake_arch.h). Handle 3 of every task
 * is a frames object of its own, for map, unmap and protect. */
static task_t *make_task(unsigned i)
{
    frames_t *f = frames_create(MEM_SIZE / K_PAGE_SIZE);
    uintptr_t base = FAKE_ARCH_PHYS_HOST + f->pa;
    task_t *task = task_create("fuzz", base, MEM_SIZE, (uint8_t)(10 * (i + 1)), 0);
    unsigned rw = MS_RIGHT_READ | MS_RIGHT_WRITE;
    aspace_map(&task->aspace, base, f, 0, f->npages, rw, rw, 0);
    frames_t *spare = frames_create(4);
    handle_install_at(&task->handles, 3, &spare->obj, MS_RIGHTS_ALL, 0);
    return task;
}

static void boot(void)
{
    uint64_t pbase, psize;
    arch_phys_memory(&pbase, &psize);
    frame_init(pbase, psize);
    k_cpu_init();
    sched_init();
    trace_init(K_TRACE_MASK_ALL);
    kobject_pools_reset();
    halt_init();
    invariants_enable(1);
    stats_init(NULL);
    endpoint_t *shared = endpoint_create();
    kobject_ref(&shared->obj);
    task_t *tasks[TASKS];
    for (unsigned i = 0; i < TASKS; i++) {
        tasks[i] = make_task(i);
        uintptr_t base = tasks[i]->aspace.own.base;
        thread_t *t = thread_create(tasks[i], 0x1000, base + MEM_SIZE - 8192, base + MEM_SIZE, base + 4096, 0,
                                    (uint8_t)(10 * (i + 1)));
        handle_install_at(&tasks[i]->handles, MS_HANDLE_SELF, &tasks[i]->obj, MS_RIGHTS_ALL, 0);
        handle_install_at(&tasks[i]->handles, 1, &shared->obj, MS_RIGHTS_ALL, 0);
        sched_enqueue(t);
    }
    for (unsigned i = 0; i < TASKS; i++)
        handle_install_at(&tasks[i]->handles, 2, &tasks[(i + 1) % TASKS]->obj, MS_RIGHT_CONTROL, 0);
    kobject_unref(&shared->obj);
}

static uint64_t value(const uint8_t *p, unsigned flag, uint8_t flags, const thread_t *t)
{
    uint32_t raw = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    if (flags & (1u << flag))
        return t->task->aspace.own.base + raw % t->task->aspace.own.size;
    return raw;
}

/* What k_exit_to_user does, short of entering user mode. */
static thread_t *schedule(void)
{
    k_cpu_t *cpu = k_cpu();
    thread_t *next = NULL;
    exception_settle();
    if (!halt_run_over())
        next = sched_choose();
    else if (cpu->current && cpu->current->state != THREAD_RUNNING)
        cpu->current = NULL; /* the machine would halt here */
    cpu->previous = next;
    if (cpu->reap) {
        kobject_unref(&cpu->reap->obj);
        cpu->reap = NULL;
    }
    invariants_check();
    trace_ring()->tail = trace_ring()->head;
    return next;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    boot();
    fastpath_enable(size % 2 == 0);
    thread_t *t = schedule();
    for (size_t at = 0; t && at + RECORD <= size; at += RECORD) {
        const uint8_t *r = data + at;
        uint64_t nr = r[0] % (MS_SYS_COUNT + 3);
        uint8_t flags = r[1];
        arch_regs_t regs = {.rax = nr};
        regs.rdi = value(r + 2, 0, flags, t);
        regs.rsi = value(r + 6, 1, flags, t);
        regs.mr[0] = value(r + 10, 2, flags, t);
        regs.mr[1] = value(r + 14, 3, flags, t);
        regs.mr[2] = value(r + 18, 4, flags, t);
        regs.rbx = value(r + 22, 5, flags, t);
        regs.mr[4] = regs.mr[0] & 0xff; /* thread_create's priority */
        regs.rip = t->regs.rip;
        regs.rsp = t->regs.rsp;
        t->regs = regs;
        k_cpu()->previous = t;
        thread_t *next = fastpath_enabled() ? fastpath_syscall(t) : NULL;
        if (!next)
            syscall_dispatch(t);
        stats_record(nr, t);
        if (next) {
            next->state = THREAD_RUNNING;
            k_cpu()->current = next;
        }
        t = schedule();
    }
    return 0;
}
