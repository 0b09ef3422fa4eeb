/* Unit tests of the 8254 channel 0: programmed through ports 0x40-0x43, driven by simulated time. */
#include <check.h>

#include "check_main.h"
#include "pic.h"
#include "pit.h"
#include "portbus.h"

#define CH0 0x40
#define CONTROL 0x43
#define MODE2_LSB_MSB 0x34 /* channel 0, lobyte then hibyte, mode 2, binary */
#define MODE3_LSB_MSB 0x36

/* OUT0 as the PIC would see it. */
typedef struct out_log {
    unsigned rises, falls;
    bool level;
    uint64_t last_rise_tick; /* the input pulse of the last rising edge */
} out_log_t;

static hw_portbus_t bus;
static hw_pit_t pit;
static out_log_t out;

static void note_out(void *ctx, bool level)
{
    out_log_t *log = ctx;
    ck_assert(level != log->level); /* only changes are reported */
    log->level = level;
    if (level) {
        log->rises++;
        log->last_rise_tick = pit.period_start;
    } else {
        log->falls++;
    }
}

static void outb(uint16_t port, uint8_t value)
{
    hw_portbus_out(&bus, port, 1, value);
}

static uint8_t inb(uint16_t port)
{
    return (uint8_t)hw_portbus_in(&bus, port, 1);
}

static void program(uint8_t control, uint16_t count)
{
    outb(CONTROL, control);
    outb(CH0, (uint8_t)count);
    outb(CH0, (uint8_t)(count >> 8));
}

static uint16_t read_count(void)
{
    uint16_t lsb = inb(CH0);
    return (uint16_t)(lsb | inb(CH0) << 8);
}

static uint16_t latched_count(void)
{
    outb(CONTROL, 0x00);
    return read_count();
}

/* Nanoseconds for `pulses` input clock pulses to have elapsed since time 0. */
static uint64_t ns_for_pulses(uint64_t pulses)
{
    return (pulses * 1000000000u + HW_PIT_HZ - 1) / HW_PIT_HZ;
}

/* floor(t * 1193182 / (reload * 10^9)): periods completed after t ns. */
static uint64_t expected_periods(uint64_t t_ns, uint32_t reload)
{
    return t_ns * HW_PIT_HZ / ((uint64_t)reload * 1000000000u);
}

static void setup(void)
{
    hw_portbus_init(&bus, NULL, NULL);
    hw_pit_init(&pit, note_out, &out);
    out = (out_log_t){.level = true};
    ck_assert_int_eq(hw_pit_attach(&pit, &bus), 0);
}

START_TEST(mode2_interrupt_count_is_exact_over_an_hour)
{
    program(MODE2_LSB_MSB, 11932); /* about 100 Hz */
    uint64_t t = 0, step = 7777777;
    const uint64_t hour = 3600ull * 1000000000u;
    while (t < hour) {
        if (step > hour - t)
            step = hour - t;
        hw_pit_advance(&pit, step);
        t += step;
        ck_assert_uint_eq(out.rises, expected_periods(t, 11932));
    }
    ck_assert_uint_eq(out.rises, 359994); /* 3600 * 1193182 / 11932 = 359994.6 */
}
END_TEST

START_TEST(mode3_interrupt_count_is_exact_with_ragged_steps)
{
    program(MODE3_LSB_MSB, 1193); /* about 1000 Hz, odd count */
    uint64_t t = 0;
    for (unsigned i = 0; i < 200000; i++) {
        uint64_t step = 1 + (i * 2654435761u) % 100003; /* 1 ns to 100 us */
        hw_pit_advance(&pit, step);
        t += step;
        ck_assert_uint_eq(out.rises, expected_periods(t, 1193));
    }
    ck_assert_uint_ge(out.rises, 1000);
}
END_TEST

START_TEST(one_nanosecond_steps_carry_the_fraction)
{
    program(MODE2_LSB_MSB, 2);
    for (uint64_t t = 1; t <= 20000; t++) {
        hw_pit_advance(&pit, 1);
        ck_assert_uint_eq(out.rises, expected_periods(t, 2));
    }
    ck_assert_uint_eq(out.rises, 11);
}
END_TEST

