/* CPU exceptions of user threads (kernel/exception.c): fault IPC to the task's handler, resume, kill. */
#include "cpu.h"
#include "exception.h"
#include "fastpath.h"
#include "fixture.h"
#include "interrupt.h"
#include "object/endpoint.h"
#include "sched.h"

/* A faulting thread f (running) and, in another task, a handler h waiting
 * in recv on the fault endpoint (unless told not to wait). */
static thread_t *f, *h;
static ms_handle_t h_ep;

static void setup(int handler_waits)
{
    fx_reset();
    h = fx_spawn("handler", 20);
    f = fx_spawn("faulty", 10);
    h_ep = fx_endpoint(h->task, MS_RIGHTS_ALL);
    handle_entry_t *e;
    ck_assert_int_eq(handle_lookup(&h->task->handles, h_ep, KOBJ_ENDPOINT, 0, &e), MS_OK);
    task_set_fault_handler(f->task, (endpoint_t *)e->obj, 77);
    if (handler_waits) {
        fx_run(h);
        ck_assert_uint_eq(fx_syscall(h, MS_SYS_RECV, fx_msg(h_ep, 0, 0, NULL)), MS_OK);
    }
    fx_run(f);
    f->regs.rip = 0x4000;
    f->regs.rax = 1234;
    f->regs.full = 1;
    fx_drop_events();
}

static void fault(unsigned vector, uint64_t error, uint64_t addr)
{
    interrupt_dispatch(vector, error, addr);
    fx_schedule();
}

START_TEST(no_handler_kills_the_task_and_says_why)
{
    fx_reset();
    thread_t *t = fx_spawn("alone", 10);
    fx_run(t);
    fx_drop_events();
    fault(13, 0, 0);
    ck_assert_int_eq(t->task->state, TASK_KILLED);
    k_trace_event_t ev;
    ck_assert_int_eq(fx_find_event(K_EV_EXCEPTION, &ev), 1);
    ck_assert_uint_eq(ev.a[0], 13);
    ck_assert_uint_eq(ev.actor_tid, thread_tid(t));
    ck_assert_int_eq(fx_find_event(K_EV_TASK_KILL, &ev), 1);
    ck_assert_uint_eq(ev.a[1], K_REASON_EXCEPTION);
}
END_TEST

START_TEST(handler_receives_the_fault_report)
{
    setup(1);
    fault(14, 6, 0xdead0000);
    ck_assert_int_eq(f->state, THREAD_BLOCKED_REPLY);
    ck_assert_ptr_eq(h->reply_to, f);
    ck_assert_uint_eq(ms_info_label(h->regs.rsi), MS_FAULT_LABEL);
    ck_assert_uint_eq(ms_info_words(h->regs.rsi), MS_FAULT_WORDS);
    ck_assert_uint_eq(h->regs.mr[0], 14);
    ck_assert_uint_eq(h->regs.mr[1], 6);
    ck_assert_uint_eq(h->regs.mr[2], 0xdead0000);
    ck_assert_uint_eq(h->regs.mr[3], 0x4000);
    ck_assert_uint_eq(h->regs.rdi, 77);
    /* The trace leaves the instruction pointer out: hosted, it is a host address. */
    k_trace_event_t ev;
    ck_assert_int_eq(fx_find_event(K_EV_IPC_CALL, &ev), 1);
    ck_assert_uint_eq(ms_info_words(ev.a[K_EV_ARG_INFO]), MS_FAULT_TRACED_WORDS);
    /* The faulting thread's own registers are untouched. */
    ck_assert_uint_eq(f->regs.rax, 1234);
    ck_assert_uint_eq(f->regs.rip, 0x4000);
}
END_TEST

START_TEST(handler_not_yet_waiting_gets_it_later)
{
    setup(0);
    fault(6, 0, 0);
    ck_assert_int_eq(f->state, THREAD_BLOCKED_SEND);
    fx_run(h);
    ck_assert_uint_eq(fx_syscall(h, MS_SYS_RECV, fx_msg(h_ep, 0, 0, NULL)), MS_OK);
    ck_assert_uint_eq(h->regs.mr[0], 6);
    ck_assert_int_eq(f->state, THREAD_BLOCKED_REPLY);
}
END_TEST

