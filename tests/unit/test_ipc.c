/* Unit tests of synchronous IPC: every ordering of send, receive, call and reply, and the fast path. */
#include <string.h>

#include "cpu.h"
#include "fastpath.h"
#include "fixture.h"
#include "handle.h"
#include "ipc.h"
#include "object/endpoint.h"
#include "sched.h"
#include "syscall.h"
#include "trace_format.h"

#define CLIENT_RIGHTS (MS_RIGHT_SEND | MS_RIGHT_GRANT)
#define SERVER_RIGHTS (MS_RIGHT_SEND | MS_RIGHT_RECV | MS_RIGHT_GRANT)

/* A server and a client task, one thread each, and an endpoint: the server
 * holds it with every IPC right (hs), the client with client_rights (hc). */
typedef struct pair {
    thread_t *server, *client;
    ms_handle_t hs, hc;
    endpoint_t *ep;
} pair_t;

static endpoint_t *endpoint_of(task_t *task, ms_handle_t h)
{
    handle_entry_t *e;
    ck_assert_int_eq(handle_lookup(&task->handles, h, KOBJ_ENDPOINT, 0, &e), MS_OK);
    return (endpoint_t *)e->obj;
}

static pair_t make_pair(uint8_t server_prio, uint8_t client_prio, uint32_t client_rights, uint64_t badge)
{
    pair_t p;
    p.server = fx_spawn("server", server_prio);
    p.client = fx_spawn("client", client_prio);
    p.hs = fx_endpoint(p.server->task, SERVER_RIGHTS);
    p.hc = fx_share(p.client->task, p.server->task, p.hs, client_rights, badge);
    p.ep = endpoint_of(p.server->task, p.hs);
    return p;
}

static pair_t make_default_pair(void)
{
    return make_pair(10, 10, CLIENT_RIGHTS, 0);
}

/* Another client of p's endpoint, in a task of its own. */
static thread_t *another_client(const pair_t *p, const char *name, uint64_t badge, ms_handle_t *h)
{
    thread_t *c = fx_spawn(name, 10);
    *h = fx_share(c->task, p->server->task, p->hs, CLIENT_RIGHTS, badge);
    return c;
}

/* Makes t the running thread and has it make system call nr. */
static uint64_t as(thread_t *t, uint64_t nr, arch_regs_t regs)
{
    ck_assert_msg(t->state == THREAD_READY || t->state == THREAD_RUNNING, "thread %u is %s", thread_tid(t),
                  thread_state_name(t->state));
    fx_run(t);
    return fx_syscall(t, nr, regs);
}

/* As, for a call that must be rejected and change nothing (see fixture.h). */
static uint64_t as_rejected(thread_t *t, uint64_t nr, arch_regs_t regs)
{
    fx_run(t);
    return fx_syscall_rejected(t, nr, regs);
}

static arch_regs_t on(ms_handle_t h)
{
    return (arch_regs_t){.rdi = h};
}

static arch_regs_t with_info(arch_regs_t r, uint64_t info)
{
    r.rsi = info;
    return r;
}

static unsigned queue_len(const k_list_t *q)
{
    unsigned n = 0;
    K_LIST_FOREACH(l, q)
    n++;
    return n;
}

static thread_t *queue_at(const k_list_t *q, unsigned i)
{
    K_LIST_FOREACH(l, q)
    if (i-- == 0)
        return K_CONTAINER_OF(l, thread_t, qlink);
    return NULL;
}

static void set_words(thread_t *t, uint64_t first)
{
    for (unsigned i = 0; i < MS_MSG_WORDS; i++)
        t->regs.mr[i] = first + i;
}

/* Skips to the next event of kind and checks who and where. */
static k_trace_event_t expect_message(unsigned kind, const thread_t *from, const thread_t *to, uint32_t ep,
                                      uint64_t badge)
{
    k_trace_event_t ev;
    ck_assert_msg(fx_find_event(kind, &ev), "no %s event", trace_kind_name(kind));
    ck_assert_uint_eq(ev.actor_tid, thread_tid(from));
    ck_assert_uint_eq(ev.peer_tid, thread_tid(to));
    ck_assert_uint_eq(ev.a[K_EV_ARG_EP], ep);
    ck_assert_uint_eq(ev.a[K_EV_ARG_BADGE], badge);
    return ev;
}

static void expect_wait(const thread_t *t, const endpoint_t *ep, k_wait_op_t op)
{
    k_trace_event_t ev;
    ck_assert_msg(fx_find_event(K_EV_IPC_WAIT, &ev), "no ipc.wait event");
    ck_assert_uint_eq(ev.actor_tid, thread_tid(t));
    ck_assert_uint_eq(ev.peer_tid, 0);
    ck_assert_uint_eq(ev.a[0], ep->obj.id);
    ck_assert_uint_eq(ev.a[1], op);
}

/* The server waits in recv, then the client calls: the server now owes a reply. */
static void call_delivered(const pair_t *p, uint32_t label, unsigned n, const uint64_t *w)
{
    ck_assert_uint_eq(as(p->server, MS_SYS_RECV, on(p->hs)), MS_OK);
    ck_assert_uint_eq(as(p->client, MS_SYS_CALL, fx_msg(p->hc, label, n, w)), MS_OK);
    ck_assert_int_eq(p->client->state, THREAD_BLOCKED_REPLY);
    ck_assert_ptr_eq(p->server->reply_to, p->client);
    fx_run(p->server);
}

/* ---- send and receive ---- */

START_TEST(send_then_recv_delivers_and_wakes_sender)
{
    fx_reset();
    pair_t p = make_default_pair();
    const uint64_t w[3] = {0x11, 0x22, 0x33};
    ck_assert_uint_eq(as(p.client, MS_SYS_SEND, fx_msg(p.hc, 5, 3, w)), MS_OK);
    ck_assert_int_eq(p.client->state, THREAD_BLOCKED_SEND);
    ck_assert_ptr_eq(p.client->blocked_on, p.ep);
    ck_assert_uint_eq(queue_len(&p.ep->senders), 1);
    expect_wait(p.client, p.ep, K_WAIT_SEND);
    p.client->regs.rax = 0xdead; /* the wake must set it */
    ck_assert_uint_eq(as(p.server, MS_SYS_RECV, on(p.hs)), MS_OK);
    ck_assert_int_eq(p.server->state, THREAD_RUNNING);
    ck_assert_uint_eq(p.server->regs.rdi, 0);
    ck_assert_uint_eq(p.server->regs.rsi, ms_info(5, 3, 0, 0));
    ck_assert_uint_eq(p.server->regs.mr[0], 0x11);
    ck_assert_uint_eq(p.server->regs.mr[1], 0x22);
    ck_assert_uint_eq(p.server->regs.mr[2], 0x33);
    ck_assert_int_eq(p.client->state, THREAD_READY);
    ck_assert_uint_eq(p.client->regs.rax, MS_OK);
    ck_assert_ptr_null(p.client->blocked_on);
    ck_assert_uint_eq(queue_len(&p.ep->senders), 0);
    ck_assert_ptr_null(p.client->reply_from);
    ck_assert_ptr_null(p.server->reply_to);
    k_trace_event_t ev = expect_message(K_EV_IPC_SEND, p.client, p.server, p.ep->obj.id, 0);
    ck_assert_uint_eq(ev.a[K_EV_ARG_INFO], ms_info(5, 3, 0, 0));
    ck_assert_uint_eq(ev.a[K_EV_ARG_WORDS + 0], 0x11);
    ck_assert_uint_eq(ev.a[K_EV_ARG_WORDS + 2], 0x33);
}
END_TEST

START_TEST(recv_then_send_delivers_and_wakes_receiver)
{
    fx_reset();
    pair_t p = make_default_pair();
    ck_assert_uint_eq(as(p.server, MS_SYS_RECV, on(p.hs)), MS_OK);
    ck_assert_int_eq(p.server->state, THREAD_BLOCKED_RECV);
    ck_assert_ptr_eq(p.server->blocked_on, p.ep);
    ck_assert_ptr_eq(queue_at(&p.ep->receivers, 0), p.server);
    expect_wait(p.server, p.ep, K_WAIT_RECV);
    p.server->regs.rax = 0xdead;
    const uint64_t w[2] = {7, 8};
    ck_assert_uint_eq(as(p.client, MS_SYS_SEND, fx_msg(p.hc, 6, 2, w)), MS_OK);
    ck_assert_int_eq(p.client->state, THREAD_RUNNING);
    ck_assert_int_eq(p.server->state, THREAD_READY);
    ck_assert_uint_eq(p.server->regs.rax, MS_OK);
    ck_assert_uint_eq(p.server->regs.rsi, ms_info(6, 2, 0, 0));
    ck_assert_uint_eq(p.server->regs.mr[0], 7);
    ck_assert_uint_eq(p.server->regs.mr[1], 8);
    ck_assert_ptr_null(p.server->blocked_on);
    ck_assert_uint_eq(queue_len(&p.ep->receivers), 0);
    expect_message(K_EV_IPC_SEND, p.client, p.server, p.ep->obj.id, 0);
    /* The sender keeps the CPU: equal priority does not preempt. */
    ck_assert_ptr_eq(fx_schedule(), p.client);
}
END_TEST

START_TEST(try_send_without_receiver_would_block_and_changes_nothing)
{
    fx_reset();
    pair_t p = make_default_pair();
    const uint64_t w[1] = {1};
    ck_assert_uint_eq(as_rejected(p.client, MS_SYS_TRY_SEND, fx_msg(p.hc, 1, 1, w)), MS_E_WOULDBLOCK);
    ck_assert_uint_eq(queue_len(&p.ep->senders), 0);
}
END_TEST

