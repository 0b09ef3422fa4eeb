/* Unit tests of the port I/O bus: routing, sizes, splitting, unclaimed ports. */
#include <check.h>

#include "check_main.h"
#include "portbus.h"

/* A device of byte registers that logs its last access. */
typedef struct fake_dev {
    uint8_t regs[8];
    uint16_t base;
    unsigned reads, writes;
    uint16_t last_port;
    unsigned last_size;
    uint32_t last_value;
} fake_dev_t;

static uint32_t fake_read(void *ctx, uint16_t port, unsigned size)
{
    fake_dev_t *d = ctx;
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint32_t)d->regs[(port - d->base + i) % 8] << (8 * i);
    d->reads++;
    d->last_port = port;
    d->last_size = size;
    return size < 4 ? v | (0xabcdef00u << (8 * (size - 1))) : v; /* junk above size: the bus masks it */
}

static void fake_write(void *ctx, uint16_t port, unsigned size, uint32_t value)
{
    fake_dev_t *d = ctx;
    for (unsigned i = 0; i < size; i++)
        d->regs[(port - d->base + i) % 8] = (uint8_t)(value >> (8 * i));
    d->writes++;
    d->last_port = port;
    d->last_size = size;
    d->last_value = value;
}

typedef struct reports {
    unsigned count;
    uint16_t port;
    unsigned size;
    bool write;
} reports_t;

static void note_unclaimed(void *ctx, uint16_t port, unsigned size, bool write)
{
    reports_t *r = ctx;
    r->count++;
    r->port = port;
    r->size = size;
    r->write = write;
}

static hw_portbus_t bus;
static reports_t reports;

static void attach(fake_dev_t *d, uint16_t first, uint16_t last, uint8_t width)
{
    *d = (fake_dev_t){.base = first};
    hw_port_range_t r = {
        .first = first, .last = last, .width = width, .read = fake_read, .write = fake_write, .ctx = d};
    ck_assert_int_eq(hw_portbus_register(&bus, &r), 0);
}

static void setup(void)
{
    reports = (reports_t){0};
    hw_portbus_init(&bus, note_unclaimed, &reports);
}

START_TEST(unclaimed_port_reads_all_ones_at_every_size)
{
    ck_assert_uint_eq(hw_portbus_in(&bus, 0x80, 1), 0xff);
    ck_assert_uint_eq(hw_portbus_in(&bus, 0x80, 2), 0xffff);
    ck_assert_uint_eq(hw_portbus_in(&bus, 0x80, 4), 0xffffffffu);
}
END_TEST

START_TEST(unclaimed_port_is_reported_once)
{
    hw_portbus_in(&bus, 0x2f8, 2);
    ck_assert_uint_eq(reports.count, 1);
    ck_assert_uint_eq(reports.port, 0x2f8);
    ck_assert_uint_eq(reports.size, 2);
    ck_assert(!reports.write);
    hw_portbus_in(&bus, 0x2f8, 1);
    hw_portbus_out(&bus, 0x2f8, 1, 0);
    ck_assert_uint_eq(reports.count, 1);
    hw_portbus_out(&bus, 0xffff, 1, 7);
    ck_assert_uint_eq(reports.count, 2);
    ck_assert_uint_eq(reports.port, 0xffff);
    ck_assert(reports.write);
    hw_portbus_in(&bus, 0xffff, 1);
    hw_portbus_in(&bus, 0x0000, 1);
    ck_assert_uint_eq(reports.count, 3);
    ck_assert_uint_eq(reports.port, 0x0000);
}
END_TEST

START_TEST(unclaimed_write_is_dropped)
{
    fake_dev_t d;
    attach(&d, 0x60, 0x67, 1);
    hw_portbus_out(&bus, 0x68, 1, 0x12);
    ck_assert_uint_eq(d.writes, 0);
    ck_assert_uint_eq(reports.count, 1);
    ck_assert(reports.write);
}
END_TEST

START_TEST(byte_access_reaches_the_claiming_device)
{
    fake_dev_t a, b;
    attach(&a, 0x60, 0x67, 1);
    attach(&b, 0x70, 0x71, 1);
    hw_portbus_out(&bus, 0x63, 1, 0x5a);
    ck_assert_uint_eq(a.writes, 1);
    ck_assert_uint_eq(a.last_port, 0x63);
    ck_assert_uint_eq(a.last_size, 1);
    ck_assert_uint_eq(a.last_value, 0x5a);
    ck_assert_uint_eq(a.regs[3], 0x5a);
    ck_assert_uint_eq(b.writes, 0);
    ck_assert_uint_eq(hw_portbus_in(&bus, 0x63, 1), 0x5a);
    ck_assert_uint_eq(a.last_port, 0x63);
    hw_portbus_out(&bus, 0x71, 1, 0x99);
    ck_assert_uint_eq(b.regs[1], 0x99);
    ck_assert_uint_eq(reports.count, 0);
}
END_TEST

START_TEST(value_is_masked_to_the_access_size)
{
    fake_dev_t d;
    attach(&d, 0x60, 0x67, 4);
    hw_portbus_out(&bus, 0x60, 1, 0x1234);
    ck_assert_uint_eq(d.last_value, 0x34);
    hw_portbus_out(&bus, 0x60, 2, 0xdeadbeef);
    ck_assert_uint_eq(d.last_value, 0xbeef);
    ck_assert_uint_eq(hw_portbus_in(&bus, 0x60, 1), 0xef);
    ck_assert_uint_eq(hw_portbus_in(&bus, 0x60, 2), 0xbeef);
}
END_TEST

