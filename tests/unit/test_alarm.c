/* Alarms (kernel/alarm.c) and the alarm system call. */
#include <check.h>

#include "alarm.h"
#include "fixture.h"
#include "object/notification.h"
#include "timer.h"

static thread_t *running(const char *name, uint8_t prio)
{
    thread_t *t = fx_spawn(name, prio);
    fx_run(t);
    return t;
}

static ms_handle_t new_ntfn(thread_t *t, notification_t **n)
{
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_NOTIFICATION_CREATE, (arch_regs_t){0}), MS_OK);
    ms_handle_t h = (ms_handle_t)t->regs.rdi;
    handle_entry_t *e;
    ck_assert_int_eq(handle_lookup(&t->task->handles, h, KOBJ_NOTIFICATION, 0, &e), MS_OK);
    *n = K_CONTAINER_OF(e->obj, notification_t, obj);
    return h;
}

static uint64_t poll_bits(thread_t *t, ms_handle_t h)
{
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_POLL, (arch_regs_t){.rdi = h}), MS_OK);
    return t->regs.rdi;
}

START_TEST(an_alarm_fires_at_the_first_tick_at_or_after_its_time)
{
    fx_reset();
    thread_t *t = running("app", 10);
    notification_t *n;
    ms_handle_t h = new_ntfn(t, &n);
    fake_arch_time = 1000;
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_ALARM, (arch_regs_t){.rdi = h, .rsi = 0x6, .rdx = 500}), MS_OK);
    ck_assert_uint_eq(alarm_next(), 1500);
    fake_arch_time = 1499;
    timer_tick();
    ck_assert_uint_eq(poll_bits(t, h), 0);
    fake_arch_time = 1500;
    timer_tick();
    ck_assert_uint_eq(poll_bits(t, h), 0x6);
    ck_assert_uint_eq(alarm_next(), 0);
    fake_arch_time = 5000;
    timer_tick();
    ck_assert_uint_eq(poll_bits(t, h), 0); /* once */
}
END_TEST

START_TEST(alarms_fire_in_any_order_of_setting)
{
    fx_reset();
    thread_t *t = running("app", 10);
    notification_t *n;
    ms_handle_t h = new_ntfn(t, &n);
    fx_syscall(t, MS_SYS_ALARM, (arch_regs_t){.rdi = h, .rsi = 0x1, .rdx = 300});
    fx_syscall(t, MS_SYS_ALARM, (arch_regs_t){.rdi = h, .rsi = 0x2, .rdx = 100});
    ck_assert_uint_eq(alarm_next(), 100);
    fake_arch_time = 200;
    timer_tick();
    ck_assert_uint_eq(poll_bits(t, h), 0x2);
    ck_assert_uint_eq(alarm_next(), 300);
}
END_TEST

START_TEST(a_pending_alarm_keeps_its_notification)
{
    fx_reset();
    thread_t *t = running("app", 10);
    notification_t *n;
    ms_handle_t h = new_ntfn(t, &n);
    uint32_t id = n->obj.id;
    fx_syscall(t, MS_SYS_ALARM, (arch_regs_t){.rdi = h, .rsi = 0x1, .rdx = 100});
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_HANDLE_CLOSE, (arch_regs_t){.rdi = h}), MS_OK);
    ck_assert_int_eq(n->obj.type, KOBJ_NOTIFICATION); /* still alive: the alarm holds it */
    ck_assert_uint_eq(n->obj.id, id);
    fake_arch_time = 100;
    timer_tick();
    ck_assert_int_eq(n->obj.type, KOBJ_NONE); /* fired: the last reference went */
}
END_TEST

START_TEST(alarm_checks_its_arguments_and_the_pool)
{
    fx_reset();
    thread_t *t = running("app", 10);
    notification_t *n;
    ms_handle_t h = new_ntfn(t, &n);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_ALARM, (arch_regs_t){.rdi = h, .rsi = 0, .rdx = 1}), MS_E_INVAL);
    ck_assert_uint_eq(
        fx_syscall_rejected(t, MS_SYS_ALARM, (arch_regs_t){.rdi = h, .rsi = 1, .rdx = MS_ALARM_MAX_NS + 1}),
        MS_E_INVAL);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_ALARM, (arch_regs_t){.rdi = h, .rsi = 1, .rdx = UINT64_MAX}),
                      MS_E_INVAL);
    ms_handle_t weak = fx_share(t->task, t->task, h, MS_RIGHT_RECV, 0);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_ALARM, (arch_regs_t){.rdi = weak, .rsi = 1, .rdx = 1}),
                      MS_E_RIGHTS);
    for (unsigned i = 0; i < K_MAX_ALARMS; i++)
        ck_assert_uint_eq(fx_syscall(t, MS_SYS_ALARM, (arch_regs_t){.rdi = h, .rsi = 1, .rdx = 10 + i}), MS_OK);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_ALARM, (arch_regs_t){.rdi = h, .rsi = 1, .rdx = 1}), MS_E_NOMEM);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("alarm");
    TCase *tc = tcase_create("alarms");
    tcase_add_test(tc, an_alarm_fires_at_the_first_tick_at_or_after_its_time);
    tcase_add_test(tc, alarms_fire_in_any_order_of_setting);
    tcase_add_test(tc, a_pending_alarm_keeps_its_notification);
    tcase_add_test(tc, alarm_checks_its_arguments_and_the_pool);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
