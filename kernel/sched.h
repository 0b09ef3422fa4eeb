/* The scheduler: 256 fixed priorities, round robin within one, O(1) pick. */
#ifndef K_SCHED_H
#define K_SCHED_H

#include <stdint.h>

#include "object/thread.h"

#define SCHED_LEVELS 256

void sched_init(void);

/* Makes t (not running, not queued) ready at the tail of its level. */
void sched_enqueue(thread_t *t);

/* As sched_enqueue, at the head: a thread preempted before its turn ended. */
void sched_enqueue_head(thread_t *t);

/* Takes a READY thread out of its queue (it blocks, dies or runs). */
void sched_dequeue(thread_t *t);

/* The highest-priority ready thread, oldest first in its level; NULL if none.
 * It stays queued. */
thread_t *sched_peek(void);

/* Highest priority with a ready thread, or -1. */
int sched_top_prio(void);

/* Decides who runs after a kernel entry: keeps the current thread if it is
 * still running and no ready thread has a higher priority; otherwise puts it
 * back (at the head of its level) and takes the best ready thread. Returns the
 * thread to run, now THREAD_RUNNING and current, or NULL if none is ready. */
thread_t *sched_choose(void);

/* Moves the running thread to the tail of its level (yield). */
void sched_yield_current(void);

/* For the invariant checker and tests: is level prio marked non-empty? */
int sched_level_marked(unsigned prio);
unsigned sched_queue_length(unsigned prio);
/* The run queue of level prio (READY threads linked by qlink). */
const k_list_t *sched_queue(unsigned prio);

#endif
