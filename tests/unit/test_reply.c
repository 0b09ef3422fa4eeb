/* Deferred replies: reply_save and reply_with (kernel/object/reply.c, kernel/ipc.c). */
#include <check.h>

#include "fixture.h"
#include "object/reply.h"

typedef struct pair {
    thread_t *server, *client, *client2;
    ms_handle_t hs, hc, hc2;
} pair_t;

static uint64_t run(thread_t *t, uint64_t nr, arch_regs_t regs)
{
    fx_run(t);
    return fx_syscall(t, nr, regs);
}

/* A server and two clients of its endpoint (the clients' handles with the
 * grant right, the server's without). */
static pair_t make_pair(void)
{
    pair_t p = {.server = fx_spawn("server", 10), .client = fx_spawn("client", 10), .client2 = fx_spawn("other", 10)};
    p.hs = fx_endpoint(p.server->task, MS_RIGHT_RECV);
    p.hc = fx_share(p.client->task, p.server->task, p.hs, MS_RIGHT_SEND | MS_RIGHT_GRANT, 0);
    p.hc2 = fx_share(p.client2->task, p.server->task, p.hs, MS_RIGHT_SEND, 0);
    return p;
}

/* The server receives a call from client with word w and saves its reply;
 * returns the reply handle. */
static ms_handle_t call_and_save(pair_t *p, thread_t *client, ms_handle_t h, uint64_t w)
{
    ck_assert_uint_eq(run(p->server, MS_SYS_RECV, (arch_regs_t){.rdi = p->hs}), MS_OK);
    ck_assert_uint_eq(run(client, MS_SYS_CALL, fx_msg(h, 1, 1, &w)), MS_OK);
    ck_assert_int_eq(client->state, THREAD_BLOCKED_REPLY);
    ck_assert_uint_eq(run(p->server, MS_SYS_REPLY_SAVE, (arch_regs_t){0}), MS_OK);
    ck_assert_ptr_null(p->server->reply_to);
    return (ms_handle_t)p->server->regs.rdi;
}

START_TEST(a_saved_reply_is_answered_after_other_calls)
{
    fx_reset();
    pair_t p = make_pair();
    ms_handle_t r = call_and_save(&p, p.client, p.hc, 5);
    /* the server goes on: another client's call is served at once */
    const uint64_t w2 = 7;
    ck_assert_uint_eq(run(p.server, MS_SYS_RECV, (arch_regs_t){.rdi = p.hs}), MS_OK);
    ck_assert_uint_eq(run(p.client2, MS_SYS_CALL, fx_msg(p.hc2, 2, 1, &w2)), MS_OK);
    ck_assert_int_eq(p.client->state, THREAD_BLOCKED_REPLY); /* not abandoned by the receive */
    const uint64_t answer2 = 8;
    ck_assert_uint_eq(run(p.server, MS_SYS_REPLY, fx_msg(0, 0, 1, &answer2)), MS_OK);
    ck_assert_uint_eq(p.client2->regs.mr[0], 8);
    /* then the first is answered through the saved reply */
    const uint64_t answer = 6;
    ck_assert_uint_eq(run(p.server, MS_SYS_REPLY_WITH, fx_msg(r, 0, 1, &answer)), MS_OK);
    ck_assert_int_eq(p.client->state, THREAD_READY);
    ck_assert_uint_eq(p.client->regs.rax, MS_OK);
    ck_assert_uint_eq(p.client->regs.mr[0], 6);
    ck_assert_ptr_null(p.server->task->handles.slot[r].obj); /* the handle is used up */
    k_trace_event_t ev;
    ck_assert(fx_find_event(K_EV_IPC_REPLY, &ev));
}
END_TEST

START_TEST(reply_save_with_no_reply_owed_is_noreply)
{
    fx_reset();
    pair_t p = make_pair();
    fx_run(p.server);
    ck_assert_uint_eq(fx_syscall_rejected(p.server, MS_SYS_REPLY_SAVE, (arch_regs_t){0}), MS_E_NOREPLY);
}
END_TEST

START_TEST(closing_a_saved_reply_unanswered_fails_the_caller)
{
    fx_reset();
    pair_t p = make_pair();
    ms_handle_t r = call_and_save(&p, p.client, p.hc, 5);
    ck_assert_uint_eq(run(p.server, MS_SYS_HANDLE_CLOSE, (arch_regs_t){.rdi = r}), MS_OK);
    ck_assert_int_eq(p.client->state, THREAD_READY);
    ck_assert_uint_eq(p.client->regs.rax, MS_E_DEAD);
}
END_TEST

START_TEST(the_end_of_the_server_fails_a_saved_caller)
{
    fx_reset();
    pair_t p = make_pair();
    call_and_save(&p, p.client, p.hc, 5);
    fx_run(p.server);
    fx_syscall(p.server, MS_SYS_EXIT, (arch_regs_t){0});
    ck_assert_uint_eq(p.client->regs.rax, MS_E_DEAD);
    ck_assert_int_eq(p.client->state, THREAD_READY);
}
END_TEST

