/* Unit tests of --trace-filter (sim/trace_filter.c): parsing a SPEC, and matching events and text lines. */
#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "rt.h"
#include "trace.h"
#include "trace_filter.h"
#include "trace_format.h"

#define BIT(kind) (1u << (kind))
#define IPC_KINDS (BIT(K_EV_IPC_SEND) | BIT(K_EV_IPC_CALL) | BIT(K_EV_IPC_REPLY) | BIT(K_EV_IPC_WAIT))
#define OUTPUT_KINDS (BIT(K_EV_PRINT) | BIT(K_EV_KERNEL_HALT))

static sim_trace_filter_t parse_ok(const char *spec)
{
    sim_trace_filter_t f;
    char err[256] = "";
    ck_assert_msg(sim_trace_filter_parse(spec, &f, err, sizeof err) == 0, "'%s': %s", spec, err);
    return f;
}

static void parse_fails(const char *spec, const char *hint)
{
    sim_trace_filter_t f;
    char err[256] = "";
    ck_assert_int_eq(sim_trace_filter_parse(spec, &f, err, sizeof err), -1);
    ck_assert_msg(strstr(err, hint) != NULL, "'%s' gives '%s', which lacks '%s'", spec, err, hint);
    ck_assert_ptr_null(strchr(err, '\n'));
}

static k_trace_event_t event(unsigned kind, const char *actor, uint32_t actor_tid, const char *peer, uint32_t peer_tid)
{
    k_trace_event_t ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = (uint16_t)kind;
    ev.time_ns = 1200;
    ev.actor_tid = actor_tid;
    ev.peer_tid = peer_tid;
    rt_strlcpy(ev.actor, actor, sizeof ev.actor);
    rt_strlcpy(ev.peer, peer, sizeof ev.peer);
    return ev;
}

START_TEST(all_and_no_kind_terms_show_every_kind)
{
    sim_trace_filter_t f = parse_ok("all");
    ck_assert_uint_eq(f.kinds, K_TRACE_MASK_ALL);
    ck_assert(sim_trace_filter_is_all(&f));
    sim_trace_filter_all(&f);
    ck_assert(sim_trace_filter_is_all(&f));
    f = parse_ok("-switch");
    ck_assert_uint_eq(f.kinds, K_TRACE_MASK_ALL & ~BIT(K_EV_SWITCH));
    ck_assert(!sim_trace_filter_is_all(&f));
    f = parse_ok("@shell");
    ck_assert_uint_eq(f.kinds, K_TRACE_MASK_ALL);
    ck_assert(!sim_trace_filter_is_all(&f));
}
END_TEST

START_TEST(a_prefix_selects_its_kinds_and_output_always_shows)
{
    sim_trace_filter_t f = parse_ok("ipc");
    ck_assert_uint_eq(f.kinds, IPC_KINDS | OUTPUT_KINDS);
    f = parse_ok("task");
    ck_assert_uint_eq(f.kinds, BIT(K_EV_TASK_SPAWN) | BIT(K_EV_TASK_EXIT) | BIT(K_EV_TASK_KILL) |
                                   BIT(K_EV_TASK_RESTART) | OUTPUT_KINDS);
    f = parse_ok("ipc.call,switch");
    ck_assert_uint_eq(f.kinds, BIT(K_EV_IPC_CALL) | BIT(K_EV_SWITCH) | OUTPUT_KINDS);
    /* A prefix is a whole word: "ip" is no kind, nor is "ipc." */
    parse_fails("ip", "no event kind 'ip'");
    parse_fails("ipc.", "no event kind 'ipc.'");
}
END_TEST

START_TEST(exclusions_win_even_over_the_output)
{
    sim_trace_filter_t f = parse_ok("ipc,-ipc.wait");
    ck_assert_uint_eq(f.kinds, (IPC_KINDS & ~BIT(K_EV_IPC_WAIT)) | OUTPUT_KINDS);
    f = parse_ok("-print,-kernel");
    ck_assert_uint_eq(f.kinds, K_TRACE_MASK_ALL & ~OUTPUT_KINDS);
    f = parse_ok("all,-ipc");
    ck_assert_uint_eq(f.kinds, K_TRACE_MASK_ALL & ~IPC_KINDS);
}
END_TEST

START_TEST(bad_specs_say_what_to_do)
{
    parse_fails("", "empty term");
    parse_fails("ipc,", "empty term");
    parse_fails(",ipc", "empty term");
    parse_fails("ipc,-", "empty term");
    parse_fails("sched", "no event kind 'sched'");
    parse_fails("-sched", "no event kind 'sched'");
    parse_fails("IPC", "no event kind 'IPC'");
    parse_fails("@", "needs a task name");
    parse_fails("@abcdefghijklmnop", "needs a task name");
    parse_fails("@a,@b,@c,@d,@e,@f,@g,@h,@i", "at most 8");
}
END_TEST

