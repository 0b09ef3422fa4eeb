/* Unit tests of the 8259A pair, programmed through port I/O as a PC kernel does. */
#include <check.h>
#include <signal.h>

#include "check_main.h"
#include "pic.h"
#include "portbus.h"

#define MASTER_CMD 0x20
#define MASTER_DATA 0x21
#define SLAVE_CMD 0xa0
#define SLAVE_DATA 0xa1
#define EOI 0x20
#define READ_IRR 0x0a
#define READ_ISR 0x0b

static hw_portbus_t bus;
static hw_pic_t pic;

static void outb(uint16_t port, uint8_t value)
{
    hw_portbus_out(&bus, port, 1, value);
}

static uint8_t inb(uint16_t port)
{
    return (uint8_t)hw_portbus_in(&bus, port, 1);
}

static uint8_t read_irr(uint16_t cmd)
{
    outb(cmd, READ_IRR);
    return inb(cmd);
}

static uint8_t read_isr(uint16_t cmd)
{
    outb(cmd, READ_ISR);
    return inb(cmd);
}

/* The PC kernel's sequence: ICW1 edge + ICW4, vectors 32 and 40, cascade on
 * IR2, then ICW4 (8086 mode, with extra bits for the master's ICW4). */
static void remap(uint8_t master_icw4)
{
    outb(MASTER_CMD, 0x11);
    outb(SLAVE_CMD, 0x11);
    outb(MASTER_DATA, 32);
    outb(SLAVE_DATA, 40);
    outb(MASTER_DATA, 0x04);
    outb(SLAVE_DATA, 0x02);
    outb(MASTER_DATA, master_icw4);
    outb(SLAVE_DATA, 0x01);
}

static void setup(void)
{
    hw_portbus_init(&bus, NULL, NULL);
    hw_pic_init(&pic);
    ck_assert_int_eq(hw_pic_attach(&pic, &bus), 0);
    remap(0x01);
}

/* Raise then acknowledge: the vector, asserting that INTR was up first. */
static uint8_t take(void)
{
    ck_assert(hw_pic_pending(&pic));
    return hw_pic_ack(&pic);
}

static void pulse(unsigned irq)
{
    hw_pic_lower(&pic, irq);
    hw_pic_raise(&pic, irq);
}

START_TEST(power_on_masks_every_line)
{
    hw_pic_init(&pic);
    ck_assert_uint_eq(inb(MASTER_DATA), 0xff);
    ck_assert_uint_eq(inb(SLAVE_DATA), 0xff);
    hw_pic_raise(&pic, 1);
    ck_assert(!hw_pic_pending(&pic));
}
END_TEST

START_TEST(pc_remap_sends_every_line_to_vectors_32_to_47)
{
    for (unsigned irq = 0; irq < 16; irq++) {
        if (irq == 2)
            continue;
        hw_pic_raise(&pic, irq);
        ck_assert_uint_eq(take(), 32 + irq);
        ck_assert(!hw_pic_pending(&pic));
        if (irq >= 8)
            outb(SLAVE_CMD, EOI);
        outb(MASTER_CMD, EOI);
        hw_pic_lower(&pic, irq);
        ck_assert_uint_eq(read_isr(MASTER_CMD), 0);
        ck_assert_uint_eq(read_isr(SLAVE_CMD), 0);
    }
}
END_TEST

START_TEST(icw2_low_bits_are_the_irq_in_8086_mode)
{
    outb(MASTER_CMD, 0x11);
    outb(MASTER_DATA, 0x65); /* vector base 0x60: the low three bits are ignored */
    outb(MASTER_DATA, 0x04);
    outb(MASTER_DATA, 0x01);
    hw_pic_raise(&pic, 1);
    ck_assert_uint_eq(take(), 0x61);
}
END_TEST

START_TEST(imr_reads_back_through_the_data_port)
{
    outb(MASTER_DATA, 0xfb);
    outb(SLAVE_DATA, 0x5a);
    ck_assert_uint_eq(inb(MASTER_DATA), 0xfb);
    ck_assert_uint_eq(inb(SLAVE_DATA), 0x5a);
    remap(0x01);
    ck_assert_uint_eq(inb(MASTER_DATA), 0x00); /* ICW1 clears the IMR */
    ck_assert_uint_eq(inb(SLAVE_DATA), 0x00);
}
END_TEST