START_TEST(try_recv_without_sender_would_block_and_changes_nothing)
{
    fx_reset();
    pair_t p = make_default_pair();
    ck_assert_uint_eq(as_rejected(p.server, MS_SYS_TRY_RECV, on(p.hs)), MS_E_WOULDBLOCK);
    ck_assert_uint_eq(queue_len(&p.ep->receivers), 0);
}
END_TEST

START_TEST(try_send_to_waiting_receiver_delivers)
{
    fx_reset();
    pair_t p = make_default_pair();
    ck_assert_uint_eq(as(p.server, MS_SYS_RECV, on(p.hs)), MS_OK);
    const uint64_t w[1] = {0x99};
    ck_assert_uint_eq(as(p.client, MS_SYS_TRY_SEND, fx_msg(p.hc, 2, 1, w)), MS_OK);
    ck_assert_int_eq(p.server->state, THREAD_READY);
    ck_assert_uint_eq(p.server->regs.mr[0], 0x99);
    ck_assert_int_eq(p.client->state, THREAD_RUNNING);
}
END_TEST

START_TEST(try_recv_with_queued_sender_receives)
{
    fx_reset();
    pair_t p = make_default_pair();
    const uint64_t w[1] = {0x77};
    ck_assert_uint_eq(as(p.client, MS_SYS_SEND, fx_msg(p.hc, 3, 1, w)), MS_OK);
    ck_assert_uint_eq(as(p.server, MS_SYS_TRY_RECV, on(p.hs)), MS_OK);
    ck_assert_int_eq(p.server->state, THREAD_RUNNING);
    ck_assert_uint_eq(p.server->regs.mr[0], 0x77);
    ck_assert_uint_eq(p.server->regs.rsi, ms_info(3, 1, 0, 0));
    ck_assert_int_eq(p.client->state, THREAD_READY);
}
END_TEST

/* ---- call and reply ---- */

START_TEST(call_then_recv_links_caller_and_server)
{
    fx_reset();
    pair_t p = make_pair(10, 10, CLIENT_RIGHTS, 4);
    const uint64_t w[2] = {0xa, 0xb};
    ck_assert_uint_eq(as(p.client, MS_SYS_CALL, fx_msg(p.hc, 1, 2, w)), MS_OK);
    ck_assert_int_eq(p.client->state, THREAD_BLOCKED_SEND);
    ck_assert_ptr_eq(queue_at(&p.ep->senders, 0), p.client);
    expect_wait(p.client, p.ep, K_WAIT_CALL);
    ck_assert_uint_eq(as(p.server, MS_SYS_RECV, on(p.hs)), MS_OK);
    ck_assert_int_eq(p.server->state, THREAD_RUNNING);
    ck_assert_uint_eq(p.server->regs.rdi, 4);
    ck_assert_uint_eq(p.server->regs.rsi, ms_info(1, 2, 0, 0));
    ck_assert_uint_eq(p.server->regs.mr[1], 0xb);
    ck_assert_int_eq(p.client->state, THREAD_BLOCKED_REPLY);
    ck_assert_ptr_eq(p.client->reply_from, p.server);
    ck_assert_ptr_eq(p.server->reply_to, p.client);
    ck_assert_ptr_null(p.client->blocked_on);
    ck_assert_uint_eq(queue_len(&p.ep->senders), 0);
    ck_assert_uint_eq(sched_queue_length(10), 0); /* the caller is not ready */
    expect_message(K_EV_IPC_CALL, p.client, p.server, p.ep->obj.id, 4);
}
END_TEST

START_TEST(recv_then_call_links_caller_and_server)
{
    fx_reset();
    pair_t p = make_pair(10, 10, CLIENT_RIGHTS, 4);
    ck_assert_uint_eq(as(p.server, MS_SYS_RECV, on(p.hs)), MS_OK);
    const uint64_t w[1] = {0xc};
    ck_assert_uint_eq(as(p.client, MS_SYS_CALL, fx_msg(p.hc, 2, 1, w)), MS_OK);
    ck_assert_int_eq(p.client->state, THREAD_BLOCKED_REPLY);
    ck_assert_ptr_eq(p.client->reply_from, p.server);
    ck_assert_ptr_eq(p.server->reply_to, p.client);
    ck_assert_int_eq(p.server->state, THREAD_READY);
    ck_assert_uint_eq(p.server->regs.rax, MS_OK);
    ck_assert_uint_eq(p.server->regs.rdi, 4);
    ck_assert_uint_eq(p.server->regs.mr[0], 0xc);
    expect_message(K_EV_IPC_CALL, p.client, p.server, p.ep->obj.id, 4);
    ck_assert_ptr_eq(fx_schedule(), p.server);
}
END_TEST

START_TEST(reply_delivers_words_and_wakes_caller)
{
    fx_reset();
    pair_t p = make_pair(10, 10, CLIENT_RIGHTS, 4);
    call_delivered(&p, 1, 0, NULL);
    fx_drop_events();
    p.client->regs.rax = 0xdead;
    const uint64_t w[2] = {0x21, 0x22};
    ck_assert_uint_eq(fx_syscall(p.server, MS_SYS_REPLY, fx_msg(0, 9, 2, w)), MS_OK);
    ck_assert_int_eq(p.client->state, THREAD_READY);
    ck_assert_uint_eq(p.client->regs.rax, MS_OK);
    ck_assert_uint_eq(p.client->regs.rsi, ms_info(9, 2, 0, 0));
    ck_assert_uint_eq(p.client->regs.mr[0], 0x21);
    ck_assert_uint_eq(p.client->regs.mr[1], 0x22);
    ck_assert_ptr_null(p.client->reply_from);
    ck_assert_ptr_null(p.server->reply_to);
    ck_assert_int_eq(p.server->state, THREAD_RUNNING);
    /* Replies carry neither endpoint nor badge. */
    k_trace_event_t ev = expect_message(K_EV_IPC_REPLY, p.server, p.client, 0, 0);
    ck_assert_uint_eq(ev.a[K_EV_ARG_INFO], ms_info(9, 2, 0, 0));
    ck_assert_uint_eq(ev.a[K_EV_ARG_WORDS + 1], 0x22);
}
END_TEST

START_TEST(reply_without_caller_is_noreply)
{
    fx_reset();
    pair_t p = make_default_pair();
    ck_assert_uint_eq(as_rejected(p.server, MS_SYS_REPLY, fx_msg(0, 1, 0, NULL)), MS_E_NOREPLY);
    /* After one reply, the next one has nobody to go to. */
    call_delivered(&p, 1, 0, NULL);
    ck_assert_uint_eq(fx_syscall(p.server, MS_SYS_REPLY, fx_msg(0, 1, 0, NULL)), MS_OK);
    ck_assert_uint_eq(fx_syscall_rejected(p.server, MS_SYS_REPLY, fx_msg(0, 1, 0, NULL)), MS_E_NOREPLY);
}
END_TEST

START_TEST(reply_recv_with_queued_sender_receives_at_once)
{
    fx_reset();
    pair_t p = make_default_pair();
    ms_handle_t h2;
    thread_t *c2 = another_client(&p, "second", 2, &h2);
    call_delivered(&p, 1, 0, NULL);
    const uint64_t w2[1] = {0x2};
    ck_assert_uint_eq(as(c2, MS_SYS_CALL, fx_msg(h2, 2, 1, w2)), MS_OK);
    ck_assert_int_eq(c2->state, THREAD_BLOCKED_SEND);
    fx_drop_events();
    const uint64_t r[1] = {0x100};
    ck_assert_uint_eq(as(p.server, MS_SYS_REPLY_RECV, fx_msg(p.hs, 7, 1, r)), MS_OK);
    /* The first caller has its reply... */
    ck_assert_int_eq(p.client->state, THREAD_READY);
    ck_assert_uint_eq(p.client->regs.rsi, ms_info(7, 1, 0, 0));
    ck_assert_uint_eq(p.client->regs.mr[0], 0x100);
    ck_assert_ptr_null(p.client->reply_from);
    /* ...and the server has the second call, without blocking. */
    ck_assert_int_eq(p.server->state, THREAD_RUNNING);
    ck_assert_uint_eq(p.server->regs.rdi, 2);
    ck_assert_uint_eq(p.server->regs.rsi, ms_info(2, 1, 0, 0));
    ck_assert_uint_eq(p.server->regs.mr[0], 0x2);
    ck_assert_int_eq(c2->state, THREAD_BLOCKED_REPLY);
    ck_assert_ptr_eq(p.server->reply_to, c2);
    ck_assert_ptr_eq(c2->reply_from, p.server);
    k_trace_event_t ev;
    ck_assert_int_eq(fx_event(&ev), 1);
    ck_assert_uint_eq(ev.kind, K_EV_IPC_REPLY);
    ck_assert_uint_eq(ev.peer_tid, thread_tid(p.client));
    ck_assert_int_eq(fx_event(&ev), 1);
    ck_assert_uint_eq(ev.kind, K_EV_IPC_CALL);
    ck_assert_uint_eq(ev.actor_tid, thread_tid(c2));
    ck_assert_uint_eq(ev.a[K_EV_ARG_BADGE], 2);
    ck_assert_int_eq(fx_event(&ev), 0);
}
END_TEST

START_TEST(reply_recv_without_sender_replies_then_blocks)
{
    fx_reset();
    pair_t p = make_default_pair();
    call_delivered(&p, 1, 0, NULL);
    fx_drop_events();
    const uint64_t r[1] = {0x42};
    ck_assert_uint_eq(fx_syscall(p.server, MS_SYS_REPLY_RECV, fx_msg(p.hs, 3, 1, r)), MS_OK);
    ck_assert_int_eq(p.client->state, THREAD_READY);
    ck_assert_uint_eq(p.client->regs.mr[0], 0x42);
    ck_assert_int_eq(p.server->state, THREAD_BLOCKED_RECV);
    ck_assert_ptr_eq(queue_at(&p.ep->receivers, 0), p.server);
    ck_assert_ptr_null(p.server->reply_to);
    expect_message(K_EV_IPC_REPLY, p.server, p.client, 0, 0);
    expect_wait(p.server, p.ep, K_WAIT_RECV);
    ck_assert_ptr_eq(fx_schedule(), p.client);
}
END_TEST

