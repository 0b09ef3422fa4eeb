/* Unit tests of the scheduler: priorities, FIFO within a level, the bitmap pick. */
#include "cpu.h"
#include "fixture.h"
#include "sched.h"

START_TEST(empty_scheduler_has_nothing_to_run)
{
    fx_reset();
    ck_assert_int_eq(sched_top_prio(), -1);
    ck_assert_ptr_null(sched_peek());
    ck_assert_ptr_null(sched_choose());
}
END_TEST

START_TEST(highest_priority_runs_first)
{
    fx_reset();
    thread_t *low = fx_spawn("low", 3);
    thread_t *high = fx_spawn("high", 200);
    thread_t *mid = fx_spawn("mid", 100);
    ck_assert_int_eq(sched_top_prio(), 200);
    ck_assert_ptr_eq(sched_choose(), high);
    ck_assert_int_eq(high->state, THREAD_RUNNING);
    ck_assert_ptr_eq(k_cpu()->current, high);
    high->state = THREAD_BLOCKED_RECV;
    ck_assert_ptr_eq(sched_choose(), mid);
    mid->state = THREAD_BLOCKED_RECV;
    ck_assert_ptr_eq(sched_choose(), low);
}
END_TEST

START_TEST(same_priority_runs_in_fifo_order)
{
    fx_reset();
    thread_t *t[4];
    for (int i = 0; i < 4; i++)
        t[i] = fx_spawn("peer", 50);
    for (int i = 0; i < 4; i++) {
        ck_assert_ptr_eq(sched_choose(), t[i]);
        t[i]->state = THREAD_BLOCKED_RECV;
    }
    ck_assert_ptr_null(sched_choose());
}
END_TEST

START_TEST(yield_rotates_within_a_level)
{
    fx_reset();
    thread_t *a = fx_spawn("a", 10), *b = fx_spawn("b", 10), *c = fx_spawn("c", 10);
    ck_assert_ptr_eq(sched_choose(), a);
    sched_yield_current();
    ck_assert_ptr_eq(sched_choose(), b);
    sched_yield_current();
    ck_assert_ptr_eq(sched_choose(), c);
    sched_yield_current();
    ck_assert_ptr_eq(sched_choose(), a);
}
END_TEST

START_TEST(yield_alone_keeps_running)
{
    fx_reset();
    thread_t *a = fx_spawn("a", 10);
    fx_spawn("below", 9);
    ck_assert_ptr_eq(sched_choose(), a);
    sched_yield_current();
    ck_assert_ptr_eq(sched_choose(), a);
}
END_TEST

START_TEST(running_thread_keeps_cpu_against_equal_priority)
{
    fx_reset();
    thread_t *a = fx_spawn("a", 10);
    ck_assert_ptr_eq(sched_choose(), a);
    fx_spawn("b", 10);
    ck_assert_ptr_eq(sched_choose(), a);
}
END_TEST

START_TEST(preempted_thread_goes_back_to_head_of_its_level)
{
    fx_reset();
    thread_t *a = fx_spawn("a", 10);
    thread_t *b = fx_spawn("b", 10);
    ck_assert_ptr_eq(sched_choose(), a);
    thread_t *urgent = fx_spawn("urgent", 11);
    ck_assert_ptr_eq(sched_choose(), urgent);
    ck_assert_int_eq(a->state, THREAD_READY);
    urgent->state = THREAD_BLOCKED_RECV;
    /* a did not use up its turn: it resumes before b. */
    ck_assert_ptr_eq(sched_choose(), a);
    a->state = THREAD_BLOCKED_RECV;
    ck_assert_ptr_eq(sched_choose(), b);
}
END_TEST

START_TEST(bitmap_tracks_every_level)
{
    fx_reset();
    for (unsigned p = 0; p < SCHED_LEVELS; p += 17)
        fx_thread(fx_task("t", 255), (uint8_t)p);
    for (unsigned p = 0; p < SCHED_LEVELS; p++)
        ck_assert_int_eq(sched_level_marked(p), p % 17 == 0);
    /* Picking drains the levels from the top, clearing each bit as it empties. */
    int expected = (SCHED_LEVELS - 1) / 17 * 17;
    for (thread_t *t; (t = sched_choose()) != NULL; expected -= 17) {
        ck_assert_int_eq(t->prio, expected);
        t->state = THREAD_BLOCKED_RECV;
        ck_assert_int_eq(sched_level_marked(t->prio), 0);
    }
    ck_assert_int_eq(expected, -17);
    ck_assert_int_eq(sched_top_prio(), -1);
}
END_TEST

START_TEST(extreme_priorities)
{
    fx_reset();
    thread_t *zero = fx_spawn("zero", 0);
    thread_t *max = fx_spawn("max", 255);
    ck_assert_int_eq(sched_top_prio(), 255);
    ck_assert_ptr_eq(sched_choose(), max);
    max->state = THREAD_BLOCKED_RECV;
    ck_assert_int_eq(sched_top_prio(), 0);
    ck_assert_ptr_eq(sched_choose(), zero);
}
END_TEST

START_TEST(dequeue_from_the_middle_keeps_order)
{
    fx_reset();
    thread_t *a = fx_spawn("a", 5), *b = fx_spawn("b", 5), *c = fx_spawn("c", 5);
    sched_dequeue(b);
    b->state = THREAD_BLOCKED_SEND;
    ck_assert_uint_eq(sched_queue_length(5), 2);
    ck_assert_ptr_eq(sched_choose(), a);
    a->state = THREAD_BLOCKED_RECV;
    ck_assert_ptr_eq(sched_choose(), c);
    c->state = THREAD_BLOCKED_RECV;
    ck_assert_int_eq(sched_level_marked(5), 0);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("sched");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, empty_scheduler_has_nothing_to_run);
    tcase_add_test(tc, highest_priority_runs_first);
    tcase_add_test(tc, same_priority_runs_in_fifo_order);
    tcase_add_test(tc, yield_rotates_within_a_level);
    tcase_add_test(tc, yield_alone_keeps_running);
    tcase_add_test(tc, running_thread_keeps_cpu_against_equal_priority);
    tcase_add_test(tc, preempted_thread_goes_back_to_head_of_its_level);
    tcase_add_test(tc, bitmap_tracks_every_level);
    tcase_add_test(tc, extreme_priorities);
    tcase_add_test(tc, dequeue_from_the_middle_keeps_order);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