START_TEST(masked_request_waits_in_irr_until_unmasked)
{
    outb(MASTER_DATA, 0x08);
    hw_pic_raise(&pic, 3);
    ck_assert(!hw_pic_pending(&pic));
    ck_assert_uint_eq(read_irr(MASTER_CMD), 0x08);
    outb(MASTER_DATA, 0x00);
    ck_assert_uint_eq(take(), 35);
    ck_assert_uint_eq(read_irr(MASTER_CMD), 0x00);
    ck_assert_uint_eq(read_isr(MASTER_CMD), 0x08);
}
END_TEST

START_TEST(lowest_numbered_request_wins)
{
    hw_pic_raise(&pic, 5);
    hw_pic_raise(&pic, 3);
    hw_pic_raise(&pic, 1);
    ck_assert_uint_eq(take(), 33);
    ck_assert(!hw_pic_pending(&pic)); /* 3 and 5 wait for the EOI */
    outb(MASTER_CMD, EOI);
    ck_assert_uint_eq(take(), 35);
    outb(MASTER_CMD, EOI);
    ck_assert_uint_eq(take(), 37);
    outb(MASTER_CMD, EOI);
    ck_assert(!hw_pic_pending(&pic));
}
END_TEST

START_TEST(higher_priority_nests_and_eoi_unwinds_from_the_top)
{
    hw_pic_raise(&pic, 4);
    ck_assert_uint_eq(take(), 36);
    hw_pic_raise(&pic, 1);
    ck_assert_uint_eq(take(), 33);
    ck_assert_uint_eq(read_isr(MASTER_CMD), 0x12);
    outb(MASTER_CMD, EOI); /* non-specific: the highest in service, IRQ 1 */
    ck_assert_uint_eq(read_isr(MASTER_CMD), 0x10);
    outb(MASTER_CMD, EOI);
    ck_assert_uint_eq(read_isr(MASTER_CMD), 0x00);
}
END_TEST

START_TEST(specific_eoi_clears_only_the_named_level)
{
    hw_pic_raise(&pic, 4);
    take();
    hw_pic_raise(&pic, 1);
    take();
    outb(MASTER_CMD, 0x60 | 4);
    ck_assert_uint_eq(read_isr(MASTER_CMD), 0x02);
    hw_pic_raise(&pic, 6);
    ck_assert(!hw_pic_pending(&pic)); /* IRQ 1 still blocks 6 */
    outb(MASTER_CMD, 0x60 | 1);
    ck_assert_uint_eq(read_isr(MASTER_CMD), 0x00);
    ck_assert_uint_eq(take(), 38);
}
END_TEST

START_TEST(a_line_held_high_interrupts_once)
{
    hw_pic_raise(&pic, 1);
    hw_pic_raise(&pic, 1);
    ck_assert_uint_eq(take(), 33);
    outb(MASTER_CMD, EOI);
    ck_assert(!hw_pic_pending(&pic));
    pulse(1);
    ck_assert_uint_eq(take(), 33);
}
END_TEST

START_TEST(new_edge_during_service_is_kept_for_after_eoi)
{
    hw_pic_raise(&pic, 0);
    ck_assert_uint_eq(take(), 32);
    pulse(0);
    ck_assert(!hw_pic_pending(&pic));
    ck_assert_uint_eq(read_irr(MASTER_CMD), 0x01);
    ck_assert_uint_eq(read_isr(MASTER_CMD), 0x01);
    outb(MASTER_CMD, EOI);
    ck_assert_uint_eq(take(), 32);
}
END_TEST

START_TEST(pulse_between_samples_is_lost_as_on_the_8259a)
{
    hw_pic_raise(&pic, 3);
    hw_pic_lower(&pic, 3);
    ck_assert(!hw_pic_pending(&pic));
    ck_assert_uint_eq(read_irr(MASTER_CMD), 0x00);
}
END_TEST

START_TEST(slave_irq12_gives_vector_44_and_master_isr2)
{
    hw_pic_raise(&pic, 12);
    ck_assert_uint_eq(read_irr(SLAVE_CMD), 0x10);
    ck_assert_uint_eq(read_irr(MASTER_CMD), 0x04);
    ck_assert_uint_eq(take(), 44);
    ck_assert_uint_eq(read_isr(MASTER_CMD), 0x04);
    ck_assert_uint_eq(read_isr(SLAVE_CMD), 0x10);
    ck_assert_uint_eq(read_irr(SLAVE_CMD), 0x00);
    outb(SLAVE_CMD, EOI);
    ck_assert_uint_eq(read_isr(SLAVE_CMD), 0x00);
    ck_assert_uint_eq(read_isr(MASTER_CMD), 0x04);
    outb(MASTER_CMD, EOI);
    ck_assert_uint_eq(read_isr(MASTER_CMD), 0x00);
}
END_TEST

