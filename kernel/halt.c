/* The end of a run. */
#include "halt.h"

#include "arch/arch.h"
#include "object/task.h"

static struct {
    unsigned started; /* non-daemon tasks ever started */
    unsigned live;    /* live non-daemon tasks */
    int failed;
} run;

void halt_init(void)
{
    run.started = run.live = 0;
    run.failed = 0;
}

void halt_task_started(const task_t *task)
{
    if (!task->daemon) {
        run.started++;
        run.live++;
    }
}

void halt_task_ended(const task_t *task)
{
    if (!task->daemon)
        run.live--;
    if (task->from_boot && task->state == TASK_EXITED && task->status != 0)
        run.failed = 1; /* a task made at run time reports to whoever made it */
}

int halt_run_over(void)
{
    return run.started > 0 && run.live == 0;
}

int halt_status(void)
{
    return run.failed ? 1 : 0;
}

unsigned halt_waiting_tasks(void)
{
    return run.live;
}

void k_halt(int status, k_reason_t reason)
{
    k_trace_event_t *ev = trace_begin(K_EV_KERNEL_HALT, NULL, NULL);
    if (ev) {
        ev->a[0] = (uint64_t)status;
        ev->a[1] = reason;
    }
    trace_drain();
    arch_halt(status);
}
