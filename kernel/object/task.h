/* Tasks: a protection domain owning an address space, a handle table and threads. */
#ifndef K_TASK_H
#define K_TASK_H

#include <stdint.h>

#include "aspace.h"
#include "config.h"
#include "handle.h"
#include "kobject.h"
#include "list.h"

typedef enum task_state {
    TASK_ALIVE,
    TASK_EXITED, /* its last thread exited; status is valid */
    TASK_KILLED,
} task_state_t;

typedef struct task {
    kobject_t obj; /* obj.id is the task id */
    char name[K_NAME_LEN];
    task_state_t state;
    int64_t status;
    uint8_t daemon;   /* the run may end while it still waits */
    uint8_t max_prio; /* highest priority its threads may have */
    aspace_t aspace;
    handle_table_t handles;
    k_list_t threads; /* live threads */
    unsigned nthreads;
    uint8_t started;  /* it has had a thread (task_create makes tasks without one) */
    uint8_t from_boot; /* the boot manifest made it: its exit status is the run's */
    struct endpoint *fault_ep; /* where its threads' faults go (a reference), or NULL */
    struct notification *watch; /* signalled with watch_bits when it ends (a reference), or NULL */
    uint64_t watch_bits;
    uint64_t fault_badge;
} task_t;

/* Allocates a live task with an empty handle table; NULL if the pool is empty. */
task_t *task_create(const char *name, uintptr_t mem_base, uintptr_t mem_size, uint8_t max_prio, int daemon);

/* Records that the task ended (exit status or kill), kills its remaining
 * threads and closes its handles. Safe to call on a task that already ended. */
void task_end(task_t *task, task_state_t how, int64_t status);

void task_destroy(task_t *task);

/* Sets (or with ep NULL clears) the task's fault handler endpoint, taking a
 * reference to it and dropping the one to the old. */
void task_set_fault_handler(task_t *task, struct endpoint *ep, uint64_t badge);

/* Sets (or with n NULL clears) the notification signalled with bits when the
 * task ends, taking a reference to it and dropping the one to the old. */
void task_set_watch(task_t *task, struct notification *n, uint64_t bits);

/* Empties the pool (at boot). */
void task_pool_reset(void);

task_t *task_pool_at(unsigned i);
unsigned task_pool_size(void);

#endif
