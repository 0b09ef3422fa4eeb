/* System tests of the microsim command line: exit statuses, messages, options. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "runner.h"

#define RUN(r, ...) run_microsim(&(r), (const char *const[]){__VA_ARGS__, NULL})

/* A usage error: exit status 2 and exactly one line on stderr that contains hint. */
static void assert_usage_error(run_result_t *r, const char *hint)
{
    ck_assert_int_eq(r->status, 2);
    ck_assert_uint_eq(count_lines(r->err), 1);
    ck_assert_msg(strstr(r->err, hint) != NULL, "stderr '%s' lacks '%s'", r->err, hint);
    ck_assert_uint_eq(r->out_len, 0);
}

START_TEST(unknown_scenario_exits_2_and_points_to_list)
{
    run_result_t r;
    RUN(r, "nosuch");
    assert_usage_error(&r, "microsim --list");
    ck_assert_ptr_nonnull(strstr(r.err, "'nosuch'"));
    run_free(&r);
}
END_TEST

START_TEST(list_names_every_scenario_with_a_description)
{
    run_result_t r;
    RUN(r, "--list");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "pingpong "));
    ck_assert_ptr_nonnull(strstr(r.out, "demo "));
    ck_assert_ptr_nonnull(strstr(r.out, "deadlock "));
    ck_assert_ptr_nonnull(strstr(r.out, "1,000 times"));
    run_free(&r);
}
END_TEST

START_TEST(bad_options_exit_2_with_one_line)
{
    static const char *const cases[][3] = {
        {"--bogus", NULL, "unknown option '--bogus'"},
        {"-z", NULL, "unknown option '-z'"},
        {"--trace=xml", NULL, "--trace takes text, json or none"},
        {"--seed", "abc", "--seed takes a non-negative integer"},
        {"--seed", "-4", "--seed takes a non-negative integer"},
        {"--seed", "99999999999999999999999", "--seed takes a non-negative integer"},
        {"--max-events", "0", "--max-events takes a positive integer"},
        {"--fastpath=sometimes", NULL, "--fastpath takes on or off"},
        {"--json", NULL, "microsim bench"},
        {"--only", "ipc", "microsim bench"},
        {"--calls", "10", "--calls is an option of microsim fuzz"},
        {"fuzz", "--tasks=17", "--tasks takes a number from 1 to 16"},
        {"fuzz", "--trace=json", "fuzz writes its trace as text"},
        {"bench", "--only=disk", "--only takes ipc, ordinary, traced, cross, crossfast, pagefault, tlbfill, pipe"},
        {"pingpong", "demo", "one scenario at most"},
        {"--seed", NULL, "needs a value"},
        {"--machine=vax", NULL, "--machine takes hosted or qemu"},
        {"--gdb", NULL, "--gdb needs --machine=qemu"},
        {"--machine=qemu", "bench", "microsim bench and fuzz run on the hosted machine"},
        {"--machine=qemu", "fuzz", "microsim bench and fuzz run on the hosted machine"},
        {"--machine=qemu", "--trace=json", "text trace only"},
        {"--machine=qemu", "nosuch", "microsim --list"},
        {"--clock=wall", NULL, "--clock takes virtual, host or step"},
        {"--mem", "3X", "--mem takes a size from 1M to 1G"},
        {"--mem", "2G", "--mem takes a size from 1M to 1G"},
        {"--mem", "512K", "--mem takes a size from 1M to 1G"},
        {"--mmu=loose", NULL, "--mmu takes strict or fast"},
        {"--step", "--machine=qemu", "--step steps a scenario on the hosted machine"},
        {"--step", "--trace=json", "--step prints the text trace itself"},
        {"--step", "bench", "--step steps a scenario on the hosted machine"},
        {"--clock=step", "bench", "bench and fuzz run on the virtual clock"},
        {"fuzz", "--clock=host", "bench and fuzz run on the virtual clock"},
        {"--machine=qemu", "--clock=step", "use the hosted machine for host or step"},
        {"--trace-filter=ipc,sched", NULL, "--trace-filter: no event kind 'sched'"},
        {"--trace-filter=-ipc.bogus", NULL, "--trace-filter: no event kind 'ipc.bogus'"},
        {"--trace-filter=ipc,,switch", NULL, "--trace-filter has an empty term"},
        {"--trace-filter=", NULL, "--trace-filter has an empty term"},
        {"--trace-filter=ipc,-", NULL, "--trace-filter has an empty term"},
        {"--trace-filter=@", NULL, "needs a task name of 1 to 15 characters"},
        {"--trace-filter=@averyveryverylongname", NULL, "needs a task name of 1 to 15 characters"},
        {"--trace-filter", NULL, "needs a value"},
        {"--step", "--trace-filter=ipc", "--step prints the text trace itself"},
        {"bench", "--trace-filter=ipc", "bench and fuzz do not take them"},
        {"--trace-group=maybe", NULL, "--trace-group takes on or off"},
        {"--trace-group=on", "--trace=json", "--trace-group groups the text trace"},
        {"fuzz", "--trace-group=off", "bench and fuzz do not take them"},
        {"--step", "--trace-group=on", "--step prints the text trace itself"},
        {"--machine=qemu", "--trace-filter=nosuch", "--trace-filter: no event kind 'nosuch'"},
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_result_t r;
        const char *args[3] = {cases[i][0], cases[i][1], NULL};
        run_microsim(&r, args);
        assert_usage_error(&r, cases[i][2]);
        run_free(&r);
    }
}
END_TEST