START_TEST(one_big_step_plays_every_edge)
{
    program(MODE2_LSB_MSB, 1000);
    hw_pit_advance(&pit, 10ull * 1000000000u);
    ck_assert_uint_eq(out.rises, 11931);
    ck_assert_uint_eq(out.falls, 11931); /* mode 2 is low for each period's last pulse */
    ck_assert(out.level);
    ck_assert_uint_eq(out.last_rise_tick, 11931000);
}
END_TEST

START_TEST(mode2_output_is_low_for_one_pulse_per_period)
{
    program(MODE2_LSB_MSB, 100);
    ck_assert_uint_eq(hw_pit_next_event_ns(&pit), ns_for_pulses(99));
    hw_pit_advance(&pit, ns_for_pulses(99) - 1);
    ck_assert(out.level);
    hw_pit_advance(&pit, 1);
    ck_assert(!out.level);
    ck_assert_uint_eq(hw_pit_next_event_ns(&pit), ns_for_pulses(100) - ns_for_pulses(99));
    hw_pit_advance(&pit, hw_pit_next_event_ns(&pit));
    ck_assert(out.level);
    ck_assert_uint_eq(out.last_rise_tick, 100);
}
END_TEST

START_TEST(mode3_halves_of_an_even_and_an_odd_count)
{
    program(MODE3_LSB_MSB, 1000);
    hw_pit_advance(&pit, ns_for_pulses(500) - 1);
    ck_assert(out.level);
    hw_pit_advance(&pit, 1);
    ck_assert(!out.level);
    hw_pit_advance(&pit, ns_for_pulses(1000) - ns_for_pulses(500));
    ck_assert(out.level);
    ck_assert_uint_eq(out.rises, 1);
    setup();
    program(MODE3_LSB_MSB, 1001); /* high 501 pulses, low 500 */
    hw_pit_advance(&pit, ns_for_pulses(501) - 1);
    ck_assert(out.level);
    hw_pit_advance(&pit, 1);
    ck_assert(!out.level);
    hw_pit_advance(&pit, ns_for_pulses(1001) - ns_for_pulses(501) - 1);
    ck_assert(!out.level);
    hw_pit_advance(&pit, 1);
    ck_assert(out.level);
}
END_TEST

START_TEST(next_event_lands_on_every_edge)
{
    program(MODE3_LSB_MSB, 777);
    uint64_t t = 0;
    for (unsigned edge = 1; edge <= 2000; edge++) {
        uint64_t d = hw_pit_next_event_ns(&pit);
        hw_pit_advance(&pit, d - 1);
        ck_assert_uint_eq(out.rises + out.falls, edge - 1);
        hw_pit_advance(&pit, 1);
        ck_assert_uint_eq(out.rises + out.falls, edge);
        t += d;
        /* edge 2k is the kth rise, at pulse 777 k */
        uint64_t pulse = (edge / 2) * 777 + (edge % 2) * 389;
        ck_assert_uint_eq(t, ns_for_pulses(pulse));
    }
}
END_TEST

START_TEST(reload_zero_means_65536)
{
    program(MODE2_LSB_MSB, 0);
    ck_assert_uint_eq(latched_count(), 0); /* 65536 reads as 0 */
    hw_pit_advance(&pit, ns_for_pulses(3));
    ck_assert_uint_eq(latched_count(), 65533);
    hw_pit_advance(&pit, 1000000000u - ns_for_pulses(3));
    ck_assert_uint_eq(out.rises, 18); /* 1193182 / 65536 = 18.2 */
    ck_assert_uint_eq(out.last_rise_tick, 18 * 65536);
}
END_TEST

START_TEST(latch_freezes_the_count_until_both_bytes_are_read)
{
    program(MODE2_LSB_MSB, 1000);
    hw_pit_advance(&pit, ns_for_pulses(100));
    outb(CONTROL, 0x00);
    hw_pit_advance(&pit, ns_for_pulses(350) - ns_for_pulses(100));
    outb(CONTROL, 0x00); /* ignored: a latch is pending */
    ck_assert_uint_eq(read_count(), 900);
    ck_assert_uint_eq(read_count(), 650); /* live again */
}
END_TEST

START_TEST(mode3_count_drops_by_two_in_each_half)
{
    program(MODE3_LSB_MSB, 1000);
    hw_pit_advance(&pit, ns_for_pulses(10));
    ck_assert_uint_eq(latched_count(), 980);
    hw_pit_advance(&pit, ns_for_pulses(510) - ns_for_pulses(10));
    ck_assert(!out.level);
    ck_assert_uint_eq(latched_count(), 980);
}
END_TEST

