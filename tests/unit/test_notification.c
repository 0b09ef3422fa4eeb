/* Notifications (kernel/object/notification.c) through their system calls: signal, wait, poll. */
#include "fixture.h"
#include "handle.h"
#include "object/notification.h"

static thread_t *waiter, *signaller;
static ms_handle_t w_h, s_h;

/* A notification the waiter may wait on and the signaller may signal. */
static void setup(void)
{
    fx_reset();
    waiter = fx_spawn("waiter", 20);
    signaller = fx_spawn("signaller", 10);
    fx_run(waiter);
    ck_assert_uint_eq(fx_syscall(waiter, MS_SYS_NOTIFICATION_CREATE, (arch_regs_t){0}), MS_OK);
    w_h = (ms_handle_t)waiter->regs.rdi;
    s_h = fx_share(signaller->task, waiter->task, w_h, MS_RIGHT_SEND, 0);
    fx_drop_events();
}

static arch_regs_t on(ms_handle_t h, uint64_t bits)
{
    return (arch_regs_t){.rdi = h, .rsi = bits};
}

START_TEST(create_gives_send_and_receive)
{
    setup();
    handle_entry_t *e;
    ck_assert_int_eq(handle_lookup(&waiter->task->handles, w_h, KOBJ_NOTIFICATION, 0, &e), MS_OK);
    ck_assert_uint_eq(e->rights, MS_RIGHT_SEND | MS_RIGHT_RECV);
}
END_TEST

START_TEST(wait_blocks_until_a_signal_and_takes_all_bits)
{
    setup();
    ck_assert_uint_eq(fx_syscall(waiter, MS_SYS_WAIT, on(w_h, 0)), MS_OK);
    ck_assert_int_eq(waiter->state, THREAD_BLOCKED_NOTIFY);
    ck_assert_ptr_eq(fx_schedule(), signaller);
    ck_assert_uint_eq(fx_syscall(signaller, MS_SYS_SIGNAL, on(s_h, 0x5)), MS_OK);
    ck_assert_int_eq(waiter->state, THREAD_READY);
    ck_assert_uint_eq(waiter->regs.rdi, 0x5);
    ck_assert_uint_eq(waiter->regs.rax, MS_OK);
    k_trace_event_t ev;
    ck_assert_int_eq(fx_find_event(K_EV_NOTIFY, &ev), 1);
    ck_assert_uint_eq(ev.actor_tid, thread_tid(signaller));
    ck_assert_uint_eq(ev.peer_tid, thread_tid(waiter));
    ck_assert_uint_eq(ev.a[1], 0x5);
}
END_TEST

START_TEST(signals_accumulate_until_taken)
{
    setup();
    fx_run(signaller);
    ck_assert_uint_eq(fx_syscall(signaller, MS_SYS_SIGNAL, on(s_h, 0x1)), MS_OK);
    ck_assert_uint_eq(fx_syscall(signaller, MS_SYS_SIGNAL, on(s_h, 0x8)), MS_OK);
    fx_run(waiter);
    ck_assert_uint_eq(fx_syscall(waiter, MS_SYS_WAIT, on(w_h, 0)), MS_OK);
    ck_assert_int_eq(waiter->state, THREAD_RUNNING);
    ck_assert_uint_eq(waiter->regs.rdi, 0x9);
    ck_assert_uint_eq(fx_syscall(waiter, MS_SYS_POLL, on(w_h, 0)), MS_OK);
    ck_assert_uint_eq(waiter->regs.rdi, 0);
}
END_TEST

START_TEST(poll_never_blocks)
{
    setup();
    ck_assert_uint_eq(fx_syscall(waiter, MS_SYS_POLL, on(w_h, 0)), MS_OK);
    ck_assert_int_eq(waiter->state, THREAD_RUNNING);
    ck_assert_uint_eq(waiter->regs.rdi, 0);
}
END_TEST