START_TEST(handle_info_tells_a_saved_reply_whose_caller_waits)
{
    fx_reset();
    pair_t p = make_pair();
    ms_handle_t r = call_and_save(&p, p.client, p.hc, 5);
    ck_assert_uint_eq(fx_syscall(p.server, MS_SYS_HANDLE_INFO, (arch_regs_t){.rdi = r}), MS_OK);
    ck_assert_uint_eq(p.server->regs.rdi, MS_OBJ_REPLY);
}
END_TEST

START_TEST(answering_a_caller_that_is_gone_is_dead)
{
    fx_reset();
    pair_t p = make_pair();
    ms_handle_t r = call_and_save(&p, p.client, p.hc, 5);
    ms_handle_t victim = fx_share(p.server->task, p.client->task, MS_HANDLE_SELF, MS_RIGHT_CONTROL, 0);
    ck_assert_uint_eq(run(p.server, MS_SYS_KILL, (arch_regs_t){.rdi = victim}), MS_OK);
    ck_assert_uint_eq(fx_syscall_rejected(p.server, MS_SYS_HANDLE_INFO, (arch_regs_t){.rdi = r}), MS_E_DEAD);
    const uint64_t answer = 6;
    ck_assert_uint_eq(fx_syscall_rejected(p.server, MS_SYS_REPLY_WITH, fx_msg(r, 0, 1, &answer)), MS_E_DEAD);
    fx_syscall(p.server, MS_SYS_HANDLE_CLOSE, (arch_regs_t){.rdi = r});
    ck_assert_ptr_null(p.server->task->handles.slot[r].obj);
}
END_TEST

START_TEST(reply_with_needs_a_reply_handle)
{
    fx_reset();
    pair_t p = make_pair();
    ms_handle_t r = call_and_save(&p, p.client, p.hc, 5);
    const uint64_t answer = 6;
    ck_assert_uint_eq(fx_syscall_rejected(p.server, MS_SYS_REPLY_WITH, fx_msg(p.hs, 0, 1, &answer)),
                      MS_E_BADHANDLE);
    ck_assert_uint_eq(fx_syscall_rejected(p.server, MS_SYS_REPLY_WITH, fx_msg(63, 0, 1, &answer)), MS_E_BADHANDLE);
    ck_assert_int_eq(p.client->state, THREAD_BLOCKED_REPLY);
    ck_assert_ptr_nonnull(p.server->task->handles.slot[r].obj);
}
END_TEST

START_TEST(a_saved_reply_carries_a_handle_only_if_the_call_could)
{
    fx_reset();
    pair_t p = make_pair();
    ms_handle_t r = call_and_save(&p, p.client, p.hc, 5); /* the server's handle lacks the grant right */
    arch_regs_t m = fx_msg(r, 0, 0, NULL);
    m.rsi = ms_info(0, 0, 0, 1);
    m.rbx = p.hs;
    ck_assert_uint_eq(fx_syscall_rejected(p.server, MS_SYS_REPLY_WITH, m), MS_E_RIGHTS);
    ck_assert_int_eq(p.client->state, THREAD_BLOCKED_REPLY);
}
END_TEST

START_TEST(a_malformed_answer_leaves_the_reply_saved)
{
    fx_reset();
    pair_t p = make_pair();
    ms_handle_t r = call_and_save(&p, p.client, p.hc, 5);
    arch_regs_t m = fx_msg(r, 0, 0, NULL);
    m.rsi = ms_info(0, 9, 0, 0) | (1ull << 6); /* a reserved bit */
    ck_assert_uint_eq(fx_syscall_rejected(p.server, MS_SYS_REPLY_WITH, m), MS_E_INVAL);
    ck_assert_ptr_nonnull(p.server->task->handles.slot[r].obj);
    const uint64_t answer = 6;
    ck_assert_uint_eq(fx_syscall(p.server, MS_SYS_REPLY_WITH, fx_msg(r, 0, 1, &answer)), MS_OK);
    ck_assert_uint_eq(p.client->regs.mr[0], 6);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("reply");
    TCase *tc = tcase_create("deferred replies");
    tcase_add_test(tc, a_saved_reply_is_answered_after_other_calls);
    tcase_add_test(tc, reply_save_with_no_reply_owed_is_noreply);
    tcase_add_test(tc, closing_a_saved_reply_unanswered_fails_the_caller);
    tcase_add_test(tc, the_end_of_the_server_fails_a_saved_caller);
    tcase_add_test(tc, handle_info_tells_a_saved_reply_whose_caller_waits);
    tcase_add_test(tc, answering_a_caller_that_is_gone_is_dead);
    tcase_add_test(tc, reply_with_needs_a_reply_handle);
    tcase_add_test(tc, a_saved_reply_carries_a_handle_only_if_the_call_could);
    tcase_add_test(tc, a_malformed_answer_leaves_the_reply_saved);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
