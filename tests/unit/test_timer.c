/* Time slices and round-robin preemption (kernel/timer.c), and IRQ dispatch (kernel/interrupt.c). */
#include "cpu.h"
#include "dev/pic.h"
#include "fixture.h"
#include "interrupt.h"
#include "sched.h"
#include "timer.h"

#define MS 1000000ull

/* a runs from time 0; b waits at the same priority. */
static thread_t *a, *b;

static void two_peers(void)
{
    fx_reset();
    a = fx_spawn("a", 10);
    b = fx_spawn("b", 10);
    fx_run(a);
    timer_switch(NULL, a);
    fx_drop_events();
}

START_TEST(no_preemption_before_the_slice_ends)
{
    two_peers();
    fake_arch_time = 10 * MS - 1;
    timer_tick();
    ck_assert_int_eq(a->state, THREAD_RUNNING);
    k_trace_event_t ev;
    ck_assert_int_eq(fx_find_event(K_EV_PREEMPT, &ev), 0);
}
END_TEST

START_TEST(end_of_slice_moves_it_behind_its_peer)
{
    two_peers();
    fake_arch_time = 10 * MS;
    timer_tick();
    ck_assert_int_eq(a->state, THREAD_READY);
    k_trace_event_t ev;
    ck_assert_int_eq(fx_find_event(K_EV_PREEMPT, &ev), 1);
    ck_assert_uint_eq(ev.actor_tid, thread_tid(a));
    ck_assert_uint_eq(ev.a[0], K_PREEMPT_SLICE);
    ck_assert_uint_eq(ev.a[1], 0); /* IRQ 0, the PIT, took the CPU back */
    ck_assert_ptr_eq(fx_schedule(), b);
    /* b now has a whole slice, and a waits behind it. */
    timer_switch(a, b);
    fake_arch_time = 19 * MS;
    timer_tick();
    ck_assert_int_eq(b->state, THREAD_RUNNING);
    fake_arch_time = 20 * MS;
    timer_tick();
    ck_assert_int_eq(b->state, THREAD_READY);
    ck_assert_ptr_eq(fx_schedule(), a);
}
END_TEST

START_TEST(alone_at_its_priority_it_gets_a_fresh_slice)
{
    fx_reset();
    thread_t *t = fx_spawn("alone", 10);
    fx_spawn("lower", 9);
    fx_run(t);
    timer_switch(NULL, t);
    fake_arch_time = 10 * MS;
    timer_tick();
    ck_assert_int_eq(t->state, THREAD_RUNNING);
    k_trace_event_t ev;
    ck_assert_int_eq(fx_find_event(K_EV_PREEMPT, &ev), 0);
    fake_arch_time = 19 * MS;
    timer_tick();
    ck_assert_int_eq(t->state, THREAD_RUNNING);
    ck_assert_uint_eq(t->run_start, 10 * MS);
}
END_TEST

/* Preempted by a higher priority, a thread keeps what it used. */
START_TEST(higher_priority_preemption_keeps_the_used_part)
{
    two_peers();
    fake_arch_time = 6 * MS;
    a->state = THREAD_READY; /* as sched_choose leaves a preempted thread */
    timer_switch(a, NULL);
    ck_assert_uint_eq(a->slice_used, 6 * MS);
    a->state = THREAD_RUNNING;
    fake_arch_time = 8 * MS;
    timer_switch(NULL, a);
    fake_arch_time = 11 * MS;
    timer_tick();
    ck_assert_int_eq(a->state, THREAD_RUNNING); /* 6 + 3 ms */
    fake_arch_time = 12 * MS;
    timer_tick();
    ck_assert_int_eq(a->state, THREAD_READY); /* 6 + 4 ms */
}
END_TEST

START_TEST(blocking_or_yielding_starts_a_fresh_slice)
{
    two_peers();
    fake_arch_time = 8 * MS;
    a->state = THREAD_BLOCKED_REPLY;
    a->slice_used = 3 * MS;
    timer_switch(a, b);
    ck_assert_uint_eq(a->slice_used, 0);
    fx_reset();
    thread_t *t = fx_spawn("yielder", 10);
    fx_spawn("peer", 10);
    fx_run(t);
    t->slice_used = 7 * MS;
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_YIELD, (arch_regs_t){0}), MS_OK);
    ck_assert_uint_eq(t->slice_used, 0);
}
END_TEST

START_TEST(clock_vector_ticks_and_other_lines_are_masked_and_traced)
{
    two_peers();
    pic_init();
    pic_unmask(0);
    pic_unmask(5);
    fake_arch_time = 10 * MS;
    interrupt_dispatch(32, 0, 0);
    ck_assert_int_eq(a->state, THREAD_READY);
    ck_assert(!pic_masked(0));
    fx_drop_events();
    interrupt_dispatch(32 + 5, 0, 0);
    ck_assert(pic_masked(5));
    k_trace_event_t ev;
    ck_assert_int_eq(fx_find_event(K_EV_IRQ, &ev), 1);
    ck_assert_uint_eq(ev.a[0], 5);
    ck_assert_uint_eq(ev.a[1], 37);
}
END_TEST

START_TEST(nothing_wakes_an_idle_cpu_yet)
{
    fx_reset();
    ck_assert_int_eq(interrupt_can_wake(), 0);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("timer");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, no_preemption_before_the_slice_ends);
    tcase_add_test(tc, end_of_slice_moves_it_behind_its_peer);
    tcase_add_test(tc, alone_at_its_priority_it_gets_a_fresh_slice);
    tcase_add_test(tc, higher_priority_preemption_keeps_the_used_part);
    tcase_add_test(tc, blocking_or_yielding_starts_a_fresh_slice);
    tcase_add_test(tc, clock_vector_ticks_and_other_lines_are_masked_and_traced);
    tcase_add_test(tc, nothing_wakes_an_idle_cpu_yet);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
