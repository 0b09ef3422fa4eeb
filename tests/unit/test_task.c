/* Tasks made at run time: task_create and handle_give (kernel/object/task.c, kernel/syscall.c). */
#include <check.h>
#include <string.h>

#include "fixture.h"
#include "paging.h"

#define BASE 0x20000000u
#define SIZE (64u * 1024u)

static thread_t *running(const char *name, uint8_t prio)
{
    thread_t *t = fx_spawn(name, prio);
    fx_run(t);
    return t;
}

static arch_regs_t create_args(const char *name, uint64_t base, uint64_t size, uint64_t prio, uint64_t flags)
{
    arch_regs_t r = {0};
    char words[16] = {0};
    strncpy(words, name, sizeof words);
    memcpy(&r.rdi, words, 8);
    memcpy(&r.rsi, words + 8, 8);
    r.rdx = base;
    r.r10 = size;
    r.r8 = prio;
    r.r9 = flags;
    return r;
}

static task_t *task_of(thread_t *t, ms_handle_t h)
{
    handle_entry_t *e;
    ck_assert_int_eq(handle_lookup(&t->task->handles, h, KOBJ_TASK, 0, &e), MS_OK);
    return (task_t *)e->obj;
}

START_TEST(task_create_makes_an_empty_live_task_with_itself_in_slot_0)
{
    fx_reset();
    thread_t *t = running("maker", 10);
    fx_drop_events();
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_TASK_CREATE, create_args("child", BASE, SIZE, 5, 0)), MS_OK);
    task_t *c = task_of(t, (ms_handle_t)t->regs.rdi);
    ck_assert_str_eq(c->name, "child");
    ck_assert_int_eq(c->state, TASK_ALIVE);
    ck_assert_uint_eq(c->nthreads, 0);
    ck_assert_uint_eq(c->max_prio, 5);
    ck_assert_uint_eq(c->aspace.own.base, BASE);
    ck_assert_uint_eq(c->aspace.own.size, SIZE);
    ck_assert_uint_eq(paging_lookup(c->aspace.root, BASE) & PTE_P, 0); /* nothing mapped */
    ck_assert_ptr_eq(c->handles.slot[MS_HANDLE_SELF].obj, &c->obj);
    ck_assert_uint_eq(t->task->handles.slot[t->regs.rdi].rights, MS_RIGHTS_ALL);
    k_trace_event_t ev;
    ck_assert(fx_find_event(K_EV_TASK_SPAWN, &ev));
    ck_assert_uint_eq(ev.actor_tid, thread_tid(t));
    ck_assert_uint_eq(ev.a[0], c->obj.id);
    ck_assert_uint_eq(ev.a[1], 5);
}
END_TEST

START_TEST(a_created_task_runs_once_given_a_thread)
{
    fx_reset();
    thread_t *t = running("maker", 10);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_TASK_CREATE, create_args("child", BASE, SIZE, 5, 0)), MS_OK);
    ms_handle_t h = (ms_handle_t)t->regs.rdi;
    arch_regs_t r = {.rdi = h, .rsi = 0x1000, .rdx = BASE + 8192, .r10 = 8192, .r8 = BASE, .r9 = 7, .r12 = 5};
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_THREAD_CREATE, r), MS_OK);
    task_t *c = task_of(t, h);
    ck_assert_uint_eq(c->nthreads, 1);
    ck_assert(c->started);
}
END_TEST

START_TEST(task_create_rejects_bad_arguments)
{
    fx_reset();
    thread_t *t = running("maker", 10);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_TASK_CREATE, create_args("", BASE, SIZE, 5, 0)), MS_E_INVAL);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_TASK_CREATE, create_args("c", BASE + 1, SIZE, 5, 0)), MS_E_INVAL);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_TASK_CREATE, create_args("c", BASE, 100, 5, 0)), MS_E_INVAL);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_TASK_CREATE, create_args("c", BASE, 0, 5, 0)), MS_E_INVAL);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_TASK_CREATE, create_args("c", 0x1000, SIZE, 5, 0)), MS_E_INVAL);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_TASK_CREATE, create_args("c", MS_USER_END - SIZE / 2, SIZE, 5, 0)),
                      MS_E_INVAL);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_TASK_CREATE, create_args("c", BASE, SIZE, 5, 2)), MS_E_INVAL);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_TASK_CREATE, create_args("c", BASE, SIZE, 256, 0)), MS_E_INVAL);
}
END_TEST

