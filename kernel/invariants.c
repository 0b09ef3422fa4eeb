/*
 * The kernel invariant checker. Each check walks the object pools once and
 * panics with "invariant NAME: OBJECT DETAIL" at the first violation, so a
 * broken state is caught at the end of the entry that broke it, with that
 * entry's events still in the trace. List walks are bounded, so a corrupt
 * list is reported rather than followed forever.
 */
#include "invariants.h"

#include "cpu.h"
#include "dev/pic.h"
#include "list.h"
#include "object/endpoint.h"
#include "object/frames.h"
#include "object/reply.h"
#include "alarm.h"
#include "mapdb.h"
#include "paging.h"
#include "object/ioport.h"
#include "object/irq.h"
#include "object/notification.h"
#include "object/task.h"
#include "object/thread.h"
#include "panic.h"
#include "sched.h"

static int enabled;
static uint64_t checks;

void invariants_enable(int on)
{
    enabled = on != 0;
    checks = 0;
}

int invariants_enabled(void)
{
    return enabled;
}

uint64_t invariants_checks(void)
{
    return checks;
}

#define FAIL(name, fmt, ...) k_panic("invariant " name ": " fmt, __VA_ARGS__)

static const char *tname(const thread_t *t)
{
    return t->task ? t->task->name : "?";
}

/* The next element of a list walk, after counting the step: a list longer
 * than any pool can be is corrupt (or loops). */
static k_link_t *bounded_next(k_link_t *pos, unsigned *steps, const char *what)
{
    if (++*steps > K_MAX_THREADS)
        FAIL("list-bounded", "%s has more than %u elements or loops", what, K_MAX_THREADS);
    return pos->next;
}

#define WALK(pos, list, what)                                                                                         \
    for (unsigned steps_ = 0, once_ = 1; once_; once_ = 0)                                                            \
        for (k_link_t *pos = (list)->head.next; pos != &(list)->head; pos = bounded_next(pos, &steps_, what))

static int live_object(const kobject_t *obj, kobject_type_t type)
{
    return obj && obj->type == type;
}

/* ---- run queues ---- */

static unsigned check_run_queues(void)
{
    unsigned queued = 0;
    int top = -1;
    for (unsigned p = 0; p < SCHED_LEVELS; p++) {
        unsigned n = 0;
        WALK(l, sched_queue(p), "a run queue")
        {
            thread_t *t = K_CONTAINER_OF(l, thread_t, qlink);
            if (t->obj.type != KOBJ_THREAD)
                FAIL("runqueue-live", "run queue %u holds a destroyed thread", p);
            if (t->state != THREAD_READY)
                FAIL("runqueue-state", "thread %s:%u is %s but queued at priority %u", tname(t), thread_tid(t),
                     thread_state_name(t->state), p);
            if (t->prio != p)
                FAIL("runqueue-prio", "thread %s:%u of priority %u is queued at priority %u", tname(t), thread_tid(t),
                     t->prio, p);
            n++;
        }
        if (sched_level_marked(p) != (n > 0))
            FAIL("runqueue-bitmap", "priority %u has %u ready threads but its bitmap bit is %d", p, n,
                 sched_level_marked(p));
        if (n)
            top = (int)p;
        queued += n;
    }
    if (sched_top_prio() != top)
        FAIL("runqueue-top", "the bitmap's top priority is %d, the queues' %d", sched_top_prio(), top);
    return queued;
}

/* ---- endpoint queues ---- */

static unsigned check_queue(endpoint_t *ep, k_list_t *q, thread_state_t state, const char *which)
{
    unsigned n = 0;
    WALK(l, q, "an endpoint queue")
    {
        thread_t *t = K_CONTAINER_OF(l, thread_t, qlink);
        if (t->obj.type != KOBJ_THREAD || t->state != state || t->blocked_on != ep)
            FAIL("endpoint-queue", "endpoint %u's %s queue holds thread %s:%u, %s, blocked on %p", ep->obj.id, which,
                 tname(t), thread_tid(t), thread_state_name(t->state), (void *)t->blocked_on);
        n++;
    }
    return n;
}