START_TEST(slave_requests_rank_at_master_irq2)
{
    hw_pic_raise(&pic, 3);
    hw_pic_raise(&pic, 9);
    ck_assert_uint_eq(take(), 41);
    hw_pic_raise(&pic, 1);
    ck_assert_uint_eq(take(), 33); /* IRQ 1 outranks the slave in service */
    outb(MASTER_CMD, EOI);
    ck_assert(!hw_pic_pending(&pic)); /* IRQ 3 waits behind master ISR bit 2 */
    outb(SLAVE_CMD, EOI);
    ck_assert(!hw_pic_pending(&pic));
    outb(MASTER_CMD, EOI);
    ck_assert_uint_eq(take(), 35);
}
END_TEST

START_TEST(slave_request_after_both_eois_comes_through)
{
    hw_pic_raise(&pic, 14);
    hw_pic_raise(&pic, 12);
    ck_assert_uint_eq(take(), 44);
    ck_assert(!hw_pic_pending(&pic));
    outb(SLAVE_CMD, EOI);
    outb(MASTER_CMD, EOI);
    ck_assert_uint_eq(take(), 46);
    ck_assert_uint_eq(read_isr(SLAVE_CMD), 0x40);
}
END_TEST

START_TEST(masking_the_cascade_holds_back_the_slave)
{
    outb(MASTER_DATA, 0x04);
    hw_pic_raise(&pic, 12);
    ck_assert(!hw_pic_pending(&pic));
    ck_assert_uint_eq(read_irr(SLAVE_CMD), 0x10);
    outb(SLAVE_DATA, 0x10);
    outb(MASTER_DATA, 0x00);
    ck_assert(!hw_pic_pending(&pic)); /* now the slave masks it */
    outb(SLAVE_DATA, 0x00);
    ck_assert_uint_eq(take(), 44);
}
END_TEST

START_TEST(ocw3_selection_sticks_until_changed)
{
    hw_pic_raise(&pic, 5);
    hw_pic_raise(&pic, 6);
    ck_assert_uint_eq(take(), 37);
    outb(MASTER_CMD, READ_ISR);
    ck_assert_uint_eq(inb(MASTER_CMD), 0x20);
    ck_assert_uint_eq(inb(MASTER_CMD), 0x20);
    ck_assert_uint_eq(inb(MASTER_DATA), 0x00); /* the data port is still the IMR */
    outb(MASTER_CMD, 0x08);                    /* OCW3 without RR: selection unchanged */
    ck_assert_uint_eq(inb(MASTER_CMD), 0x20);
    outb(MASTER_CMD, READ_IRR);
    ck_assert_uint_eq(inb(MASTER_CMD), 0x40);
    ck_assert_uint_eq(inb(MASTER_CMD), 0x40);
}
END_TEST

START_TEST(vanished_master_request_is_spurious_irq7)
{
    hw_pic_raise(&pic, 3);
    ck_assert(hw_pic_pending(&pic));
    hw_pic_lower(&pic, 3);
    ck_assert_uint_eq(hw_pic_ack(&pic), 39);
    ck_assert_uint_eq(read_isr(MASTER_CMD), 0x00);
    ck_assert(!hw_pic_pending(&pic));
}
END_TEST

START_TEST(request_masked_after_intr_is_spurious_irq7)
{
    hw_pic_raise(&pic, 5);
    ck_assert(hw_pic_pending(&pic));
    outb(MASTER_DATA, 0x20);
    ck_assert_uint_eq(hw_pic_ack(&pic), 39);
    ck_assert_uint_eq(read_isr(MASTER_CMD), 0x00);
    ck_assert_uint_eq(read_irr(MASTER_CMD), 0x20);
}
END_TEST

START_TEST(real_irq7_sets_its_isr_bit)
{
    hw_pic_raise(&pic, 7);
    ck_assert_uint_eq(take(), 39);
    ck_assert_uint_eq(read_isr(MASTER_CMD), 0x80);
}
END_TEST

START_TEST(vanished_slave_request_is_spurious_irq15_with_master_isr2)
{
    hw_pic_raise(&pic, 12);
    ck_assert(hw_pic_pending(&pic));
    hw_pic_lower(&pic, 12);
    ck_assert_uint_eq(hw_pic_ack(&pic), 47);
    ck_assert_uint_eq(read_isr(SLAVE_CMD), 0x00);
    ck_assert_uint_eq(read_isr(MASTER_CMD), 0x04);
    outb(MASTER_CMD, EOI);
    ck_assert_uint_eq(read_isr(MASTER_CMD), 0x00);
    ck_assert(!hw_pic_pending(&pic));
}
END_TEST