START_TEST(reply_recv_without_pending_caller_only_receives)
{
    fx_reset();
    pair_t p = make_default_pair();
    ck_assert_uint_eq(as(p.server, MS_SYS_REPLY_RECV, fx_msg(p.hs, 3, 0, NULL)), MS_OK);
    ck_assert_int_eq(p.server->state, THREAD_BLOCKED_RECV);
    k_trace_event_t ev;
    ck_assert_int_eq(fx_event(&ev), 1);
    ck_assert_uint_eq(ev.kind, K_EV_IPC_WAIT);
    ck_assert_int_eq(fx_event(&ev), 0);
}
END_TEST

START_TEST(malformed_reply_changes_nothing)
{
    fx_reset();
    pair_t p = make_default_pair();
    call_delivered(&p, 1, 0, NULL);
    ck_assert_uint_eq(fx_syscall_rejected(p.server, MS_SYS_REPLY, with_info(on(0), 1u << 5)), MS_E_INVAL);
    ck_assert_uint_eq(fx_syscall_rejected(p.server, MS_SYS_REPLY, with_info(on(0), ms_info(1, 9, 0, 0))), MS_E_RANGE);
    /* reply_recv does not receive either when its reply is refused. */
    ck_assert_uint_eq(fx_syscall_rejected(p.server, MS_SYS_REPLY_RECV, with_info(on(p.hs), 1ull << 31)), MS_E_INVAL);
    ck_assert_int_eq(p.client->state, THREAD_BLOCKED_REPLY);
    ck_assert_uint_eq(fx_syscall(p.server, MS_SYS_REPLY, fx_msg(0, 1, 0, NULL)), MS_OK);
    ck_assert_int_eq(p.client->state, THREAD_READY);
}
END_TEST

START_TEST(reply_after_the_caller_died_is_noreply)
{
    fx_reset();
    pair_t p = make_default_pair();
    call_delivered(&p, 1, 0, NULL);
    thread_kill(p.client);
    ck_assert_ptr_null(p.server->reply_to);
    ck_assert_uint_eq(fx_syscall_rejected(p.server, MS_SYS_REPLY, fx_msg(0, 1, 0, NULL)), MS_E_NOREPLY);
}
END_TEST

/* ---- queues ---- */

START_TEST(senders_are_served_in_fifo_order)
{
    fx_reset();
    pair_t p = make_default_pair();
    thread_t *c[3];
    ms_handle_t h[3];
    for (unsigned i = 0; i < 3; i++) {
        c[i] = another_client(&p, "client", 100 + i, &h[i]);
        const uint64_t w[1] = {i};
        ck_assert_uint_eq(as(c[i], i == 1 ? MS_SYS_CALL : MS_SYS_SEND, fx_msg(h[i], 10 + i, 1, w)), MS_OK);
    }
    ck_assert_uint_eq(queue_len(&p.ep->senders), 3);
    for (unsigned i = 0; i < 3; i++) {
        ck_assert_ptr_eq(queue_at(&p.ep->senders, 0), c[i]);
        ck_assert_uint_eq(as(p.server, MS_SYS_RECV, on(p.hs)), MS_OK);
        ck_assert_uint_eq(p.server->regs.rdi, 100 + i);
        ck_assert_uint_eq(ms_info_label(p.server->regs.rsi), 10 + i);
        ck_assert_uint_eq(p.server->regs.mr[0], i);
    }
    ck_assert_uint_eq(queue_len(&p.ep->senders), 0);
}
END_TEST

START_TEST(receivers_are_served_in_fifo_order)
{
    fx_reset();
    pair_t p = make_default_pair();
    thread_t *r[3] = {p.server, fx_thread(p.server->task, 10), fx_thread(p.server->task, 10)};
    for (unsigned i = 0; i < 3; i++)
        ck_assert_uint_eq(as(r[i], MS_SYS_RECV, on(p.hs)), MS_OK);
    ck_assert_uint_eq(queue_len(&p.ep->receivers), 3);
    for (unsigned i = 0; i < 3; i++) {
        const uint64_t w[1] = {0x50 + i};
        ck_assert_uint_eq(as(p.client, MS_SYS_SEND, fx_msg(p.hc, 1, 1, w)), MS_OK);
        ck_assert_int_eq(r[i]->state, THREAD_READY);
        ck_assert_uint_eq(r[i]->regs.mr[0], 0x50 + i);
        for (unsigned j = i + 1; j < 3; j++)
            ck_assert_int_eq(r[j]->state, THREAD_BLOCKED_RECV);
    }
    ck_assert_uint_eq(queue_len(&p.ep->receivers), 0);
}
END_TEST

/* ---- badges ---- */

START_TEST(badge_of_minted_handle_arrives_in_rdi)
{
    fx_reset();
    pair_t p = make_pair(10, 10, CLIENT_RIGHTS, 0xb0b);
    ck_assert_uint_eq(as(p.client, MS_SYS_SEND, fx_msg(p.hc, 1, 0, NULL)), MS_OK);
    ck_assert_uint_eq(as(p.server, MS_SYS_RECV, on(p.hs)), MS_OK);
    ck_assert_uint_eq(p.server->regs.rdi, 0xb0b);
    expect_message(K_EV_IPC_SEND, p.client, p.server, p.ep->obj.id, 0xb0b);
    /* The other order too. */
    ck_assert_uint_eq(fx_syscall(p.server, MS_SYS_RECV, on(p.hs)), MS_OK);
    ck_assert_uint_eq(as(p.client, MS_SYS_SEND, fx_msg(p.hc, 1, 0, NULL)), MS_OK);
    ck_assert_uint_eq(p.server->regs.rdi, 0xb0b);
}
END_TEST

START_TEST(unbadged_handle_delivers_badge_zero)
{
    fx_reset();
    pair_t p = make_default_pair();
    ck_assert_uint_eq(as(p.client, MS_SYS_SEND, fx_msg(p.hc, 1, 0, NULL)), MS_OK);
    fx_run(p.server);
    arch_regs_t r = on(p.hs);
    ck_assert_uint_eq(fx_syscall(p.server, MS_SYS_RECV, r), MS_OK);
    ck_assert_uint_eq(p.server->regs.rdi, 0); /* not the handle number it passed */
    ck_assert_uint_ne(p.hs, 0);
}
END_TEST

/* ---- payload and words ---- */

static void fill_payload(thread_t *t, const char *text, size_t len)
{
    memset(fx_ipc_buffer(t), 0x5a, MS_IPC_BUFFER_SIZE);
    memcpy(fx_ipc_buffer(t), text, len);
}

START_TEST(payload_is_copied_when_sender_comes_first)
{
    fx_reset();
    pair_t p = make_default_pair();
    const char text[] = "payload bytes!";
    fill_payload(p.client, text, sizeof text - 1);
    memset(fx_ipc_buffer(p.server), 0xee, MS_IPC_BUFFER_SIZE);
    const uint64_t w[1] = {3};
    arch_regs_t m = with_info(fx_msg(p.hc, 4, 1, w), ms_info(4, 1, sizeof text - 1, 0));
    ck_assert_uint_eq(as(p.client, MS_SYS_SEND, m), MS_OK);
    ck_assert_uint_eq(as(p.server, MS_SYS_RECV, on(p.hs)), MS_OK);
    ck_assert_int_eq(memcmp(fx_ipc_buffer(p.server), text, sizeof text - 1), 0);
    ck_assert_uint_eq((unsigned char)fx_ipc_buffer(p.server)[sizeof text - 1], 0xee);
    ck_assert_uint_eq(ms_info_payload(p.server->regs.rsi), sizeof text - 1);
    ck_assert_uint_eq(p.server->regs.rsi, ms_info(4, 1, sizeof text - 1, 0));
    k_trace_event_t ev = expect_message(K_EV_IPC_SEND, p.client, p.server, p.ep->obj.id, 0);
    ck_assert_uint_eq(ms_info_payload(ev.a[K_EV_ARG_INFO]), sizeof text - 1);
}
END_TEST

START_TEST(payload_is_copied_when_receiver_comes_first)
{
    fx_reset();
    pair_t p = make_default_pair();
    memset(fx_ipc_buffer(p.server), 0xee, MS_IPC_BUFFER_SIZE);
    ck_assert_uint_eq(as(p.server, MS_SYS_RECV, on(p.hs)), MS_OK);
    const char text[] = {'\0', 1, 2, 3, (char)0xff};
    fill_payload(p.client, text, sizeof text);
    ck_assert_uint_eq(as(p.client, MS_SYS_CALL, with_info(on(p.hc), ms_info(4, 0, sizeof text, 0))), MS_OK);
    ck_assert_int_eq(memcmp(fx_ipc_buffer(p.server), text, sizeof text), 0);
    ck_assert_uint_eq((unsigned char)fx_ipc_buffer(p.server)[sizeof text], 0xee);
    ck_assert_uint_eq(ms_info_payload(p.server->regs.rsi), sizeof text);
}
END_TEST

START_TEST(reply_payload_lands_in_the_callers_buffer)
{
    fx_reset();
    pair_t p = make_default_pair();
    call_delivered(&p, 1, 0, NULL);
    memset(fx_ipc_buffer(p.client), 0, MS_IPC_BUFFER_SIZE);
    fill_payload(p.server, "HELLO FROM HI", 13);
    ck_assert_uint_eq(fx_syscall(p.server, MS_SYS_REPLY, with_info(on(0), ms_info(2, 0, 13, 0))), MS_OK);
    ck_assert_str_eq(fx_ipc_buffer(p.client), "HELLO FROM HI");
    ck_assert_uint_eq(p.client->regs.rsi, ms_info(2, 0, 13, 0));
}
END_TEST