START_TEST(unwritable_output_file_is_a_usage_error)
{
    run_result_t r;
    RUN(r, "-o", "/nonexistent-dir/t.json", "pingpong");
    assert_usage_error(&r, "cannot write /nonexistent-dir/t.json");
    run_free(&r);
}
END_TEST

START_TEST(help_and_version_exit_0)
{
    run_result_t r;
    RUN(r, "--help");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "usage: microsim"));
    ck_assert_ptr_nonnull(strstr(r.out, "--max-events"));
    run_free(&r);
    RUN(r, "--version");
    ck_assert_int_eq(r.status, 0);
    ck_assert_int_eq(strncmp(r.out, "microsim ", 9), 0);
    run_free(&r);
}
END_TEST

START_TEST(default_scenario_is_demo)
{
    run_result_t plain, demo;
    run_microsim(&plain, (const char *const[]){NULL});
    RUN(demo, "demo");
    ck_assert_int_eq(plain.status, 0);
    ck_assert_str_eq(plain.out, demo.out);
    ck_assert_ptr_nonnull(strstr(plain.out, "task.spawn"));
    ck_assert_ptr_nonnull(strstr(plain.err, "demo: done, exit status 0"));
    run_free(&plain);
    run_free(&demo);
}
END_TEST

START_TEST(max_events_stops_cleanly_after_n_events)
{
    run_result_t r;
    RUN(r, "--max-events", "10", "pingpong");
    ck_assert_int_eq(r.status, 0);
    ck_assert_uint_eq(count_lines(r.out), 1 + 10); /* the column header, then 10 events */
    ck_assert_ptr_nonnull(strstr(r.err, "stopped by --max-events"));
    run_free(&r);
}
END_TEST

START_TEST(trace_none_still_shows_what_tasks_print)
{
    run_result_t r;
    RUN(r, "--trace=none", "pingpong");
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "pingpong server: 1000 pings checked, 0 wrong\n"
                            "pingpong client: 1000 of 1000 round trips answered correctly\n");
    run_free(&r);
}
END_TEST

START_TEST(output_file_gets_the_trace_and_stdout_the_prints)
{
    char path[] = "/tmp/microsim-test-traceXXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    run_result_t r, direct;
    RUN(r, "-o", path, "basics");
    RUN(direct, "basics");
    ck_assert_int_eq(r.status, 0);
    char *trace = read_file(path, NULL);
    ck_assert_str_eq(trace, direct.out);
    ck_assert_ptr_nonnull(strstr(r.out, "hi: 10 + 11 + 12 = 33\n"));
    ck_assert_ptr_null(strstr(r.out, "task.spawn"));
    free(trace);
    unlink(path);
    run_free(&r);
    run_free(&direct);
}
END_TEST

