/* The console service's protocol and line editing, driven through its core (services/console/console_core.c). */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "console_core.h"

#define CLIENT_BADGE 5u
#define READER 40u /* a saved read's reply handle */

static console_core_t core;
static char out[MS_MSG_PAYLOAD_MAX]; /* the service's IPC buffer */

static console_request_t req(uint32_t label, unsigned words, unsigned payload)
{
    return (console_request_t){.label = label, .words = words, .payload = payload, .badge = CLIENT_BADGE};
}

static console_action_t decide(console_request_t rq)
{
    console_action_t act;
    memset(&act, 0xa5, sizeof act);
    console_decide(&core, &rq, out, &act);
    return act;
}

static void type(const char *bytes)
{
    for (const char *p = bytes; *p; p++)
        console_take(&core, *p);
}

/* A read answered at once: the line, NUL-terminated, in out; fails if the read would wait. */
static const char *read_line(void)
{
    console_action_t act = decide(req(CONSOLE_READ, 0, 0));
    ck_assert_int_eq(act.step, CONSOLE_STEP_REPLY);
    ck_assert_uint_eq(act.err, MS_OK);
    ck_assert_uint_le(act.reply_len, CONSOLE_LINE_MAX);
    out[act.reply_len] = '\0';
    return out;
}

static void setup(void)
{
    memset(&core, 0x5a, sizeof core);
    memset(out, 0, sizeof out);
    console_core_init(&core);
}

START_TEST(a_line_is_read_without_its_end)
{
    type("hello\n");
    ck_assert_uint_eq(console_lines_waiting(&core), 1);
    ck_assert_str_eq(read_line(), "hello");
    ck_assert_uint_eq(console_lines_waiting(&core), 0);
}
END_TEST

START_TEST(cr_and_lf_each_end_a_line)
{
    type("one\rtwo\n");
    ck_assert_uint_eq(console_lines_waiting(&core), 2);
    ck_assert_str_eq(read_line(), "one");
    ck_assert_str_eq(read_line(), "two");
    /* CR LF is one line end, as a serial terminal sends it; LF CR and CR CR are two. */
    type("three\r\nfour\n\rfive\r\r");
    ck_assert_uint_eq(console_lines_waiting(&core), 5);
    ck_assert_str_eq(read_line(), "three");
    ck_assert_str_eq(read_line(), "four");
    ck_assert_str_eq(read_line(), "");
    ck_assert_str_eq(read_line(), "five");
    ck_assert_str_eq(read_line(), "");
}
END_TEST

START_TEST(a_line_is_not_whole_until_its_end_comes)
{
    type("partial");
    ck_assert_uint_eq(console_lines_waiting(&core), 0);
    ck_assert_int_eq(decide(req(CONSOLE_READ, 0, 0)).step, CONSOLE_STEP_SAVE_READER);
    type(" line\n");
    ck_assert_str_eq(read_line(), "partial line");
}
END_TEST

START_TEST(backspace_and_delete_take_back_a_byte)
{
    type("helo\x08lo\n");
    ck_assert_str_eq(read_line(), "hello");
    type("abc\x7f\x7f"
         "d\n");
    ck_assert_str_eq(read_line(), "ad");
}
END_TEST

START_TEST(backspace_at_the_start_of_a_line_does_nothing)
{
    type("\x08\x7f\x08ok\n");
    ck_assert_str_eq(read_line(), "ok");
    type("x\x08\x08\x08y\n"); /* more backspaces than bytes */
    ck_assert_str_eq(read_line(), "y");
    type("\x08\n"); /* an empty line stays a line */
    ck_assert_uint_eq(console_lines_waiting(&core), 1);
    ck_assert_str_eq(read_line(), "");
}
END_TEST

START_TEST(backspace_does_not_reach_into_the_previous_line)
{
    type("first\n\x08\x08second\n");
    ck_assert_str_eq(read_line(), "first");
    ck_assert_str_eq(read_line(), "second");
}
END_TEST

START_TEST(a_line_over_255_bytes_is_cut)
{
    char line[400];
    for (unsigned i = 0; i < sizeof line - 1; i++)
        line[i] = (char)('a' + i % 26);
    line[sizeof line - 1] = '\0';
    type(line);
    type("\n");
    const char *got = read_line();
    ck_assert_uint_eq(strlen(got), CONSOLE_LINE_MAX);
    ck_assert_mem_eq(got, line, CONSOLE_LINE_MAX);
    /* Exactly 255 bytes fit whole. */
    line[CONSOLE_LINE_MAX] = '\0';
    type(line);
    type("\n");
    ck_assert_str_eq(read_line(), line);
}
END_TEST

START_TEST(backspace_after_a_cut_takes_back_the_last_kept_byte)
{
    for (unsigned i = 0; i < CONSOLE_LINE_MAX + 10; i++)
        console_take(&core, 'x');
    type("\x08y\n");
    const char *got = read_line();
    ck_assert_uint_eq(strlen(got), CONSOLE_LINE_MAX);
    ck_assert_int_eq(got[CONSOLE_LINE_MAX - 2], 'x');
    ck_assert_int_eq(got[CONSOLE_LINE_MAX - 1], 'y');
}
END_TEST