START_TEST(resume_at_a_new_address)
{
    setup(1);
    fault(3, 0, 0);
    fx_run(h);
    const uint64_t w[2] = {MS_FAULT_RESUME, 0x5000};
    ck_assert_uint_eq(fx_syscall(h, MS_SYS_REPLY, fx_msg(0, 0, 2, w)), MS_OK);
    ck_assert_int_eq(f->state, THREAD_READY);
    ck_assert_uint_eq(f->regs.rip, 0x5000);
    ck_assert_uint_eq(f->regs.rax, 1234); /* not a message: its registers stay */
    ck_assert_uint_eq(f->regs.full, 1);
    ck_assert_int_eq(f->faulting, 0);
}
END_TEST

START_TEST(resume_where_it_was)
{
    setup(1);
    fault(3, 0, 0);
    fx_run(h);
    const uint64_t w[2] = {MS_FAULT_RESUME, 0};
    ck_assert_uint_eq(fx_syscall(h, MS_SYS_REPLY, fx_msg(0, 0, 2, w)), MS_OK);
    ck_assert_uint_eq(f->regs.rip, 0x4000);
}
END_TEST

START_TEST(handler_may_order_the_kill)
{
    setup(1);
    fault(6, 0, 0);
    fx_run(h);
    const uint64_t w[1] = {MS_FAULT_KILL};
    ck_assert_uint_eq(fx_syscall(h, MS_SYS_REPLY, fx_msg(0, 0, 1, w)), MS_OK);
    ck_assert_int_eq(f->task->state, TASK_KILLED);
}
END_TEST

START_TEST(a_handler_that_moves_on_lets_it_die)
{
    setup(1);
    fault(0, 0, 0);
    fx_run(h);
    ck_assert_uint_eq(fx_syscall(h, MS_SYS_RECV, fx_msg(h_ep, 0, 0, NULL)), MS_OK);
    ck_assert_int_eq(f->task->state, TASK_KILLED);
}
END_TEST

START_TEST(losing_the_handler_endpoint_kills_it)
{
    setup(0);
    fault(0, 0, 0);
    ck_assert_int_eq(f->state, THREAD_BLOCKED_SEND);
    task_set_fault_handler(f->task, NULL, 0);
    fx_run(h);
    ck_assert_uint_eq(fx_syscall(h, MS_SYS_HANDLE_CLOSE, (arch_regs_t){.rdi = h_ep}), MS_OK);
    ck_assert_int_eq(f->task->state, TASK_KILLED);
}
END_TEST

/* A task whose thread t faults and whose other thread, the handler, has
 * received the fault (the fuzzer found these). */
static thread_t *sibling_fault(thread_t **handler, ms_handle_t *ep)
{
    fx_reset();
    thread_t *sib = fx_spawn("family", 20);
    thread_t *t = fx_thread(sib->task, 10);
    *ep = fx_endpoint(sib->task, MS_RIGHTS_ALL);
    handle_entry_t *e;
    ck_assert_int_eq(handle_lookup(&sib->task->handles, *ep, KOBJ_ENDPOINT, 0, &e), MS_OK);
    task_set_fault_handler(sib->task, (endpoint_t *)e->obj, 5);
    fx_run(sib);
    ck_assert_uint_eq(fx_syscall(sib, MS_SYS_RECV, fx_msg(*ep, 0, 0, NULL)), MS_OK);
    fx_run(t);
    fault(6, 0, 0);
    ck_assert_ptr_eq(sib->reply_to, t);
    fx_run(sib);
    *handler = sib;
    return t;
}

static void assert_killed_by_exception(task_t *task)
{
    ck_assert_int_eq(task->state, TASK_KILLED);
    ck_assert_int_eq(task->nthreads, 0);
    k_trace_event_t ev;
    ck_assert_int_eq(fx_find_event(K_EV_TASK_KILL, &ev), 1);
    ck_assert_uint_eq(ev.a[1], K_REASON_EXCEPTION);
}