START_TEST(deadlock_halts_with_status_1)
{
    run_result_t r;
    RUN(r, "deadlock");
    ck_assert_int_eq(r.status, 1);
    ck_assert_ptr_nonnull(strstr(r.out, "kernel.halt   kernel                                   status=1 reason=deadlock\n"));
    ck_assert_ptr_nonnull(strstr(r.err, "deadlock: deadlock, exit status 1"));
    run_free(&r);
}
END_TEST

START_TEST(fast_path_off_gives_the_same_trace)
{
    run_result_t on, off;
    RUN(on, "--fastpath=on", "demo");
    RUN(off, "--fastpath=off", "demo");
    ck_assert_int_eq(on.status, 0);
    ck_assert_int_eq(off.status, 0);
    ck_assert_str_eq(on.out, off.out);
    run_free(&on);
    run_free(&off);
}
END_TEST

/* The event lines of a text trace (not the header, not COM1's output). */
static int is_event_line(const char *line)
{
    return strncmp(line, "    time(ns)", 12) != 0 && strlen(line) > 17 && line[11] >= '0' && line[11] <= '9';
}

/* Each event line of part is a line of whole, in the same order. */
static void assert_lines_in_order(const char *part, const char *whole)
{
    const char *at = whole;
    for (const char *p = part; *p;) {
        size_t n = strcspn(p, "\n");
        char line[1024];
        snprintf(line, sizeof line, "%.*s\n", (int)n, p);
        if (is_event_line(line)) {
            const char *found = strstr(at, line);
            ck_assert_msg(found != NULL, "'%s' is not in the whole trace after the previous line", line);
            at = found + n;
        }
        p += n + (p[n] == '\n');
    }
}

/* The filter changes what is printed, never the run: the same events
 * counted, the same status and summary, a subsequence of the lines. */
START_TEST(trace_filter_selects_lines_and_leaves_the_run_alone)
{
    run_result_t whole, some;
    RUN(whole, "--check-invariants", "--trace-filter=all", "procman");
    RUN(some, "--check-invariants", "--trace-filter=task,@crasher", "procman");
    ck_assert_int_eq(whole.status, 0);
    ck_assert_int_eq(some.status, 0);
    ck_assert_str_eq(some.err, whole.err);
    assert_lines_in_order(some.out, whole.out);
    /* The crasher's prints, kills and restarts, and the end of the run. */
    ck_assert_ptr_nonnull(strstr(some.out, "print         crasher:6 "));
    ck_assert_ptr_nonnull(strstr(some.out, "task.kill     crasher:6 "));
    ck_assert_ptr_nonnull(strstr(some.out, "task.restart  procman:1                                name=\"crasher\""));
    ck_assert_ptr_nonnull(strstr(some.out, "kernel.halt   kernel "));
    ck_assert_ptr_null(strstr(some.out, "worker"));
    ck_assert_ptr_null(strstr(some.out, "switch"));
    ck_assert_uint_eq(count_lines(some.out), 1 + 9);
    run_free(&whole);
    run_free(&some);
}
END_TEST

START_TEST(trace_filter_kinds_prefixes_and_exclusions)
{
    run_result_t all, calls, quiet;
    /* all: every event the summary counts, after the header. */
    RUN(all, "--trace-filter=all", "basics");
    const char *events = strstr(all.err, " events, ");
    ck_assert_ptr_nonnull(events);
    while (events > all.err && events[-1] >= '0' && events[-1] <= '9')
        events--;
    ck_assert_uint_eq(count_lines(all.out), 1 + strtoul(events, NULL, 10));
    /* ipc is every ipc.*; -ipc.wait hides one of them; prints and the halt stay. */
    RUN(calls, "--trace-filter=ipc,-ipc.wait", "basics");
    ck_assert_int_eq(calls.status, 0);
    assert_lines_in_order(calls.out, all.out);
    ck_assert_ptr_nonnull(strstr(calls.out, " ipc.call "));
    ck_assert_ptr_nonnull(strstr(calls.out, " ipc.reply "));
    ck_assert_ptr_nonnull(strstr(calls.out, " print "));
    ck_assert_ptr_nonnull(strstr(calls.out, " kernel.halt "));
    ck_assert_ptr_null(strstr(calls.out, " ipc.wait "));
    ck_assert_ptr_null(strstr(calls.out, " task.spawn "));
    /* Hidden explicitly, even prints go. */
    RUN(quiet, "--trace-filter=-print,-switch", "basics");
    ck_assert_ptr_null(strstr(quiet.out, " print "));
    ck_assert_ptr_null(strstr(quiet.out, " switch "));
    ck_assert_ptr_nonnull(strstr(quiet.out, " task.spawn "));
    run_free(&all);
    run_free(&calls);
    run_free(&quiet);
}
END_TEST

