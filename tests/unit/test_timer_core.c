/* The timer service's protocol, driven through its core (services/timer/timer_core.c). */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "timer_core.h"

#define MS_NS 1000000ull
#define CLIENT_BADGE 5u
#define REPLY(i) (100u + (i)) /* the saved reply handle of the i-th sleeper */

static timer_core_t core;

static timer_request_t req(uint32_t label, unsigned words, uint64_t w0, uint64_t w1)
{
    return (timer_request_t){.label = label, .words = words, .w = {w0, w1}, .badge = CLIENT_BADGE};
}

static timer_request_t sleep_req(uint64_t ns)
{
    return req(TIMER_SLEEP, 1, ns, 0);
}

/* A client alarm request carrying a handle. */
static timer_request_t alarm_req(uint64_t ns, uint64_t bits)
{
    timer_request_t rq = req(TIMER_ALARM, 2, ns, bits);
    rq.has_handle = 1;
    return rq;
}

static timer_request_t woken(uint64_t bits)
{
    timer_request_t rq = req(TIMER_WOKEN, 1, bits, 0);
    rq.badge = TIMER_WOKEN_BADGE;
    return rq;
}

static timer_action_t decide(timer_request_t rq)
{
    timer_action_t act;
    memset(&act, 0xa5, sizeof act);
    timer_decide(&core, &rq, &act);
    return act;
}

/* A sleep the IPC loop carries out: the core's slot gets reply handle reply. Returns the slot. */
static unsigned sleep_saved(uint64_t ns, ms_handle_t reply)
{
    timer_action_t act = decide(sleep_req(ns));
    ck_assert_int_eq(act.step, TIMER_STEP_SLEEP);
    timer_sleeper_saved(&core, act.slot, reply);
    return act.slot;
}

static void setup(void)
{
    memset(&core, 0x5a, sizeof core);
    timer_core_init(&core);
}

START_TEST(a_sleep_arms_an_alarm_on_the_first_free_bit)
{
    timer_action_t act = decide(sleep_req(10 * MS_NS));
    ck_assert_int_eq(act.step, TIMER_STEP_SLEEP);
    ck_assert_uint_eq(act.err, MS_OK);
    ck_assert_uint_eq(act.slot, 0);
    ck_assert_uint_eq(act.bits, 0x1);
    ck_assert_uint_eq(act.ns, 10 * MS_NS);
    ck_assert_int_eq(act.close_handle, 0);
    /* The slot is only taken once the reply is saved. */
    ck_assert_uint_eq(decide(sleep_req(MS_NS)).slot, 0);
    timer_sleeper_saved(&core, 0, REPLY(0));
    act = decide(sleep_req(20 * MS_NS));
    ck_assert_uint_eq(act.slot, 1);
    ck_assert_uint_eq(act.bits, 0x2);
    ck_assert_uint_eq(act.ns, 20 * MS_NS);
}
END_TEST

START_TEST(a_sleep_of_zero_and_of_the_maximum_are_allowed_and_longer_is_range)
{
    timer_action_t act = decide(sleep_req(0));
    ck_assert_int_eq(act.step, TIMER_STEP_SLEEP);
    ck_assert_uint_eq(act.ns, 0);
    act = decide(sleep_req(TIMER_MAX_NS));
    ck_assert_int_eq(act.step, TIMER_STEP_SLEEP);
    ck_assert_uint_eq(act.ns, 60000000000ull);
    act = decide(sleep_req(TIMER_MAX_NS + 1));
    ck_assert_int_eq(act.step, TIMER_STEP_REPLY);
    ck_assert_uint_eq(act.err, MS_E_RANGE);
    ck_assert_uint_eq(decide(sleep_req(UINT64_MAX)).err, MS_E_RANGE);
}
END_TEST

START_TEST(the_33rd_sleeper_is_full_until_one_wakes)
{
    for (unsigned i = 0; i < TIMER_SLEEPERS; i++)
        ck_assert_uint_eq(sleep_saved(MS_NS, REPLY(i)), i);
    timer_action_t act = decide(sleep_req(MS_NS));
    ck_assert_int_eq(act.step, TIMER_STEP_REPLY);
    ck_assert_uint_eq(act.err, MS_E_FULL);
    ck_assert_uint_eq(decide(sleep_req(TIMER_MAX_NS + 1)).err, MS_E_RANGE); /* the range is checked first */
    /* Sleeper 7 wakes: its bit is the one a new sleeper gets. */
    act = decide(woken(1ull << 7));
    ck_assert_uint_eq(act.nwake, 1);
    ck_assert_uint_eq(act.wake[0], REPLY(7));
    act = decide(sleep_req(MS_NS));
    ck_assert_int_eq(act.step, TIMER_STEP_SLEEP);
    ck_assert_uint_eq(act.slot, 7);
    ck_assert_uint_eq(act.bits, 1ull << 7);
}
END_TEST