START_TEST(auto_eoi_leaves_nothing_in_service)
{
    remap(0x03);
    hw_pic_raise(&pic, 4);
    ck_assert_uint_eq(take(), 36);
    ck_assert_uint_eq(read_isr(MASTER_CMD), 0x00);
    hw_pic_raise(&pic, 5);
    ck_assert_uint_eq(take(), 37); /* no EOI was needed */
}
END_TEST

START_TEST(rotate_on_eoi_makes_the_served_level_lowest)
{
    hw_pic_raise(&pic, 1);
    ck_assert_uint_eq(take(), 33);
    outb(MASTER_CMD, 0xa0); /* rotate on non-specific EOI */
    hw_pic_raise(&pic, 0);
    hw_pic_raise(&pic, 3);
    ck_assert_uint_eq(take(), 35); /* order is now 2 3 4 5 6 7 0 1 */
    outb(MASTER_CMD, 0xa0);        /* 3 becomes lowest: 4 5 6 7 0 1 2 3 */
    ck_assert_uint_eq(take(), 32);
}
END_TEST

START_TEST(set_priority_names_the_lowest_level)
{
    outb(MASTER_CMD, 0xc0 | 4); /* order 5 6 7 0 1 2 3 4 */
    hw_pic_raise(&pic, 1);
    hw_pic_raise(&pic, 6);
    ck_assert_uint_eq(take(), 38);
    hw_pic_raise(&pic, 4);
    ck_assert(!hw_pic_pending(&pic)); /* 1 and 4 rank below 6 in service */
    outb(MASTER_CMD, EOI);
    ck_assert_uint_eq(take(), 33);
}
END_TEST

START_TEST(special_mask_mode_lets_lower_levels_in)
{
    hw_pic_raise(&pic, 1);
    ck_assert_uint_eq(take(), 33);
    outb(MASTER_DATA, 0x02);
    hw_pic_raise(&pic, 5);
    ck_assert(!hw_pic_pending(&pic));
    outb(MASTER_CMD, 0x68); /* ESMM + SMM */
    ck_assert_uint_eq(take(), 37);
    outb(MASTER_CMD, 0x48); /* ESMM, SMM off: IRQ 1 blocks again */
    hw_pic_raise(&pic, 6);
    ck_assert(!hw_pic_pending(&pic));
}
END_TEST

START_TEST(special_fully_nested_mode_lets_a_higher_slave_irq_in)
{
    hw_pic_raise(&pic, 12);
    ck_assert_uint_eq(take(), 44);
    hw_pic_raise(&pic, 9);
    ck_assert(!hw_pic_pending(&pic)); /* fully nested: master ISR bit 2 blocks */
    outb(SLAVE_CMD, EOI);
    outb(MASTER_CMD, EOI);
    ck_assert_uint_eq(take(), 41);
    outb(SLAVE_CMD, EOI);
    outb(MASTER_CMD, EOI);
    remap(0x11); /* master in special fully nested mode */
    hw_pic_lower(&pic, 12);
    hw_pic_raise(&pic, 12);
    ck_assert_uint_eq(take(), 44);
    pulse(9);
    ck_assert_uint_eq(take(), 41);
    ck_assert_uint_eq(read_isr(SLAVE_CMD), 0x12);
}
END_TEST

START_TEST(poll_acknowledges_through_the_command_port)
{
    outb(MASTER_CMD, 0x0c);
    ck_assert_uint_eq(inb(MASTER_CMD), 0x00); /* nothing requested */
    hw_pic_raise(&pic, 6);
    outb(MASTER_CMD, 0x0c);
    ck_assert_uint_eq(inb(MASTER_CMD), 0x86);
    ck_assert_uint_eq(read_isr(MASTER_CMD), 0x40);
    ck_assert_uint_eq(inb(MASTER_CMD), 0x40); /* the poll was for one read only */
}
END_TEST

START_TEST(level_mode_requests_again_while_the_line_stays_high)
{
    outb(MASTER_CMD, 0x19);
    outb(MASTER_DATA, 32);
    outb(MASTER_DATA, 0x04);
    outb(MASTER_DATA, 0x01);
    hw_pic_raise(&pic, 3);
    ck_assert_uint_eq(take(), 35);
    outb(MASTER_CMD, EOI);
    ck_assert_uint_eq(take(), 35);
    outb(MASTER_CMD, EOI);
    hw_pic_lower(&pic, 3);
    ck_assert(!hw_pic_pending(&pic));
}
END_TEST

