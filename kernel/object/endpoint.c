/* Endpoints: creation, destruction and the endpoint pool. */
#include "object/endpoint.h"

#include "ipc.h"
#include "object/thread.h"
#include "rt.h"

static endpoint_t pool[K_MAX_ENDPOINTS];
static uint32_t next_id = 1;

void endpoint_pool_reset(void)
{
    rt_memset(pool, 0, sizeof pool);
    next_id = 1;
}

endpoint_t *endpoint_create(void)
{
    for (unsigned i = 0; i < K_MAX_ENDPOINTS; i++) {
        endpoint_t *ep = &pool[i];
        if (ep->obj.type != KOBJ_NONE)
            continue;
        kobject_init(&ep->obj, KOBJ_ENDPOINT, next_id++);
        k_list_init(&ep->senders);
        k_list_init(&ep->receivers);
        return ep;
    }
    return NULL;
}

static void fail_all(k_list_t *queue)
{
    k_link_t *l;
    while ((l = k_list_first(queue)) != NULL)
        ipc_fail(K_CONTAINER_OF(l, thread_t, qlink), MS_E_DEAD);
}

void endpoint_destroy(endpoint_t *ep)
{
    fail_all(&ep->senders);
    fail_all(&ep->receivers);
    ep->obj.type = KOBJ_NONE;
}

endpoint_t *endpoint_pool_at(unsigned i)
{
    return i < K_MAX_ENDPOINTS && pool[i].obj.type == KOBJ_ENDPOINT ? &pool[i] : NULL;
}

unsigned endpoint_pool_size(void)
{
    return K_MAX_ENDPOINTS;
}