START_TEST(wide_access_to_a_byte_device_is_split_little_endian)
{
    fake_dev_t d;
    attach(&d, 0x60, 0x67, 1);
    hw_portbus_out(&bus, 0x60, 2, 0xbeef);
    ck_assert_uint_eq(d.writes, 2);
    ck_assert_uint_eq(d.regs[0], 0xef);
    ck_assert_uint_eq(d.regs[1], 0xbe);
    ck_assert_uint_eq(d.last_port, 0x61);
    ck_assert_uint_eq(d.last_size, 1);
    hw_portbus_out(&bus, 0x64, 4, 0x04030201);
    ck_assert_uint_eq(d.writes, 6);
    ck_assert_uint_eq(hw_portbus_in(&bus, 0x64, 4), 0x04030201);
    ck_assert_uint_eq(d.reads, 4);
    ck_assert_uint_eq(hw_portbus_in(&bus, 0x61, 2), 0x00be);
}
END_TEST

START_TEST(split_piece_past_the_device_floats_high)
{
    fake_dev_t d;
    attach(&d, 0x60, 0x61, 1);
    d.regs[0] = 0x11;
    d.regs[1] = 0x22;
    ck_assert_uint_eq(hw_portbus_in(&bus, 0x60, 4), 0xffff2211u);
    ck_assert_uint_eq(reports.count, 2);
    ck_assert_uint_eq(reports.port, 0x63);
    ck_assert_uint_eq(reports.size, 1);
}
END_TEST

START_TEST(wide_device_gets_the_whole_access)
{
    fake_dev_t d;
    attach(&d, 0xcf8, 0xcff, 4);
    hw_portbus_out(&bus, 0xcf8, 4, 0x80001234);
    ck_assert_uint_eq(d.writes, 1);
    ck_assert_uint_eq(d.last_size, 4);
    ck_assert_uint_eq(d.last_value, 0x80001234);
    ck_assert_uint_eq(hw_portbus_in(&bus, 0xcf8, 4), 0x80001234);
    ck_assert_uint_eq(d.reads, 1);
}
END_TEST

START_TEST(word_device_splits_dword_into_words)
{
    fake_dev_t d;
    attach(&d, 0x1f0, 0x1f7, 2);
    hw_portbus_out(&bus, 0x1f0, 4, 0xaabbccdd);
    ck_assert_uint_eq(d.writes, 2);
    ck_assert_uint_eq(d.last_port, 0x1f2);
    ck_assert_uint_eq(d.last_size, 2);
    ck_assert_uint_eq(d.last_value, 0xaabb);
}
END_TEST

START_TEST(undecoded_direction_floats_without_a_report)
{
    fake_dev_t d = {0};
    hw_port_range_t wo = {.first = 0x80, .last = 0x80, .width = 1, .write = fake_write, .ctx = &d};
    ck_assert_int_eq(hw_portbus_register(&bus, &wo), 0);
    ck_assert_uint_eq(hw_portbus_in(&bus, 0x80, 1), 0xff);
    hw_portbus_out(&bus, 0x80, 1, 0x42);
    ck_assert_uint_eq(d.writes, 1);
    ck_assert_uint_eq(reports.count, 0);
}
END_TEST

START_TEST(register_rejects_bad_ranges)
{
    fake_dev_t d;
    attach(&d, 0x20, 0x21, 1);
    hw_port_range_t r = {.first = 0x21, .last = 0x22, .width = 1, .read = fake_read, .ctx = &d};
    ck_assert_int_eq(hw_portbus_register(&bus, &r), -1); /* overlaps 0x21 */
    r.first = 0x10, r.last = 0x20;
    ck_assert_int_eq(hw_portbus_register(&bus, &r), -1); /* overlaps 0x20 */
    r.first = 0x30, r.last = 0x2f;
    ck_assert_int_eq(hw_portbus_register(&bus, &r), -1); /* empty */
    r.first = 0x30, r.last = 0x30, r.width = 3;
    ck_assert_int_eq(hw_portbus_register(&bus, &r), -1);
    r.width = 1;
    ck_assert_int_eq(hw_portbus_register(&bus, &r), 0);
    ck_assert_uint_eq(bus.nranges, 2);
}
END_TEST

START_TEST(register_fails_when_the_bus_is_full)
{
    hw_port_range_t r = {.width = 1, .read = fake_read};
    for (unsigned i = 0; i < HW_PORTBUS_MAX_RANGES; i++) {
        r.first = r.last = (uint16_t)(0x100 + i);
        ck_assert_int_eq(hw_portbus_register(&bus, &r), 0);
    }
    r.first = r.last = 0x300;
    ck_assert_int_eq(hw_portbus_register(&bus, &r), -1);
}
END_TEST

START_TEST(bus_without_a_tracer_still_floats)
{
    hw_portbus_init(&bus, NULL, NULL);
    ck_assert_uint_eq(hw_portbus_in(&bus, 0x3f8, 1), 0xff);
    hw_portbus_out(&bus, 0x3f8, 1, 0);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("portbus");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, unclaimed_port_reads_all_ones_at_every_size);
    tcase_add_test(tc, unclaimed_port_is_reported_once);
    tcase_add_test(tc, unclaimed_write_is_dropped);
    tcase_add_test(tc, byte_access_reaches_the_claiming_device);
    tcase_add_test(tc, value_is_masked_to_the_access_size);
    tcase_add_test(tc, wide_access_to_a_byte_device_is_split_little_endian);
    tcase_add_test(tc, split_piece_past_the_device_floats_high);
    tcase_add_test(tc, wide_device_gets_the_whole_access);
    tcase_add_test(tc, word_device_splits_dword_into_words);
    tcase_add_test(tc, undecoded_direction_floats_without_a_report);
    tcase_add_test(tc, register_rejects_bad_ranges);
    tcase_add_test(tc, register_fails_when_the_bus_is_full);
    tcase_add_test(tc, bus_without_a_tracer_still_floats);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
