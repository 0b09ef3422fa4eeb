/* Unit tests of the 16550 UART on COM1, driven through ports 0x3F8-0x3FF as a driver does. */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "pic.h"
#include "portbus.h"
#include "uart.h"

#define COM1 0x3f8
#define DATA (COM1 + 0)
#define IER (COM1 + 1)
#define IIR (COM1 + 2)
#define FCR (COM1 + 2)
#define LCR (COM1 + 3)
#define MCR (COM1 + 4)
#define LSR (COM1 + 5)
#define MSR (COM1 + 6)
#define SCR (COM1 + 7)

/* What the machine around the UART sees: the console and the IRQ line. */
typedef struct wires {
    char console[64];
    unsigned sent;
    bool irq;
    unsigned irq_rises;
} wires_t;

static hw_portbus_t bus;
static hw_uart_t uart;
static wires_t wires;

static void console_out(void *ctx, uint8_t byte)
{
    wires_t *w = ctx;
    if (w->sent < sizeof w->console - 1)
        w->console[w->sent] = (char)byte;
    w->sent++;
}

static void irq_line(void *ctx, bool level)
{
    wires_t *w = ctx;
    ck_assert(level != w->irq); /* only changes are reported */
    w->irq = level;
    w->irq_rises += level;
}

static void outb(uint16_t port, uint8_t value)
{
    hw_portbus_out(&bus, port, 1, value);
}

static uint8_t inb(uint16_t port)
{
    return (uint8_t)hw_portbus_in(&bus, port, 1);
}

static void setup(void)
{
    wires = (wires_t){0};
    hw_portbus_init(&bus, NULL, NULL);
    hw_uart_init(&uart, console_out, irq_line, &wires);
    ck_assert_int_eq(hw_uart_attach(&uart, &bus, HW_UART_COM1_PORT), 0);
}

/* A driver's usual set-up: 38400 baud, 8N1, then FCR and MCR as given. */
static void configure(uint8_t fcr, uint8_t mcr)
{
    outb(IER, 0x00);
    outb(LCR, 0x80);
    outb(DATA, 0x03);
    outb(IER, 0x00);
    outb(LCR, 0x03);
    outb(FCR, fcr);
    outb(MCR, mcr);
}

START_TEST(registers_after_reset)
{
    ck_assert_uint_eq(inb(IER), 0x00);
    ck_assert_uint_eq(inb(IIR), 0x01);
    ck_assert_uint_eq(inb(LCR), 0x00);
    ck_assert_uint_eq(inb(MCR), 0x00);
    ck_assert_uint_eq(inb(LSR), 0x60);
    ck_assert_uint_eq(inb(MSR), 0xb0); /* CTS, DSR, DCD: a terminal is there */
    ck_assert(!wires.irq);
}
END_TEST

START_TEST(transmitted_bytes_reach_the_console_in_order)
{
    configure(0x00, 0x03);
    const char *text = "hello, 16550\n";
    for (const char *p = text; *p; p++) {
        ck_assert(inb(LSR) & 0x20); /* THRE: a driver polls this before each byte */
        outb(DATA, (uint8_t)*p);
    }
    ck_assert_uint_eq(wires.sent, strlen(text));
    ck_assert_str_eq(wires.console, text);
    ck_assert_uint_eq(inb(LSR), 0x60); /* THRE and TEMT: the line is idle again */
}
END_TEST

START_TEST(word_length_keeps_only_the_data_bits)
{
    outb(LCR, 0x02); /* 7 data bits */
    outb(DATA, 0xc1);
    ck_assert_uint_eq((uint8_t)wires.console[0], 0x41);
    hw_uart_receive(&uart, 0xff);
    ck_assert_uint_eq(inb(DATA), 0x7f);
    outb(LCR, 0x00); /* 5 data bits */
    outb(DATA, 0xff);
    ck_assert_uint_eq((uint8_t)wires.console[1], 0x1f);
}
END_TEST

START_TEST(dlab_puts_the_divisor_latches_at_0_and_1)
{
    outb(IER, 0x05);
    outb(LCR, 0x83);
    outb(DATA, 0x0c); /* 9600 baud */
    outb(IER, 0x00);
    ck_assert_uint_eq(inb(DATA), 0x0c);
    ck_assert_uint_eq(inb(IER), 0x00);
    ck_assert_uint_eq(wires.sent, 0); /* the divisor write was not a transmit */
    outb(LCR, 0x03);
    ck_assert_uint_eq(inb(IER), 0x05);
    outb(LCR, 0x83);
    ck_assert_uint_eq(inb(DATA), 0x0c);
}
END_TEST

