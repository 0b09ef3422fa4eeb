/* Per-CPU kernel state, reached only through k_cpu(). */
#ifndef K_CPU_H
#define K_CPU_H

#include <stdint.h>

#include "list.h"

struct thread;

typedef struct k_cpu {
    struct thread *current;  /* the thread on this CPU, or NULL when idle */
    struct thread *previous; /* who ran before this entry (for switch events) */
    struct thread *reap;     /* the current thread died: unref it when the entry ends */
    const void *io_task;     /* the task whose I/O grants the CPU has loaded */
    uint32_t io_version;     /* ... and their version */
    uint32_t io_loaded;      /* how many ranges the CPU has loaded */
    uint64_t root;           /* the address space loaded (CR3), 0: the kernel's alone */
    uint64_t entries;        /* kernel entries so far */
    k_list_t doomed;         /* THREAD_DOOMED threads, killed when the entry ends */
} k_cpu_t;

extern k_cpu_t k_cpu0;

/* The state of the CPU executing the kernel. One CPU for now; with several,
 * this indexes by arch_cpu_id() and the kernel takes a big lock (as seL4 did). */
static inline k_cpu_t *k_cpu(void)
{
    return &k_cpu0;
}

void k_cpu_init(void);

#endif