START_TEST(largest_payload_is_copied_whole)
{
    fx_reset();
    pair_t p = make_default_pair();
    for (unsigned i = 0; i < MS_IPC_BUFFER_SIZE; i++)
        fx_ipc_buffer(p.client)[i] = (char)(i * 7 + 1);
    memset(fx_ipc_buffer(p.server), 0, MS_IPC_BUFFER_SIZE);
    ck_assert_uint_eq(as(p.server, MS_SYS_RECV, on(p.hs)), MS_OK);
    ck_assert_uint_eq(as(p.client, MS_SYS_SEND, with_info(on(p.hc), ms_info(1, 0, MS_MSG_PAYLOAD_MAX, 0))), MS_OK);
    ck_assert_int_eq(memcmp(fx_ipc_buffer(p.server), fx_ipc_buffer(p.client), MS_IPC_BUFFER_SIZE), 0);
    ck_assert_uint_eq(ms_info_payload(p.server->regs.rsi), MS_MSG_PAYLOAD_MAX);
}
END_TEST

START_TEST(words_beyond_the_count_are_not_copied)
{
    fx_reset();
    pair_t p = make_default_pair();
    /* Receiver first: it had 0x100.. in its words when it called recv. */
    arch_regs_t r = on(p.hs);
    for (unsigned i = 0; i < MS_MSG_WORDS; i++)
        r.mr[i] = 0x100 + i;
    ck_assert_uint_eq(as(p.server, MS_SYS_RECV, r), MS_OK);
    arch_regs_t m = fx_msg(p.hc, 1, 2, (const uint64_t[]){0xa, 0xb});
    for (unsigned i = 2; i < MS_MSG_WORDS; i++)
        m.mr[i] = 0xbad0 + i; /* not part of the message */
    ck_assert_uint_eq(as(p.client, MS_SYS_SEND, m), MS_OK);
    ck_assert_uint_eq(p.server->regs.mr[0], 0xa);
    ck_assert_uint_eq(p.server->regs.mr[1], 0xb);
    for (unsigned i = 2; i < MS_MSG_WORDS; i++)
        ck_assert_uint_eq(p.server->regs.mr[i], 0x100 + i);
    ck_assert_uint_eq(p.server->regs.rbx, 0);
    /* Sender first, with no words at all. */
    ck_assert_uint_eq(as(p.client, MS_SYS_SEND, with_info(m, ms_info(2, 0, 0, 0))), MS_OK);
    fx_run(p.server);
    ck_assert_uint_eq(fx_syscall(p.server, MS_SYS_RECV, r), MS_OK);
    for (unsigned i = 0; i < MS_MSG_WORDS; i++)
        ck_assert_uint_eq(p.server->regs.mr[i], 0x100 + i);
}
END_TEST

START_TEST(all_eight_words_are_copied)
{
    fx_reset();
    pair_t p = make_default_pair();
    ck_assert_uint_eq(as(p.server, MS_SYS_RECV, on(p.hs)), MS_OK);
    arch_regs_t m = fx_msg(p.hc, 1, 0, NULL);
    for (unsigned i = 0; i < MS_MSG_WORDS; i++)
        m.mr[i] = 0x1000 + i;
    m.rsi = ms_info(1, MS_MSG_WORDS, 0, 0);
    ck_assert_uint_eq(as(p.client, MS_SYS_SEND, m), MS_OK);
    for (unsigned i = 0; i < MS_MSG_WORDS; i++)
        ck_assert_uint_eq(p.server->regs.mr[i], 0x1000 + i);
}
END_TEST

/* ---- handle transfer ---- */

START_TEST(handle_transfer_without_grant_fails_and_moves_nothing)
{
    fx_reset();
    pair_t p = make_pair(10, 10, MS_RIGHT_SEND, 0);
    ms_handle_t gift = fx_endpoint(p.client->task, MS_RIGHT_SEND | MS_RIGHT_RECV);
    ck_assert_uint_eq(as(p.server, MS_SYS_RECV, on(p.hs)), MS_OK);
    arch_regs_t m = with_info(on(p.hc), ms_info(1, 0, 0, 1));
    m.rbx = gift;
    unsigned used = p.server->task->handles.used;
    ck_assert_uint_eq(as_rejected(p.client, MS_SYS_SEND, m), MS_E_RIGHTS);
    ck_assert_uint_eq(as_rejected(p.client, MS_SYS_CALL, m), MS_E_RIGHTS);
    ck_assert_int_eq(p.server->state, THREAD_BLOCKED_RECV);
    ck_assert_uint_eq(p.server->task->handles.used, used);
}
END_TEST

START_TEST(handle_transfer_with_grant_gives_receiver_a_copy)
{
    fx_reset();
    pair_t p = make_default_pair();
    thread_t *other = fx_spawn("other", 10);
    ms_handle_t oh = fx_endpoint(other->task, MS_RIGHTS_ALL);
    ms_handle_t gift = fx_share(p.client->task, other->task, oh, MS_RIGHT_SEND | MS_RIGHT_RECV, 77);
    kobject_t *obj = &endpoint_of(other->task, oh)->obj;
    uint32_t refs = obj->refs;
    ck_assert_uint_eq(as(p.server, MS_SYS_RECV, on(p.hs)), MS_OK);
    arch_regs_t m = with_info(on(p.hc), ms_info(1, 0, 0, 1));
    m.rbx = gift;
    ck_assert_uint_eq(as(p.client, MS_SYS_SEND, m), MS_OK);
    uint64_t h = p.server->regs.rbx;
    ck_assert_uint_eq(h, 2); /* the server's lowest free slot */
    ck_assert(ms_info_has_handle(p.server->regs.rsi));
    ck_assert_uint_eq(p.server->regs.rsi, ms_info(1, 0, 0, 1));
    handle_entry_t *e;
    ck_assert_int_eq(handle_lookup(&p.server->task->handles, h, KOBJ_ENDPOINT, 0, &e), MS_OK);
    ck_assert_ptr_eq(e->obj, obj);
    ck_assert_uint_eq(e->rights, MS_RIGHT_SEND | MS_RIGHT_RECV);
    ck_assert_uint_eq(e->badge, 77);
    ck_assert_uint_eq(obj->refs, refs + 1);
    /* A copy, not a move: the sender keeps its handle. */
    ck_assert_int_eq(handle_lookup(&p.client->task->handles, gift, KOBJ_ENDPOINT, 0, &e), MS_OK);
    k_trace_event_t ev = expect_message(K_EV_IPC_SEND, p.client, p.server, p.ep->obj.id, 0);
    ck_assert_uint_eq(ev.a[K_EV_ARG_HANDLE], h);
}
END_TEST

START_TEST(handle_transfer_from_a_queued_sender)
{
    fx_reset();
    pair_t p = make_default_pair();
    ck_assert_uint_eq(as(p.client, MS_SYS_SEND, with_info(fx_msg(p.hc, 1, 0, NULL), 0)), MS_OK); /* plain */
    arch_regs_t m = with_info(on(p.hc), ms_info(2, 0, 0, 1));
    m.rbx = MS_HANDLE_SELF; /* the client's own task handle */
    thread_t *c2;
    ms_handle_t h2;
    c2 = another_client(&p, "c2", 0, &h2);
    m.rdi = h2;
    ck_assert_uint_eq(as(c2, MS_SYS_CALL, m), MS_OK);
    ck_assert_uint_eq(as(p.server, MS_SYS_RECV, on(p.hs)), MS_OK);
    ck_assert(!ms_info_has_handle(p.server->regs.rsi));
    ck_assert_uint_eq(as(p.server, MS_SYS_RECV, on(p.hs)), MS_OK);
    ck_assert(ms_info_has_handle(p.server->regs.rsi));
    handle_entry_t *e;
    ck_assert_int_eq(handle_lookup(&p.server->task->handles, p.server->regs.rbx, KOBJ_TASK, MS_RIGHTS_ALL, &e), MS_OK);
    ck_assert_ptr_eq(e->obj, &c2->task->obj);
}
END_TEST

START_TEST(handle_transfer_of_a_bad_handle_is_rejected)
{
    fx_reset();
    pair_t p = make_default_pair();
    ck_assert_uint_eq(as(p.server, MS_SYS_RECV, on(p.hs)), MS_OK);
    arch_regs_t m = with_info(on(p.hc), ms_info(1, 0, 0, 1));
    m.rbx = 50;
    ck_assert_uint_eq(as_rejected(p.client, MS_SYS_SEND, m), MS_E_BADHANDLE);
    m.rbx = UINT64_MAX;
    ck_assert_uint_eq(as_rejected(p.client, MS_SYS_SEND, m), MS_E_BADHANDLE);
}
END_TEST

START_TEST(handle_transfer_into_a_full_table_arrives_without_handle)
{
    fx_reset();
    pair_t p = make_default_pair();
    ms_handle_t h;
    while (p.server->task->handles.used < MS_HANDLES_PER_TASK)
        ck_assert_int_eq(handle_install(&p.server->task->handles, &p.server->task->obj, 0, 0, &h), MS_OK);
    ck_assert_uint_eq(as(p.server, MS_SYS_RECV, on(p.hs)), MS_OK);
    p.server->regs.rbx = 0x5555;
    arch_regs_t m = with_info(on(p.hc), ms_info(8, 0, 0, 1));
    m.rbx = MS_HANDLE_SELF;
    ck_assert_uint_eq(as(p.client, MS_SYS_SEND, m), MS_OK);
    ck_assert_int_eq(p.server->state, THREAD_READY);
    ck_assert_uint_eq(p.server->regs.rsi, ms_info(8, 0, 0, 0));
    ck_assert_uint_eq(p.server->regs.rbx, 0x5555);
}
END_TEST