START_TEST(task_create_cannot_raise_the_ceiling_above_the_creator)
{
    fx_reset();
    thread_t *t = running("maker", 10);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_TASK_CREATE, create_args("c", BASE, SIZE, 11, 0)), MS_E_RIGHTS);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_TASK_CREATE, create_args("c", BASE, SIZE, 10, MS_TASK_DAEMON)), MS_OK);
    ck_assert(task_of(t, (ms_handle_t)t->regs.rdi)->daemon);
}
END_TEST

START_TEST(task_create_needs_room_for_the_handle)
{
    fx_reset();
    thread_t *t = running("maker", 10);
    while (t->task->handles.used < MS_HANDLES_PER_TASK)
        fx_endpoint(t->task, MS_RIGHT_SEND);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_TASK_CREATE, create_args("c", BASE, SIZE, 5, 0)), MS_E_FULL);
}
END_TEST

START_TEST(handle_give_copies_a_handle_into_the_task_with_fewer_rights)
{
    fx_reset();
    thread_t *t = running("maker", 10);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_TASK_CREATE, create_args("child", BASE, SIZE, 5, 0)), MS_OK);
    ms_handle_t h = (ms_handle_t)t->regs.rdi;
    ms_handle_t ep = fx_endpoint(t->task, MS_RIGHT_SEND | MS_RIGHT_RECV);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_HANDLE_GIVE, (arch_regs_t){.rdi = h, .rsi = ep, .rdx = MS_RIGHT_SEND}),
                      MS_OK);
    task_t *c = task_of(t, h);
    handle_entry_t *given = &c->handles.slot[t->regs.rdi];
    ck_assert_ptr_eq(given->obj, t->task->handles.slot[ep].obj);
    ck_assert_uint_eq(given->rights, MS_RIGHT_SEND);
}
END_TEST

START_TEST(handle_give_cannot_add_rights_or_reach_an_ended_task)
{
    fx_reset();
    thread_t *t = running("maker", 10);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_TASK_CREATE, create_args("child", BASE, SIZE, 5, 0)), MS_OK);
    ms_handle_t h = (ms_handle_t)t->regs.rdi;
    ms_handle_t ep = fx_endpoint(t->task, MS_RIGHT_SEND);
    ck_assert_uint_eq(
        fx_syscall_rejected(t, MS_SYS_HANDLE_GIVE, (arch_regs_t){.rdi = h, .rsi = ep, .rdx = MS_RIGHT_RECV}),
        MS_E_RIGHTS);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_HANDLE_GIVE, (arch_regs_t){.rdi = h, .rsi = ep, .rdx = 0x80}),
                      MS_E_INVAL);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_KILL, (arch_regs_t){.rdi = h}), MS_OK);
    ck_assert_uint_eq(
        fx_syscall_rejected(t, MS_SYS_HANDLE_GIVE, (arch_regs_t){.rdi = h, .rsi = ep, .rdx = MS_RIGHT_SEND}),
        MS_E_DEAD);
}
END_TEST

START_TEST(handle_give_needs_control_of_the_task)
{
    fx_reset();
    thread_t *t = running("maker", 10);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_TASK_CREATE, create_args("child", BASE, SIZE, 5, 0)), MS_OK);
    ms_handle_t weak = fx_share(t->task, t->task, (ms_handle_t)t->regs.rdi, MS_RIGHT_SEND, 0);
    ms_handle_t ep = fx_endpoint(t->task, MS_RIGHT_SEND);
    ck_assert_uint_eq(
        fx_syscall_rejected(t, MS_SYS_HANDLE_GIVE, (arch_regs_t){.rdi = weak, .rsi = ep, .rdx = MS_RIGHT_SEND}),
        MS_E_RIGHTS);
}
END_TEST

