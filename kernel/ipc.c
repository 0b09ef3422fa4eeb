/* Synchronous IPC: the rendezvous, the message transfer and the reply link. */
#include "ipc.h"

#include "exception.h"
#include "handle.h"
#include "ms_abi.h"
#include "object/endpoint.h"
#include "object/reply.h"
#include "object/task.h"
#include "sched.h"
#include "stats.h"
#include "trace.h"
#include "usercopy.h"


/* Checks the message in t's registers before it may leave: counts in range,
 * reserved bits clear, and a handle to transfer only with may_grant and only
 * if it names a live handle of t's task. */
static int check_message(thread_t *t, int may_grant)
{
    uint64_t info = t->regs.rsi;
    if (info & MS_INFO_RESERVED)
        return MS_E_INVAL;
    if (ms_info_words(info) > MS_MSG_WORDS || ms_info_payload(info) > MS_MSG_PAYLOAD_MAX)
        return MS_E_RANGE;
    if (ms_info_has_map(info)) {
        unsigned n = ms_info_words(info);
        int err = n < 2 ? MS_E_INVAL : aspace_check_item(&t->task->aspace, t->regs.mr[n - 2], t->regs.mr[n - 1]);
        if (err != MS_OK)
            return err;
    }
    if (!ms_info_has_handle(info))
        return MS_OK;
    if (!may_grant)
        return MS_E_RIGHTS;
    handle_entry_t *e;
    return handle_lookup(&t->task->handles, t->regs.rbx, KOBJ_NONE, 0, &e);
}

/* Gives dst a copy of the handle src names in rbx; returns its number, or
 * IPC_NO_HANDLE if the handle is gone or dst's table is full. */
static uint64_t transfer_handle(thread_t *src, thread_t *dst)
{
    handle_entry_t *e;
    ms_handle_t h;
    if (handle_lookup(&src->task->handles, src->regs.rbx, KOBJ_NONE, 0, &e) != MS_OK)
        return IPC_NO_HANDLE;
    if (handle_install(&dst->task->handles, e->obj, e->rights, e->badge, &h) != MS_OK)
        return IPC_NO_HANDLE;
    return h;
}

/* The event of a message from src to dst whose words are in regs. */
static void trace_words(k_event_kind_t kind, const thread_t *src, const thread_t *dst, uint32_t ep_id,
                        uint64_t badge, uint64_t handle, uint64_t info, const uint64_t *words)
{
    k_trace_event_t *ev = trace_begin(kind, src, dst);
    if (!ev)
        return;
    info &= ~(uint64_t)MS_INFO_HANDLE;
    if (handle != IPC_NO_HANDLE)
        info |= MS_INFO_HANDLE;
    ev->a[K_EV_ARG_EP] = ep_id;
    ev->a[K_EV_ARG_BADGE] = badge;
    ev->a[K_EV_ARG_INFO] = info;
    ev->a[K_EV_ARG_HANDLE] = handle;
    for (unsigned i = 0; i < ms_info_words(info) && i < MS_MSG_WORDS; i++)
        ev->a[K_EV_ARG_WORDS + i] = words[i];
}

static void trace_message_in(k_event_kind_t kind, const thread_t *src, const thread_t *dst, uint32_t ep_id,
                             uint64_t badge, uint64_t handle, const arch_regs_t *regs)
{
    trace_words(kind, src, dst, ep_id, badge, handle, regs->rsi, regs->mr);
}

void ipc_record_message(k_event_kind_t kind, const thread_t *src, const thread_t *dst, uint32_t ep_id,
                        uint64_t badge, uint64_t handle)
{
    trace_message_in(kind, src, dst, ep_id, badge, handle, &dst->regs);
}

/* A faulting thread's message is the kernel's fault report, not its
 * registers (they hold the interrupted state). */
static void transfer_fault(thread_t *src, thread_t *dst, uint32_t ep_id, uint64_t badge)
{
    dst->regs.mr[0] = src->fault_vector;
    dst->regs.mr[1] = src->fault_error;
    dst->regs.mr[2] = src->fault_addr;
    dst->regs.mr[3] = src->regs.rip;
    dst->regs.rsi = ms_info(MS_FAULT_LABEL, MS_FAULT_WORDS, 0, 0);
    dst->regs.rdi = badge;
    trace_words(K_EV_IPC_CALL, src, dst, ep_id, badge, IPC_NO_HANDLE,
                ms_info(MS_FAULT_LABEL, MS_FAULT_TRACED_WORDS, 0, 0), dst->regs.mr);
}