START_TEST(fired_bits_wake_their_sleepers_in_bit_order_and_only_them)
{
    for (unsigned i = 0; i < 5; i++)
        sleep_saved(MS_NS, REPLY(i));
    timer_action_t act = decide(woken(0x1a)); /* bits 1, 3, 4 */
    ck_assert_int_eq(act.step, TIMER_STEP_WAKE);
    ck_assert_uint_eq(act.err, MS_OK);
    ck_assert_uint_eq(act.nwake, 3);
    ck_assert_uint_eq(act.wake[0], REPLY(1));
    ck_assert_uint_eq(act.wake[1], REPLY(3));
    ck_assert_uint_eq(act.wake[2], REPLY(4));
    /* They are answered once: the same bits again wake nobody. */
    ck_assert_uint_eq(decide(woken(0x1a)).nwake, 0);
    /* Sleepers 0 and 2 still wait. */
    act = decide(woken(0x5));
    ck_assert_uint_eq(act.nwake, 2);
    ck_assert_uint_eq(act.wake[0], REPLY(0));
    ck_assert_uint_eq(act.wake[1], REPLY(2));
}
END_TEST

START_TEST(bits_with_no_sleeper_are_ignored)
{
    sleep_saved(MS_NS, REPLY(0));
    timer_action_t act = decide(woken(0xffffffff00000000ull | 0x6)); /* high bits: no slot at all */
    ck_assert_int_eq(act.step, TIMER_STEP_WAKE);
    ck_assert_uint_eq(act.nwake, 0);
    act = decide(woken(0));
    ck_assert_int_eq(act.step, TIMER_STEP_WAKE);
    ck_assert_uint_eq(act.nwake, 0);
    ck_assert_uint_eq(decide(woken(0x1)).wake[0], REPLY(0));
}
END_TEST

START_TEST(all_32_sleepers_wake_together)
{
    for (unsigned i = 0; i < TIMER_SLEEPERS; i++)
        sleep_saved(MS_NS, REPLY(i));
    ms_handle_t due[TIMER_SLEEPERS];
    ck_assert_uint_eq(timer_take_due(&core, UINT64_MAX, due), TIMER_SLEEPERS);
    for (unsigned i = 0; i < TIMER_SLEEPERS; i++)
        ck_assert_uint_eq(due[i], REPLY(i));
    ck_assert_uint_eq(timer_take_due(&core, UINT64_MAX, due), 0);
}
END_TEST

START_TEST(woken_from_anyone_but_the_alarm_thread_is_nosys_and_wakes_nobody)
{
    sleep_saved(MS_NS, REPLY(0));
    timer_request_t rq = woken(0x1);
    rq.badge = CLIENT_BADGE;
    timer_action_t act = decide(rq);
    ck_assert_int_eq(act.step, TIMER_STEP_REPLY);
    ck_assert_uint_eq(act.err, MS_E_NOSYS);
    ck_assert_uint_eq(decide(woken(0x1)).nwake, 1); /* sleeper 0 still waited */
}
END_TEST

START_TEST(an_alarm_is_the_clients_own_notification_with_its_bits)
{
    timer_action_t act = decide(alarm_req(15 * MS_NS, 0x8));
    ck_assert_int_eq(act.step, TIMER_STEP_ALARM);
    ck_assert_uint_eq(act.err, MS_OK);
    ck_assert_uint_eq(act.ns, 15 * MS_NS);
    ck_assert_uint_eq(act.bits, 0x8);
    ck_assert_int_eq(act.close_handle, 1); /* the kernel's pending alarm keeps its own reference */
    ck_assert_uint_eq(timer_alarm_target(MS_OK, MS_OBJ_NOTIFICATION, MS_RIGHT_SEND, 0x8), MS_OK);
    ck_assert_uint_eq(timer_alarm_target(MS_OK, MS_OBJ_NOTIFICATION, MS_RIGHT_SEND | MS_RIGHT_RECV, 0x8), MS_OK);
    /* A client's alarm takes no sleeper slot. */
    ck_assert_uint_eq(decide(sleep_req(MS_NS)).slot, 0);
    ck_assert_uint_eq(decide(alarm_req(TIMER_MAX_NS, 1)).step, TIMER_STEP_ALARM);
}
END_TEST

