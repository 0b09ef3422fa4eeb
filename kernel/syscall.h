/* System call dispatch: decode the caller's registers, check, act, answer. */
#ifndef K_SYSCALL_H
#define K_SYSCALL_H

#include "object/thread.h"

/* Runs the system call saved in t's registers (t is the current thread) and
 * leaves the result in them. Every bad argument becomes an error code; a
 * rejected call is traced as syscall.error. */
void syscall_dispatch(thread_t *t);

/* "send", "call", ... or "?" for a number outside the table. */
const char *syscall_name(uint64_t nr);
/* "E_INVAL", ... or "E_?" for an unknown code; "OK" for MS_OK. */
const char *syscall_error_name(uint64_t err);

#endif