START_TEST(eight_lines_wait_and_the_ninth_is_dropped)
{
    type("l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\n");
    ck_assert_uint_eq(console_lines_waiting(&core), CONSOLE_LINES);
    for (unsigned i = 1; i <= CONSOLE_LINES; i++) {
        char want[4] = {'l', (char)('0' + i), '\0'};
        ck_assert_str_eq(read_line(), want);
    }
    ck_assert_uint_eq(console_lines_waiting(&core), 0);
    ck_assert_int_eq(decide(req(CONSOLE_READ, 0, 0)).step, CONSOLE_STEP_SAVE_READER); /* l9 is gone */
}
END_TEST

START_TEST(the_queue_wraps_around)
{
    for (unsigned round = 0; round < 3; round++) {
        type("a\nb\nc\nd\ne\n");
        ck_assert_str_eq(read_line(), "a");
        ck_assert_str_eq(read_line(), "b");
        ck_assert_str_eq(read_line(), "c");
        ck_assert_str_eq(read_line(), "d");
        ck_assert_str_eq(read_line(), "e");
    }
    type("1\n2\n3\n4\n5\n6\n7\n8\n9\n"); /* full again, across the wrap */
    ck_assert_uint_eq(console_lines_waiting(&core), CONSOLE_LINES);
    ck_assert_str_eq(read_line(), "1");
    type("10\n"); /* one free place again */
    for (unsigned i = 2; i <= 8; i++)
        read_line();
    ck_assert_str_eq(read_line(), "10");
}
END_TEST

START_TEST(a_read_with_no_line_waits_and_the_next_line_answers_it)
{
    console_action_t act = decide(req(CONSOLE_READ, 0, 0));
    ck_assert_int_eq(act.step, CONSOLE_STEP_SAVE_READER);
    ck_assert_uint_eq(act.err, MS_OK);
    console_reader_saved(&core, READER);
    unsigned len = 999;
    ck_assert_uint_eq(console_reader_due(&core, out, &len), 0); /* nothing typed yet */
    ck_assert_uint_eq(len, 999);
    type("ls /\n");
    ck_assert_uint_eq(console_reader_due(&core, out, &len), READER);
    ck_assert_uint_eq(len, 4);
    ck_assert_mem_eq(out, "ls /", 4);
    ck_assert_uint_eq(console_lines_waiting(&core), 0);
    /* Answered once: the reader is no longer saved. */
    type("more\n");
    ck_assert_uint_eq(console_reader_due(&core, out, &len), 0);
    ck_assert_str_eq(read_line(), "more");
}
END_TEST

START_TEST(a_second_reader_while_one_waits_is_busy)
{
    ck_assert_int_eq(decide(req(CONSOLE_READ, 0, 0)).step, CONSOLE_STEP_SAVE_READER);
    console_reader_saved(&core, READER);
    console_action_t act = decide(req(CONSOLE_READ, 0, 0));
    ck_assert_int_eq(act.step, CONSOLE_STEP_REPLY);
    ck_assert_uint_eq(act.err, MS_E_BUSY);
    ck_assert_uint_eq(act.reply_len, 0);
    /* Once the first has its line, the next reader may wait. */
    type("x\n");
    unsigned len;
    ck_assert_uint_eq(console_reader_due(&core, out, &len), READER);
    ck_assert_int_eq(decide(req(CONSOLE_READ, 0, 0)).step, CONSOLE_STEP_SAVE_READER);
}
END_TEST

START_TEST(input_from_the_interrupt_thread_is_input_and_from_a_client_nosys)
{
    console_request_t rq = req(CONSOLE_INPUT, 0, 0);
    rq.badge = CONSOLE_IRQ_BADGE;
    console_action_t act = decide(rq);
    ck_assert_int_eq(act.step, CONSOLE_STEP_INPUT);
    ck_assert_uint_eq(act.err, MS_OK);
    ck_assert_uint_eq(act.reply_len, 0);
    act = decide(req(CONSOLE_INPUT, 0, 0));
    ck_assert_int_eq(act.step, CONSOLE_STEP_REPLY);
    ck_assert_uint_eq(act.err, MS_E_NOSYS);
}
END_TEST

START_TEST(a_write_of_1_to_4096_bytes_goes_out)
{
    console_action_t act = decide(req(CONSOLE_WRITE, 0, 1));
    ck_assert_int_eq(act.step, CONSOLE_STEP_WRITE);
    ck_assert_uint_eq(act.err, MS_OK);
    ck_assert_uint_eq(act.write_len, 1);
    ck_assert_uint_eq(act.reply_len, 0);
    act = decide(req(CONSOLE_WRITE, 0, MS_MSG_PAYLOAD_MAX));
    ck_assert_int_eq(act.step, CONSOLE_STEP_WRITE);
    ck_assert_uint_eq(act.write_len, 4096);
}
END_TEST