/* t makes a task and a notification; returns the task handle, *n the notification's. */
static ms_handle_t watched_task(thread_t *t, ms_handle_t *n)
{
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_TASK_CREATE, create_args("child", BASE, SIZE, 5, 0)), MS_OK);
    ms_handle_t h = (ms_handle_t)t->regs.rdi;
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_NOTIFICATION_CREATE, (arch_regs_t){0}), MS_OK);
    *n = (ms_handle_t)t->regs.rdi;
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_TASK_WATCH, (arch_regs_t){.rdi = h, .rsi = *n, .rdx = 0x4}), MS_OK);
    return h;
}

START_TEST(a_watched_task_signals_when_it_ends_and_reports_how)
{
    fx_reset();
    thread_t *t = running("maker", 10);
    ms_handle_t n, h = watched_task(t, &n);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_TASK_STATUS, (arch_regs_t){.rdi = h}), MS_OK);
    ck_assert_uint_eq(t->regs.rdi, MS_TASK_ALIVE);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_POLL, (arch_regs_t){.rdi = n}), MS_OK);
    ck_assert_uint_eq(t->regs.rdi, 0);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_KILL, (arch_regs_t){.rdi = h}), MS_OK);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_POLL, (arch_regs_t){.rdi = n}), MS_OK);
    ck_assert_uint_eq(t->regs.rdi, 0x4);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_TASK_STATUS, (arch_regs_t){.rdi = h}), MS_OK);
    ck_assert_uint_eq(t->regs.rdi, MS_TASK_KILLED);
    ck_assert_uint_eq(t->regs.rsi, (uint64_t)-1);
}
END_TEST

START_TEST(an_exit_status_is_reported)
{
    fx_reset();
    thread_t *t = running("maker", 10);
    ms_handle_t n, h = watched_task(t, &n);
    arch_regs_t r = {.rdi = h, .rsi = 0x1000, .rdx = BASE + 8192, .r10 = 8192, .r8 = BASE, .r12 = 5};
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_THREAD_CREATE, r), MS_OK);
    thread_t *child = K_CONTAINER_OF(k_list_first(&task_of(t, h)->threads), thread_t, task_link);
    fx_run(child);
    fx_syscall(child, MS_SYS_EXIT, (arch_regs_t){.rdi = 3});
    fx_run(t);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_TASK_STATUS, (arch_regs_t){.rdi = h}), MS_OK);
    ck_assert_uint_eq(t->regs.rdi, MS_TASK_EXITED);
    ck_assert_uint_eq(t->regs.rsi, 3);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_POLL, (arch_regs_t){.rdi = n}), MS_OK);
    ck_assert_uint_eq(t->regs.rdi, 0x4);
}
END_TEST

START_TEST(task_watch_checks_its_arguments)
{
    fx_reset();
    thread_t *t = running("maker", 10);
    ms_handle_t n, h = watched_task(t, &n);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_TASK_WATCH, (arch_regs_t){.rdi = h, .rsi = n, .rdx = 0}),
                      MS_E_INVAL);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_TASK_WATCH, (arch_regs_t){.rdi = h, .rsi = h, .rdx = 1}),
                      MS_E_BADHANDLE);
    ms_handle_t weak = fx_share(t->task, t->task, h, MS_RIGHT_SEND, 0);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_TASK_WATCH, (arch_regs_t){.rdi = weak, .rsi = n, .rdx = 1}),
                      MS_E_RIGHTS);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_TASK_STATUS, (arch_regs_t){.rdi = weak}), MS_OK); /* any right */
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_KILL, (arch_regs_t){.rdi = h}), MS_OK);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_TASK_WATCH, (arch_regs_t){.rdi = h, .rsi = n, .rdx = 1}),
                      MS_E_DEAD);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_TASK_STATUS, (arch_regs_t){.rdi = n}), MS_E_BADHANDLE);
}
END_TEST