START_TEST(reply_may_carry_a_handle_only_with_grant)
{
    fx_reset();
    pair_t p = make_default_pair();
    call_delivered(&p, 1, 0, NULL); /* the server received with a grant handle */
    arch_regs_t m = with_info(on(0), ms_info(1, 0, 0, 1));
    m.rbx = MS_HANDLE_SELF;
    ck_assert_uint_eq(fx_syscall(p.server, MS_SYS_REPLY, m), MS_OK);
    ck_assert(ms_info_has_handle(p.client->regs.rsi));
    handle_entry_t *e;
    ck_assert_int_eq(handle_lookup(&p.client->task->handles, p.client->regs.rbx, KOBJ_TASK, 0, &e), MS_OK);
    ck_assert_ptr_eq(e->obj, &p.server->task->obj);
    /* Received through a handle without grant: the reply may not carry one. */
    ms_handle_t no_grant = fx_share(p.server->task, p.server->task, p.hs, MS_RIGHT_RECV, 0);
    ck_assert_uint_eq(fx_syscall(p.server, MS_SYS_RECV, on(no_grant)), MS_OK);
    ck_assert_uint_eq(as(p.client, MS_SYS_CALL, fx_msg(p.hc, 1, 0, NULL)), MS_OK);
    fx_run(p.server);
    ck_assert_uint_eq(fx_syscall_rejected(p.server, MS_SYS_REPLY, m), MS_E_RIGHTS);
    ck_assert_int_eq(p.client->state, THREAD_BLOCKED_REPLY);
    ck_assert_uint_eq(fx_syscall(p.server, MS_SYS_REPLY, fx_msg(0, 1, 0, NULL)), MS_OK);
    /* The same when the caller was queued before the server received. */
    ck_assert_uint_eq(as(p.client, MS_SYS_CALL, fx_msg(p.hc, 1, 0, NULL)), MS_OK);
    ck_assert_int_eq(p.client->state, THREAD_BLOCKED_SEND);
    ck_assert_uint_eq(as(p.server, MS_SYS_RECV, on(no_grant)), MS_OK);
    ck_assert_uint_eq(fx_syscall_rejected(p.server, MS_SYS_REPLY, m), MS_E_RIGHTS);
    ck_assert_uint_eq(fx_syscall(p.server, MS_SYS_REPLY, fx_msg(0, 1, 0, NULL)), MS_OK);
    ck_assert_uint_eq(as(p.client, MS_SYS_CALL, fx_msg(p.hc, 1, 0, NULL)), MS_OK);
    ck_assert_uint_eq(as(p.server, MS_SYS_RECV, on(p.hs)), MS_OK);
    ck_assert_uint_eq(fx_syscall(p.server, MS_SYS_REPLY, m), MS_OK);
    ck_assert(ms_info_has_handle(p.client->regs.rsi));
}
END_TEST

/* ---- aborted and dead partners ---- */

START_TEST(recv_without_reply_aborts_the_pending_caller)
{
    fx_reset();
    pair_t p = make_default_pair();
    call_delivered(&p, 1, 0, NULL);
    ck_assert_uint_eq(fx_syscall(p.server, MS_SYS_RECV, on(p.hs)), MS_OK);
    ck_assert_int_eq(p.client->state, THREAD_READY);
    ck_assert_uint_eq(p.client->regs.rax, MS_E_ABORTED);
    ck_assert_ptr_null(p.client->reply_from);
    ck_assert_ptr_null(p.server->reply_to);
    ck_assert_int_eq(p.server->state, THREAD_BLOCKED_RECV);
}
END_TEST

/* A rejected call changes nothing else (ms_abi.h): a try_recv that finds no
 * sender leaves the server's pending caller waiting for its reply. */
START_TEST(try_recv_that_would_block_keeps_the_pending_caller)
{
    fx_reset();
    pair_t p = make_default_pair();
    call_delivered(&p, 1, 0, NULL);
    ck_assert_uint_eq(fx_syscall_rejected(p.server, MS_SYS_TRY_RECV, on(p.hs)), MS_E_WOULDBLOCK);
    ck_assert_int_eq(p.client->state, THREAD_BLOCKED_REPLY);
    ck_assert_ptr_eq(p.server->reply_to, p.client);
}
END_TEST

START_TEST(killing_the_server_wakes_its_caller_with_dead)
{
    fx_reset();
    pair_t p = make_default_pair();
    call_delivered(&p, 1, 0, NULL);
    thread_kill(p.server);
    ck_assert_int_eq(p.server->state, THREAD_DEAD);
    ck_assert_int_eq(p.client->state, THREAD_READY);
    ck_assert_uint_eq(p.client->regs.rax, MS_E_DEAD);
    ck_assert_ptr_null(p.client->reply_from);
    ck_assert_ptr_eq(fx_schedule(), p.client);
}
END_TEST

START_TEST(ending_the_server_task_wakes_its_caller_with_dead)
{
    fx_reset();
    pair_t p = make_default_pair();
    call_delivered(&p, 1, 0, NULL);
    task_end(p.server->task, TASK_KILLED, -1);
    ck_assert_int_eq(p.server->state, THREAD_DEAD);
    ck_assert_int_eq(p.client->state, THREAD_READY);
    ck_assert_uint_eq(p.client->regs.rax, MS_E_DEAD);
    ck_assert_ptr_null(p.client->reply_from);
}
END_TEST

START_TEST(killing_the_caller_cuts_the_reply_link)
{
    fx_reset();
    pair_t p = make_default_pair();
    call_delivered(&p, 1, 0, NULL);
    thread_kill(p.client);
    ck_assert_int_eq(p.client->state, THREAD_DEAD);
    ck_assert_ptr_null(p.server->reply_to);
    ck_assert_int_eq(p.server->state, THREAD_RUNNING);
}
END_TEST

START_TEST(killing_a_queued_sender_removes_it_from_the_queue)
{
    fx_reset();
    pair_t p = make_default_pair();
    ms_handle_t h2;
    thread_t *c2 = another_client(&p, "c2", 2, &h2);
    ck_assert_uint_eq(as(p.client, MS_SYS_CALL, fx_msg(p.hc, 1, 0, NULL)), MS_OK);
    ck_assert_uint_eq(as(c2, MS_SYS_SEND, fx_msg(h2, 2, 0, NULL)), MS_OK);
    thread_kill(p.client);
    ck_assert_int_eq(p.client->state, THREAD_DEAD);
    ck_assert_uint_eq(queue_len(&p.ep->senders), 1);
    ck_assert_ptr_eq(queue_at(&p.ep->senders, 0), c2);
    ck_assert_uint_eq(as(p.server, MS_SYS_RECV, on(p.hs)), MS_OK);
    ck_assert_uint_eq(p.server->regs.rdi, 2);
    ck_assert_ptr_null(p.server->reply_to);
    ck_assert_uint_eq(as_rejected(p.server, MS_SYS_TRY_RECV, on(p.hs)), MS_E_WOULDBLOCK);
}
END_TEST

START_TEST(killing_a_queued_receiver_removes_it_from_the_queue)
{
    fx_reset();
    pair_t p = make_default_pair();
    thread_t *r2 = fx_thread(p.server->task, 10);
    ck_assert_uint_eq(as(p.server, MS_SYS_RECV, on(p.hs)), MS_OK);
    ck_assert_uint_eq(as(r2, MS_SYS_RECV, on(p.hs)), MS_OK);
    thread_kill(p.server);
    ck_assert_uint_eq(queue_len(&p.ep->receivers), 1);
    ck_assert_ptr_eq(queue_at(&p.ep->receivers, 0), r2);
    const uint64_t w[1] = {5};
    ck_assert_uint_eq(as(p.client, MS_SYS_SEND, fx_msg(p.hc, 1, 1, w)), MS_OK);
    ck_assert_int_eq(r2->state, THREAD_READY);
    ck_assert_uint_eq(r2->regs.mr[0], 5);
    ck_assert_uint_eq(as_rejected(p.client, MS_SYS_TRY_SEND, fx_msg(p.hc, 1, 1, w)), MS_E_WOULDBLOCK);
}
END_TEST

START_TEST(closing_the_last_handle_wakes_receivers_with_dead)
{
    fx_reset();
    task_t *task = fx_task("owner", 10);
    thread_t *closer = fx_thread(task, 10), *r1 = fx_thread(task, 10), *r2 = fx_thread(task, 10);
    ms_handle_t h = fx_endpoint(task, MS_RIGHT_RECV);
    endpoint_t *ep = endpoint_of(task, h);
    ck_assert_uint_eq(as(r1, MS_SYS_RECV, on(h)), MS_OK);
    ck_assert_uint_eq(as(r2, MS_SYS_RECV, on(h)), MS_OK);
    ck_assert_uint_eq(as(closer, MS_SYS_HANDLE_CLOSE, on(h)), MS_OK);
    ck_assert_uint_eq(ep->obj.type, KOBJ_NONE);
    thread_t *woken[2] = {r1, r2};
    for (unsigned i = 0; i < 2; i++) {
        ck_assert_int_eq(woken[i]->state, THREAD_READY);
        ck_assert_uint_eq(woken[i]->regs.rax, MS_E_DEAD);
        ck_assert_ptr_null(woken[i]->blocked_on);
    }
    ck_assert_uint_eq(sched_queue_length(10), 2);
}
END_TEST