START_TEST(a_sibling_handler_that_exits_takes_the_task_down)
{
    thread_t *h2;
    ms_handle_t ep;
    thread_t *t = sibling_fault(&h2, &ep);
    fx_syscall(h2, MS_SYS_THREAD_EXIT, (arch_regs_t){0});
    ck_assert_int_eq(t->state, THREAD_DEAD);
    assert_killed_by_exception(t->task);
}
END_TEST

START_TEST(a_sibling_handler_may_order_its_own_end)
{
    thread_t *h2;
    ms_handle_t ep;
    thread_t *t = sibling_fault(&h2, &ep);
    const uint64_t w[1] = {MS_FAULT_KILL};
    fx_syscall(h2, MS_SYS_REPLY_RECV, fx_msg(ep, 0, 1, w));
    ck_assert_int_eq(h2->state, THREAD_DEAD);
    assert_killed_by_exception(t->task);
}
END_TEST

START_TEST(fast_path_leaves_fault_replies_to_the_ordinary_path)
{
    setup(1);
    fault(3, 0, 0);
    fx_run(h);
    h->regs.rax = MS_SYS_REPLY_RECV;
    h->regs.rdi = h_ep;
    h->regs.rsi = ms_info(0, 2, 0, 0);
    ck_assert_ptr_null(fastpath_syscall(h));
}
END_TEST

START_TEST(fault_handler_call_checks_its_handles)
{
    fx_reset();
    thread_t *t = fx_spawn("owner", 10);
    ms_handle_t ep = fx_endpoint(t->task, MS_RIGHTS_ALL);
    ms_handle_t recv_only = fx_endpoint(t->task, MS_RIGHT_RECV);
    fx_run(t);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_FAULT_HANDLER, (arch_regs_t){.rdi = ep, .rsi = ep}),
                      MS_E_BADHANDLE);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_FAULT_HANDLER, (arch_regs_t){.rdi = 0, .rsi = recv_only}),
                      MS_E_RIGHTS);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_FAULT_HANDLER, (arch_regs_t){.rdi = 0, .rsi = ep}), MS_OK);
    ck_assert_ptr_nonnull(t->task->fault_ep);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_FAULT_HANDLER, (arch_regs_t){.rdi = 0, .rsi = MS_NO_HANDLE}), MS_OK);
    ck_assert_ptr_null(t->task->fault_ep);
}
END_TEST

START_TEST(every_exception_has_its_name)
{
    ck_assert_str_eq(exception_name(0), "#DE");
    ck_assert_str_eq(exception_name(3), "#BP");
    ck_assert_str_eq(exception_name(6), "#UD");
    ck_assert_str_eq(exception_name(13), "#GP");
    ck_assert_str_eq(exception_name(14), "#PF");
    ck_assert_str_eq(exception_name(15), "#?");
    ck_assert_str_eq(exception_name(99), "#?");
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("exception");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, no_handler_kills_the_task_and_says_why);
    tcase_add_test(tc, handler_receives_the_fault_report);
    tcase_add_test(tc, handler_not_yet_waiting_gets_it_later);
    tcase_add_test(tc, resume_at_a_new_address);
    tcase_add_test(tc, resume_where_it_was);
    tcase_add_test(tc, handler_may_order_the_kill);
    tcase_add_test(tc, a_handler_that_moves_on_lets_it_die);
    tcase_add_test(tc, losing_the_handler_endpoint_kills_it);
    tcase_add_test(tc, a_sibling_handler_that_exits_takes_the_task_down);
    tcase_add_test(tc, a_sibling_handler_may_order_its_own_end);
    tcase_add_test(tc, fast_path_leaves_fault_replies_to_the_ordinary_path);
    tcase_add_test(tc, fault_handler_call_checks_its_handles);
    tcase_add_test(tc, every_exception_has_its_name);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