/* Delivers src's map item into dst's receive window; returns 1 if it was
 * mapped (traced as map), 0 if it was dropped. */
static int transfer_map_item(thread_t *src, thread_t *dst, unsigned words)
{
    uint64_t addr_flags = src->regs.mr[words - 2], n = src->regs.mr[words - 1];
    if (n > dst->map_window_pages ||
        aspace_map_item(&src->task->aspace, addr_flags, n, &dst->task->aspace, dst->map_window) != MS_OK)
        return 0;
    k_trace_event_t *ev = trace_begin(K_EV_MAP, src, dst);
    if (ev) {
        ev->a[0] = dst->map_window;
        ev->a[1] = n;
        ev->a[2] = ((addr_flags & MS_MAP_WRITE) ? MS_RIGHT_WRITE : 0) | ((addr_flags & MS_MAP_EXEC) ? MS_RIGHT_EXEC : 0);
        ev->a[3] = 0;
        ev->a[4] = dst->task->obj.id;
        ev->a[5] = addr_flags & ~(uint64_t)(MS_PAGE_SIZE - 1);
    }
    return 1;
}

/* Moves the message from src's registers and IPC buffer to dst's. A payload
 * that cannot be copied arrives empty; a handle that cannot be installed
 * arrives without its flag. */
static void transfer(k_event_kind_t kind, thread_t *src, thread_t *dst, uint32_t ep_id, uint64_t badge, int grant)
{
    if (src->faulting) {
        transfer_fault(src, dst, ep_id, badge);
        return;
    }
    uint64_t info = src->regs.rsi;
    unsigned words = ms_info_words(info);
    unsigned payload = ms_info_payload(info);
    ipc_copy_words(dst, src, words);
    if (payload && user_copy(dst->task, dst->ipc_buffer, src->task, src->ipc_buffer, payload) != MS_OK)
        payload = 0;
    uint64_t handle = IPC_NO_HANDLE;
    if (ms_info_has_handle(info) && grant)
        handle = transfer_handle(src, dst);
    if (handle != IPC_NO_HANDLE)
        dst->regs.rbx = handle;
    int mapped = ms_info_has_map(info) && words >= 2 && transfer_map_item(src, dst, words);
    dst->regs.rsi = ms_info(ms_info_label(info), words, payload, handle != IPC_NO_HANDLE) | (mapped ? MS_INFO_MAP : 0);
    dst->regs.rdi = badge;
    ipc_trace_message(kind, src, dst, ep_id, badge, handle);
}

void ipc_trace_wait(const thread_t *t, const endpoint_t *ep, k_wait_op_t op)
{
    k_trace_event_t *ev = trace_begin(K_EV_IPC_WAIT, t, NULL);
    if (ev) {
        ev->a[0] = ep->obj.id;
        ev->a[1] = op;
    }
}

void ipc_link_reply(thread_t *caller, thread_t *server, int grant)
{
    caller->state = THREAD_BLOCKED_REPLY;
    caller->reply_from = server;
    server->reply_to = caller;
    server->reply_grant = (uint8_t)grant;
}

/* Wakes blocked t with err. A faulting thread woken by anything but its
 * handler's answer lost its handler: it dies of the fault. */
static void unblock(thread_t *t, int err)
{
    if (t->faulting) {
        t->blocked_on = NULL;
        t->ipc_flags = 0;
        exception_unhandled(t);
        return;
    }
    stats_record_wake(err);
    t->regs.rax = (uint64_t)err;
    t->blocked_on = NULL;
    t->ipc_flags = 0;
    sched_enqueue(t);
}

