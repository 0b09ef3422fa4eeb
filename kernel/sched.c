/* The scheduler: run queues per priority and a two-level bitmap of non-empty levels. */
#include "sched.h"

#include "cpu.h"
#include "panic.h"
#include "trace.h"

/* bitmap[w] bit b: level w*64+b has ready threads; summary bit w: bitmap[w] != 0. */
static struct {
    k_list_t queue[SCHED_LEVELS];
    uint64_t bitmap[SCHED_LEVELS / 64];
    uint32_t summary;
} rq;

void sched_init(void)
{
    for (unsigned i = 0; i < SCHED_LEVELS; i++)
        k_list_init(&rq.queue[i]);
    for (unsigned w = 0; w < SCHED_LEVELS / 64; w++)
        rq.bitmap[w] = 0;
    rq.summary = 0;
}

static void mark(unsigned prio)
{
    rq.bitmap[prio / 64] |= 1ull << (prio % 64);
    rq.summary |= 1u << (prio / 64);
}

static void unmark_if_empty(unsigned prio)
{
    if (!k_list_empty(&rq.queue[prio]))
        return;
    rq.bitmap[prio / 64] &= ~(1ull << (prio % 64));
    if (rq.bitmap[prio / 64] == 0)
        rq.summary &= ~(1u << (prio / 64));
}

void sched_enqueue(thread_t *t)
{
    t->state = THREAD_READY;
    k_list_push_tail(&rq.queue[t->prio], &t->qlink);
    mark(t->prio);
}

void sched_enqueue_head(thread_t *t)
{
    t->state = THREAD_READY;
    k_list_push_head(&rq.queue[t->prio], &t->qlink);
    mark(t->prio);
}

void sched_dequeue(thread_t *t)
{
    k_link_remove(&t->qlink);
    unmark_if_empty(t->prio);
}

int sched_top_prio(void)
{
    if (rq.summary == 0)
        return -1;
    unsigned w = 31u - (unsigned)__builtin_clz(rq.summary);
    return (int)(w * 64 + 63u - (unsigned)__builtin_clzll(rq.bitmap[w]));
}

thread_t *sched_peek(void)
{
    int prio = sched_top_prio();
    if (prio < 0)
        return NULL;
    return K_CONTAINER_OF(k_list_first(&rq.queue[prio]), thread_t, qlink);
}

thread_t *sched_choose(void)
{
    k_cpu_t *cpu = k_cpu();
    thread_t *cur = cpu->current;
    int top = sched_top_prio();
    if (cur && cur->state == THREAD_RUNNING) {
        if (top <= (int)cur->prio)
            return cur;
        sched_enqueue_head(cur);
    }
    thread_t *next = sched_peek();
    if (next) {
        sched_dequeue(next);
        next->state = THREAD_RUNNING;
    }
    cpu->current = next;
    return next;
}

void sched_yield_current(void)
{
    thread_t *cur = k_cpu()->current;
    if (cur && cur->state == THREAD_RUNNING)
        sched_enqueue(cur);
}

int sched_level_marked(unsigned prio)
{
    return (rq.bitmap[prio / 64] >> (prio % 64)) & 1u;
}

const k_list_t *sched_queue(unsigned prio)
{
    return &rq.queue[prio];
}

unsigned sched_queue_length(unsigned prio)
{
    unsigned n = 0;
    K_LIST_FOREACH(l, &rq.queue[prio])
        n++;
    return n;
}
