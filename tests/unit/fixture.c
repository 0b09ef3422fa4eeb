/* Helpers for kernel unit tests. */
#include "fixture.h"

#include <stdlib.h>
#include <string.h>

#include "cpu.h"
#include "halt.h"
#include "handle.h"
#include "object/endpoint.h"
#include "sched.h"
#include "syscall.h"

#define FX_MAX_MEM 64

static void *memories[FX_MAX_MEM];
static unsigned nmemories;

void fx_reset(void)
{
    for (unsigned i = 0; i < nmemories; i++)
        free(memories[i]);
    nmemories = 0;
    k_cpu_init();
    sched_init();
    trace_init(K_TRACE_MASK_ALL);
    thread_pool_reset();
    task_pool_reset();
    endpoint_pool_reset();
    halt_init();
    fake_arch_time = 0;
    fake_arch_fail_copies = 0;
}

task_t *fx_task(const char *name, uint8_t prio)
{
    ck_assert_uint_lt(nmemories, FX_MAX_MEM);
    void *mem = aligned_alloc(4096, FX_MEM_SIZE);
    ck_assert_ptr_nonnull(mem);
    memset(mem, 0, FX_MEM_SIZE);
    memories[nmemories++] = mem;
    task_t *task = task_create(name, (uintptr_t)mem, FX_MEM_SIZE, prio, 0);
    ck_assert_ptr_nonnull(task);
    ck_assert_int_eq(handle_install_at(&task->handles, MS_HANDLE_SELF, &task->obj, MS_RIGHTS_ALL, 0), MS_OK);
    return task;
}

/* Stacks and IPC buffers are carved from the top of the task's memory down. */
thread_t *fx_thread(task_t *task, uint8_t prio)
{
    uintptr_t top = task->aspace.own.base + task->aspace.own.size - task->nthreads * (FX_STACK_SIZE + 4096);
    uintptr_t stack_lo = top - FX_STACK_SIZE;
    uintptr_t ipcbuf = stack_lo - 4096;
    ck_assert_uint_ge(ipcbuf, task->aspace.own.base);
    thread_t *t = thread_create(task, 0x1000, stack_lo, top, ipcbuf, 0, prio);
    ck_assert_ptr_nonnull(t);
    sched_enqueue(t);
    return t;
}

thread_t *fx_spawn(const char *name, uint8_t prio)
{
    return fx_thread(fx_task(name, prio), prio);
}

ms_handle_t fx_endpoint(task_t *task, uint32_t rights)
{
    endpoint_t *ep = endpoint_create();
    ck_assert_ptr_nonnull(ep);
    ms_handle_t h;
    ck_assert_int_eq(handle_install(&task->handles, &ep->obj, rights, 0, &h), MS_OK);
    return h;
}

ms_handle_t fx_share(task_t *to, task_t *from, ms_handle_t h, uint32_t rights, uint64_t badge)
{
    handle_entry_t *e;
    ck_assert_int_eq(handle_lookup(&from->handles, h, KOBJ_NONE, 0, &e), MS_OK);
    ms_handle_t out;
    ck_assert_int_eq(handle_install(&to->handles, e->obj, rights, badge, &out), MS_OK);
    return out;
}

void fx_run(thread_t *t)
{
    k_cpu_t *cpu = k_cpu();
    if (cpu->current && cpu->current != t && cpu->current->state == THREAD_RUNNING)
        sched_enqueue(cpu->current);
    if (t->state == THREAD_READY)
        sched_dequeue(t);
    t->state = THREAD_RUNNING;
    cpu->current = t;
    cpu->previous = t;
}

uint64_t fx_syscall(thread_t *t, uint64_t nr, arch_regs_t regs)
{
    ck_assert_ptr_eq(k_cpu()->current, t);
    ck_assert_int_eq(t->state, THREAD_RUNNING);
    regs.rax = nr;
    regs.rip = t->regs.rip;
    regs.rsp = t->regs.rsp;
    t->regs = regs;
    syscall_dispatch(t);
    return t->regs.rax;
}

thread_t *fx_schedule(void)
{
    k_cpu_t *cpu = k_cpu();
    thread_t *next = sched_choose();
    cpu->previous = next;
    if (cpu->reap) {
        kobject_unref(&cpu->reap->obj);
        cpu->reap = NULL;
    }
    return next;
}

arch_regs_t fx_msg(uint64_t handle, uint32_t label, unsigned nwords, const uint64_t *words)
{
    arch_regs_t r = {0};
    r.rdi = handle;
    r.rsi = ms_info(label, nwords, 0, 0);
    for (unsigned i = 0; i < nwords && i < 8; i++)
        r.mr[i] = words[i];
    return r;
}

char *fx_ipc_buffer(thread_t *t)
{
    return (char *)t->ipc_buffer;
}

int fx_event(k_trace_event_t *ev)
{
    return trace_read(trace_ring(), ev);
}

int fx_find_event(unsigned kind, k_trace_event_t *ev)
{
    while (fx_event(ev))
        if (ev->kind == kind)
            return 1;
    return 0;
}

void fx_drop_events(void)
{
    k_trace_ring_t *r = trace_ring();
    r->tail = r->head;
}