static int send_common(thread_t *t, uint64_t h, int blocking, int call)
{
    handle_entry_t *e;
    int err = handle_lookup(&t->task->handles, h, KOBJ_ENDPOINT, MS_RIGHT_SEND, &e);
    if (err == MS_OK)
        err = check_message(t, (e->rights & MS_RIGHT_GRANT) != 0);
    if (err != MS_OK)
        return err;
    endpoint_t *ep = (endpoint_t *)e->obj;
    int grant = (e->rights & MS_RIGHT_GRANT) != 0;
    k_link_t *l = k_list_first(&ep->receivers);
    if (l) {
        thread_t *r = K_CONTAINER_OF(l, thread_t, qlink);
        k_link_remove(l);
        int r_grant = (r->ipc_flags & THREAD_IPC_GRANT) != 0;
        transfer(call ? K_EV_IPC_CALL : K_EV_IPC_SEND, t, r, ep->obj.id, e->badge, grant);
        unblock(r, MS_OK);
        if (call)
            ipc_link_reply(t, r, r_grant);
        return MS_OK;
    }
    if (!blocking)
        return MS_E_WOULDBLOCK;
    t->state = THREAD_BLOCKED_SEND;
    t->blocked_on = ep;
    t->ipc_badge = e->badge;
    t->ipc_flags = (uint8_t)((call ? THREAD_IPC_CALL : 0) | (grant ? THREAD_IPC_GRANT : 0));
    k_list_push_tail(&ep->senders, &t->qlink);
    ipc_trace_wait(t, ep, call ? K_WAIT_CALL : K_WAIT_SEND);
    return MS_OK;
}

void ipc_fault_call(thread_t *t, endpoint_t *ep, uint64_t badge)
{
    k_link_t *l = k_list_first(&ep->receivers);
    if (l) {
        thread_t *r = K_CONTAINER_OF(l, thread_t, qlink);
        k_link_remove(l);
        int r_grant = (r->ipc_flags & THREAD_IPC_GRANT) != 0;
        transfer_fault(t, r, ep->obj.id, badge);
        unblock(r, MS_OK);
        ipc_link_reply(t, r, r_grant);
        return;
    }
    t->state = THREAD_BLOCKED_SEND;
    t->blocked_on = ep;
    t->ipc_badge = badge;
    t->ipc_flags = THREAD_IPC_CALL;
    k_list_push_tail(&ep->senders, &t->qlink);
    ipc_trace_wait(t, ep, K_WAIT_CALL);
}

int ipc_send(thread_t *t, uint64_t h, int blocking)
{
    return send_common(t, h, blocking, 0);
}

int ipc_call(thread_t *t, uint64_t h)
{
    return send_common(t, h, 1, 1);
}

/* A server that receives again without replying abandons its caller. */
static void abandon_reply(thread_t *server)
{
    thread_t *caller = server->reply_to;
    if (!caller)
        return;
    server->reply_to = NULL;
    caller->reply_from = NULL;
    unblock(caller, MS_E_ABORTED);
}

/* The receive half, with the handle already checked. A receive that goes
 * ahead (it takes a message or waits for one) first abandons any reply the
 * server still owes; a try_recv that finds nobody changes nothing. */
static int recv_on(thread_t *t, endpoint_t *ep, int grant, int blocking)
{
    k_link_t *l = k_list_first(&ep->senders);
    if (!l && !blocking)
        return MS_E_WOULDBLOCK;
    abandon_reply(t);
    if (l) {
        thread_t *s = K_CONTAINER_OF(l, thread_t, qlink);
        k_link_remove(l);
        int call = (s->ipc_flags & THREAD_IPC_CALL) != 0;
        transfer(call ? K_EV_IPC_CALL : K_EV_IPC_SEND, s, t, ep->obj.id, s->ipc_badge,
                 (s->ipc_flags & THREAD_IPC_GRANT) != 0);
        s->blocked_on = NULL;
        s->ipc_flags = 0;
        if (call)
            ipc_link_reply(s, t, grant);
        else
            unblock(s, MS_OK);
        return MS_OK;
    }
    t->state = THREAD_BLOCKED_RECV;
    t->blocked_on = ep;
    t->ipc_flags = grant ? THREAD_IPC_GRANT : 0;
    k_list_push_tail(&ep->receivers, &t->qlink);
    ipc_trace_wait(t, ep, K_WAIT_RECV);
    return MS_OK;
}

int ipc_recv(thread_t *t, uint64_t h, int blocking)
{
    handle_entry_t *e;
    int err = handle_lookup(&t->task->handles, h, KOBJ_ENDPOINT, MS_RIGHT_RECV, &e);
    if (err != MS_OK)
        return err;
    return recv_on(t, (endpoint_t *)e->obj, (e->rights & MS_RIGHT_GRANT) != 0, blocking);
}

