/* Threads: the unit the scheduler runs and IPC blocks. */
#ifndef K_THREAD_H
#define K_THREAD_H

#include <stdint.h>

#include "arch/arch.h"
#include "kobject.h"
#include "list.h"

struct task;
struct endpoint;

typedef enum thread_state {
    THREAD_RUNNING,       /* on the CPU (k_cpu()->current) */
    THREAD_READY,         /* in its priority's run queue */
    THREAD_BLOCKED_SEND,  /* in an endpoint's send queue (send or call) */
    THREAD_BLOCKED_RECV,  /* in an endpoint's receive queue */
    THREAD_BLOCKED_REPLY, /* called; waits for the server in reply_from to answer */
    THREAD_BLOCKED_NOTIFY,/* waits on the notification blocked_ntfn */
    THREAD_DOOMED,        /* lost its fault handler: dies at the end of this kernel entry */
    THREAD_DEAD,
    THREAD_STATE_COUNT
} thread_state_t;

/* Set in ipc_flags while a thread waits in a send queue. */
#define THREAD_IPC_CALL 0x1u  /* it called: it wants a reply */
#define THREAD_IPC_GRANT 0x2u /* its endpoint handle allowed a handle transfer */

typedef struct thread {
    arch_regs_t regs; /* saved user frame while not running */
    kobject_t obj;    /* obj.id is the tid */
    struct task *task;
    thread_state_t state;
    uint8_t prio;
    uint8_t ipc_flags;
    uint8_t reply_grant;        /* the pending reply may carry a handle */
    k_link_t qlink;             /* run queue or endpoint queue */
    k_link_t task_link;         /* the task's list of live threads */
    struct endpoint *blocked_on;/* BLOCKED_SEND / BLOCKED_RECV */
    struct notification *blocked_ntfn; /* BLOCKED_NOTIFY */
    uint64_t ipc_badge;         /* badge of the send handle, while BLOCKED_SEND */
    struct thread *reply_to;    /* server side: the caller waiting for our reply */
    struct thread *reply_from;  /* caller side: the server that owes us a reply */
    struct reply *reply_obj;    /* caller side: ... or the reply object it saved it in */
    uintptr_t ipc_buffer;       /* MS_IPC_BUFFER_SIZE bytes in the task's memory */
    uintptr_t map_window;       /* where a received map item's pages go (map_window) */
    uint64_t map_window_pages;  /* 0: it takes none */
    uintptr_t stack_lo, stack_hi;
    unsigned stack_id;          /* from arch_stack_register */
    uint8_t faulting;           /* it raised an exception; its fault handler has not answered */
    uint8_t fault_vector;
    uint64_t fault_error, fault_addr;
    uint64_t slice_ns;          /* its time slice */
    uint64_t slice_used;        /* of the slice, used before its current stretch */
    uint64_t run_start;         /* when its current stretch on the CPU began */
} thread_t;

/* Allocates a thread in task (which it references), ready to start at entry.
 * Returns NULL if the pool is empty. The thread is not yet scheduled. */
thread_t *thread_create(struct task *task, uintptr_t entry, uintptr_t stack_lo, uintptr_t stack_hi,
                        uintptr_t ipc_buffer, uint64_t arg, uint8_t prio);

/* Ends a thread: takes it off every queue, fails its pending IPC partners with
 * MS_E_DEAD and drops its liveness reference. Its task ends with it if it was
 * the last thread. */
void thread_kill(thread_t *t);

/* Called by kobject_unref when the last reference goes. */
void thread_destroy(thread_t *t);

static inline uint32_t thread_tid(const thread_t *t) { return t->obj.id; }
const char *thread_state_name(thread_state_t s);
const char *thread_name(const thread_t *t);

/* Empties the pool (at boot). */
void thread_pool_reset(void);

/* Iterates over every thread slot in use (for the invariant checker and dumps). */
thread_t *thread_pool_at(unsigned i);
unsigned thread_pool_size(void);

#endif
