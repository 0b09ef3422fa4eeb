/* Threads: creation, death and the thread pool. */
#include "object/thread.h"

#include "cpu.h"
#include "ipc.h"
#include "object/notification.h"
#include "object/task.h"
#include "panic.h"
#include "rt.h"
#include "sched.h"
#include "timer.h"

static thread_t pool[K_MAX_THREADS];
static uint32_t next_tid = 1;

void thread_pool_reset(void)
{
    rt_memset(pool, 0, sizeof pool);
    next_tid = 1;
}

static thread_t *alloc_slot(void)
{
    for (unsigned i = 0; i < K_MAX_THREADS; i++)
        if (pool[i].obj.type == KOBJ_NONE)
            return &pool[i];
    return NULL;
}

thread_t *thread_create(task_t *task, uintptr_t entry, uintptr_t stack_lo, uintptr_t stack_hi,
                        uintptr_t ipc_buffer, uint64_t arg, uint8_t prio)
{
    thread_t *t = alloc_slot();
    if (!t)
        return NULL;
    rt_memset(t, 0, sizeof *t);
    kobject_init(&t->obj, KOBJ_THREAD, next_tid++);
    kobject_ref(&t->obj); /* alive */
    kobject_ref(&task->obj);
    t->task = task;
    t->prio = prio;
    t->state = THREAD_READY; /* not queued until the caller schedules it */
    t->ipc_buffer = ipc_buffer;
    t->slice_ns = K_SLICE_NS;
    t->stack_lo = stack_lo;
    t->stack_hi = stack_hi;
    t->stack_id = arch_stack_register(stack_lo, stack_hi);
    /* Start as if called: rsp + 8 is 16-byte aligned at the first instruction. */
    arch_regs_init(&t->regs, entry, (stack_hi & ~(uintptr_t)15) - 8, arg);
    k_list_push_tail(&task->threads, &t->task_link);
    task->nthreads++;
    task->started = 1;
    return t;
}

void thread_kill(thread_t *t)
{
    if (t->state == THREAD_DEAD)
        return;
    if (t->state == THREAD_READY && k_link_linked(&t->qlink))
        sched_dequeue(t);
    if (t->state == THREAD_DOOMED)
        k_link_remove(&t->qlink); /* off the CPU's doomed list: it dies now instead */
    ipc_cancel(t);
    notification_cancel(t);
    t->faulting = 0;
    t->state = THREAD_DEAD;
    arch_stack_deregister(t->stack_id);
    task_t *task = t->task;
    k_link_remove(&t->task_link);
    task->nthreads--;
    /* Last, once t is dead and off its task: the caller this wakes may end t's task. */
    ipc_release_caller(t);
    if (task->nthreads == 0)
        task_end(task, TASK_EXITED, task->state == TASK_ALIVE ? 0 : task->status);
    k_cpu_t *cpu = k_cpu();
    if (t == cpu->current)
        cpu->reap = t; /* this entry's switch event still names it; dropped at the entry's end */
    else
        kobject_unref(&t->obj);
}

void thread_destroy(thread_t *t)
{
    task_t *task = t->task;
    t->obj.type = KOBJ_NONE;
    kobject_unref(&task->obj);
}

const char *thread_name(const thread_t *t)
{
    return t->task->name;
}

const char *thread_state_name(thread_state_t s)
{
    static const char *const names[THREAD_STATE_COUNT] = {
        [THREAD_RUNNING] = "running",           [THREAD_READY] = "ready",
        [THREAD_BLOCKED_SEND] = "blocked-send", [THREAD_BLOCKED_RECV] = "blocked-recv",
        [THREAD_BLOCKED_REPLY] = "blocked-reply", [THREAD_BLOCKED_NOTIFY] = "blocked-notify",
        [THREAD_DOOMED] = "doomed", [THREAD_DEAD] = "dead",
    };
    return (unsigned)s < THREAD_STATE_COUNT ? names[s] : "?";
}

thread_t *thread_pool_at(unsigned i)
{
    return i < K_MAX_THREADS && pool[i].obj.type == KOBJ_THREAD ? &pool[i] : NULL;
}

unsigned thread_pool_size(void)
{
    return K_MAX_THREADS;
}
