/* The kernel's 8254 driver (kernel/dev/pit.c) programming the hwmodel PIT: the tick rate it asks for. */
#include "dev/pit.h"
#include "fixture.h"
#include "pc.h"

static hw_pc_t pc;

static uint8_t bus_in(uint16_t port)
{
    return (uint8_t)hw_portbus_in(&pc.bus, port, 1);
}

static void bus_out(uint16_t port, uint8_t value)
{
    hw_portbus_out(&pc.bus, port, 1, value);
}

/* Counts IRQ 0's rising edges over ns of PIT time. */
static unsigned ticks_in(uint64_t ns)
{
    unsigned ticks = 0;
    while (ns) {
        uint64_t step = hw_pit_next_event_ns(&pc.pit);
        if (step > ns)
            step = ns;
        bool before = pc.pit.out;
        hw_pc_advance(&pc, step);
        ticks += !before && pc.pit.out;
        ns -= step;
    }
    return ticks;
}

START_TEST(one_thousand_hertz_gives_a_tick_per_millisecond)
{
    fx_reset();
    ck_assert_int_eq(hw_pc_init(&pc, NULL, NULL, NULL), 0);
    fake_arch_inb = bus_in;
    fake_arch_outb = bus_out;
    uint64_t period = pit_init(1000);
    /* 1193182 / 1000 rounds to 1193 input pulses: 999.847 us. */
    ck_assert_uint_eq(period, 1193ull * 1000000000ull / 1193182u);
    ck_assert_uint_eq(pc.pit.count, 1193);
    ck_assert(pc.pit.counting);
    ck_assert_uint_eq(ticks_in(1000000000ull), 1000);
}
END_TEST

START_TEST(slowest_rate_uses_the_full_count)
{
    fx_reset();
    ck_assert_int_eq(hw_pc_init(&pc, NULL, NULL, NULL), 0);
    fake_arch_inb = bus_in;
    fake_arch_outb = bus_out;
    uint64_t period = pit_init(18);
    ck_assert_uint_eq(pc.pit.count, 65536);
    ck_assert_uint_eq(period, 65536ull * 1000000000ull / 1193182u);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("dev_pit");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, one_thousand_hertz_gives_a_tick_per_millisecond);
    tcase_add_test(tc, slowest_rate_uses_the_full_count);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
