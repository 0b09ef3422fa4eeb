/* The kernel's 8259A driver (kernel/dev/pic.c) programming the hwmodel PIC pair, as on a PC. */
#include "dev/pic.h"
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

/* A freshly powered PC, with the kernel's port I/O wired to it. */
static void power_on(void)
{
    fx_reset();
    ck_assert_int_eq(hw_pc_init(&pc, NULL, NULL, NULL), 0);
    fake_arch_inb = bus_in;
    fake_arch_outb = bus_out;
}

START_TEST(init_remaps_to_32_and_masks_all_but_the_cascade)
{
    power_on();
    pic_init();
    ck_assert_uint_eq(pc.pic.master.base, 32);
    ck_assert_uint_eq(pc.pic.slave.base, 40);
    ck_assert_uint_eq(pc.pic.master.imr, 0xfb);
    ck_assert_uint_eq(pc.pic.slave.imr, 0xff);
    ck_assert_uint_eq(pic_mask_bits(), 0xfffb);
    /* A masked line raises nothing. */
    hw_pic_raise(&pc.pic, 0);
    ck_assert(!hw_pic_pending(&pc.pic));
}
END_TEST

START_TEST(unmasked_line_arrives_at_its_vector_and_eoi_ends_it)
{
    power_on();
    pic_init();
    pic_unmask(0);
    ck_assert(!pic_masked(0));
    hw_pic_raise(&pc.pic, 0);
    ck_assert(hw_pic_pending(&pc.pic));
    ck_assert_uint_eq(hw_pic_ack(&pc.pic), 32);
    ck_assert_uint_eq(pc.pic.master.isr, 0x01);
    hw_pic_lower(&pc.pic, 0);
    pic_eoi(0);
    ck_assert_uint_eq(pc.pic.master.isr, 0);
}
END_TEST

START_TEST(slave_line_needs_eoi_on_both_chips)
{
    power_on();
    pic_init();
    pic_unmask(12);
    hw_pic_raise(&pc.pic, 12);
    ck_assert(hw_pic_pending(&pc.pic));
    ck_assert_uint_eq(hw_pic_ack(&pc.pic), 44);
    ck_assert_uint_eq(pc.pic.slave.isr, 1u << 4);
    ck_assert_uint_eq(pc.pic.master.isr, 1u << 2);
    pic_eoi(12);
    ck_assert_uint_eq(pc.pic.slave.isr, 0);
    ck_assert_uint_eq(pc.pic.master.isr, 0);
}
END_TEST

START_TEST(masking_again_holds_a_request_back)
{
    power_on();
    pic_init();
    pic_unmask(4);
    pic_mask(4);
    ck_assert(pic_masked(4));
    hw_pic_raise(&pc.pic, 4);
    ck_assert(!hw_pic_pending(&pc.pic));
    pic_unmask(4);
    ck_assert(hw_pic_pending(&pc.pic));
    ck_assert_uint_eq(hw_pic_ack(&pc.pic), 36);
}
END_TEST

/* A request that vanishes before INTA gives vector 39 with no ISR bit: the
 * driver must call it spurious (and send no EOI); a real IRQ 7 is not. */
START_TEST(spurious_irq_7_is_recognised)
{
    power_on();
    pic_init();
    pic_unmask(5);
    hw_pic_raise(&pc.pic, 5);
    ck_assert(hw_pic_pending(&pc.pic));
    hw_pic_lower(&pc.pic, 5); /* withdrawn before the CPU's INTA */
    ck_assert_uint_eq(hw_pic_ack(&pc.pic), 39);
    ck_assert(pic_spurious(7));
    ck_assert_uint_eq(pc.pic.master.isr, 0);
    pic_unmask(7);
    hw_pic_raise(&pc.pic, 7);
    ck_assert_uint_eq(hw_pic_ack(&pc.pic), 39);
    ck_assert(!pic_spurious(7));
    ck_assert_uint_eq(pc.pic.master.isr, 0x80);
}
END_TEST

START_TEST(spurious_irq_15_ends_the_masters_cascade)
{
    power_on();
    pic_init();
    pic_unmask(10);
    hw_pic_raise(&pc.pic, 10);
    ck_assert(hw_pic_pending(&pc.pic));
    hw_pic_lower(&pc.pic, 10);
    ck_assert_uint_eq(hw_pic_ack(&pc.pic), 47);
    ck_assert_uint_eq(pc.pic.master.isr, 1u << 2);
    ck_assert(pic_spurious(15));
    ck_assert_uint_eq(pc.pic.master.isr, 0);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("dev_pic");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, init_remaps_to_32_and_masks_all_but_the_cascade);
    tcase_add_test(tc, unmasked_line_arrives_at_its_vector_and_eoi_ends_it);
    tcase_add_test(tc, slave_line_needs_eoi_on_both_chips);
    tcase_add_test(tc, masking_again_holds_a_request_back);
    tcase_add_test(tc, spurious_irq_7_is_recognised);
    tcase_add_test(tc, spurious_irq_15_ends_the_masters_cascade);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