/* Server t answers caller, which it no longer owes through any link. */
static void answer(thread_t *t, thread_t *caller, int grant)
{
    if (caller->faulting) {
        /* The fault handler's answer is an order, not a message for it. */
        trace_message_in(K_EV_IPC_REPLY, t, caller, 0, 0, IPC_NO_HANDLE, &t->regs);
        caller->ipc_flags = 0;
        exception_resolve(caller, t->regs.mr);
        return;
    }
    transfer(K_EV_IPC_REPLY, t, caller, 0, 0, grant);
    unblock(caller, MS_OK);
}

int ipc_reply_save(thread_t *t)
{
    thread_t *caller = t->reply_to;
    if (!caller)
        return MS_E_NOREPLY;
    if (t->task->handles.used == MS_HANDLES_PER_TASK)
        return MS_E_FULL;
    reply_t *r = reply_create();
    if (!r)
        return MS_E_NOMEM;
    ms_handle_t h;
    handle_install(&t->task->handles, &r->obj, MS_RIGHT_SEND, 0, &h); /* room was checked */
    r->caller = caller;
    r->grant = t->reply_grant;
    caller->reply_from = NULL;
    caller->reply_obj = r;
    t->reply_to = NULL;
    t->regs.rdi = h;
    return MS_OK;
}

int ipc_reply_with(thread_t *t, uint64_t h)
{
    handle_entry_t *e;
    int err = handle_lookup(&t->task->handles, h, KOBJ_REPLY, MS_RIGHT_SEND, &e);
    if (err != MS_OK)
        return err;
    reply_t *r = K_CONTAINER_OF(e->obj, reply_t, obj);
    thread_t *caller = r->caller;
    if (!caller)
        return MS_E_DEAD;
    if ((err = check_message(t, r->grant)) != MS_OK)
        return err;
    r->caller = NULL;
    caller->reply_obj = NULL;
    answer(t, caller, r->grant);
    handle_close(&t->task->handles, h);
    return MS_OK;
}

void ipc_reply_dropped(reply_t *r)
{
    thread_t *caller = r->caller;
    r->caller = NULL;
    caller->reply_obj = NULL;
    unblock(caller, MS_E_DEAD);
}

int ipc_reply(thread_t *t)
{
    thread_t *caller = t->reply_to;
    if (!caller)
        return MS_E_NOREPLY;
    int err = check_message(t, t->reply_grant);
    if (err != MS_OK)
        return err;
    t->reply_to = NULL;
    caller->reply_from = NULL;
    answer(t, caller, t->reply_grant);
    return MS_OK;
}

int ipc_reply_recv(thread_t *t, uint64_t h)
{
    handle_entry_t *e;
    int err = handle_lookup(&t->task->handles, h, KOBJ_ENDPOINT, MS_RIGHT_RECV, &e);
    if (err != MS_OK)
        return err;
    endpoint_t *ep = (endpoint_t *)e->obj;
    int grant = (e->rights & MS_RIGHT_GRANT) != 0;
    if (t->reply_to && (err = ipc_reply(t)) != MS_OK)
        return err;
    return recv_on(t, ep, grant, 1);
}

/* A caller that stops waiting leaves its saved reply without a caller. */
static void forget_reply_obj(thread_t *t)
{
    if (t->reply_obj) {
        t->reply_obj->caller = NULL;
        t->reply_obj = NULL;
    }
}

void ipc_cancel(thread_t *t)
{
    if (t->state == THREAD_BLOCKED_SEND || t->state == THREAD_BLOCKED_RECV) {
        k_link_remove(&t->qlink);
        t->blocked_on = NULL;
    }
    if (t->reply_from) {
        t->reply_from->reply_to = NULL;
        t->reply_from = NULL;
    }
    forget_reply_obj(t);
}

void ipc_release_caller(thread_t *t)
{
    thread_t *caller = t->reply_to;
    if (caller) {
        t->reply_to = NULL;
        caller->reply_from = NULL;
        unblock(caller, MS_E_DEAD);
    }
}

void ipc_fail(thread_t *t, int err)
{
    if (t->state == THREAD_BLOCKED_SEND || t->state == THREAD_BLOCKED_RECV)
        k_link_remove(&t->qlink);
    if (t->reply_from) {
        t->reply_from->reply_to = NULL;
        t->reply_from = NULL;
    }
    forget_reply_obj(t);
    unblock(t, err);
}