START_TEST(received_byte_sets_dr_until_read)
{
    configure(0x00, 0x03);
    ck_assert(hw_uart_receive(&uart, 'x'));
    ck_assert_uint_eq(inb(LSR), 0x61);
    ck_assert_uint_eq(inb(DATA), 'x');
    ck_assert_uint_eq(inb(LSR), 0x60);
    ck_assert_uint_eq(inb(DATA), 'x'); /* RBR still holds the last byte */
}
END_TEST

START_TEST(overrun_without_fifo_replaces_the_unread_byte)
{
    configure(0x00, 0x03);
    ck_assert_uint_eq(hw_uart_rx_room(&uart), 1);
    ck_assert(hw_uart_receive(&uart, 'a'));
    ck_assert_uint_eq(hw_uart_rx_room(&uart), 0);
    ck_assert(!hw_uart_receive(&uart, 'b'));
    ck_assert_uint_eq(inb(LSR), 0x63); /* DR, OE, THRE, TEMT */
    ck_assert_uint_eq(inb(LSR), 0x61); /* reading LSR cleared OE */
    ck_assert_uint_eq(inb(DATA), 'b');
}
END_TEST

START_TEST(fifo_holds_sixteen_bytes_then_overruns)
{
    configure(0x07, 0x03);
    ck_assert_uint_eq(hw_uart_rx_room(&uart), 16);
    for (unsigned i = 0; i < 16; i++)
        ck_assert(hw_uart_receive(&uart, (uint8_t)('A' + i)));
    ck_assert_uint_eq(hw_uart_rx_room(&uart), 0);
    ck_assert(!hw_uart_receive(&uart, '!'));
    ck_assert_uint_eq(inb(LSR) & 0x03, 0x03);
    for (unsigned i = 0; i < 16; i++) {
        ck_assert(inb(LSR) & 0x01);
        ck_assert_uint_eq(inb(DATA), 'A' + i); /* the overrun byte was lost, not the FIFO */
    }
    ck_assert_uint_eq(inb(LSR) & 0x01, 0);
}
END_TEST

START_TEST(fcr_enables_and_clears_the_fifos)
{
    ck_assert_uint_eq(inb(IIR) & 0xc0, 0x00);
    outb(FCR, 0x01);
    ck_assert_uint_eq(inb(IIR) & 0xc0, 0xc0);
    hw_uart_receive(&uart, 1);
    hw_uart_receive(&uart, 2);
    outb(FCR, 0x03); /* clear the receive FIFO */
    ck_assert_uint_eq(inb(LSR) & 0x01, 0);
    hw_uart_receive(&uart, 3);
    outb(FCR, 0x00); /* leaving FIFO mode empties it too */
    ck_assert_uint_eq(inb(LSR) & 0x01, 0);
    ck_assert_uint_eq(inb(IIR) & 0xc0, 0x00);
    ck_assert_uint_eq(hw_uart_rx_room(&uart), 1);
}
END_TEST

START_TEST(received_data_interrupt_until_rbr_is_read)
{
    configure(0x00, 0x0b);
    outb(IER, 0x01);
    ck_assert_uint_eq(inb(IIR), 0x01);
    hw_uart_receive(&uart, 'k');
    ck_assert(wires.irq);
    ck_assert_uint_eq(inb(IIR), 0x04);
    ck_assert_uint_eq(inb(IIR), 0x04); /* reading IIR does not clear it */
    inb(DATA);
    ck_assert_uint_eq(inb(IIR), 0x01);
    ck_assert(!wires.irq);
}
END_TEST

START_TEST(thre_interrupt_comes_on_enable_and_goes_on_iir_read)
{
    configure(0x00, 0x0b);
    outb(IER, 0x02);
    ck_assert(wires.irq);
    ck_assert_uint_eq(inb(IIR), 0x02);
    ck_assert(!wires.irq);
    ck_assert_uint_eq(inb(IIR), 0x01);
    outb(DATA, 'z'); /* sent at once: THR empty again */
    ck_assert(wires.irq);
    ck_assert_uint_eq(inb(IIR), 0x02);
    outb(IER, 0x02); /* already enabled: no new interrupt */
    ck_assert_uint_eq(inb(IIR), 0x01);
    ck_assert_uint_eq(wires.irq_rises, 2);
}
END_TEST

START_TEST(iir_read_clears_thre_only_when_it_reports_it)
{
    configure(0x00, 0x0b);
    outb(IER, 0x03);
    hw_uart_receive(&uart, 'q');
    ck_assert_uint_eq(inb(IIR), 0x04);
    inb(DATA);
    ck_assert_uint_eq(inb(IIR), 0x02);
    ck_assert_uint_eq(inb(IIR), 0x01);
}
END_TEST

