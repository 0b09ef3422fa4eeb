/* Kernel entries: what the arch port calls, on the kernel stack, after saving user state. */
#ifndef K_ENTRY_H
#define K_ENTRY_H

#include <stdint.h>

/* A system call from the current thread, whose registers the port has saved
 * in its frame. Runs the call, picks the next thread and returns to it. */
__attribute__((noreturn)) void k_syscall_entry(void);

/* An interrupt or exception on vector (kernel/interrupt.h), taken from user
 * mode (the port saved the interrupted thread's registers, full, in its
 * frame) or from the idle CPU. */
__attribute__((noreturn)) void k_interrupt_entry(unsigned vector, uint64_t error, uint64_t addr);

/* The common end of every kernel entry: decide who runs next (or halt the
 * machine when the run is over), trace the switch, drain the trace, resume. */
__attribute__((noreturn)) void k_exit_to_user(void);

#endif