START_TEST(closing_the_last_handle_wakes_senders_with_dead)
{
    fx_reset();
    task_t *task = fx_task("owner", 10);
    thread_t *closer = fx_thread(task, 10), *s1 = fx_thread(task, 10), *s2 = fx_thread(task, 10);
    ms_handle_t h = fx_endpoint(task, MS_RIGHT_SEND);
    ck_assert_uint_eq(as(s1, MS_SYS_SEND, fx_msg(h, 1, 0, NULL)), MS_OK);
    ck_assert_uint_eq(as(s2, MS_SYS_CALL, fx_msg(h, 1, 0, NULL)), MS_OK);
    ck_assert_uint_eq(as(closer, MS_SYS_HANDLE_CLOSE, on(h)), MS_OK);
    thread_t *woken[2] = {s1, s2};
    for (unsigned i = 0; i < 2; i++) {
        ck_assert_int_eq(woken[i]->state, THREAD_READY);
        ck_assert_uint_eq(woken[i]->regs.rax, MS_E_DEAD);
        ck_assert_ptr_null(woken[i]->blocked_on);
        ck_assert_ptr_null(woken[i]->reply_from);
        ck_assert_uint_eq(woken[i]->ipc_flags, 0);
    }
}
END_TEST

START_TEST(closing_another_handle_keeps_waiters_blocked)
{
    fx_reset();
    pair_t p = make_default_pair();
    ck_assert_uint_eq(as(p.server, MS_SYS_RECV, on(p.hs)), MS_OK);
    ck_assert_uint_eq(as(p.client, MS_SYS_HANDLE_CLOSE, on(p.hc)), MS_OK);
    ck_assert_int_eq(p.server->state, THREAD_BLOCKED_RECV);
    ck_assert_uint_eq(p.ep->obj.type, KOBJ_ENDPOINT);
    ck_assert_uint_eq(queue_len(&p.ep->receivers), 1);
}
END_TEST

/* ---- malformed messages and rights ---- */

START_TEST(reserved_info_bits_are_invalid)
{
    fx_reset();
    pair_t p = make_default_pair();
    ck_assert_uint_eq(as(p.server, MS_SYS_RECV, on(p.hs)), MS_OK);
    const uint64_t reserved[] = {1u << 6, 1u << 15, 1u << 29, 1ull << 31, MS_INFO_RESERVED};
    for (unsigned i = 0; i < sizeof reserved / sizeof reserved[0]; i++) {
        arch_regs_t m = with_info(on(p.hc), ms_info(1, 1, 0, 0) | reserved[i]);
        ck_assert_uint_eq(as_rejected(p.client, MS_SYS_SEND, m), MS_E_INVAL);
        ck_assert_uint_eq(as_rejected(p.client, MS_SYS_TRY_SEND, m), MS_E_INVAL);
        ck_assert_uint_eq(as_rejected(p.client, MS_SYS_CALL, m), MS_E_INVAL);
    }
}
END_TEST

START_TEST(too_many_words_or_too_long_payload_is_out_of_range)
{
    fx_reset();
    pair_t p = make_default_pair();
    ck_assert_uint_eq(as(p.server, MS_SYS_RECV, on(p.hs)), MS_OK);
    const uint64_t infos[] = {ms_info(1, 9, 0, 0), ms_info(1, 15, 0, 0), ms_info(1, 0, MS_MSG_PAYLOAD_MAX + 1, 0),
                              ms_info(1, 0, 0x1fff, 0)};
    for (unsigned i = 0; i < sizeof infos / sizeof infos[0]; i++) {
        ck_assert_uint_eq(as_rejected(p.client, MS_SYS_SEND, with_info(on(p.hc), infos[i])), MS_E_RANGE);
        ck_assert_uint_eq(as_rejected(p.client, MS_SYS_CALL, with_info(on(p.hc), infos[i])), MS_E_RANGE);
    }
}
END_TEST

START_TEST(send_on_a_receive_only_handle_lacks_rights)
{
    fx_reset();
    pair_t p = make_pair(10, 10, MS_RIGHT_RECV | MS_RIGHT_GRANT, 0);
    ck_assert_uint_eq(as(p.server, MS_SYS_RECV, on(p.hs)), MS_OK);
    ck_assert_uint_eq(as_rejected(p.client, MS_SYS_SEND, fx_msg(p.hc, 1, 0, NULL)), MS_E_RIGHTS);
    ck_assert_uint_eq(as_rejected(p.client, MS_SYS_TRY_SEND, fx_msg(p.hc, 1, 0, NULL)), MS_E_RIGHTS);
    ck_assert_uint_eq(as_rejected(p.client, MS_SYS_CALL, fx_msg(p.hc, 1, 0, NULL)), MS_E_RIGHTS);
}
END_TEST

START_TEST(recv_on_a_send_only_handle_lacks_rights)
{
    fx_reset();
    pair_t p = make_pair(10, 10, MS_RIGHT_SEND | MS_RIGHT_GRANT, 0);
    ms_handle_t other;
    thread_t *sender = another_client(&p, "sender", 0, &other);
    ck_assert_uint_eq(as(sender, MS_SYS_SEND, fx_msg(other, 1, 0, NULL)), MS_OK);
    ck_assert_uint_eq(as_rejected(p.client, MS_SYS_RECV, on(p.hc)), MS_E_RIGHTS);
    ck_assert_uint_eq(as_rejected(p.client, MS_SYS_TRY_RECV, on(p.hc)), MS_E_RIGHTS);
    ck_assert_uint_eq(as_rejected(p.client, MS_SYS_REPLY_RECV, on(p.hc)), MS_E_RIGHTS);
}
END_TEST

START_TEST(ipc_on_a_handle_that_is_no_endpoint)
{
    fx_reset();
    pair_t p = make_default_pair();
    ck_assert_uint_eq(as_rejected(p.client, MS_SYS_SEND, fx_msg(MS_HANDLE_SELF, 1, 0, NULL)), MS_E_BADHANDLE);
    ck_assert_uint_eq(as_rejected(p.client, MS_SYS_CALL, fx_msg(40, 1, 0, NULL)), MS_E_BADHANDLE);
    ck_assert_uint_eq(as_rejected(p.server, MS_SYS_RECV, on(MS_HANDLES_PER_TASK)), MS_E_BADHANDLE);
    ck_assert_uint_eq(as_rejected(p.server, MS_SYS_REPLY_RECV, on(MS_HANDLE_SELF)), MS_E_BADHANDLE);
}
END_TEST

START_TEST(reply_recv_on_a_bad_handle_does_not_reply)
{
    fx_reset();
    pair_t p = make_default_pair();
    call_delivered(&p, 1, 0, NULL);
    ck_assert_uint_eq(fx_syscall_rejected(p.server, MS_SYS_REPLY_RECV, on(33)), MS_E_BADHANDLE);
    ck_assert_int_eq(p.client->state, THREAD_BLOCKED_REPLY);
}
END_TEST

/* ---- the fast path ---- */

static unsigned fast_hits;

/* What k_syscall_entry does up to the switch: the fast path first when it is
 * enabled, else the ordinary dispatch and the scheduler. Returns t's rax. */
static uint64_t entry_syscall(thread_t *t, uint64_t nr, arch_regs_t regs)
{
    ck_assert_ptr_eq(k_cpu()->current, t);
    regs.rax = nr;
    regs.rip = t->regs.rip;
    regs.rsp = t->regs.rsp;
    t->regs = regs;
    thread_t *next = fastpath_enabled() ? fastpath_syscall(t) : NULL;
    if (next) {
        fast_hits++;
        next->state = THREAD_RUNNING;
        k_cpu()->current = next;
        k_cpu()->previous = next;
        return t->regs.rax;
    }
    syscall_dispatch(t);
    fx_schedule();
    return t->regs.rax;
}

START_TEST(round_trips_are_the_same_with_fast_path_on_and_off)
{
    fx_reset();
    fastpath_enable(_i);
    ck_assert_int_eq(fastpath_enabled(), _i);
    fast_hits = 0;
    pair_t p = make_pair(20, 10, CLIENT_RIGHTS, 6);
    fx_spawn("idle-ish", 1);
    ck_assert_ptr_eq(fx_schedule(), p.server);
    ck_assert_uint_eq(entry_syscall(p.server, MS_SYS_RECV, on(p.hs)), MS_OK);
    ck_assert_ptr_eq(k_cpu()->current, p.client);
    for (uint64_t round = 0; round < 3; round++) {
        const uint64_t w[2] = {round, 0x1000 + round};
        ck_assert_uint_eq(entry_syscall(p.client, MS_SYS_CALL, fx_msg(p.hc, 1, 2, w)), MS_OK);
        ck_assert_ptr_eq(k_cpu()->current, p.server);
        ck_assert_int_eq(p.server->state, THREAD_RUNNING);
        ck_assert_int_eq(p.client->state, THREAD_BLOCKED_REPLY);
        ck_assert_uint_eq(p.server->regs.rax, MS_OK);
        ck_assert_uint_eq(p.server->regs.rdi, 6);
        ck_assert_uint_eq(p.server->regs.rsi, ms_info(1, 2, 0, 0));
        ck_assert_uint_eq(p.server->regs.mr[1], 0x1000 + round);
        const uint64_t r[1] = {0x2000 + round};
        ck_assert_uint_eq(entry_syscall(p.server, MS_SYS_REPLY_RECV, fx_msg(p.hs, 2, 1, r)), MS_OK);
        ck_assert_ptr_eq(k_cpu()->current, p.client);
        ck_assert_int_eq(p.client->state, THREAD_RUNNING);
        ck_assert_int_eq(p.server->state, THREAD_BLOCKED_RECV);
        ck_assert_uint_eq(p.client->regs.rax, MS_OK);
        ck_assert_uint_eq(p.client->regs.rsi, ms_info(2, 1, 0, 0));
        ck_assert_uint_eq(p.client->regs.mr[0], 0x2000 + round);
    }
    ck_assert_uint_eq(fast_hits, _i ? 6 : 0);
    /* The same trace either way: a wait, then call, reply, wait per round. */
    k_trace_event_t ev;
    ck_assert_int_eq(fx_event(&ev), 1);
    ck_assert_uint_eq(ev.kind, K_EV_IPC_WAIT);
    for (unsigned round = 0; round < 3; round++) {
        static const unsigned kinds[3] = {K_EV_IPC_CALL, K_EV_IPC_REPLY, K_EV_IPC_WAIT};
        for (unsigned k = 0; k < 3; k++) {
            ck_assert_int_eq(fx_event(&ev), 1);
            ck_assert_str_eq(trace_kind_name(ev.kind), trace_kind_name(kinds[k]));
        }
        ck_assert_uint_eq(ev.a[1], K_WAIT_RECV);
    }
    ck_assert_int_eq(fx_event(&ev), 0);
}
END_TEST

