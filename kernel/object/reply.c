/* Reply objects: a caller's pending reply, saved by its server to answer later. */
#include "object/reply.h"

#include "ipc.h"
#include "rt.h"

static reply_t pool[K_MAX_REPLIES];
static uint32_t next_id = 1;

void reply_pool_reset(void)
{
    rt_memset(pool, 0, sizeof pool);
    next_id = 1;
}

reply_t *reply_create(void)
{
    for (unsigned i = 0; i < K_MAX_REPLIES; i++) {
        if (pool[i].obj.type != KOBJ_NONE)
            continue;
        kobject_init(&pool[i].obj, KOBJ_REPLY, next_id++);
        pool[i].caller = NULL;
        pool[i].grant = 0;
        return &pool[i];
    }
    return NULL;
}

void reply_destroy(reply_t *r)
{
    if (r->caller)
        ipc_reply_dropped(r);
    r->obj.type = KOBJ_NONE;
}

reply_t *reply_pool_at(unsigned i)
{
    return i < K_MAX_REPLIES && pool[i].obj.type == KOBJ_REPLY ? &pool[i] : NULL;
}