START_TEST(lobyte_only_and_hibyte_only_access)
{
    outb(CONTROL, 0x14); /* lobyte only, mode 2 */
    outb(CH0, 100);
    hw_pit_advance(&pit, ns_for_pulses(1000));
    ck_assert_uint_eq(out.rises, 10);
    outb(CONTROL, 0x24); /* hibyte only, mode 2 */
    outb(CH0, 0x02);     /* 512 */
    ck_assert_uint_eq(inb(CH0), 0x02);
    hw_pit_advance(&pit, ns_for_pulses(1000 + 1024) - ns_for_pulses(1000));
    ck_assert_uint_eq(out.rises, 12);
}
END_TEST

START_TEST(new_count_takes_over_at_the_end_of_the_period)
{
    program(MODE2_LSB_MSB, 1000);
    hw_pit_advance(&pit, ns_for_pulses(300));
    outb(CH0, 500 & 0xff);
    outb(CH0, 500 >> 8);
    hw_pit_advance(&pit, ns_for_pulses(1000) - ns_for_pulses(300));
    ck_assert_uint_eq(out.rises, 1);
    ck_assert_uint_eq(out.last_rise_tick, 1000);
    hw_pit_advance(&pit, ns_for_pulses(1500) - ns_for_pulses(1000));
    ck_assert_uint_eq(out.rises, 2);
    ck_assert_uint_eq(out.last_rise_tick, 1500);
}
END_TEST

START_TEST(control_word_stops_the_channel_until_a_full_count)
{
    program(MODE2_LSB_MSB, 100);
    outb(CONTROL, MODE2_LSB_MSB);
    ck_assert_uint_eq(hw_pit_next_event_ns(&pit), HW_PIT_NEVER);
    outb(CH0, 50); /* low byte only: still stopped */
    ck_assert_uint_eq(hw_pit_next_event_ns(&pit), HW_PIT_NEVER);
    hw_pit_advance(&pit, 1000000000u);
    ck_assert_uint_eq(out.rises, 0);
    outb(CH0, 0);
    hw_pit_advance(&pit, hw_pit_next_event_ns(&pit));
    hw_pit_advance(&pit, hw_pit_next_event_ns(&pit));
    ck_assert_uint_eq(out.rises, 1);
    ck_assert_uint_eq(out.last_rise_tick, HW_PIT_HZ + 50); /* the count started at second 1 */
}
END_TEST

START_TEST(reprogramming_in_the_low_half_raises_out)
{
    program(MODE3_LSB_MSB, 1000);
    hw_pit_advance(&pit, ns_for_pulses(600));
    ck_assert(!out.level);
    outb(CONTROL, MODE2_LSB_MSB);
    ck_assert(out.level);
    ck_assert_uint_eq(out.rises, 1);
}
END_TEST

START_TEST(read_back_latches_status_then_count)
{
    outb(CONTROL, MODE2_LSB_MSB);
    outb(CONTROL, 0xe2);                             /* read-back status and count of channel 0 */
    ck_assert_uint_eq(inb(CH0), 0x80 | 0x40 | 0x34); /* OUT high, null count */
    program(MODE2_LSB_MSB, 300);
    hw_pit_advance(&pit, ns_for_pulses(299));
    outb(CONTROL, 0xc2); /* status and count */
    hw_pit_advance(&pit, ns_for_pulses(310) - ns_for_pulses(299));
    ck_assert_uint_eq(inb(CH0), 0x00 | 0x34); /* OUT low in the last pulse, count loaded */
    ck_assert_uint_eq(read_count(), 1);
    outb(CONTROL, 0xd2); /* count only */
    ck_assert_uint_eq(read_count(), 290);
    outb(CONTROL, 0xe4); /* channel 1: not modelled, nothing latched */
    hw_pit_advance(&pit, ns_for_pulses(320) - ns_for_pulses(310));
    ck_assert_uint_eq(read_count(), 280);
}
END_TEST