START_TEST(oldest_waiter_wakes_first)
{
    setup();
    thread_t *second = fx_thread(waiter->task, 20);
    ck_assert_uint_eq(fx_syscall(waiter, MS_SYS_WAIT, on(w_h, 0)), MS_OK);
    fx_run(second);
    ck_assert_uint_eq(fx_syscall(second, MS_SYS_WAIT, on(w_h, 0)), MS_OK);
    fx_run(signaller);
    ck_assert_uint_eq(fx_syscall(signaller, MS_SYS_SIGNAL, on(s_h, 2)), MS_OK);
    ck_assert_int_eq(waiter->state, THREAD_READY);
    ck_assert_int_eq(second->state, THREAD_BLOCKED_NOTIFY);
}
END_TEST

START_TEST(rights_are_checked)
{
    setup();
    fx_run(signaller);
    ck_assert_uint_eq(fx_syscall_rejected(signaller, MS_SYS_WAIT, on(s_h, 0)), MS_E_RIGHTS);
    ck_assert_uint_eq(fx_syscall_rejected(signaller, MS_SYS_POLL, on(s_h, 0)), MS_E_RIGHTS);
    ms_handle_t recv_only = fx_share(signaller->task, waiter->task, w_h, MS_RIGHT_RECV, 0);
    ck_assert_uint_eq(fx_syscall_rejected(signaller, MS_SYS_SIGNAL, on(recv_only, 1)), MS_E_RIGHTS);
    ck_assert_uint_eq(fx_syscall_rejected(signaller, MS_SYS_SIGNAL, on(MS_HANDLE_SELF, 1)), MS_E_BADHANDLE);
}
END_TEST

START_TEST(destroying_it_wakes_waiters_with_dead)
{
    setup();
    ck_assert_uint_eq(fx_syscall(waiter, MS_SYS_WAIT, on(w_h, 0)), MS_OK);
    fx_run(signaller);
    ck_assert_uint_eq(fx_syscall(signaller, MS_SYS_HANDLE_CLOSE, (arch_regs_t){.rdi = s_h}), MS_OK);
    ck_assert_int_eq(waiter->state, THREAD_BLOCKED_NOTIFY); /* its own handle still holds it */
    handle_entry_t *e;
    ck_assert_int_eq(handle_lookup(&waiter->task->handles, w_h, KOBJ_NOTIFICATION, 0, &e), MS_OK);
    ck_assert_int_eq(handle_close(&waiter->task->handles, w_h), MS_OK);
    ck_assert_int_eq(waiter->state, THREAD_READY);
    ck_assert_uint_eq(waiter->regs.rax, MS_E_DEAD);
}
END_TEST

START_TEST(killing_a_waiter_takes_it_off_the_queue)
{
    setup();
    thread_t *second = fx_thread(waiter->task, 20);
    fx_run(second);
    ck_assert_uint_eq(fx_syscall(second, MS_SYS_WAIT, on(w_h, 0)), MS_OK);
    thread_kill(second);
    fx_schedule();
    fx_run(signaller);
    ck_assert_uint_eq(fx_syscall(signaller, MS_SYS_SIGNAL, on(s_h, 4)), MS_OK);
    fx_run(waiter);
    ck_assert_uint_eq(fx_syscall(waiter, MS_SYS_POLL, on(w_h, 0)), MS_OK);
    ck_assert_uint_eq(waiter->regs.rdi, 4); /* nobody took it */
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("notification");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, create_gives_send_and_receive);
    tcase_add_test(tc, wait_blocks_until_a_signal_and_takes_all_bits);
    tcase_add_test(tc, signals_accumulate_until_taken);
    tcase_add_test(tc, poll_never_blocks);
    tcase_add_test(tc, oldest_waiter_wakes_first);
    tcase_add_test(tc, rights_are_checked);
    tcase_add_test(tc, destroying_it_wakes_waiters_with_dead);
    tcase_add_test(tc, killing_a_waiter_takes_it_off_the_queue);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
