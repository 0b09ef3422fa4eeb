/* CPU exceptions: traced, then IPC to a fault handler, L4-style, or the end of the task. */
#include "exception.h"

#include "cpu.h"
#include "interrupt.h"
#include "ipc.h"
#include "object/endpoint.h"
#include "object/task.h"
#include "sched.h"
#include "trace.h"

static const char *const names[32] = {
    [0] = "#DE",  [1] = "#DB",  [2] = "#NMI", [3] = "#BP",  [4] = "#OF",  [5] = "#BR",  [6] = "#UD",
    [7] = "#NM",  [8] = "#DF",  [10] = "#TS", [11] = "#NP", [12] = "#SS", [13] = "#GP", [14] = "#PF",
    [16] = "#MF", [17] = "#AC", [18] = "#MC", [19] = "#XM", [20] = "#VE", [21] = "#CP",
};

const char *exception_name(unsigned vector)
{
    return vector < 32 && names[vector] ? names[vector] : "#?";
}

/* A #PF is traced as a pagefault (address and access); the other vectors
 * as an exception. */
static void trace_exception(thread_t *t, unsigned vector, uint64_t error, uint64_t addr)
{
    if (vector == K_VECTOR_PF) {
        k_trace_event_t *ev = trace_begin(K_EV_PAGEFAULT, t, NULL);
        if (ev) {
            ev->a[0] = addr;
            ev->a[1] = error;
        }
        return;
    }
    k_trace_event_t *ev = trace_begin(K_EV_EXCEPTION, t, NULL);
    if (ev) {
        ev->a[0] = vector;
        ev->a[1] = error;
        ev->a[2] = addr;
    }
}

static void kill_for_exception(thread_t *t)
{
    task_t *task = t->task;
    if (task->state != TASK_ALIVE)
        return; /* already ending: the thread goes with it */
    k_trace_event_t *ev = trace_begin(K_EV_TASK_KILL, t, NULL);
    if (ev) {
        ev->a[0] = task->obj.id;
        ev->a[1] = K_REASON_EXCEPTION;
    }
    task_end(task, TASK_KILLED, -1);
}

void exception_deliver(thread_t *t, unsigned vector, uint64_t error, uint64_t addr)
{
    trace_exception(t, vector, error, addr);
    endpoint_t *ep = t->task->fault_ep;
    if (!ep) {
        kill_for_exception(t);
        return;
    }
    t->faulting = 1;
    t->fault_vector = (uint8_t)vector;
    t->fault_error = error;
    t->fault_addr = addr;
    ipc_fault_call(t, ep, t->task->fault_badge);
}

/* Killing at once could end any task, the one whose IPC operation is still
 * under way included; so t waits, off every queue, for the entry's end. */
static void doom(thread_t *t)
{
    t->faulting = 0;
    t->state = THREAD_DOOMED;
    k_list_push_tail(&k_cpu()->doomed, &t->qlink);
}

void exception_resolve(thread_t *t, const uint64_t *w)
{
    if (w[0] != MS_FAULT_RESUME) {
        doom(t);
        return;
    }
    t->faulting = 0;
    if (w[1])
        t->regs.rip = w[1];
    sched_enqueue(t);
}

void exception_unhandled(thread_t *t)
{
    doom(t);
}

void exception_settle(void)
{
    k_link_t *l;
    while ((l = k_list_pop_head(&k_cpu()->doomed))) {
        thread_t *t = K_CONTAINER_OF(l, thread_t, qlink);
        t->state = THREAD_READY; /* off every queue, as a woken thread is, for the kill */
        kill_for_exception(t);
    }
}
