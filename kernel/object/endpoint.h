/* Endpoints: rendezvous points for synchronous IPC, with FIFO queues. */
#ifndef K_ENDPOINT_H
#define K_ENDPOINT_H

#include "config.h"
#include "kobject.h"
#include "list.h"

typedef struct endpoint {
    kobject_t obj;    /* obj.id is the endpoint id shown in traces */
    k_list_t senders; /* threads in BLOCKED_SEND, oldest first */
    k_list_t receivers; /* threads in BLOCKED_RECV, oldest first */
} endpoint_t;

/* NULL if the pool is empty. */
endpoint_t *endpoint_create(void);

/* Called when the last handle goes: every queued thread fails with MS_E_DEAD. */
void endpoint_destroy(endpoint_t *ep);

/* Empties the pool (at boot). */
void endpoint_pool_reset(void);

endpoint_t *endpoint_pool_at(unsigned i);
unsigned endpoint_pool_size(void);

#endif