START_TEST(task_terms_select_actor_peer_or_restarted_task)
{
    sim_trace_filter_t f = parse_ok("@fs,@console");
    k_trace_event_t call = event(K_EV_IPC_CALL, "shell", 4, "fs", 2);
    k_trace_event_t other = event(K_EV_IPC_CALL, "shell", 4, "procman", 3);
    k_trace_event_t input = event(K_EV_IPC_CALL, "console", 5, "console", 1);
    k_trace_event_t idle = event(K_EV_SWITCH, "", 0, "console", 1);
    ck_assert(sim_trace_filter_shows_event(&f, &call));
    ck_assert(!sim_trace_filter_shows_event(&f, &other));
    ck_assert(sim_trace_filter_shows_event(&f, &input));
    ck_assert(sim_trace_filter_shows_event(&f, &idle));
    /* A print belongs to its task; the end of the run to everyone. */
    k_trace_event_t print = event(K_EV_PRINT, "shell", 4, "", 0);
    k_trace_event_t halt = event(K_EV_KERNEL_HALT, "", 0, "", 0);
    ck_assert(!sim_trace_filter_shows_event(&f, &print));
    ck_assert(sim_trace_filter_shows_event(&f, &halt));
    /* task.restart names the task it restarts. */
    f = parse_ok("@crasher");
    k_trace_event_t restart = event(K_EV_TASK_RESTART, "procman", 1, "", 0);
    memcpy(&restart.a[3], "crasher", 8);
    ck_assert(sim_trace_filter_shows_event(&f, &restart));
    f = parse_ok("@crash");
    ck_assert(!sim_trace_filter_shows_event(&f, &restart));
}
END_TEST

START_TEST(kind_and_task_terms_both_apply)
{
    sim_trace_filter_t f = parse_ok("ipc.call,@fs");
    k_trace_event_t call = event(K_EV_IPC_CALL, "shell", 4, "fs", 2);
    k_trace_event_t reply = event(K_EV_IPC_REPLY, "fs", 2, "shell", 4);
    k_trace_event_t other = event(K_EV_IPC_CALL, "shell", 4, "console", 1);
    ck_assert(sim_trace_filter_shows_event(&f, &call));
    ck_assert(!sim_trace_filter_shows_event(&f, &reply));
    ck_assert(!sim_trace_filter_shows_event(&f, &other));
}
END_TEST

/* QEMU's relayed lines are filtered as the hosted events are. */
START_TEST(text_lines_are_filtered_as_their_events)
{
    static const char *const specs[] = {
        "all", "ipc", "-switch,-ipc.wait", "@fs", "@crasher", "task,@console", "-print", "@idle", "@kernel"};
    k_trace_event_t evs[] = {
        event(K_EV_IPC_CALL, "shell", 4, "fs", 2), event(K_EV_IPC_REPLY, "fs", 2, "shell", 4),
        event(K_EV_SWITCH, "", 0, "console", 1),   event(K_EV_SWITCH, "console", 1, "", 0),
        event(K_EV_PRINT, "shell", 4, "", 0),      event(K_EV_KERNEL_HALT, "", 0, "", 0),
        event(K_EV_NOTIFY, "", 0, "console", 5),   event(K_EV_TASK_RESTART, "procman", 1, "", 0),
        event(K_EV_IPC_WAIT, "fs", 2, "", 0),      event(K_EV_TASK_SPAWN, "console", 1, "", 0),
    };
    memcpy(&evs[7].a[3], "crasher", 8);
    memcpy(evs[4].text, "fs -> x \"@fs\"\n", 14);
    evs[4].text_len = 14;
    for (unsigned s = 0; s < sizeof specs / sizeof specs[0]; s++) {
        sim_trace_filter_t f = parse_ok(specs[s]);
        for (unsigned i = 0; i < sizeof evs / sizeof evs[0]; i++) {
            char line[TRACE_LINE_MAX];
            trace_format_text(&evs[i], line, sizeof line, 0);
            ck_assert_msg(sim_trace_filter_shows_line(&f, line) == sim_trace_filter_shows_event(&f, &evs[i]),
                          "'%s' and the line '%s' disagree", specs[s], line);
        }
    }
}
END_TEST

/* --trace-filter wins over the scenario's filter; with neither, every event. */
START_TEST(the_given_filter_wins_over_the_scenarios)
{
    sim_trace_filter_t f;
    char err[256];
    ck_assert_int_eq(sim_trace_filter_choose(NULL, NULL, &f, err, sizeof err), 0);
    ck_assert(sim_trace_filter_is_all(&f));
    ck_assert_int_eq(sim_trace_filter_choose(NULL, "-switch,-ipc.wait", &f, err, sizeof err), 0);
    ck_assert_uint_eq(f.kinds, K_TRACE_MASK_ALL & ~BIT(K_EV_SWITCH) & ~BIT(K_EV_IPC_WAIT));
    ck_assert_int_eq(sim_trace_filter_choose("all", "-switch,-ipc.wait", &f, err, sizeof err), 0);
    ck_assert(sim_trace_filter_is_all(&f));
    ck_assert_int_eq(sim_trace_filter_choose("ipc.call", "-switch", &f, err, sizeof err), 0);
    ck_assert_uint_eq(f.kinds, BIT(K_EV_IPC_CALL) | OUTPUT_KINDS);
    ck_assert_int_eq(sim_trace_filter_choose(NULL, "-nosuch", &f, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "no event kind 'nosuch'"));
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("trace_filter");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, all_and_no_kind_terms_show_every_kind);
    tcase_add_test(tc, a_prefix_selects_its_kinds_and_output_always_shows);
    tcase_add_test(tc, exclusions_win_even_over_the_output);
    tcase_add_test(tc, bad_specs_say_what_to_do);
    tcase_add_test(tc, task_terms_select_actor_peer_or_restarted_task);
    tcase_add_test(tc, kind_and_task_terms_both_apply);
    tcase_add_test(tc, text_lines_are_filtered_as_their_events);
    tcase_add_test(tc, the_given_filter_wins_over_the_scenarios);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
