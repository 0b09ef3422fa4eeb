/* Notifications: signal, wait, and the pool. */
#include "object/notification.h"

#include "ms_abi.h"
#include "object/thread.h"
#include "rt.h"
#include "sched.h"
#include "stats.h"
#include "trace.h"

static notification_t pool[K_MAX_NOTIFICATIONS];
static uint32_t next_id = 1;

void notification_pool_reset(void)
{
    rt_memset(pool, 0, sizeof pool);
    next_id = 1;
}

notification_t *notification_create(void)
{
    for (unsigned i = 0; i < K_MAX_NOTIFICATIONS; i++) {
        notification_t *n = &pool[i];
        if (n->obj.type != KOBJ_NONE)
            continue;
        kobject_init(&n->obj, KOBJ_NOTIFICATION, next_id++);
        n->word = 0;
        k_list_init(&n->waiters);
        return n;
    }
    return NULL;
}

static void wake(thread_t *t, int err, uint64_t word)
{
    k_link_remove(&t->qlink);
    t->blocked_ntfn = NULL;
    t->regs.rax = (uint64_t)err;
    t->regs.rdi = word;
    stats_record_wake(err);
    sched_enqueue(t);
}

void notification_destroy(notification_t *n)
{
    k_link_t *l;
    while ((l = k_list_first(&n->waiters)) != NULL)
        wake(K_CONTAINER_OF(l, thread_t, qlink), MS_E_DEAD, 0);
    n->obj.type = KOBJ_NONE;
}

void notification_signal(notification_t *n, uint64_t bits, const thread_t *src)
{
    n->word |= bits;
    k_link_t *l = k_list_first(&n->waiters);
    thread_t *woken = l ? K_CONTAINER_OF(l, thread_t, qlink) : NULL;
    k_trace_event_t *ev = trace_begin(K_EV_NOTIFY, src, woken);
    if (ev) {
        ev->a[0] = n->obj.id;
        ev->a[1] = bits;
    }
    if (woken) {
        wake(woken, MS_OK, n->word);
        n->word = 0;
    }
}

int notification_wait(thread_t *t, notification_t *n, int blocking)
{
    if (n->word || !blocking) {
        t->regs.rdi = n->word;
        n->word = 0;
        return MS_OK;
    }
    t->state = THREAD_BLOCKED_NOTIFY;
    t->blocked_ntfn = n;
    k_list_push_tail(&n->waiters, &t->qlink);
    return MS_OK;
}

void notification_cancel(thread_t *t)
{
    if (t->state != THREAD_BLOCKED_NOTIFY)
        return;
    k_link_remove(&t->qlink);
    t->blocked_ntfn = NULL;
}

notification_t *notification_pool_at(unsigned i)
{
    return i < K_MAX_NOTIFICATIONS && pool[i].obj.type == KOBJ_NOTIFICATION ? &pool[i] : NULL;
}

unsigned notification_pool_size(void)
{
    return K_MAX_NOTIFICATIONS;
}
