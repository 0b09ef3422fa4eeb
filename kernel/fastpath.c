/*
 * The IPC fast path (one entry point: fastpath_syscall). It serves the two
 * calls of every client/server round trip when nothing unusual happens: the
 * message is registers only (no payload, no handle), the partner is already
 * waiting, and the partner is the thread the scheduler would pick anyway. It
 * then skips the generic dispatch and the run queues and switches straight to
 * the partner. Any failed check falls back to the ordinary path, which also
 * produces every error; the trace is the same either way.
 */
#include "fastpath.h"

#include "handle.h"
#include "ipc.h"
#include "list.h"
#include "ms_abi.h"
#include "object/endpoint.h"
#include "object/task.h"
#include "sched.h"
#include "stats.h"

static int enabled = 1;

void fastpath_enable(int on)
{
    enabled = on != 0;
}

int fastpath_enabled(void)
{
    return enabled;
}

/* Registers only: no handle, no map item, no payload, no reserved bit, at most 8 words. */
static int simple_message(uint64_t info)
{
    const uint64_t not_simple = MS_INFO_RESERVED | MS_INFO_HANDLE | MS_INFO_MAP | (0x1fffull << 16);
    return (info & not_simple) == 0 && ms_info_words(info) <= MS_MSG_WORDS;
}

/* Once the current thread blocks, the ordinary path runs the best ready
 * thread; next (made ready at the tail of its level) is that thread only if
 * it outranks every thread already ready. */
static int scheduler_would_pick(const thread_t *next)
{
    return (int)next->prio > sched_top_prio();
}

static endpoint_t *endpoint_for(thread_t *t, uint32_t right, handle_entry_t **e)
{
    if (handle_lookup(&t->task->handles, t->regs.rdi, KOBJ_ENDPOINT, right, e) != MS_OK)
        return NULL;
    return (endpoint_t *)(*e)->obj;
}

/* call, to a server waiting in receive. */
static thread_t *fast_call(thread_t *t)
{
    uint64_t info = t->regs.rsi;
    handle_entry_t *e;
    endpoint_t *ep;
    if (!simple_message(info) || !(ep = endpoint_for(t, MS_RIGHT_SEND, &e)) || k_list_empty(&ep->receivers))
        return NULL;
    thread_t *server = K_CONTAINER_OF(k_list_first(&ep->receivers), thread_t, qlink);
    if (!scheduler_would_pick(server))
        return NULL;
    k_link_remove(&server->qlink);
    ipc_copy_words(server, t, ms_info_words(info));
    server->regs.rsi = info;
    server->regs.rdi = e->badge;
    server->regs.rax = MS_OK;
    stats_record_wake(MS_OK);
    ipc_trace_message(K_EV_IPC_CALL, t, server, ep->obj.id, e->badge, IPC_NO_HANDLE);
    int grant = (server->ipc_flags & THREAD_IPC_GRANT) != 0;
    server->blocked_on = NULL;
    server->ipc_flags = 0;
    t->regs.rax = MS_OK;
    ipc_link_reply(t, server, grant);
    return server;
}

/* reply_recv, when no client is queued: the caller gets the reply and runs,
 * the server waits for the next request. */
static thread_t *fast_reply_recv(thread_t *t)
{
    thread_t *caller = t->reply_to;
    uint64_t info = t->regs.rsi;
    handle_entry_t *e;
    endpoint_t *ep;
    if (!caller || caller->faulting || !simple_message(info) || !(ep = endpoint_for(t, MS_RIGHT_RECV, &e)) ||
        !k_list_empty(&ep->senders) || !scheduler_would_pick(caller))
        return NULL;
    t->reply_to = NULL;
    caller->reply_from = NULL;
    ipc_copy_words(caller, t, ms_info_words(info));
    caller->regs.rsi = info;
    caller->regs.rdi = 0;
    caller->regs.rax = MS_OK;
    stats_record_wake(MS_OK);
    ipc_trace_message(K_EV_IPC_REPLY, t, caller, 0, 0, IPC_NO_HANDLE);
    t->state = THREAD_BLOCKED_RECV;
    t->blocked_on = ep;
    t->ipc_flags = (e->rights & MS_RIGHT_GRANT) ? THREAD_IPC_GRANT : 0;
    k_list_push_tail(&ep->receivers, &t->qlink);
    ipc_trace_wait(t, ep, K_WAIT_RECV);
    t->regs.rax = MS_OK;
    return caller;
}

thread_t *fastpath_syscall(thread_t *t)
{
    switch (t->regs.rax) {
    case MS_SYS_CALL:
        return fast_call(t);
    case MS_SYS_REPLY_RECV:
        return fast_reply_recv(t);
    default:
        return NULL;
    }
}
