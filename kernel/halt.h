/* When the run ends: the kernel stops the machine once every non-daemon task has ended. */
#ifndef K_HALT_H
#define K_HALT_H

#include "trace.h"

struct task;

void halt_init(void);
void halt_task_started(const struct task *task);
/* A task ended; a non-zero exit status marks the run failed. */
void halt_task_ended(const struct task *task);

/* True once non-daemon tasks were started and none of them is left. */
int halt_run_over(void);
/* The machine's exit status so far: 0, or 1 if a task exited with a failure. */
int halt_status(void);
/* Live tasks that are not daemons. */
unsigned halt_waiting_tasks(void);

/* Records kernel.halt, drains the trace and stops the machine. */
__attribute__((noreturn)) void k_halt(int status, k_reason_t reason);

#endif