/* Every notification's waiters wait on it. */
static unsigned check_notifications(void)
{
    unsigned waiting = 0;
    for (unsigned i = 0; i < notification_pool_size(); i++) {
        notification_t *n = notification_pool_at(i);
        if (!n)
            continue;
        WALK(l, &n->waiters, "a notification's waiters")
        {
            thread_t *t = K_CONTAINER_OF(l, thread_t, qlink);
            if (t->obj.type != KOBJ_THREAD || t->state != THREAD_BLOCKED_NOTIFY || t->blocked_ntfn != n)
                FAIL("notification-queue", "notification %u's waiters hold thread %s:%u, %s", n->obj.id, tname(t),
                     thread_tid(t), thread_state_name(t->state));
            waiting++;
        }
    }
    return waiting;
}

static void check_endpoints(unsigned *senders, unsigned *receivers)
{
    *senders = *receivers = 0;
    for (unsigned i = 0; i < endpoint_pool_size(); i++) {
        endpoint_t *ep = endpoint_pool_at(i);
        if (!ep)
            continue;
        *senders += check_queue(ep, &ep->senders, THREAD_BLOCKED_SEND, "send");
        *receivers += check_queue(ep, &ep->receivers, THREAD_BLOCKED_RECV, "receive");
    }
}

/* ---- threads ---- */

static void check_reply_links(thread_t *t)
{
    thread_t *caller = t->reply_to, *server = t->reply_from;
    if (caller && (caller->obj.type != KOBJ_THREAD || caller->state != THREAD_BLOCKED_REPLY ||
                   caller->reply_from != t))
        FAIL("reply-link", "thread %s:%u owes a reply to a thread that is not waiting for it", tname(t),
             thread_tid(t));
    const reply_t *saved = t->reply_obj;
    if (server && saved)
        FAIL("reply-link", "thread %s:%u waits for a server and for a saved reply", tname(t), thread_tid(t));
    if ((t->state == THREAD_BLOCKED_REPLY) != (server != NULL || saved != NULL))
        FAIL("reply-link", "thread %s:%u is %s with%s a server to answer it", tname(t), thread_tid(t),
             thread_state_name(t->state), server || saved ? "" : "out");
    if (saved && (saved->obj.type != KOBJ_REPLY || saved->caller != t))
        FAIL("reply-link", "thread %s:%u waits on a reply object that does not name it", tname(t), thread_tid(t));
    if (server && (server->obj.type != KOBJ_THREAD || server->reply_to != t))
        FAIL("reply-link", "thread %s:%u waits for a server that does not owe it a reply", tname(t), thread_tid(t));
}

/* One thread on its own; returns its state for the counts. */
static thread_state_t check_thread(thread_t *t)
{
    if (!live_object(&t->task->obj, KOBJ_TASK))
        FAIL("thread-task", "thread %u belongs to no live task", thread_tid(t));
    if ((unsigned)t->state >= THREAD_STATE_COUNT)
        FAIL("thread-state", "thread %s:%u has state %d", tname(t), thread_tid(t), (int)t->state);
    if (t->prio > t->task->max_prio)
        FAIL("thread-prio", "thread %s:%u has priority %u above its task's %u", tname(t), thread_tid(t), t->prio,
             t->task->max_prio);
    if (t->state == THREAD_DOOMED)
        FAIL("thread-doomed", "thread %s:%u outlived the entry that doomed it", tname(t), thread_tid(t));
    int queued = t->state == THREAD_READY || t->state == THREAD_BLOCKED_SEND || t->state == THREAD_BLOCKED_RECV ||
                 t->state == THREAD_BLOCKED_NOTIFY;
    if (k_link_linked(&t->qlink) != queued)
        FAIL("thread-queue", "thread %s:%u is %s but %s in a queue", tname(t), thread_tid(t),
             thread_state_name(t->state), queued ? "not" : "still");
    int blocked = t->state == THREAD_BLOCKED_SEND || t->state == THREAD_BLOCKED_RECV;
    if (blocked != (t->blocked_on != NULL) || (blocked && t->blocked_on->obj.type != KOBJ_ENDPOINT))
        FAIL("thread-blocked-on", "thread %s:%u is %s and blocked on %p", tname(t), thread_tid(t),
             thread_state_name(t->state), (void *)t->blocked_on);
    int notify = t->state == THREAD_BLOCKED_NOTIFY;
    if (notify != (t->blocked_ntfn != NULL) || (notify && t->blocked_ntfn->obj.type != KOBJ_NOTIFICATION))
        FAIL("thread-blocked-on", "thread %s:%u is %s and waits on notification %p", tname(t), thread_tid(t),
             thread_state_name(t->state), (void *)t->blocked_ntfn);
    if (t->state == THREAD_RUNNING && t != k_cpu()->current)
        FAIL("thread-running", "thread %s:%u is running but not the current thread", tname(t), thread_tid(t));
    if (t->faulting && t->state != THREAD_BLOCKED_SEND && t->state != THREAD_BLOCKED_REPLY)
        FAIL("thread-fault", "thread %s:%u waits for its fault handler but is %s", tname(t), thread_tid(t),
             thread_state_name(t->state));
    if (t->state == THREAD_DEAD && (t->reply_to || t->reply_from || t->reply_obj || k_link_linked(&t->task_link)))
        FAIL("thread-dead", "dead thread %s:%u still has IPC or task links", tname(t), thread_tid(t));
    check_reply_links(t);
    return t->state;
}