START_TEST(reinitialisation_forgets_latched_requests)
{
    hw_pic_raise(&pic, 3);
    ck_assert_uint_eq(read_irr(MASTER_CMD), 0x08);
    remap(0x01);
    ck_assert_uint_eq(read_irr(MASTER_CMD), 0x00);
    ck_assert(!hw_pic_pending(&pic)); /* the line is high but needs a new edge */
    pulse(3);
    ck_assert_uint_eq(take(), 35);
}
END_TEST

START_TEST(irq2_and_out_of_range_lines_are_not_device_lines)
{
    hw_pic_raise(&pic, 2);
    hw_pic_raise(&pic, 16);
    hw_pic_raise(&pic, 99);
    ck_assert(!hw_pic_pending(&pic));
    ck_assert_uint_eq(read_irr(MASTER_CMD), 0x00);
}
END_TEST

START_TEST(set_line_raises_and_lowers)
{
    hw_pic_set_line(&pic, 4, true);
    ck_assert_uint_eq(read_irr(MASTER_CMD), 0x10);
    hw_pic_set_line(&pic, 4, false);
    ck_assert_uint_eq(read_irr(MASTER_CMD), 0x00);
}
END_TEST

static void raise_irq1(int sig)
{
    (void)sig;
    hw_pic_raise(&pic, 1);
}

START_TEST(a_signal_handler_raises_and_the_cpu_thread_vectors)
{
    ck_assert(atomic_is_lock_free(&pic.lines));
    struct sigaction sa = {.sa_handler = raise_irq1}, old;
    sigemptyset(&sa.sa_mask);
    ck_assert_int_eq(sigaction(SIGUSR1, &sa, &old), 0);
    ck_assert(!hw_pic_pending(&pic));
    raise(SIGUSR1);
    ck_assert_uint_eq(read_isr(MASTER_CMD), 0x00); /* only recorded so far */
    ck_assert_uint_eq(take(), 33);
    sigaction(SIGUSR1, &old, NULL);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("pic");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, power_on_masks_every_line);
    tcase_add_test(tc, pc_remap_sends_every_line_to_vectors_32_to_47);
    tcase_add_test(tc, icw2_low_bits_are_the_irq_in_8086_mode);
    tcase_add_test(tc, imr_reads_back_through_the_data_port);
    tcase_add_test(tc, masked_request_waits_in_irr_until_unmasked);
    tcase_add_test(tc, lowest_numbered_request_wins);
    tcase_add_test(tc, higher_priority_nests_and_eoi_unwinds_from_the_top);
    tcase_add_test(tc, specific_eoi_clears_only_the_named_level);
    tcase_add_test(tc, a_line_held_high_interrupts_once);
    tcase_add_test(tc, new_edge_during_service_is_kept_for_after_eoi);
    tcase_add_test(tc, pulse_between_samples_is_lost_as_on_the_8259a);
    tcase_add_test(tc, slave_irq12_gives_vector_44_and_master_isr2);
    tcase_add_test(tc, slave_requests_rank_at_master_irq2);
    tcase_add_test(tc, slave_request_after_both_eois_comes_through);
    tcase_add_test(tc, masking_the_cascade_holds_back_the_slave);
    tcase_add_test(tc, ocw3_selection_sticks_until_changed);
    tcase_add_test(tc, vanished_master_request_is_spurious_irq7);
    tcase_add_test(tc, request_masked_after_intr_is_spurious_irq7);
    tcase_add_test(tc, real_irq7_sets_its_isr_bit);
    tcase_add_test(tc, vanished_slave_request_is_spurious_irq15_with_master_isr2);
    tcase_add_test(tc, auto_eoi_leaves_nothing_in_service);
    tcase_add_test(tc, rotate_on_eoi_makes_the_served_level_lowest);
    tcase_add_test(tc, set_priority_names_the_lowest_level);
    tcase_add_test(tc, special_mask_mode_lets_lower_levels_in);
    tcase_add_test(tc, special_fully_nested_mode_lets_a_higher_slave_irq_in);
    tcase_add_test(tc, poll_acknowledges_through_the_command_port);
    tcase_add_test(tc, level_mode_requests_again_while_the_line_stays_high);
    tcase_add_test(tc, reinitialisation_forgets_latched_requests);
    tcase_add_test(tc, irq2_and_out_of_range_lines_are_not_device_lines);
    tcase_add_test(tc, set_line_raises_and_lowers);
    tcase_add_test(tc, a_signal_handler_raises_and_the_cpu_thread_vectors);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
