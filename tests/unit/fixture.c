/* Helpers for kernel unit tests. */
#include "fixture.h"

#include <setjmp.h>
#include <string.h>

#include "cpu.h"
#include "exception.h"
#include "frame.h"
#include "object/frames.h"
#include "halt.h"
#include "handle.h"
#include "invariants.h"
#include "object/endpoint.h"
#include "sched.h"
#include "syscall.h"

void fx_reset(void)
{
    uint64_t base, size;
    arch_phys_memory(&base, &size);
    frame_init(base, size);
    k_cpu_init();
    sched_init();
    trace_init(K_TRACE_MASK_ALL);
    kobject_pools_reset();
    halt_init();
    fake_arch_time = 0;
    fake_arch_root = 0;
    fake_arch_flushes = 0;
    fake_arch_inb = NULL;
    fake_arch_outb = NULL;
}

task_t *fx_task(const char *name, uint8_t prio)
{
    frames_t *f = frames_create(FX_MEM_SIZE / K_PAGE_SIZE);
    ck_assert_ptr_nonnull(f);
    uintptr_t va = FAKE_ARCH_PHYS_HOST + f->pa; /* user address = host address */
    task_t *task = task_create(name, va, FX_MEM_SIZE, prio, 0);
    ck_assert_ptr_nonnull(task);
    unsigned rw = MS_RIGHT_READ | MS_RIGHT_WRITE;
    ck_assert_int_eq(aspace_map(&task->aspace, va, f, 0, f->npages, rw, rw, 0), MS_OK);
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

/* Puts system call nr with regs into the running thread t's frame. */
static void load_syscall(thread_t *t, uint64_t nr, arch_regs_t regs)
{
    ck_assert_ptr_eq(k_cpu()->current, t);
    ck_assert_int_eq(t->state, THREAD_RUNNING);
    regs.rax = nr;
    regs.rip = t->regs.rip;
    regs.rsp = t->regs.rsp;
    t->regs = regs;
}

uint64_t fx_syscall(thread_t *t, uint64_t nr, arch_regs_t regs)
{
    load_syscall(t, nr, regs);
    syscall_dispatch(t);
    exception_settle(); /* as the kernel's exit path does */
    invariants_check(); /* every unit test keeps the whole kernel consistent */
    return t->regs.rax;
}

thread_t *fx_schedule(void)
{
    k_cpu_t *cpu = k_cpu();
    exception_settle();
    thread_t *next = sched_choose();
    cpu->previous = next;
    if (cpu->reap) {
        kobject_unref(&cpu->reap->obj);
        cpu->reap = NULL;
    }
    invariants_check();
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

const char *fx_panic_of(void (*fn)(void))
{
    jmp_buf env;
    fake_arch_panic_jump = &env;
    if (setjmp(env)) {
        fake_arch_panic_jump = NULL;
        return fake_arch_panic_msg;
    }
    fn();
    fake_arch_panic_jump = NULL;
    return NULL;
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

/* ---- kernel state snapshots ---- */

#define FX_QUEUE_VIEW 16

typedef struct thread_view {
    uint32_t tid;
    thread_state_t state;
    uint8_t prio, ipc_flags, reply_grant;
    uint32_t refs, task, reply_to, reply_from, blocked_on;
    uint64_t ipc_badge;
    arch_regs_t regs;
} thread_view_t;

typedef struct task_view {
    uint32_t id, refs;
    task_state_t state;
    int64_t status;
    unsigned nthreads;
    handle_table_t handles;
} task_view_t;

typedef struct endpoint_view {
    uint32_t id, refs;
    unsigned nsend, nrecv;
    uint32_t send[FX_QUEUE_VIEW], recv[FX_QUEUE_VIEW];
} endpoint_view_t;

typedef struct world {
    thread_view_t th[K_MAX_THREADS];
    task_view_t task[K_MAX_TASKS];
    endpoint_view_t ep[K_MAX_ENDPOINTS];
    unsigned nth, ntask, nep;
    unsigned runq[SCHED_LEVELS];
    uint32_t current;
    uint64_t trace_head, trace_lost;
} world_t;

static world_t saved, now;

static uint32_t tid_of(const thread_t *t)
{
    return t ? thread_tid(t) : 0;
}

static unsigned queue_view(const k_list_t *q, uint32_t *out)
{
    unsigned n = 0;
    K_LIST_FOREACH(l, q)
    {
        if (n < FX_QUEUE_VIEW)
            out[n] = thread_tid(K_CONTAINER_OF(l, thread_t, qlink));
        n++;
    }
    return n;
}

static void capture_threads(world_t *w)
{
    for (unsigned i = 0; i < thread_pool_size(); i++) {
        thread_t *t = thread_pool_at(i);
        if (!t)
            continue;
        w->th[w->nth++] = (thread_view_t){.tid = thread_tid(t),
                                          .state = t->state,
                                          .prio = t->prio,
                                          .ipc_flags = t->ipc_flags,
                                          .reply_grant = t->reply_grant,
                                          .refs = t->obj.refs,
                                          .task = t->task->obj.id,
                                          .reply_to = tid_of(t->reply_to),
                                          .reply_from = tid_of(t->reply_from),
                                          .blocked_on = t->blocked_on ? t->blocked_on->obj.id : 0,
                                          .ipc_badge = t->ipc_badge,
                                          .regs = t->regs};
    }
}

static void capture(world_t *w)
{
    memset(w, 0, sizeof *w);
    capture_threads(w);
    for (unsigned i = 0; i < task_pool_size(); i++) {
        task_t *t = task_pool_at(i);
        if (t)
            w->task[w->ntask++] = (task_view_t){.id = t->obj.id,
                                                .refs = t->obj.refs,
                                                .state = t->state,
                                                .status = t->status,
                                                .nthreads = t->nthreads,
                                                .handles = t->handles};
    }
    for (unsigned i = 0; i < endpoint_pool_size(); i++) {
        endpoint_t *ep = endpoint_pool_at(i);
        if (!ep)
            continue;
        endpoint_view_t *v = &w->ep[w->nep++];
        v->id = ep->obj.id;
        v->refs = ep->obj.refs;
        v->nsend = queue_view(&ep->senders, v->send);
        v->nrecv = queue_view(&ep->receivers, v->recv);
    }
    for (unsigned p = 0; p < SCHED_LEVELS; p++)
        w->runq[p] = sched_queue_length(p);
    w->current = tid_of(k_cpu()->current);
    w->trace_head = trace_ring()->head;
    w->trace_lost = trace_ring()->lost;
}

static void compare_threads(const world_t *a, const world_t *b)
{
    ck_assert_msg(a->nth == b->nth, "threads: %u before, %u after", a->nth, b->nth);
    for (unsigned i = 0; i < a->nth; i++) {
        const thread_view_t *x = &a->th[i], *y = &b->th[i];
        ck_assert_msg(x->tid == y->tid, "thread slot %u: tid %u became %u", i, x->tid, y->tid);
        ck_assert_msg(x->state == y->state, "thread %u: state %s became %s", x->tid, thread_state_name(x->state),
                      thread_state_name(y->state));
        ck_assert_msg(x->prio == y->prio && x->refs == y->refs && x->task == y->task,
                      "thread %u: prio, refs or task changed", x->tid);
        ck_assert_msg(x->reply_to == y->reply_to && x->reply_from == y->reply_from && x->reply_grant == y->reply_grant,
                      "thread %u: reply links changed (to %u/%u, from %u/%u)", x->tid, x->reply_to, y->reply_to,
                      x->reply_from, y->reply_from);
        ck_assert_msg(x->blocked_on == y->blocked_on && x->ipc_flags == y->ipc_flags && x->ipc_badge == y->ipc_badge,
                      "thread %u: blocking state changed", x->tid);
        const uint64_t *rx = (const uint64_t *)&x->regs, *ry = (const uint64_t *)&y->regs;
        for (unsigned r = 0; r < ARCH_REGS_COUNT; r++)
            ck_assert_msg(rx[r] == ry[r], "thread %u: register slot %u changed from 0x%llx to 0x%llx", x->tid, r,
                          (unsigned long long)rx[r], (unsigned long long)ry[r]);
    }
}

static void compare_tasks(const world_t *a, const world_t *b)
{
    ck_assert_msg(a->ntask == b->ntask, "tasks: %u before, %u after", a->ntask, b->ntask);
    for (unsigned i = 0; i < a->ntask; i++) {
        const task_view_t *x = &a->task[i], *y = &b->task[i];
        ck_assert_msg(x->id == y->id && x->refs == y->refs, "task slot %u: id or refs changed", i);
        ck_assert_msg(x->state == y->state && x->status == y->status && x->nthreads == y->nthreads,
                      "task %u: state, status or thread count changed", x->id);
        ck_assert_msg(x->handles.used == y->handles.used, "task %u: %u handles became %u", x->id, x->handles.used,
                      y->handles.used);
        for (unsigned h = 0; h < MS_HANDLES_PER_TASK; h++) {
            const handle_entry_t *p = &x->handles.slot[h], *q = &y->handles.slot[h];
            ck_assert_msg(p->obj == q->obj && p->rights == q->rights && p->badge == q->badge,
                          "task %u: handle %u changed", x->id, h);
        }
    }
}

static void compare_endpoints(const world_t *a, const world_t *b)
{
    ck_assert_msg(a->nep == b->nep, "endpoints: %u before, %u after", a->nep, b->nep);
    for (unsigned i = 0; i < a->nep; i++) {
        const endpoint_view_t *x = &a->ep[i], *y = &b->ep[i];
        ck_assert_msg(x->id == y->id && x->refs == y->refs, "endpoint slot %u: id or refs changed", i);
        ck_assert_msg(x->nsend == y->nsend && x->nrecv == y->nrecv, "endpoint %u: queue lengths changed", x->id);
        ck_assert_msg(memcmp(x->send, y->send, sizeof x->send) == 0 && memcmp(x->recv, y->recv, sizeof x->recv) == 0,
                      "endpoint %u: queue order changed", x->id);
    }
}

static void compare(const world_t *a, const world_t *b)
{
    compare_threads(a, b);
    compare_tasks(a, b);
    compare_endpoints(a, b);
    for (unsigned p = 0; p < SCHED_LEVELS; p++)
        ck_assert_msg(a->runq[p] == b->runq[p], "run queue %u: %u threads became %u", p, a->runq[p], b->runq[p]);
    ck_assert_msg(a->current == b->current, "current thread %u became %u", a->current, b->current);
    ck_assert_msg(a->trace_lost == b->trace_lost, "lost trace events changed");
}

void fx_save_state(void)
{
    capture(&saved);
}

void fx_assert_state_unchanged(void)
{
    capture(&now);
    compare(&saved, &now);
    ck_assert_msg(saved.trace_head == now.trace_head, "%llu trace events were recorded",
                  (unsigned long long)(now.trace_head - saved.trace_head));
}

uint64_t fx_syscall_rejected(thread_t *t, uint64_t nr, arch_regs_t regs)
{
    load_syscall(t, nr, regs);
    fx_save_state();
    syscall_dispatch(t);
    uint64_t err = t->regs.rax;
    ck_assert_msg(err != MS_OK, "system call %llu succeeded", (unsigned long long)nr);
    k_trace_ring_t *ring = trace_ring();
    ck_assert_uint_eq(ring->head, saved.trace_head + 1);
    const k_trace_event_t *ev = &ring->ev[(ring->head - 1) & (K_TRACE_RING_EVENTS - 1)];
    ck_assert_uint_eq(ev->kind, K_EV_SYSCALL_ERROR);
    ck_assert_uint_eq(ev->actor_tid, thread_tid(t));
    ck_assert_uint_eq(ev->a[0], nr);
    ck_assert_uint_eq(ev->a[1], err);
    t->regs.rax = nr;
    capture(&now);
    t->regs.rax = err;
    compare(&saved, &now);
    return err;
}
