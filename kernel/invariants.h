/* The kernel invariant checker: the whole kernel state, verified between entries. */
#ifndef K_INVARIANTS_H
#define K_INVARIANTS_H

#include <stdint.h>

/* Turns checking after every kernel entry on or off (boot sets it). */
void invariants_enable(int on);
int invariants_enabled(void);

/* How many times the whole state has been checked since boot. */
uint64_t invariants_checks(void);

/*
 * Verifies every invariant of the kernel's state and panics, naming the
 * invariant and the object, at the first that does not hold. Call it only
 * between entries (no half-done operation): run queues and their bitmap,
 * endpoint queues and blocked threads, reply links, tasks and their threads,
 * handle tables, and every object's reference count.
 */
void invariants_check(void);

#endif
