/* Unit tests of --trace-group (sim/trace_group.c): which repeats collapse, and what is written. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "trace_group.h"

typedef struct capture {
    char *buf;
    size_t len;
    FILE *out;
    sim_trace_group_t *g;
    uint64_t time;
} capture_t;

static void capture_open(capture_t *c)
{
    *c = (capture_t){0};
    c->out = open_memstream(&c->buf, &c->len);
    ck_assert_ptr_nonnull(c->out);
    c->g = sim_trace_group_new(c->out);
    ck_assert_ptr_nonnull(c->g);
}

/* Feeds one event line per letter of keys (a 100 ns step each), then ends. */
static void feed(capture_t *c, const char *keys)
{
    for (const char *k = keys; *k; k++) {
        char line[TRACE_LINE_MAX];
        c->time += 100;
        snprintf(line, sizeof line, "%12llu   0 event-%c", (unsigned long long)c->time, *k);
        sim_trace_group_line(c->g, line + 12, line, c->time);
    }
}

/* What was written, each event line shortened to its letter (and its time
 * kept for summaries): "A B ...2x2@1200 C". */
static char *written(capture_t *c)
{
    sim_trace_group_free(c->g);
    fclose(c->out);
    static char result[4096];
    size_t n = 0;
    result[0] = '\0';
    for (char *line = strtok(c->buf, "\n"); line; line = strtok(NULL, "\n")) {
        unsigned long long time;
        unsigned period = 1, times;
        char letter;
        if (sscanf(line, "%llu 0 event-%c", &time, &letter) == 2)
            n += (size_t)snprintf(result + n, sizeof result - n, "%s%c", n ? " " : "", letter);
        else if (sscanf(line, "%llu ... the last %u events repeated %u more times", &time, &period, &times) == 3 ||
                 sscanf(line, "%llu ... repeated %u more times", &time, &times) == 2)
            n += (size_t)snprintf(result + n, sizeof result - n, "%s...%ux%u@%llu", n ? " " : "", period, times, time);
        else
            ck_abort_msg("unexpected line '%s'", line);
    }
    free(c->buf);
    return result;
}

static void expect(const char *keys, const char *want)
{
    capture_t c;
    capture_open(&c);
    feed(&c, keys);
    ck_assert_str_eq(written(&c), want);
}

START_TEST(one_event_repeated_collapses_after_two_repeats)
{
    expect("AB", "A B");
    expect("AA", "A A");
    expect("AAA", "A ...1x2@300");
    expect("AAAAAB", "A ...1x4@500 B");
}
END_TEST

START_TEST(a_block_of_up_to_four_events_collapses)
{
    expect("ABABABC", "A B ...2x2@600 C");
    expect("XABCDABCDABCDABCDY", "X A B C D ...4x3@1700 Y");
    /* A block of five is left alone. */
    expect("ABCDEABCDEABCDE", "A B C D E A B C D E A B C D E");
}
END_TEST

START_TEST(a_broken_repeat_is_written_as_it_came)
{
    /* Too few repeats: every line. */
    expect("ABABC", "A B A B C");
    expect("ABAC", "A B A C");
    /* A repeat cut short after the summary keeps its lines. */
    expect("ABABABAC", "A B ...2x2@600 A C");
    /* The line that breaks a repeat may start another. */
    expect("AAABBB", "A ...1x2@300 B ...1x2@600");
}
END_TEST

START_TEST(the_summary_line_has_the_last_repeats_time_in_the_time_column)
{
    capture_t c;
    capture_open(&c);
    feed(&c, "ABABAB");
    sim_trace_group_free(c.g);
    fclose(c.out);
    ck_assert_str_eq(c.buf, "         100   0 event-A\n"
                            "         200   0 event-B\n"
                            "         600     ... the last 2 events repeated 2 more times\n");
    free(c.buf);
}
END_TEST

START_TEST(flush_writes_what_is_held)
{
    capture_t c;
    capture_open(&c);
    feed(&c, "ABA");
    sim_trace_group_flush(c.g);
    fflush(c.out);
    ck_assert_str_eq(c.buf, "         100   0 event-A\n"
                            "         200   0 event-B\n"
                            "         300   0 event-A\n");
    feed(&c, "C");
    ck_assert_str_eq(written(&c), "A B A C");
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("trace_group");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, one_event_repeated_collapses_after_two_repeats);
    tcase_add_test(tc, a_block_of_up_to_four_events_collapses);
    tcase_add_test(tc, a_broken_repeat_is_written_as_it_came);
    tcase_add_test(tc, the_summary_line_has_the_last_repeats_time_in_the_time_column);
    tcase_add_test(tc, flush_writes_what_is_held);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