START_TEST(fast_path_serves_only_when_enabled_and_eligible)
{
    fx_reset();
    fastpath_enable(_i);
    fast_hits = 0;
    pair_t p = make_pair(20, 10, CLIENT_RIGHTS, 0);
    fx_run(p.server);
    ck_assert_uint_eq(entry_syscall(p.server, MS_SYS_RECV, on(p.hs)), MS_OK);
    /* A payload sends the call the ordinary way: same result, no fast hit. */
    fill_payload(p.client, "abc", 3);
    ck_assert_uint_eq(entry_syscall(p.client, MS_SYS_CALL, with_info(on(p.hc), ms_info(1, 0, 3, 0))), MS_OK);
    ck_assert_ptr_eq(k_cpu()->current, p.server);
    ck_assert_int_eq(memcmp(fx_ipc_buffer(p.server), "abc", 3), 0);
    ck_assert_uint_eq(fast_hits, 0);
    ck_assert_uint_eq(entry_syscall(p.server, MS_SYS_REPLY_RECV, fx_msg(p.hs, 1, 0, NULL)), MS_OK);
    ck_assert_ptr_eq(k_cpu()->current, p.client);
    ck_assert_uint_eq(fast_hits, _i ? 1 : 0);
}
END_TEST

START_TEST(fast_path_switch_is_on_by_default)
{
    ck_assert_int_eq(fastpath_enabled(), 1);
    fastpath_enable(0);
    ck_assert_int_eq(fastpath_enabled(), 0);
    fastpath_enable(7);
    ck_assert_int_eq(fastpath_enabled(), 1);
}
END_TEST

/* Sets t's registers as a system call would (see fx_syscall). */
static void load_call(thread_t *t, uint64_t nr, arch_regs_t regs)
{
    regs.rax = nr;
    regs.rip = t->regs.rip;
    regs.rsp = t->regs.rsp;
    t->regs = regs;
}

/* Runs the fast path for t's call in regs; if it serves it, does what the
 * kernel entry does with the thread it returns. */
static thread_t *fast(thread_t *t, uint64_t nr, arch_regs_t regs)
{
    load_call(t, nr, regs);
    thread_t *next = fastpath_syscall(t);
    if (next) {
        next->state = THREAD_RUNNING;
        k_cpu()->current = next;
        k_cpu()->previous = next;
    }
    return next;
}

static void expect_decline(thread_t *t, uint64_t nr, arch_regs_t regs)
{
    load_call(t, nr, regs);
    fx_save_state();
    ck_assert_ptr_null(fastpath_syscall(t));
    fx_assert_state_unchanged();
}

#define SCENE_EVENTS 16

typedef struct events {
    k_trace_event_t ev[SCENE_EVENTS];
    unsigned n;
} events_t;

static void take_events(events_t *e)
{
    e->n = 0;
    while (e->n < SCENE_EVENTS && fx_event(&e->ev[e->n]))
        e->n++;
    ck_assert_int_eq(fx_event(&(k_trace_event_t){0}), 0);
}

static void assert_same_events(const events_t *a, const events_t *b)
{
    ck_assert_uint_eq(a->n, b->n);
    for (unsigned i = 0; i < a->n; i++) {
        const k_trace_event_t *x = &a->ev[i], *y = &b->ev[i];
        ck_assert_str_eq(trace_kind_name(x->kind), trace_kind_name(y->kind));
        ck_assert_uint_eq(x->seq, y->seq);
        ck_assert_uint_eq(x->time_ns, y->time_ns);
        ck_assert_uint_eq(x->actor_tid, y->actor_tid);
        ck_assert_uint_eq(x->peer_tid, y->peer_tid);
        ck_assert_str_eq(x->actor, y->actor);
        ck_assert_str_eq(x->peer, y->peer);
        for (unsigned k = 0; k < K_EV_ARGS; k++)
            ck_assert_msg(x->a[k] == y->a[k], "event %u (%s): a[%u] 0x%llx vs 0x%llx", i, trace_kind_name(x->kind), k,
                          (unsigned long long)x->a[k], (unsigned long long)y->a[k]);
    }
}

/* A fresh kernel: server (prio 20) waits in recv with stale words and rbx in
 * its registers, a low-priority bystander is ready, and the client (prio 10,
 * badge 3) is running. The server receives through a handle with the grant
 * right or, if !grant, through a receive-only one (p.hs then names that).
 * Events so far are dropped, and the ring's memory cleared so that unset
 * event arguments compare equal. */
static pair_t call_scene_with(int grant)
{
    fx_reset();
    k_trace_ring_t *ring = trace_ring();
    memset(ring->ev, 0, sizeof ring->ev);
    pair_t p = make_pair(20, 10, CLIENT_RIGHTS, 3);
    if (!grant)
        p.hs = fx_share(p.server->task, p.server->task, p.hs, MS_RIGHT_RECV, 0);
    fx_spawn("bystander", 5);
    fx_run(p.server);
    ck_assert_uint_eq(fx_syscall(p.server, MS_SYS_RECV, on(p.hs)), MS_OK);
    set_words(p.server, 0xe0);
    p.server->regs.rbx = 0xbb;
    fx_run(p.client);
    fx_drop_events();
    return p;
}

static pair_t call_scene(void)
{
    return call_scene_with(1);
}

static arch_regs_t client_call(const pair_t *p)
{
    arch_regs_t m = fx_msg(p->hc, 0x77, 3, (const uint64_t[]){1, 2, 3});
    for (unsigned i = 3; i < MS_MSG_WORDS; i++)
        m.mr[i] = 0xc0 + i; /* beyond the count */
    m.rbx = 0xcc;           /* no handle flag: not transferred */
    return m;
}

START_TEST(fast_call_leaves_the_same_state_as_the_ordinary_path)
{
    events_t fast_events, slow_events;
    pair_t p = call_scene_with(_i);
    ck_assert_ptr_eq(fast(p.client, MS_SYS_CALL, client_call(&p)), p.server);
    take_events(&fast_events);
    fx_save_state();

    p = call_scene_with(_i);
    ck_assert_uint_eq(fx_syscall(p.client, MS_SYS_CALL, client_call(&p)), MS_OK);
    ck_assert_ptr_eq(fx_schedule(), p.server);
    take_events(&slow_events);
    fx_assert_state_unchanged();
    assert_same_events(&fast_events, &slow_events);
    ck_assert_uint_eq(slow_events.n, 1);
    ck_assert_uint_eq(p.server->regs.mr[5], 0xe5);
    ck_assert_uint_eq(p.server->regs.rbx, 0xbb);
}
END_TEST

/* The call scene, with the call delivered (ordinary path) and the server running. */
static pair_t reply_scene_with(int grant)
{
    pair_t p = call_scene_with(grant);
    ck_assert_uint_eq(fx_syscall(p.client, MS_SYS_CALL, client_call(&p)), MS_OK);
    ck_assert_ptr_eq(fx_schedule(), p.server);
    fx_drop_events();
    return p;
}

static pair_t reply_scene(void)
{
    return reply_scene_with(1);
}

static arch_regs_t server_reply(const pair_t *p)
{
    arch_regs_t m = fx_msg(p->hs, 0x78, 2, (const uint64_t[]){0x51, 0x52});
    m.mr[7] = 0xbad;
    return m;
}

START_TEST(fast_reply_recv_leaves_the_same_state_as_the_ordinary_path)
{
    events_t fast_events, slow_events;
    pair_t p = reply_scene_with(_i);
    ck_assert_ptr_eq(fast(p.server, MS_SYS_REPLY_RECV, server_reply(&p)), p.client);
    take_events(&fast_events);
    fx_save_state();

    p = reply_scene_with(_i);
    ck_assert_uint_eq(fx_syscall(p.server, MS_SYS_REPLY_RECV, server_reply(&p)), MS_OK);
    ck_assert_ptr_eq(fx_schedule(), p.client);
    take_events(&slow_events);
    fx_assert_state_unchanged();
    assert_same_events(&fast_events, &slow_events);
    ck_assert_uint_eq(slow_events.n, 2);
    ck_assert_uint_eq(p.client->regs.mr[7], 0xc7);
}
END_TEST

START_TEST(fast_call_declines_a_payload)
{
    pair_t p = call_scene();
    expect_decline(p.client, MS_SYS_CALL, with_info(client_call(&p), ms_info(0x77, 3, 8, 0)));
}
END_TEST

START_TEST(fast_call_declines_a_handle)
{
    pair_t p = call_scene();
    arch_regs_t m = with_info(client_call(&p), ms_info(0x77, 3, 0, 1));
    m.rbx = MS_HANDLE_SELF;
    expect_decline(p.client, MS_SYS_CALL, m);
}
END_TEST

START_TEST(fast_call_declines_a_malformed_info)
{
    pair_t p = call_scene();
    expect_decline(p.client, MS_SYS_CALL, with_info(client_call(&p), ms_info(0x77, 3, 0, 0) | (1u << 7)));
    expect_decline(p.client, MS_SYS_CALL, with_info(client_call(&p), ms_info(0x77, 9, 0, 0)));
}
END_TEST