/* shm passes 10 MiB in 160 identical rounds: behind a filter (or with
 * --trace-group=on) they are one line; --trace-group=off and no filter keep
 * every line. */
START_TEST(trace_group_collapses_repeated_blocks_behind_a_filter)
{
    run_result_t plain, filtered, off, on;
    RUN(plain, "shm");
    RUN(filtered, "--trace-filter=-switch,-ipc.wait", "shm");
    RUN(off, "--trace-filter=-switch,-ipc.wait", "--trace-group=off", "shm");
    RUN(on, "--trace-group=on", "shm");
    ck_assert_int_eq(filtered.status, 0);
    ck_assert_str_eq(filtered.err, plain.err);
    ck_assert_ptr_null(strstr(plain.out, "..."));
    ck_assert_ptr_null(strstr(off.out, "..."));
    ck_assert_ptr_nonnull(strstr(filtered.out, "       64300     ... the last 2 events repeated 159 more times\n"));
    ck_assert_ptr_nonnull(strstr(on.out, "       64300     ... the last 4 events repeated 159 more times\n"));
    ck_assert_uint_eq(count_lines(off.out), 1 + 2 + 2 + 320 + 4);
    ck_assert_uint_lt(count_lines(filtered.out), 15);
    ck_assert_uint_lt(count_lines(on.out), 20);
    run_free(&plain);
    run_free(&filtered);
    run_free(&off);
    run_free(&on);
}
END_TEST

/* A scenario's own trace_filter (ms_manifest_t) must be a good SPEC: each
 * scenario of --list boots with it (a wrong one exits 2). */
START_TEST(every_scenario_boots_with_its_own_trace_filter)
{
    run_result_t list;
    RUN(list, "--list");
    ck_assert_int_eq(list.status, 0);
    unsigned scenarios = 0;
    for (const char *p = list.out; *p;) {
        size_t line = strcspn(p, "\n"), n = strcspn(p, " \n");
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)n, p);
        run_result_t r;
        RUN(r, "--trace=text", "-o", "/dev/null", "--max-events", "1", name);
        ck_assert_msg(r.status == 0, "%s exits %d: %s", name, r.status, r.err);
        run_free(&r);
        scenarios++;
        p += line + (p[line] == '\n');
    }
    ck_assert_uint_gt(scenarios, 10);
    run_free(&list);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, unknown_scenario_exits_2_and_points_to_list);
    tcase_add_test(tc, list_names_every_scenario_with_a_description);
    tcase_add_test(tc, bad_options_exit_2_with_one_line);
    tcase_add_test(tc, unwritable_output_file_is_a_usage_error);
    tcase_add_test(tc, help_and_version_exit_0);
    tcase_add_test(tc, default_scenario_is_demo);
    tcase_add_test(tc, max_events_stops_cleanly_after_n_events);
    tcase_add_test(tc, trace_none_still_shows_what_tasks_print);
    tcase_add_test(tc, output_file_gets_the_trace_and_stdout_the_prints);
    tcase_add_test(tc, fast_path_off_gives_the_same_trace);
    tcase_add_test(tc, deadlock_halts_with_status_1);
    tcase_add_test(tc, trace_filter_selects_lines_and_leaves_the_run_alone);
    tcase_add_test(tc, trace_filter_kinds_prefixes_and_exclusions);
    tcase_add_test(tc, every_scenario_boots_with_its_own_trace_filter);
    tcase_add_test(tc, trace_group_collapses_repeated_blocks_behind_a_filter);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
