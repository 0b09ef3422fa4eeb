/* The trace ring: the kernel records events; the platform drains them. */
#include "trace.h"

#include "arch/arch.h"
#include "cpu.h"
#include "object/task.h"
#include "object/thread.h"
#include "rt.h"

static k_trace_ring_t ring;
static uint32_t next_seq;
uint32_t k_trace_mask;

void trace_init(uint32_t mask_kinds)
{
    ring.head = ring.tail = ring.lost = 0;
    k_trace_mask = mask_kinds;
    next_seq = 0;
}

k_trace_ring_t *trace_ring(void)
{
    return &ring;
}

static void set_party(char *name, uint32_t *tid, const thread_t *t)
{
    if (!t) {
        name[0] = '\0';
        *tid = 0;
        return;
    }
    /* Task names are NUL-padded to K_NAME_LEN: copy the whole array at once. */
    __builtin_memcpy(name, thread_name(t), K_NAME_LEN);
    *tid = thread_tid(t);
}

k_trace_event_t *trace_record(k_event_kind_t kind, const thread_t *actor, const thread_t *peer)
{
    if (ring.head - ring.tail >= K_TRACE_RING_EVENTS) {
        ring.tail++;
        ring.lost++;
    }
    k_trace_event_t *ev = &ring.ev[ring.head++ & (K_TRACE_RING_EVENTS - 1)];
    ev->time_ns = arch_time_ns();
    ev->kind = (uint16_t)kind;
    ev->cpu = (uint8_t)arch_cpu_id();
    ev->text_len = 0;
    ev->seq = next_seq++;
    set_party(ev->actor, &ev->actor_tid, actor);
    set_party(ev->peer, &ev->peer_tid, peer);
    return ev;
}

int trace_read(k_trace_ring_t *r, k_trace_event_t *out)
{
    if (r->tail == r->head)
        return 0;
    *out = r->ev[r->tail++ & (K_TRACE_RING_EVENTS - 1)];
    return 1;
}

unsigned trace_last(const k_trace_ring_t *r, k_trace_event_t *out, unsigned n)
{
    uint64_t avail = r->head < K_TRACE_RING_EVENTS ? r->head : K_TRACE_RING_EVENTS;
    if (n > avail)
        n = (unsigned)avail;
    for (unsigned i = 0; i < n; i++)
        out[i] = r->ev[(r->head - n + i) & (K_TRACE_RING_EVENTS - 1)];
    return n;
}

void trace_drain(void)
{
    if (ring.tail != ring.head)
        arch_trace_drain(&ring);
}

void trace_io_unclaimed(uint16_t port, unsigned size, int write)
{
    k_trace_event_t *ev = trace_begin(K_EV_IO_UNCLAIMED, k_cpu()->current, NULL);
    if (ev) {
        ev->a[0] = port;
        ev->a[1] = size;
        ev->a[2] = write != 0;
    }
}
