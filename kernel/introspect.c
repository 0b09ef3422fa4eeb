/* Thread snapshots for debuggers. */
#include "introspect.h"

#include "object/reply.h"

#include "cpu.h"
#include "object/endpoint.h"
#include "object/notification.h"
#include "object/reply.h"
#include "object/task.h"
#include "object/thread.h"
#include "rt.h"

static void describe(const thread_t *t, k_thread_info_t *out)
{
    *out = (k_thread_info_t){.tid = t->obj.id,
                             .task = t->task->name,
                             .state = thread_state_name(t->state),
                             .prio = t->prio,
                             .current = t == k_cpu()->current,
                             .regs = &t->regs};
    if ((t->state == THREAD_BLOCKED_SEND || t->state == THREAD_BLOCKED_RECV) && t->blocked_on)
        rt_snprintf(out->waits, sizeof out->waits, "ep %u", (unsigned)t->blocked_on->obj.id);
    else if (t->state == THREAD_BLOCKED_REPLY && t->reply_from)
        rt_snprintf(out->waits, sizeof out->waits, "tid %u", (unsigned)t->reply_from->obj.id);
    else if (t->state == THREAD_BLOCKED_REPLY && t->reply_obj)
        rt_snprintf(out->waits, sizeof out->waits, "reply %u", (unsigned)t->reply_obj->obj.id);
    else if (t->state == THREAD_BLOCKED_NOTIFY && t->blocked_ntfn)
        rt_snprintf(out->waits, sizeof out->waits, "ntfn %u", (unsigned)t->blocked_ntfn->obj.id);
}

/* Pool order is allocation order, and tids only grow: but a freed slot is
 * reused, so sort by tid for a stable listing. */
unsigned k_introspect_threads(k_thread_info_t *out, unsigned max)
{
    unsigned n = 0;
    for (unsigned i = 0; i < thread_pool_size(); i++) {
        const thread_t *t = thread_pool_at(i);
        if (!t || t->state == THREAD_DEAD)
            continue;
        if (n < max) {
            unsigned at = n;
            while (at > 0 && out[at - 1].tid > t->obj.id) {
                out[at] = out[at - 1];
                at--;
            }
            describe(t, &out[at]);
        }
        n++;
    }
    return n;
}

int k_introspect_current(k_thread_info_t *out)
{
    const thread_t *t = k_cpu()->current;
    if (!t)
        return 0;
    describe(t, out);
    return 1;
}