START_TEST(an_empty_or_oversized_write_or_one_with_words_is_invalid)
{
    console_action_t act = decide(req(CONSOLE_WRITE, 0, 0));
    ck_assert_int_eq(act.step, CONSOLE_STEP_REPLY);
    ck_assert_uint_eq(act.err, MS_E_INVAL);
    act = decide(req(CONSOLE_WRITE, 0, MS_MSG_PAYLOAD_MAX + 1));
    ck_assert_int_eq(act.step, CONSOLE_STEP_REPLY);
    ck_assert_uint_eq(act.err, MS_E_INVAL);
    act = decide(req(CONSOLE_WRITE, 1, 5));
    ck_assert_int_eq(act.step, CONSOLE_STEP_REPLY);
    ck_assert_uint_eq(act.err, MS_E_INVAL);
}
END_TEST

START_TEST(a_read_with_words_or_a_payload_is_invalid_and_takes_no_line)
{
    type("kept\n");
    console_action_t act = decide(req(CONSOLE_READ, 0, 3));
    ck_assert_int_eq(act.step, CONSOLE_STEP_REPLY);
    ck_assert_uint_eq(act.err, MS_E_INVAL);
    ck_assert_uint_eq(act.reply_len, 0);
    act = decide(req(CONSOLE_READ, 2, 0));
    ck_assert_uint_eq(act.err, MS_E_INVAL);
    ck_assert_uint_eq(console_lines_waiting(&core), 1);
    ck_assert_str_eq(read_line(), "kept");
}
END_TEST

START_TEST(unknown_labels_are_nosys_and_handles_are_closed)
{
    console_action_t act = decide(req(0x99, 0, 0));
    ck_assert_int_eq(act.step, CONSOLE_STEP_REPLY);
    ck_assert_uint_eq(act.err, MS_E_NOSYS);
    ck_assert_int_eq(act.close_handle, 0);
    console_request_t rq = req(CONSOLE_WRITE, 0, 3);
    rq.has_handle = 1;
    act = decide(rq);
    ck_assert_int_eq(act.step, CONSOLE_STEP_WRITE);
    ck_assert_int_eq(act.close_handle, 1);
    rq = req(CONSOLE_READ + 7, 0, 0);
    rq.has_handle = 1;
    act = decide(rq);
    ck_assert_uint_eq(act.err, MS_E_NOSYS);
    ck_assert_int_eq(act.close_handle, 1);
}
END_TEST

/* A reader that died waiting stands in nobody's way, and loses no line. */
START_TEST(a_gone_reader_makes_room_and_its_line_waits)
{
    console_reader_saved(&core, READER);
    ck_assert_uint_eq(console_reader(&core), READER);
    ck_assert_uint_eq(decide(req(CONSOLE_READ, 0, 0)).err, MS_E_BUSY);
    console_reader_gone(&core);
    ck_assert_uint_eq(console_reader(&core), 0);
    console_action_t act = decide(req(CONSOLE_READ, 0, 0)); /* the next reader is saved, not refused */
    ck_assert_int_eq(act.step, CONSOLE_STEP_SAVE_READER);
    console_reader_saved(&core, READER + 1);
    type("first\nsecond\n");
    unsigned len = 0;
    ck_assert_uint_eq(console_reader_due(&core, out, &len), READER + 1);
    console_line_back(&core, out, len); /* it was gone too: the line goes back */
    ck_assert_uint_eq(console_lines_waiting(&core), 2);
    ck_assert_str_eq(read_line(), "first"); /* in its place, before the second */
    ck_assert_str_eq(read_line(), "second");
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("console_core");
    TCase *tc = tcase_create("protocol");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, a_line_is_read_without_its_end);
    tcase_add_test(tc, cr_and_lf_each_end_a_line);
    tcase_add_test(tc, a_line_is_not_whole_until_its_end_comes);
    tcase_add_test(tc, backspace_and_delete_take_back_a_byte);
    tcase_add_test(tc, backspace_at_the_start_of_a_line_does_nothing);
    tcase_add_test(tc, backspace_does_not_reach_into_the_previous_line);
    tcase_add_test(tc, a_line_over_255_bytes_is_cut);
    tcase_add_test(tc, backspace_after_a_cut_takes_back_the_last_kept_byte);
    tcase_add_test(tc, eight_lines_wait_and_the_ninth_is_dropped);
    tcase_add_test(tc, the_queue_wraps_around);
    tcase_add_test(tc, a_read_with_no_line_waits_and_the_next_line_answers_it);
    tcase_add_test(tc, a_second_reader_while_one_waits_is_busy);
    tcase_add_test(tc, input_from_the_interrupt_thread_is_input_and_from_a_client_nosys);
    tcase_add_test(tc, a_write_of_1_to_4096_bytes_goes_out);
    tcase_add_test(tc, an_empty_or_oversized_write_or_one_with_words_is_invalid);
    tcase_add_test(tc, a_read_with_words_or_a_payload_is_invalid_and_takes_no_line);
    tcase_add_test(tc, unknown_labels_are_nosys_and_handles_are_closed);
    tcase_add_test(tc, a_gone_reader_makes_room_and_its_line_waits);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