static void check_threads(unsigned queued, unsigned senders, unsigned receivers, unsigned notified)
{
    unsigned count[THREAD_STATE_COUNT] = {0};
    for (unsigned i = 0; i < thread_pool_size(); i++) {
        thread_t *t = thread_pool_at(i);
        if (t)
            count[check_thread(t)]++;
    }
    if (count[THREAD_READY] != queued)
        FAIL("runqueue-count", "%u threads are ready but %u are queued", count[THREAD_READY], queued);
    if (count[THREAD_BLOCKED_SEND] != senders || count[THREAD_BLOCKED_RECV] != receivers)
        FAIL("endpoint-count", "%u/%u threads wait to send/receive but endpoint queues hold %u/%u",
             count[THREAD_BLOCKED_SEND], count[THREAD_BLOCKED_RECV], senders, receivers);
    if (count[THREAD_BLOCKED_NOTIFY] != notified)
        FAIL("notification-count", "%u threads wait on notifications but their queues hold %u",
             count[THREAD_BLOCKED_NOTIFY], notified);
    thread_t *cur = k_cpu()->current;
    if (cur && cur->obj.type != KOBJ_THREAD)
        FAIL("cpu-current", "the current thread %u was destroyed", cur->obj.id);
    if (count[THREAD_RUNNING] > 1)
        FAIL("cpu-current", "%u threads are running on one CPU", count[THREAD_RUNNING]);
    const k_cpu_t *cpu = k_cpu();
    if (cur && cpu->io_task == cur->task) {
        uint32_t nio = cur->task->handles.nio, want = nio < ARCH_IO_RANGES_MAX ? nio : ARCH_IO_RANGES_MAX;
        if (cpu->io_loaded != want)
            FAIL("cpu-io", "the CPU has %u I/O ranges loaded for %s, which holds %u I/O port handles",
                 cpu->io_loaded, tname(cur), nio);
    }
}

/* ---- tasks and handles ---- */

static void check_handles(task_t *task)
{
    unsigned used = 0;
    for (unsigned h = 0; h < MS_HANDLES_PER_TASK; h++) {
        handle_entry_t *e = &task->handles.slot[h];
        if (!e->obj)
            continue;
        used++;
        if (e->obj->type == KOBJ_NONE || e->obj->type > KOBJ_REPLY)
            FAIL("handle-live", "handle %u of task %s names a destroyed object", h, task->name);
        if (e->rights & ~MS_RIGHTS_ALL)
            FAIL("handle-rights", "handle %u of task %s has rights 0x%x", h, task->name, e->rights);
        e->obj->counted++;
    }
    if (used != task->handles.used)
        FAIL("handle-count", "task %s has %u handles but counts %u", task->name, used, task->handles.used);
}

static void check_task(task_t *task)
{
    unsigned n = 0;
    WALK(l, &task->threads, "a task's thread list")
    {
        thread_t *t = K_CONTAINER_OF(l, thread_t, task_link);
        if (t->obj.type != KOBJ_THREAD || t->task != task || t->state == THREAD_DEAD)
            FAIL("task-threads", "task %s lists a thread that is not its live thread", task->name);
        n++;
    }
    if (n != task->nthreads)
        FAIL("task-threads", "task %s lists %u threads but counts %u", task->name, n, task->nthreads);
    int alive = task->state == TASK_ALIVE;
    if ((alive && task->started) != (n > 0))
        FAIL("task-alive", "task %s is %s with %u live threads", task->name, alive ? "alive" : "ended", n);
    if (!alive && task->handles.used)
        FAIL("task-ended", "ended task %s still holds %u handles", task->name, task->handles.used);
    if (!alive && (task->watch || task->fault_ep || task->aspace.root))
        FAIL("task-ended", "ended task %s still holds a watch, a fault handler or page tables", task->name);
    check_handles(task);
}