START_TEST(channels_1_and_2_are_ignored)
{
    program(MODE2_LSB_MSB, 100);
    outb(CONTROL, 0x74); /* channel 1 */
    outb(0x41, 0x12);
    outb(CONTROL, 0xb6); /* channel 2 */
    outb(0x42, 0x34);
    ck_assert_uint_eq(inb(0x41), 0xff);
    ck_assert_uint_eq(inb(0x42), 0xff);
    ck_assert_uint_eq(inb(CONTROL), 0xff);
    hw_pit_advance(&pit, ns_for_pulses(1000));
    ck_assert_uint_eq(out.rises, 10);
}
END_TEST

START_TEST(unmodelled_modes_leave_the_channel_stopped)
{
    outb(CONTROL, 0x30); /* mode 0: OUT low after the control word */
    ck_assert(!out.level);
    outb(CH0, 10);
    outb(CH0, 0);
    ck_assert_uint_eq(hw_pit_next_event_ns(&pit), HW_PIT_NEVER);
    hw_pit_advance(&pit, 1000000);
    ck_assert_uint_eq(out.rises, 0);
    setup();
    outb(CONTROL, 0x3c); /* mode 6 is mode 2 */
    outb(CH0, 10);
    outb(CH0, 0);
    hw_pit_advance(&pit, ns_for_pulses(100));
    ck_assert_uint_eq(out.rises, 10);
}
END_TEST

START_TEST(count_of_one_runs_as_two)
{
    program(MODE2_LSB_MSB, 1);
    hw_pit_advance(&pit, ns_for_pulses(10));
    ck_assert_uint_eq(out.rises, 5);
}
END_TEST

static void irq0(void *ctx, bool level)
{
    hw_pic_set_line(ctx, HW_PIT_IRQ, level);
}

START_TEST(out0_reaches_the_pic_as_vector_32)
{
    hw_pic_t pic;
    hw_pic_init(&pic);
    ck_assert_int_eq(hw_pic_attach(&pic, &bus), 0);
    hw_pit_init(&pit, irq0, &pic);
    const uint8_t remap[] = {0x11, 0x20, 0x04, 0x01};
    for (unsigned i = 0; i < 4; i++)
        outb(i ? 0x21 : 0x20, remap[i]);
    outb(0x21, 0xfe); /* only IRQ 0 */
    program(MODE2_LSB_MSB, 11932);
    for (unsigned tick = 0; tick < 5; tick++) {
        hw_pit_advance(&pit, hw_pit_next_event_ns(&pit)); /* OUT0 falls */
        hw_pit_advance(&pit, hw_pit_next_event_ns(&pit) - 1);
        ck_assert(!hw_pic_pending(&pic));
        hw_pit_advance(&pit, 1); /* OUT0 rises */
        ck_assert(hw_pic_pending(&pic));
        ck_assert_uint_eq(hw_pic_ack(&pic), 32);
        outb(0x20, 0x20);
    }
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("pit");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60); /* the hour of simulated time takes a second or two */
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, mode2_interrupt_count_is_exact_over_an_hour);
    tcase_add_test(tc, mode3_interrupt_count_is_exact_with_ragged_steps);
    tcase_add_test(tc, one_nanosecond_steps_carry_the_fraction);
    tcase_add_test(tc, one_big_step_plays_every_edge);
    tcase_add_test(tc, mode2_output_is_low_for_one_pulse_per_period);
    tcase_add_test(tc, mode3_halves_of_an_even_and_an_odd_count);
    tcase_add_test(tc, next_event_lands_on_every_edge);
    tcase_add_test(tc, reload_zero_means_65536);
    tcase_add_test(tc, latch_freezes_the_count_until_both_bytes_are_read);
    tcase_add_test(tc, mode3_count_drops_by_two_in_each_half);
    tcase_add_test(tc, lobyte_only_and_hibyte_only_access);
    tcase_add_test(tc, new_count_takes_over_at_the_end_of_the_period);
    tcase_add_test(tc, control_word_stops_the_channel_until_a_full_count);
    tcase_add_test(tc, reprogramming_in_the_low_half_raises_out);
    tcase_add_test(tc, read_back_latches_status_then_count);
    tcase_add_test(tc, channels_1_and_2_are_ignored);
    tcase_add_test(tc, unmodelled_modes_leave_the_channel_stopped);
    tcase_add_test(tc, count_of_one_runs_as_two);
    tcase_add_test(tc, out0_reaches_the_pic_as_vector_32);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
