/* Reply objects: a caller's pending reply, saved by its server to answer later. */
#ifndef K_REPLY_H
#define K_REPLY_H

#include <stdint.h>

#include "kobject.h"

struct thread;

#define K_MAX_REPLIES 128

/*
 * A server that cannot answer a call at once (a read with no data yet, a
 * sleep, a wait for a child) saves the reply it owes into a reply object
 * (reply_save) and goes on receiving; later it answers through the object's
 * handle (reply_with). caller is the thread waiting for the answer, or NULL
 * once it is gone. The last handle closed without an answer fails the
 * caller with MS_E_DEAD, as a server that dies does.
 */
typedef struct reply {
    kobject_t obj;
    struct thread *caller;
    uint8_t grant; /* the answer may carry a handle (the call came through a grant handle) */
} reply_t;

void reply_pool_reset(void);
reply_t *reply_create(void);
void reply_destroy(reply_t *r);
reply_t *reply_pool_at(unsigned i);

#endif
