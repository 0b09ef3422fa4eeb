/* The IPC fast path: call and reply_recv in their common form, with a direct switch. */
#ifndef K_FASTPATH_H
#define K_FASTPATH_H

#include "object/thread.h"

/* On by default; the ordinary path alone when off (tests run both ways and
 * must see the same trace). */
void fastpath_enable(int on);
int fastpath_enabled(void);

/* Tries t's system call on the fast path. If every check passes, performs it
 * with exactly the state changes and trace events of the ordinary path and
 * returns the thread to run next (not yet made current). Returns NULL, having
 * changed nothing, if the ordinary path must handle it. */
thread_t *fastpath_syscall(thread_t *t);

#endif
