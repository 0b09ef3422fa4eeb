/* A snapshot of the kernel's threads for debuggers (the stepper's `tasks` and `regs`). */
#ifndef K_INTROSPECT_H
#define K_INTROSPECT_H

#include <stdint.h>

#include "arch/arch.h"

typedef struct k_thread_info {
    uint32_t tid;
    const char *task;          /* the task's name */
    const char *state;         /* "running", "blocked-recv", ... (thread_state_name) */
    uint8_t prio;
    int current;               /* it is the CPU's current thread */
    char waits[24];            /* "ep 3", "tid 5" (owes it a reply), "ntfn 1", or "" */
    const arch_regs_t *regs;   /* its saved user frame */
} k_thread_info_t;

/* Fills out with up to max live threads in tid order and returns how many
 * there are in all. Only while the kernel is between entries or stopped in a
 * sink callback: the snapshot points into kernel objects. */
unsigned k_introspect_threads(k_thread_info_t *out, unsigned max);

/* The CPU's current thread as k_introspect_threads describes it; 0 if idle. */
int k_introspect_current(k_thread_info_t *out);

#endif