START_TEST(an_alarm_without_a_handle_is_invalid_and_too_long_is_range)
{
    timer_request_t rq = alarm_req(MS_NS, 0x1);
    rq.has_handle = 0;
    timer_action_t act = decide(rq);
    ck_assert_int_eq(act.step, TIMER_STEP_REPLY);
    ck_assert_uint_eq(act.err, MS_E_INVAL);
    ck_assert_int_eq(act.close_handle, 0);
    rq.w[0] = TIMER_MAX_NS + 1;
    ck_assert_uint_eq(decide(rq).err, MS_E_INVAL); /* no handle comes before the range */
    act = decide(alarm_req(TIMER_MAX_NS + 1, 0x1));
    ck_assert_int_eq(act.step, TIMER_STEP_REPLY);
    ck_assert_uint_eq(act.err, MS_E_RANGE);
    ck_assert_int_eq(act.close_handle, 1);
}
END_TEST

START_TEST(an_alarms_handle_must_be_a_notification_with_send_and_bits)
{
    ck_assert_uint_eq(timer_alarm_target(MS_E_BADHANDLE, MS_OBJ_NOTIFICATION, MS_RIGHT_SEND, 1), MS_E_INVAL);
    ck_assert_uint_eq(timer_alarm_target(MS_OK, MS_OBJ_ENDPOINT, MS_RIGHT_SEND, 1), MS_E_INVAL);
    ck_assert_uint_eq(timer_alarm_target(MS_OK, MS_OBJ_NOTIFICATION, MS_RIGHT_RECV, 1), MS_E_INVAL);
    ck_assert_uint_eq(timer_alarm_target(MS_OK, MS_OBJ_NOTIFICATION, MS_RIGHT_SEND, 0), MS_E_INVAL);
    ck_assert_uint_eq(timer_alarm_target(MS_OK, MS_OBJ_NOTIFICATION, MS_RIGHT_SEND, 1ull << 63), MS_OK);
}
END_TEST

START_TEST(wrong_word_counts_and_payloads_are_invalid)
{
    ck_assert_uint_eq(decide(req(TIMER_SLEEP, 0, MS_NS, 0)).err, MS_E_INVAL);
    ck_assert_uint_eq(decide(req(TIMER_SLEEP, 2, 1, 1)).err, MS_E_INVAL);
    timer_request_t rq = alarm_req(MS_NS, 1);
    rq.words = 1;
    ck_assert_uint_eq(decide(rq).err, MS_E_INVAL);
    rq.words = 3;
    ck_assert_uint_eq(decide(rq).err, MS_E_INVAL);
    rq = sleep_req(MS_NS);
    rq.payload = 1;
    timer_action_t act = decide(rq);
    ck_assert_int_eq(act.step, TIMER_STEP_REPLY);
    ck_assert_uint_eq(act.err, MS_E_INVAL);
    rq = alarm_req(MS_NS, 1);
    rq.payload = 4;
    act = decide(rq);
    ck_assert_int_eq(act.step, TIMER_STEP_REPLY);
    ck_assert_uint_eq(act.err, MS_E_INVAL);
    /* None of them took a slot. */
    ck_assert_uint_eq(decide(sleep_req(MS_NS)).slot, 0);
}
END_TEST

START_TEST(unknown_labels_are_nosys_and_a_handle_they_carry_is_closed)
{
    timer_action_t act = decide(req(0x99, 0, 0, 0));
    ck_assert_int_eq(act.step, TIMER_STEP_REPLY);
    ck_assert_uint_eq(act.err, MS_E_NOSYS);
    ck_assert_int_eq(act.close_handle, 0);
    timer_request_t rq = req(TIMER_SLEEP + 3, 1, MS_NS, 0);
    rq.has_handle = 1;
    act = decide(rq);
    ck_assert_uint_eq(act.err, MS_E_NOSYS);
    ck_assert_int_eq(act.close_handle, 1);
}
END_TEST

START_TEST(a_handle_sent_with_a_sleep_is_closed)
{
    timer_request_t rq = sleep_req(MS_NS);
    rq.has_handle = 1;
    timer_action_t act = decide(rq);
    ck_assert_int_eq(act.step, TIMER_STEP_SLEEP);
    ck_assert_int_eq(act.close_handle, 1);
}
END_TEST