/* A line bound to a notification is unmasked, except while its driver
 * handles an interrupt (until irq_ack), when it is masked. */
static void check_irqs(void)
{
    for (unsigned i = 0; i < IRQ_LINES; i++) {
        irq_line_t *irq = irq_pool_at(i);
        if (!irq || !irq->ntfn)
            continue;
        if (pic_masked(i) != irq->awaiting_ack)
            FAIL("irq-mask", "IRQ %u is bound and %s but %s", i, irq->awaiting_ack ? "unacknowledged" : "acknowledged",
                 pic_masked(i) ? "masked" : "unmasked");
    }
}

/* ---- reference counts ---- */

static void reset_counts(void)
{
    for (unsigned i = 0; i < thread_pool_size(); i++)
        if (thread_pool_at(i))
            thread_pool_at(i)->obj.counted = 0;
    for (unsigned i = 0; i < task_pool_size(); i++)
        if (task_pool_at(i))
            task_pool_at(i)->obj.counted = 0;
    for (unsigned i = 0; i < endpoint_pool_size(); i++)
        if (endpoint_pool_at(i))
            endpoint_pool_at(i)->obj.counted = 0;
    for (unsigned i = 0; i < notification_pool_size(); i++)
        if (notification_pool_at(i))
            notification_pool_at(i)->obj.counted = 0;
    for (unsigned i = 0; i < IRQ_LINES; i++)
        if (irq_pool_at(i))
            irq_pool_at(i)->obj.counted = 0;
    for (unsigned i = 0; i < K_MAX_IOPORTS; i++)
        if (ioport_pool_at(i))
            ioport_pool_at(i)->obj.counted = 0;
    for (unsigned i = 0; i < K_MAX_FRAMES_OBJECTS; i++)
        if (frames_pool_at(i))
            frames_pool_at(i)->obj.counted = frames_pool_at(i)->seen = 0;
    for (unsigned i = 0; i < K_MAX_REPLIES; i++)
        if (reply_pool_at(i))
            reply_pool_at(i)->obj.counted = 0;
}

/* Besides handles: a live thread or task holds itself, and every thread
 * object (live or dead but not destroyed) holds its task. */
static void count_liveness(void)
{
    for (unsigned i = 0; i < thread_pool_size(); i++) {
        thread_t *t = thread_pool_at(i);
        if (!t)
            continue;
        t->task->obj.counted++;
        if (t->state != THREAD_DEAD || t == k_cpu()->reap)
            t->obj.counted++;
    }
    for (unsigned i = 0; i < task_pool_size(); i++) {
        task_t *task = task_pool_at(i);
        if (task && task->state == TASK_ALIVE)
            task->obj.counted++;
        if (task && task->fault_ep)
            task->fault_ep->obj.counted++;
        if (task && task->watch)
            task->watch->obj.counted++;
    }
    for (unsigned i = 0; i < IRQ_LINES; i++) /* a binding holds its notification */
        if (irq_pool_at(i) && irq_pool_at(i)->ntfn)
            irq_pool_at(i)->ntfn->obj.counted++;
    for (unsigned i = 0; i < K_MAX_ALARMS; i++) /* so does a pending alarm */
        if (alarm_notification_at(i))
            alarm_notification_at(i)->obj.counted++;
    for (unsigned i = 0; i < K_MAX_FRAMES_OBJECTS; i++) { /* mapped pages hold theirs, the kernel its image */
        frames_t *f = frames_pool_at(i);
        if (f)
            f->obj.counted += (f->mapped > 0) + (f->adopted != 0);
    }
}

static void compare_count(const kobject_t *obj, const char *what)
{
    if (obj->counted != obj->refs)
        FAIL("refcount", "%s %u has %u references but counts %u", what, obj->id, obj->counted, obj->refs);
    if (obj->refs == 0)
        FAIL("refcount", "%s %u is alive with no reference", what, obj->id);
}

