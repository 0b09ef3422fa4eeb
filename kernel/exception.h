/* CPU exceptions raised by user threads: to the task's fault handler, or death. */
#ifndef K_EXCEPTION_H
#define K_EXCEPTION_H

#include <stdint.h>

#include "object/thread.h"

/* "#DE", "#PF", ... for vectors 0-31; "#?" otherwise. */
const char *exception_name(unsigned vector);

/* Thread t (the current thread; its full user state is in its frame) raised
 * vector. Traces the exception, then makes t call its task's fault handler
 * with the fault message (ms_abi.h), or kills the task if it has none. */
void exception_deliver(thread_t *t, unsigned vector, uint64_t error, uint64_t addr);

/* The fault handler answered faulting thread t with words w: resume it (at
 * w[1] if not 0) or doom it: its task dies when the kernel entry ends. */
void exception_resolve(thread_t *t, const uint64_t *w);

/* Faulting thread t lost its fault handler (MS_E_DEAD and the like): doomed,
 * its task dies when the kernel entry ends, as if it had no handler. */
void exception_unhandled(thread_t *t);

/* The end of a kernel entry: kills the tasks of the doomed threads. */
void exception_settle(void);

#endif