START_TEST(interrupt_priority_is_line_status_data_thre_modem)
{
    configure(0x00, 0x10); /* loopback: the modem inputs drop, setting deltas */
    outb(IER, 0x0f);
    outb(DATA, 'A');
    outb(DATA, 'B'); /* overrun */
    ck_assert_uint_eq(inb(IIR), 0x06);
    ck_assert_uint_eq(inb(LSR) & 0x02, 0x02);
    ck_assert_uint_eq(inb(IIR), 0x04);
    ck_assert_uint_eq(inb(DATA), 'B');
    ck_assert_uint_eq(inb(IIR), 0x02);
    ck_assert_uint_eq(inb(IIR), 0x00);
    ck_assert_uint_eq(inb(MSR) & 0x0f, 0x0b); /* DDCD, DDSR, DCTS */
    ck_assert_uint_eq(inb(IIR), 0x01);
    ck_assert(!wires.irq); /* loopback keeps the IRQ line quiet throughout */
}
END_TEST

START_TEST(fifo_trigger_level_and_character_timeout)
{
    configure(0x47, 0x0b); /* FIFO, trigger at 4 bytes */
    outb(IER, 0x01);
    hw_uart_receive(&uart, '1');
    hw_uart_receive(&uart, '2');
    hw_uart_receive(&uart, '3');
    ck_assert_uint_eq(inb(IIR), 0xcc); /* below the trigger: character timeout */
    hw_uart_receive(&uart, '4');
    ck_assert_uint_eq(inb(IIR), 0xc4);
    inb(DATA);
    ck_assert_uint_eq(inb(IIR), 0xcc);
    inb(DATA);
    inb(DATA);
    inb(DATA);
    ck_assert_uint_eq(inb(IIR), 0xc1);
    ck_assert(!wires.irq);
}
END_TEST

START_TEST(out2_gates_the_irq_line)
{
    configure(0x00, 0x03); /* DTR, RTS; OUT2 off */
    outb(IER, 0x01);
    hw_uart_receive(&uart, 'g');
    ck_assert_uint_eq(inb(IIR), 0x04); /* the UART has an interrupt... */
    ck_assert(!wires.irq);             /* ...but the PC's buffer is off */
    outb(MCR, 0x0b);
    ck_assert(wires.irq);
    outb(MCR, 0x03);
    ck_assert(!wires.irq);
    outb(MCR, 0x0b);
    inb(DATA);
    ck_assert(!wires.irq);
    ck_assert_uint_eq(wires.irq_rises, 2);
}
END_TEST

START_TEST(loopback_self_test_as_drivers_do_it)
{
    configure(0xc7, 0x0b);
    outb(MCR, 0x1e); /* loopback, RTS, OUT1, OUT2 */
    outb(DATA, 0xae);
    ck_assert_uint_eq(inb(DATA), 0xae);
    ck_assert_uint_eq(wires.sent, 0); /* nothing left the chip */
    ck_assert_uint_eq(hw_uart_rx_room(&uart), 0);
    ck_assert(!hw_uart_receive(&uart, 'x')); /* the serial input is disconnected */
    outb(MCR, 0x0f);
    ck_assert_uint_eq(inb(LSR) & 0x01, 0);
    outb(DATA, 'o');
    ck_assert_uint_eq(wires.sent, 1);
    ck_assert(hw_uart_receive(&uart, 'x'));
    ck_assert_uint_eq(inb(DATA), 'x');
}
END_TEST

START_TEST(loopback_irq_stays_low_even_with_out2)
{
    configure(0x00, 0x18); /* loopback with OUT2 */
    outb(IER, 0x01);
    outb(DATA, 'L');
    ck_assert_uint_eq(inb(IIR), 0x04);
    ck_assert(!wires.irq);
    outb(MCR, 0x08); /* out of loopback: the pending interrupt reaches the line */
    ck_assert(wires.irq);
}
END_TEST

START_TEST(loopback_modem_lines_and_their_deltas)
{
    outb(MCR, 0x10);
    inb(MSR);        /* clear the deltas of entering loopback */
    outb(MCR, 0x11); /* DTR -> DSR */
    ck_assert_uint_eq(inb(MSR), 0x22);
    ck_assert_uint_eq(inb(MSR), 0x20);
    outb(MCR, 0x1e);                                        /* RTS -> CTS, OUT1 -> RI, OUT2 -> DCD; DTR off */
    ck_assert_uint_eq(inb(MSR), 0xd0 | 0x08 | 0x02 | 0x01); /* RI rising: no TERI */
    outb(MCR, 0x1a);                                        /* OUT1 off: RI trailing edge */
    ck_assert_uint_eq(inb(MSR), 0x90 | 0x04);
    outb(MCR, 0x00); /* out of loopback: the terminal's lines again */
    ck_assert_uint_eq(inb(MSR), 0xb0 | 0x02);
}
END_TEST

