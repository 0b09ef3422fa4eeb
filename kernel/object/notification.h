/* Notifications: asynchronous signal words, seL4-style; bits are ORed in and a waiter takes them all. */
#ifndef K_NOTIFICATION_H
#define K_NOTIFICATION_H

#include <stdint.h>

#include "config.h"
#include "kobject.h"
#include "list.h"

struct thread;

typedef struct notification {
    kobject_t obj;     /* obj.id is the id traces show */
    uint64_t word;     /* bits signalled and not yet taken */
    k_list_t waiters;  /* threads in BLOCKED_NOTIFY, oldest first */
} notification_t;

/* NULL if the pool is empty. */
notification_t *notification_create(void);

/* Called when the last reference goes: every waiter fails with MS_E_DEAD. */
void notification_destroy(notification_t *n);

/* ORs bits in; the oldest waiter, if any, wakes with the whole word (in rdi)
 * and the word is cleared. Traces notify from src (NULL: the kernel, for an
 * interrupt). Never blocks. */
void notification_signal(notification_t *n, uint64_t bits, const struct thread *src);

/* Takes the word for t (in rdi) if it is not zero. Otherwise blocks t if
 * blocking, or gives it 0. Returns MS_OK. */
int notification_wait(struct thread *t, notification_t *n, int blocking);

/* t is dying or failing: takes it off n's waiters. */
void notification_cancel(struct thread *t);

void notification_pool_reset(void);
notification_t *notification_pool_at(unsigned i);
unsigned notification_pool_size(void);

#endif
