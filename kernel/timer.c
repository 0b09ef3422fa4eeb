/* Kernel time: slices and preemption, driven by IRQ 0. */
#include "timer.h"

#include "alarm.h"
#include "arch/arch.h"
#include "cpu.h"
#include "dev/pic.h"
#include "dev/pit.h"
#include "sched.h"
#include "trace.h"

void timer_init(void)
{
    pit_init(K_TICK_HZ);
    pic_unmask(PIT_IRQ);
}

/* A thread that was preempted by a higher priority keeps what it used of
 * its slice; one that blocked, yielded or died starts afresh next time. */
void timer_switch(thread_t *prev, thread_t *next)
{
    uint64_t now = arch_time_ns();
    if (prev && prev->state == THREAD_READY)
        prev->slice_used += now - prev->run_start;
    else if (prev)
        prev->slice_used = 0;
    if (next)
        next->run_start = now;
}

void timer_tick(void)
{
    alarm_fire(arch_time_ns());
    thread_t *t = k_cpu()->current;
    if (!t || t->state != THREAD_RUNNING)
        return;
    uint64_t now = arch_time_ns();
    if (t->slice_used + (now - t->run_start) < t->slice_ns)
        return;
    t->slice_used = 0;
    t->run_start = now;
    if (sched_top_prio() < (int)t->prio)
        return; /* nobody else of its priority is ready: a fresh slice */
    k_trace_event_t *ev = trace_begin(K_EV_PREEMPT, t, NULL);
    if (ev) {
        ev->a[0] = K_PREEMPT_SLICE;
        ev->a[1] = PIT_IRQ;
    }
    sched_enqueue(t);
}