static void check_refcounts(void)
{
    count_liveness();
    for (unsigned i = 0; i < thread_pool_size(); i++)
        if (thread_pool_at(i))
            compare_count(&thread_pool_at(i)->obj, "thread");
    for (unsigned i = 0; i < task_pool_size(); i++)
        if (task_pool_at(i))
            compare_count(&task_pool_at(i)->obj, "task");
    for (unsigned i = 0; i < endpoint_pool_size(); i++)
        if (endpoint_pool_at(i))
            compare_count(&endpoint_pool_at(i)->obj, "endpoint");
    for (unsigned i = 0; i < notification_pool_size(); i++)
        if (notification_pool_at(i))
            compare_count(&notification_pool_at(i)->obj, "notification");
    for (unsigned i = 0; i < IRQ_LINES; i++)
        if (irq_pool_at(i))
            compare_count(&irq_pool_at(i)->obj, "irq line");
    for (unsigned i = 0; i < K_MAX_IOPORTS; i++)
        if (ioport_pool_at(i))
            compare_count(&ioport_pool_at(i)->obj, "I/O port range");
    for (unsigned i = 0; i < K_MAX_FRAMES_OBJECTS; i++)
        if (frames_pool_at(i))
            compare_count(&frames_pool_at(i)->obj, "frames");
    for (unsigned i = 0; i < K_MAX_REPLIES; i++) {
        reply_t *r = reply_pool_at(i);
        if (!r)
            continue;
        compare_count(&r->obj, "reply");
        if (r->caller && (r->caller->state != THREAD_BLOCKED_REPLY || r->caller->reply_obj != r))
            FAIL("reply-link", "reply %u names a caller that does not wait on it", r->obj.id);
    }
}

/* ---- memory ---- */

static void count_mapping(void *ctx, uintptr_t va, uint64_t pte)
{
    const task_t *task = ctx;
    if (!(pte & PTE_U) || (pte & PTE_PS))
        FAIL("page-user", "task %s maps %#lx without the user bit or as a large page", task->name,
             (unsigned long)va);
    frames_t *f = frames_owner(pte & PTE_ADDR);
    if (!f)
        FAIL("page-owner", "task %s maps %#lx to a frame no frames object holds", task->name, (unsigned long)va);
    if (((pte & PTE_W) && !(pte & PTE_MAY_W)) || (!(pte & PTE_NX) && !(pte & PTE_MAY_X)))
        FAIL("page-rights", "task %s maps %#lx with more rights than its frames gave", task->name,
             (unsigned long)va);
    f->seen++;
}

/* Every node of the mapping database names a mapped page, a derived page
 * shares its source's frame, and a node without a source has copies. */
static void check_derivations(void)
{
    if (mapdb_used() == 0)
        return;
    for (unsigned i = 0; i < K_MAX_MAPNODES; i++) {
        const mapnode_t *n = mapdb_at(i);
        if (!n)
            continue;
        uint64_t pte = paging_lookup(n->root, n->va);
        if (!(pte & PTE_P))
            FAIL("mapdb-mapped", "a mapping node names %#lx, which is not mapped", (unsigned long)n->va);
        if (n->parent && (paging_lookup(n->parent->root, n->parent->va) & PTE_ADDR) != (pte & PTE_ADDR))
            FAIL("mapdb-frame", "the page at %#lx does not share its source's frame", (unsigned long)n->va);
        if (!n->parent && !n->first_child)
            FAIL("mapdb-leaf", "the node of %#lx derives from nothing and has no copies", (unsigned long)n->va);
    }
}

/* Every mapped page belongs to a frames object, with no more rights than it
 * was mapped with, and each object counts exactly the pages mapped from it. */
static void check_memory(void)
{
    for (unsigned i = 0; i < task_pool_size(); i++) {
        task_t *task = task_pool_at(i);
        if (task && task->aspace.root)
            paging_each(task->aspace.root, count_mapping, task);
    }
    check_derivations();
    for (unsigned i = 0; i < K_MAX_FRAMES_OBJECTS; i++) {
        frames_t *f = frames_pool_at(i);
        if (f && f->seen != f->mapped)
            FAIL("frames-mapped", "frames %u counts %u mapped pages but the page tables hold %u", f->obj.id,
                 f->mapped, f->seen);
    }
}

void invariants_check(void)
{
    checks++;
    unsigned queued = check_run_queues();
    unsigned senders, receivers;
    check_endpoints(&senders, &receivers);
    check_threads(queued, senders, receivers, check_notifications());
    reset_counts();
    for (unsigned i = 0; i < task_pool_size(); i++)
        if (task_pool_at(i))
            check_task(task_pool_at(i));
    check_refcounts();
    check_memory();
    check_irqs();
}
