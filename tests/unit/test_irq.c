/* IRQ line objects (kernel/object/irq.c): binding, delivery to a notification, acknowledgement. */
#include "dev/pic.h"
#include "fixture.h"
#include "handle.h"
#include "interrupt.h"
#include "object/irq.h"

static thread_t *driver;
static ms_handle_t irq_h, ntfn_h;

/* A driver holding IRQ 4 (control) and a notification, the PIC programmed. */
static void setup(void)
{
    fx_reset();
    pic_init();
    driver = fx_spawn("driver", 30);
    fx_run(driver);
    ck_assert_uint_eq(fx_syscall(driver, MS_SYS_NOTIFICATION_CREATE, (arch_regs_t){0}), MS_OK);
    ntfn_h = (ms_handle_t)driver->regs.rdi;
    ck_assert_int_eq(handle_install(&driver->task->handles, &irq_line_get(4)->obj, MS_RIGHT_CONTROL, 0, &irq_h),
                     MS_OK);
    fx_drop_events();
}

static uint64_t bind(uint64_t bits)
{
    return fx_syscall(driver, MS_SYS_IRQ_BIND, (arch_regs_t){.rdi = irq_h, .rsi = ntfn_h, .rdx = bits});
}

START_TEST(binding_unmasks_the_line)
{
    setup();
    ck_assert(pic_masked(4));
    ck_assert_uint_eq(bind(0x10), MS_OK);
    ck_assert(!pic_masked(4));
}
END_TEST

START_TEST(an_interrupt_masks_signals_and_waits_for_ack)
{
    setup();
    ck_assert_uint_eq(bind(0x10), MS_OK);
    ck_assert_uint_eq(fx_syscall(driver, MS_SYS_WAIT, (arch_regs_t){.rdi = ntfn_h}), MS_OK);
    ck_assert_uint_eq(interrupt_can_wake(), 1u << 4);
    fx_schedule();
    interrupt_dispatch(32 + 4, 0, 0);
    ck_assert(pic_masked(4));
    ck_assert_int_eq(driver->state, THREAD_READY);
    ck_assert_uint_eq(driver->regs.rdi, 0x10);
    k_trace_event_t ev;
    ck_assert_int_eq(fx_find_event(K_EV_IRQ, &ev), 1);
    ck_assert_uint_eq(ev.a[0], 4);
    ck_assert_int_eq(fx_find_event(K_EV_NOTIFY, &ev), 1);
    ck_assert_uint_eq(ev.actor_tid, 0);
    ck_assert_uint_eq(ev.peer_tid, thread_tid(driver));
    fx_run(driver);
    /* Waiting again without the ack: the masked line can wake nobody. */
    ck_assert_uint_eq(fx_syscall(driver, MS_SYS_WAIT, (arch_regs_t){.rdi = ntfn_h}), MS_OK);
    ck_assert_int_eq(driver->state, THREAD_BLOCKED_NOTIFY);
    ck_assert_uint_eq(interrupt_can_wake(), 0);
    thread_t *helper = fx_thread(driver->task, 30); /* the ack may come from another thread */
    fx_run(helper);
    ck_assert_uint_eq(fx_syscall(helper, MS_SYS_IRQ_ACK, (arch_regs_t){.rdi = irq_h}), MS_OK);
    ck_assert_uint_eq(interrupt_can_wake(), 1u << 4);
    ck_assert(!pic_masked(4));
    ck_assert_uint_eq(fx_syscall_rejected(helper, MS_SYS_IRQ_ACK, (arch_regs_t){.rdi = irq_h}), MS_E_INVAL);
}
END_TEST

START_TEST(ack_unmasks_the_line_once)
{
    setup();
    ck_assert_uint_eq(bind(0x10), MS_OK);
    ck_assert_uint_eq(fx_syscall(driver, MS_SYS_WAIT, (arch_regs_t){.rdi = ntfn_h}), MS_OK);
    fx_schedule();
    interrupt_dispatch(32 + 4, 0, 0);
    fx_run(driver);
    ck_assert(pic_masked(4));
    ck_assert_uint_eq(fx_syscall(driver, MS_SYS_IRQ_ACK, (arch_regs_t){.rdi = irq_h}), MS_OK);
    ck_assert(!pic_masked(4));
    ck_assert_uint_eq(fx_syscall_rejected(driver, MS_SYS_IRQ_ACK, (arch_regs_t){.rdi = irq_h}), MS_E_INVAL);
}
END_TEST

START_TEST(unbinding_masks_the_line)
{
    setup();
    ck_assert_uint_eq(bind(1), MS_OK);
    ck_assert_uint_eq(fx_syscall(driver, MS_SYS_IRQ_BIND, (arch_regs_t){.rdi = irq_h, .rsi = MS_NO_HANDLE}), MS_OK);
    ck_assert(pic_masked(4));
    ck_assert_uint_eq(interrupt_can_wake(), 0);
}
END_TEST

START_TEST(bad_binds_are_refused)
{
    setup();
    ck_assert_uint_eq(fx_syscall_rejected(driver, MS_SYS_IRQ_BIND, (arch_regs_t){.rdi = irq_h, .rsi = ntfn_h}),
                      MS_E_INVAL); /* no bits */
    ck_assert_uint_eq(
        fx_syscall_rejected(driver, MS_SYS_IRQ_BIND, (arch_regs_t){.rdi = ntfn_h, .rsi = ntfn_h, .rdx = 1}),
        MS_E_BADHANDLE);
    ms_handle_t weak = fx_share(driver->task, driver->task, irq_h, 0, 0);
    ck_assert_uint_eq(fx_syscall_rejected(driver, MS_SYS_IRQ_BIND, (arch_regs_t){.rdi = weak, .rsi = ntfn_h, .rdx = 1}),
                      MS_E_RIGHTS);
}
END_TEST

START_TEST(the_clock_and_cascade_lines_are_the_kernels)
{
    fx_reset();
    ck_assert_ptr_null(irq_line_get(0));
    ck_assert_ptr_null(irq_line_get(2));
    ck_assert_ptr_null(irq_line_get(16));
    ck_assert_ptr_nonnull(irq_line_get(15));
}
END_TEST

START_TEST(an_unbound_line_is_masked_and_traced)
{
    setup();
    pic_unmask(5);
    interrupt_dispatch(32 + 5, 0, 0);
    ck_assert(pic_masked(5));
    k_trace_event_t ev;
    ck_assert_int_eq(fx_find_event(K_EV_IRQ, &ev), 1);
    ck_assert_uint_eq(ev.a[0], 5);
    ck_assert_int_eq(fx_find_event(K_EV_NOTIFY, &ev), 0);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("irq");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, binding_unmasks_the_line);
    tcase_add_test(tc, an_interrupt_masks_signals_and_waits_for_ack);
    tcase_add_test(tc, ack_unmasks_the_line_once);
    tcase_add_test(tc, unbinding_masks_the_line);
    tcase_add_test(tc, bad_binds_are_refused);
    tcase_add_test(tc, the_clock_and_cascade_lines_are_the_kernels);
    tcase_add_test(tc, an_unbound_line_is_masked_and_traced);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
