/* bench-ipc: the call/reply loop that `microsim bench` times. */
#ifndef BENCH_H
#define BENCH_H

#include "ms_manifest.h"

enum bench_label {
    BENCH_ECHO = 1, /* 8 words, answered with the same 8 words */
    BENCH_STOP = 2,
};

#define BENCH_EP 1

/* The client writes this one-byte mark before the first batch and after each
 * batch; the simulator timestamps the marks on the host. */
#define BENCH_MARK "."

ms_entry_fn bench_server;
/* arg[0] batches of arg[1] calls; arg[2] set: the echo server runs as a
 * thread of the client's own task (one address space). */
ms_entry_fn bench_client;
#define BENCH_CLIENT_PRIO 10
#define BENCH_THREAD_STACK (16u * 1024u)

/* bench-pages (a demand-paged task and its pager): see bench.c. */
ms_entry_fn bench_pages;
#define BENCH_PAGES 64

/* bench-step: a mark, arg[0] turns of a loop with no system call, a mark:
 * on the step clock the simulator times the single-steps in between. */
ms_entry_fn bench_spin;

/* bench-irq: spins for arg[0] cycles of the time stamp counter; a jump in
 * it is an interruption of the task. Prints the cycles lost to jumps as
 * "lost N" and exits. On the host clock most are host-timer interrupts. */
ms_entry_fn bench_tsc_gaps;
#define BENCH_GAP_MIN_CYCLES 1000

#endif