START_TEST(modem_status_interrupt_until_msr_is_read)
{
    outb(MCR, 0x18);
    outb(IER, 0x08);
    ck_assert_uint_eq(inb(IIR), 0x00);
    inb(MSR);
    ck_assert_uint_eq(inb(IIR), 0x01);
}
END_TEST

START_TEST(scratch_register_keeps_a_byte)
{
    outb(SCR, 0x5a);
    ck_assert_uint_eq(inb(SCR), 0x5a);
    outb(SCR, 0xa5);
    ck_assert_uint_eq(inb(SCR), 0xa5);
}
END_TEST

static void irq4(void *ctx, bool level)
{
    hw_pic_set_line(ctx, HW_UART_COM1_IRQ, level);
}

START_TEST(a_received_key_raises_irq4_as_vector_36)
{
    hw_pic_t pic;
    hw_pic_init(&pic);
    ck_assert_int_eq(hw_pic_attach(&pic, &bus), 0);
    hw_uart_init(&uart, console_out, irq4, &pic);
    const uint8_t remap[] = {0x11, 0x20, 0x04, 0x01, 0xef};
    for (unsigned i = 0; i < 5; i++)
        outb(i ? 0x21 : 0x20, remap[i]);
    configure(0xc7, 0x0b);
    outb(IER, 0x01);
    ck_assert(!hw_pic_pending(&pic));
    hw_uart_receive(&uart, 'k');
    ck_assert(hw_pic_pending(&pic));
    ck_assert_uint_eq(hw_pic_ack(&pic), 36);
    ck_assert_uint_eq(inb(IIR), 0xcc);
    ck_assert_uint_eq(inb(DATA), 'k');
    outb(0x20, 0x20);
    ck_assert(!hw_pic_pending(&pic));
    hw_uart_receive(&uart, 'l'); /* the line fell when RBR was read: a new edge */
    ck_assert(hw_pic_pending(&pic));
    ck_assert_uint_eq(hw_pic_ack(&pic), 36);
}
END_TEST

START_TEST(attach_refuses_a_taken_or_wrapping_range)
{
    hw_uart_t other;
    hw_uart_init(&other, NULL, NULL, NULL);
    ck_assert_int_eq(hw_uart_attach(&other, &bus, 0x3fc), -1);
    ck_assert_int_eq(hw_uart_attach(&other, &bus, 0xfffc), -1);
    ck_assert_int_eq(hw_uart_attach(&other, &bus, 0x2f8), 0);
}
END_TEST

/* The simulator feeds a busy machine's COM1 only once a driver wants the
 * receive interrupt. */
START_TEST(rx_irq_enabled_follows_ier_bit_0)
{
    ck_assert(!hw_uart_rx_irq_enabled(&uart)); /* after reset */
    configure(0x07, 0x08);
    outb(IER, 0x02); /* THRE only */
    ck_assert(!hw_uart_rx_irq_enabled(&uart));
    outb(IER, 0x03);
    ck_assert(hw_uart_rx_irq_enabled(&uart));
    outb(IER, 0x00);
    ck_assert(!hw_uart_rx_irq_enabled(&uart));
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("uart");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, registers_after_reset);
    tcase_add_test(tc, transmitted_bytes_reach_the_console_in_order);
    tcase_add_test(tc, word_length_keeps_only_the_data_bits);
    tcase_add_test(tc, dlab_puts_the_divisor_latches_at_0_and_1);
    tcase_add_test(tc, received_byte_sets_dr_until_read);
    tcase_add_test(tc, overrun_without_fifo_replaces_the_unread_byte);
    tcase_add_test(tc, fifo_holds_sixteen_bytes_then_overruns);
    tcase_add_test(tc, fcr_enables_and_clears_the_fifos);
    tcase_add_test(tc, received_data_interrupt_until_rbr_is_read);
    tcase_add_test(tc, thre_interrupt_comes_on_enable_and_goes_on_iir_read);
    tcase_add_test(tc, iir_read_clears_thre_only_when_it_reports_it);
    tcase_add_test(tc, interrupt_priority_is_line_status_data_thre_modem);
    tcase_add_test(tc, fifo_trigger_level_and_character_timeout);
    tcase_add_test(tc, out2_gates_the_irq_line);
    tcase_add_test(tc, loopback_self_test_as_drivers_do_it);
    tcase_add_test(tc, loopback_irq_stays_low_even_with_out2);
    tcase_add_test(tc, loopback_modem_lines_and_their_deltas);
    tcase_add_test(tc, modem_status_interrupt_until_msr_is_read);
    tcase_add_test(tc, scratch_register_keeps_a_byte);
    tcase_add_test(tc, a_received_key_raises_irq4_as_vector_36);
    tcase_add_test(tc, attach_refuses_a_taken_or_wrapping_range);
    tcase_add_test(tc, rx_irq_enabled_follows_ier_bit_0);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