START_TEST(fast_call_declines_when_no_receiver_waits)
{
    fx_reset();
    pair_t p = make_pair(20, 10, CLIENT_RIGHTS, 3);
    fx_run(p.client);
    expect_decline(p.client, MS_SYS_CALL, client_call(&p));
}
END_TEST

START_TEST(fast_call_declines_when_an_equal_priority_thread_is_ready)
{
    pair_t p = call_scene();
    fx_spawn("peer", 20);
    expect_decline(p.client, MS_SYS_CALL, client_call(&p));
}
END_TEST

START_TEST(fast_call_declines_when_a_higher_priority_thread_is_ready)
{
    pair_t p = call_scene();
    fx_spawn("urgent", 21);
    expect_decline(p.client, MS_SYS_CALL, client_call(&p));
}
END_TEST

START_TEST(fast_call_declines_a_bad_handle)
{
    pair_t p = call_scene();
    expect_decline(p.client, MS_SYS_CALL, with_info(on(33), ms_info(1, 0, 0, 0)));
    expect_decline(p.client, MS_SYS_CALL, with_info(on(MS_HANDLE_SELF), ms_info(1, 0, 0, 0)));
    ms_handle_t recv_only = fx_share(p.client->task, p.server->task, p.hs, MS_RIGHT_RECV, 0);
    expect_decline(p.client, MS_SYS_CALL, with_info(on(recv_only), ms_info(1, 0, 0, 0)));
}
END_TEST

START_TEST(fast_path_declines_other_calls)
{
    pair_t p = call_scene();
    expect_decline(p.client, MS_SYS_SEND, client_call(&p));
    expect_decline(p.client, MS_SYS_TRY_SEND, client_call(&p));
    expect_decline(p.client, MS_SYS_REPLY, client_call(&p));
    expect_decline(p.client, MS_SYS_YIELD, client_call(&p));
    expect_decline(p.client, UINT64_MAX, client_call(&p));
}
END_TEST

START_TEST(fast_reply_recv_declines_without_a_caller)
{
    pair_t p = call_scene();
    thread_t *r2 = fx_thread(p.server->task, 20);
    fx_run(r2);
    expect_decline(r2, MS_SYS_REPLY_RECV, server_reply(&p));
}
END_TEST

START_TEST(fast_reply_recv_declines_when_a_sender_is_queued)
{
    pair_t p = reply_scene();
    ms_handle_t h2;
    thread_t *c2 = another_client(&p, "c2", 9, &h2);
    fx_run(c2);
    ck_assert_uint_eq(fx_syscall(c2, MS_SYS_SEND, fx_msg(h2, 1, 0, NULL)), MS_OK);
    fx_run(p.server);
    expect_decline(p.server, MS_SYS_REPLY_RECV, server_reply(&p));
}
END_TEST

START_TEST(fast_reply_recv_declines_when_an_equal_priority_thread_is_ready)
{
    pair_t p = reply_scene();
    fx_spawn("peer", 10);
    expect_decline(p.server, MS_SYS_REPLY_RECV, server_reply(&p));
}
END_TEST

START_TEST(fast_reply_recv_declines_a_payload_or_handle)
{
    pair_t p = reply_scene();
    expect_decline(p.server, MS_SYS_REPLY_RECV, with_info(server_reply(&p), ms_info(0x78, 2, 1, 0)));
    arch_regs_t m = with_info(server_reply(&p), ms_info(0x78, 2, 0, 1));
    m.rbx = MS_HANDLE_SELF;
    expect_decline(p.server, MS_SYS_REPLY_RECV, m);
}
END_TEST

START_TEST(fast_reply_recv_declines_a_bad_handle)
{
    pair_t p = reply_scene();
    expect_decline(p.server, MS_SYS_REPLY_RECV, with_info(on(44), ms_info(1, 0, 0, 0)));
    ms_handle_t send_only = fx_share(p.server->task, p.server->task, p.hs, MS_RIGHT_SEND, 0);
    expect_decline(p.server, MS_SYS_REPLY_RECV, with_info(on(send_only), ms_info(1, 0, 0, 0)));
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("ipc");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, send_then_recv_delivers_and_wakes_sender);
    tcase_add_test(tc, recv_then_send_delivers_and_wakes_receiver);
    tcase_add_test(tc, try_send_without_receiver_would_block_and_changes_nothing);
    tcase_add_test(tc, try_recv_without_sender_would_block_and_changes_nothing);
    tcase_add_test(tc, try_send_to_waiting_receiver_delivers);
    tcase_add_test(tc, try_recv_with_queued_sender_receives);
    tcase_add_test(tc, call_then_recv_links_caller_and_server);
    tcase_add_test(tc, recv_then_call_links_caller_and_server);
    tcase_add_test(tc, reply_delivers_words_and_wakes_caller);
    tcase_add_test(tc, reply_without_caller_is_noreply);
    tcase_add_test(tc, reply_recv_with_queued_sender_receives_at_once);
    tcase_add_test(tc, reply_recv_without_sender_replies_then_blocks);
    tcase_add_test(tc, reply_recv_without_pending_caller_only_receives);
    tcase_add_test(tc, malformed_reply_changes_nothing);
    tcase_add_test(tc, reply_after_the_caller_died_is_noreply);
    tcase_add_test(tc, senders_are_served_in_fifo_order);
    tcase_add_test(tc, receivers_are_served_in_fifo_order);
    tcase_add_test(tc, badge_of_minted_handle_arrives_in_rdi);
    tcase_add_test(tc, unbadged_handle_delivers_badge_zero);
    tcase_add_test(tc, payload_is_copied_when_sender_comes_first);
    tcase_add_test(tc, payload_is_copied_when_receiver_comes_first);
    tcase_add_test(tc, reply_payload_lands_in_the_callers_buffer);
    tcase_add_test(tc, largest_payload_is_copied_whole);
    tcase_add_test(tc, words_beyond_the_count_are_not_copied);
    tcase_add_test(tc, all_eight_words_are_copied);
    tcase_add_test(tc, handle_transfer_without_grant_fails_and_moves_nothing);
    tcase_add_test(tc, handle_transfer_with_grant_gives_receiver_a_copy);
    tcase_add_test(tc, handle_transfer_from_a_queued_sender);
    tcase_add_test(tc, handle_transfer_of_a_bad_handle_is_rejected);
    tcase_add_test(tc, handle_transfer_into_a_full_table_arrives_without_handle);
    tcase_add_test(tc, reply_may_carry_a_handle_only_with_grant);
    tcase_add_test(tc, recv_without_reply_aborts_the_pending_caller);
    tcase_add_test(tc, try_recv_that_would_block_keeps_the_pending_caller);
    tcase_add_test(tc, killing_the_server_wakes_its_caller_with_dead);
    tcase_add_test(tc, ending_the_server_task_wakes_its_caller_with_dead);
    tcase_add_test(tc, killing_the_caller_cuts_the_reply_link);
    tcase_add_test(tc, killing_a_queued_sender_removes_it_from_the_queue);
    tcase_add_test(tc, killing_a_queued_receiver_removes_it_from_the_queue);
    tcase_add_test(tc, closing_the_last_handle_wakes_receivers_with_dead);
    tcase_add_test(tc, closing_the_last_handle_wakes_senders_with_dead);
    tcase_add_test(tc, closing_another_handle_keeps_waiters_blocked);
    tcase_add_test(tc, reserved_info_bits_are_invalid);
    tcase_add_test(tc, too_many_words_or_too_long_payload_is_out_of_range);
    tcase_add_test(tc, send_on_a_receive_only_handle_lacks_rights);
    tcase_add_test(tc, recv_on_a_send_only_handle_lacks_rights);
    tcase_add_test(tc, ipc_on_a_handle_that_is_no_endpoint);
    tcase_add_test(tc, reply_recv_on_a_bad_handle_does_not_reply);
    suite_add_tcase(s, tc);
    TCase *fp = tcase_create("fastpath");
    tcase_add_test(fp, fast_path_switch_is_on_by_default); /* first: before any test switches it */
    tcase_add_loop_test(fp, round_trips_are_the_same_with_fast_path_on_and_off, 0, 2);
    tcase_add_loop_test(fp, fast_path_serves_only_when_enabled_and_eligible, 0, 2);
    /* _i: whether the server receives through a handle with the grant right. */
    tcase_add_loop_test(fp, fast_call_leaves_the_same_state_as_the_ordinary_path, 0, 2);
    tcase_add_loop_test(fp, fast_reply_recv_leaves_the_same_state_as_the_ordinary_path, 0, 2);
    tcase_add_test(fp, fast_call_declines_a_payload);
    tcase_add_test(fp, fast_call_declines_a_handle);
    tcase_add_test(fp, fast_call_declines_a_malformed_info);
    tcase_add_test(fp, fast_call_declines_when_no_receiver_waits);
    tcase_add_test(fp, fast_call_declines_when_an_equal_priority_thread_is_ready);
    tcase_add_test(fp, fast_call_declines_when_a_higher_priority_thread_is_ready);
    tcase_add_test(fp, fast_call_declines_a_bad_handle);
    tcase_add_test(fp, fast_path_declines_other_calls);
    tcase_add_test(fp, fast_reply_recv_declines_without_a_caller);
    tcase_add_test(fp, fast_reply_recv_declines_when_a_sender_is_queued);
    tcase_add_test(fp, fast_reply_recv_declines_when_an_equal_priority_thread_is_ready);
    tcase_add_test(fp, fast_reply_recv_declines_a_payload_or_handle);
    tcase_add_test(fp, fast_reply_recv_declines_a_bad_handle);
    suite_add_tcase(s, fp);
    return s;
}

CHECK_MAIN(make_suite)