/* A model of the kernel's alarms: each fires its bits at its deadline; alarms due at the same
 * time reach the service as one TIMER_WOKEN. */
typedef struct model_alarm {
    uint64_t at, bits;
    int pending;
} model_alarm_t;

/* Sleepers ask at the times and for the lengths given; returns the order they are answered in
 * (as indices into the arrays) through order[], and how many. */
static unsigned run_sleepers(const uint64_t *asked_at, const uint64_t *ns, unsigned n, unsigned *order)
{
    model_alarm_t alarms[TIMER_SLEEPERS] = {{0}};
    for (unsigned i = 0; i < n; i++) {
        timer_action_t act = decide(sleep_req(ns[i]));
        ck_assert_int_eq(act.step, TIMER_STEP_SLEEP);
        alarms[i] = (model_alarm_t){.at = asked_at[i] + act.ns, .bits = act.bits, .pending = 1};
        timer_sleeper_saved(&core, act.slot, REPLY(i));
    }
    unsigned answered = 0;
    for (;;) {
        uint64_t next = UINT64_MAX, fired = 0;
        for (unsigned i = 0; i < n; i++)
            if (alarms[i].pending && alarms[i].at < next)
                next = alarms[i].at;
        if (next == UINT64_MAX)
            return answered;
        for (unsigned i = 0; i < n; i++)
            if (alarms[i].pending && alarms[i].at == next) {
                fired |= alarms[i].bits;
                alarms[i].pending = 0;
            }
        timer_action_t act = decide(woken(fired));
        for (unsigned k = 0; k < act.nwake; k++)
            order[answered++] = act.wake[k] - REPLY(0);
    }
}

START_TEST(sleepers_wake_in_deadline_order)
{
    /* The timer scenario: 30, 10 and 20 ms asked at once, then one of 5 ms asked 12 ms later. */
    const uint64_t at[] = {0, 0, 0, 12 * MS_NS}, ns[] = {30 * MS_NS, 10 * MS_NS, 20 * MS_NS, 5 * MS_NS};
    unsigned order[4];
    ck_assert_uint_eq(run_sleepers(at, ns, 4, order), 4);
    ck_assert_uint_eq(order[0], 1);
    ck_assert_uint_eq(order[1], 3);
    ck_assert_uint_eq(order[2], 2);
    ck_assert_uint_eq(order[3], 0);
}
END_TEST

START_TEST(sleepers_with_the_same_deadline_wake_together_in_bit_order)
{
    const uint64_t at[] = {0, 0, 5 * MS_NS}, ns[] = {20 * MS_NS, 10 * MS_NS, 15 * MS_NS};
    unsigned order[3];
    ck_assert_uint_eq(run_sleepers(at, ns, 3, order), 3);
    ck_assert_uint_eq(order[0], 1);
    ck_assert_uint_eq(order[1], 0);
    ck_assert_uint_eq(order[2], 2);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("timer_core");
    TCase *tc = tcase_create("protocol");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, a_sleep_arms_an_alarm_on_the_first_free_bit);
    tcase_add_test(tc, a_sleep_of_zero_and_of_the_maximum_are_allowed_and_longer_is_range);
    tcase_add_test(tc, the_33rd_sleeper_is_full_until_one_wakes);
    tcase_add_test(tc, fired_bits_wake_their_sleepers_in_bit_order_and_only_them);
    tcase_add_test(tc, bits_with_no_sleeper_are_ignored);
    tcase_add_test(tc, all_32_sleepers_wake_together);
    tcase_add_test(tc, woken_from_anyone_but_the_alarm_thread_is_nosys_and_wakes_nobody);
    tcase_add_test(tc, an_alarm_is_the_clients_own_notification_with_its_bits);
    tcase_add_test(tc, an_alarm_without_a_handle_is_invalid_and_too_long_is_range);
    tcase_add_test(tc, an_alarms_handle_must_be_a_notification_with_send_and_bits);
    tcase_add_test(tc, wrong_word_counts_and_payloads_are_invalid);
    tcase_add_test(tc, unknown_labels_are_nosys_and_a_handle_they_carry_is_closed);
    tcase_add_test(tc, a_handle_sent_with_a_sleep_is_closed);
    tcase_add_test(tc, sleepers_wake_in_deadline_order);
    tcase_add_test(tc, sleepers_with_the_same_deadline_wake_together_in_bit_order);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