START_TEST(handle_give_puts_the_copy_in_the_slot_asked_for)
{
    fx_reset();
    thread_t *t = running("maker", 10);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_TASK_CREATE, create_args("child", BASE, SIZE, 5, 0)), MS_OK);
    ms_handle_t h = (ms_handle_t)t->regs.rdi;
    ms_handle_t ep = fx_endpoint(t->task, MS_RIGHT_SEND);
    arch_regs_t r = {.rdi = h, .rsi = ep, .rdx = MS_RIGHT_SEND, .r10 = 5};
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_HANDLE_GIVE, r), MS_OK);
    ck_assert_uint_eq(t->regs.rdi, 5);
    ck_assert_ptr_nonnull(task_of(t, h)->handles.slot[5].obj);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_HANDLE_GIVE, r), MS_E_INVAL); /* taken now */
    r.r10 = MS_HANDLES_PER_TASK;
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_HANDLE_GIVE, r), MS_E_INVAL);
}
END_TEST

START_TEST(a_restart_names_the_ended_task_it_replaces)
{
    fx_reset();
    thread_t *t = running("maker", 10);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_TASK_CREATE, create_args("svc", BASE, SIZE, 5, 0)), MS_OK);
    ms_handle_t old = (ms_handle_t)t->regs.rdi;
    arch_regs_t again = create_args("svc", BASE, SIZE, 5, MS_TASK_RESTART);
    again.r12 = old;
    again.r13 = MS_RESTART_EXCEPTION;
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_TASK_CREATE, again), MS_E_INVAL); /* still alive */
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_KILL, (arch_regs_t){.rdi = old}), MS_OK);
    again.r13 = 9;
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_TASK_CREATE, again), MS_E_INVAL); /* no such reason */
    again.r13 = MS_RESTART_EXCEPTION;
    fx_drop_events();
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_TASK_CREATE, again), MS_OK);
    k_trace_event_t ev;
    ck_assert(fx_find_event(K_EV_TASK_RESTART, &ev));
    ck_assert_uint_eq(ev.actor_tid, thread_tid(t));
    ck_assert_uint_eq(ev.a[0], task_of(t, old)->obj.id);
    ck_assert_uint_eq(ev.a[1], task_of(t, (ms_handle_t)t->regs.rdi)->obj.id);
    ck_assert_uint_eq(ev.a[2], MS_RESTART_EXCEPTION);
    ck_assert_str_eq((const char *)&ev.a[3], "svc");
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("task");
    TCase *tc = tcase_create("task_create and handle_give");
    tcase_add_test(tc, task_create_makes_an_empty_live_task_with_itself_in_slot_0);
    tcase_add_test(tc, a_created_task_runs_once_given_a_thread);
    tcase_add_test(tc, task_create_rejects_bad_arguments);
    tcase_add_test(tc, task_create_cannot_raise_the_ceiling_above_the_creator);
    tcase_add_test(tc, task_create_needs_room_for_the_handle);
    tcase_add_test(tc, handle_give_copies_a_handle_into_the_task_with_fewer_rights);
    tcase_add_test(tc, handle_give_cannot_add_rights_or_reach_an_ended_task);
    tcase_add_test(tc, handle_give_needs_control_of_the_task);
    tcase_add_test(tc, a_watched_task_signals_when_it_ends_and_reports_how);
    tcase_add_test(tc, an_exit_status_is_reported);
    tcase_add_test(tc, task_watch_checks_its_arguments);
    tcase_add_test(tc, a_restart_names_the_ended_task_it_replaces);
    tcase_add_test(tc, handle_give_puts_the_copy_in_the_slot_asked_for);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
