/* Unit tests of the system calls that are not IPC: argument checks, handles, threads, exit and kill. */
#include <string.h>

#include "cpu.h"
#include "fixture.h"
#include "handle.h"
#include "object/endpoint.h"
#include "sched.h"
#include "syscall.h"

#define ENTRY 0x2000u
#define ARG 0xa59u

static arch_regs_t args(uint64_t rdi, uint64_t rsi, uint64_t rdx)
{
    return (arch_regs_t){.rdi = rdi, .rsi = rsi, .rdx = rdx};
}

/* A running thread of a fresh task (the task's handle 0 is itself). */
static thread_t *running(const char *name, uint8_t prio)
{
    thread_t *t = fx_spawn(name, prio);
    fx_run(t);
    return t;
}

static uintptr_t mem_base(const task_t *task)
{
    return task->aspace.own.base;
}

static uintptr_t mem_end(const task_t *task)
{
    return task->aspace.own.base + task->aspace.own.size;
}

static handle_entry_t *entry_of(task_t *task, uint64_t h)
{
    handle_entry_t *e = NULL;
    ck_assert_int_eq(handle_lookup(&task->handles, h, KOBJ_NONE, 0, &e), MS_OK);
    return e;
}

static unsigned live_endpoints(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < endpoint_pool_size(); i++)
        n += endpoint_pool_at(i) != NULL;
    return n;
}

static unsigned live_threads(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < thread_pool_size(); i++)
        n += thread_pool_at(i) != NULL;
    return n;
}

/* Fills task's free handle slots with copies of its own task handle. */
static void fill_handles(task_t *task)
{
    ms_handle_t h;
    while (task->handles.used < MS_HANDLES_PER_TASK)
        ck_assert_int_eq(handle_install(&task->handles, &task->obj, MS_RIGHT_SEND, 0, &h), MS_OK);
}

/* thread_create arguments for a valid thread of task (named by handle h):
 * stack at +16K (4K long), IPC buffer at +8K, both in task's memory. */
static arch_regs_t create_args(uint64_t h, const task_t *task, uint64_t prio)
{
    arch_regs_t r = {0};
    r.rdi = h;
    r.rsi = ENTRY;
    r.rdx = mem_base(task) + 16384;
    r.r10 = 4096;
    r.r8 = mem_base(task) + 8192;
    r.r9 = ARG;
    r.r12 = prio;
    return r;
}

/* ---- dispatch ---- */

START_TEST(unknown_call_numbers_are_nosys)
{
    fx_reset();
    thread_t *t = running("app", 10);
    const uint64_t numbers[] = {MS_SYS_COUNT, MS_SYS_COUNT + 1, 1000, 1ull << 32, UINT64_MAX};
    for (unsigned i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        ck_assert_uint_eq(fx_syscall_rejected(t, numbers[i], args(0, 0, 0)), MS_E_NOSYS);
        ck_assert_str_eq(syscall_name(numbers[i]), "?");
    }
}
END_TEST

START_TEST(error_event_names_call_and_error)
{
    fx_reset();
    thread_t *t = running("app", 10);
    fx_drop_events();
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_HANDLE_CLOSE, args(40, 0, 0)), MS_E_BADHANDLE);
    k_trace_event_t ev;
    ck_assert_int_eq(fx_find_event(K_EV_SYSCALL_ERROR, &ev), 1);
    ck_assert_uint_eq(ev.actor_tid, thread_tid(t));
    ck_assert_str_eq(ev.actor, "app");
    ck_assert_uint_eq(ev.a[0], MS_SYS_HANDLE_CLOSE);
    ck_assert_uint_eq(ev.a[1], MS_E_BADHANDLE);
    ck_assert_str_eq(syscall_name(ev.a[0]), "handle_close");
    ck_assert_str_eq(syscall_error_name(ev.a[1]), "E_BADHANDLE");
}
END_TEST

START_TEST(successful_call_records_no_error)
{
    fx_reset();
    thread_t *t = running("app", 10);
    fx_drop_events();
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_ENDPOINT_CREATE, args(0, 0, 0)), MS_OK);
    k_trace_event_t ev;
    ck_assert_int_eq(fx_find_event(K_EV_SYSCALL_ERROR, &ev), 0);
}
END_TEST

START_TEST(every_call_and_error_has_a_name)
{
    static const char *const calls[MS_SYS_COUNT] = {
        "debug_write",  "exit",        "yield",           "send",
        "try_send",     "recv",        "try_recv",        "call",
        "reply",        "reply_recv",  "endpoint_create", "handle_copy",
        "handle_close", "handle_info", "thread_create",   "thread_exit",
        "kill",         "fault_handler", "notification_create", "signal",
        "wait",         "poll",        "irq_bind",        "irq_ack",
        "map",          "unmap",       "protect",         "map_window",
        "task_create",  "handle_give", "reply_save",      "reply_with",
        "task_watch",   "task_status", "alarm",           "trace_net",     "clock",
    };
    for (unsigned nr = 0; nr < MS_SYS_COUNT; nr++)
        ck_assert_str_eq(syscall_name(nr), calls[nr]);
    static const char *const errors[MS_ERROR_COUNT] = {
        "OK",           "E_NOSYS", "E_INVAL", "E_BADHANDLE", "E_RIGHTS", "E_RANGE",   "E_FAULT",
        "E_WOULDBLOCK", "E_NOMEM", "E_FULL",  "E_NOREPLY",   "E_DEAD",   "E_ABORTED",
    };
    for (unsigned e = 0; e < MS_ERROR_COUNT; e++)
        ck_assert_str_eq(syscall_error_name(e), errors[e]);
    ck_assert_str_eq(syscall_error_name(MS_ERROR_COUNT), "E_?");
    ck_assert_str_eq(syscall_error_name(UINT64_MAX), "E_?");
}
END_TEST

/* ---- debug_write ---- */

START_TEST(debug_write_over_the_limit_is_out_of_range)
{
    fx_reset();
    thread_t *t = running("app", 10);
    uintptr_t buf = mem_base(t->task);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_DEBUG_WRITE, args(buf, MS_MSG_PAYLOAD_MAX + 1, 0)), MS_E_RANGE);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_DEBUG_WRITE, args(buf, UINT64_MAX, 0)), MS_E_RANGE);
}
END_TEST

START_TEST(debug_write_of_the_limit_is_accepted)
{
    fx_reset();
    thread_t *t = running("app", 10);
    memset((void *)mem_base(t->task), 'x', MS_MSG_PAYLOAD_MAX);
    fx_drop_events();
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_DEBUG_WRITE, args(mem_base(t->task), MS_MSG_PAYLOAD_MAX, 0)), MS_OK);
    unsigned bytes = 0, events = 0;
    k_trace_event_t ev;
    while (fx_find_event(K_EV_PRINT, &ev)) {
        bytes += ev.text_len;
        events++;
    }
    ck_assert_uint_eq(bytes, MS_MSG_PAYLOAD_MAX);
    ck_assert_uint_eq(events, (MS_MSG_PAYLOAD_MAX + K_EV_TEXT - 1) / K_EV_TEXT);
}
END_TEST

START_TEST(debug_write_outside_the_task_faults)
{
    fx_reset();
    thread_t *t = running("app", 10);
    task_t *other = fx_task("other", 10);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_DEBUG_WRITE, args(0, 1, 0)), MS_E_FAULT);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_DEBUG_WRITE, args(mem_base(t->task) - 1, 1, 0)), MS_E_FAULT);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_DEBUG_WRITE, args(mem_end(t->task), 1, 0)), MS_E_FAULT);
    /* Another task's memory is not the caller's. */
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_DEBUG_WRITE, args(mem_base(other), 4, 0)), MS_E_FAULT);
}
END_TEST

START_TEST(debug_write_straddling_the_end_faults)
{
    fx_reset();
    thread_t *t = running("app", 10);
    uintptr_t end = mem_end(t->task);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_DEBUG_WRITE, args(end - 2, 4, 0)), MS_E_FAULT);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_DEBUG_WRITE, args(mem_base(t->task) - 2, 4, 0)), MS_E_FAULT);
    /* Up to the very last byte is fine. */
    memcpy((void *)(end - 4), "end\n", 4);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_DEBUG_WRITE, args(end - 4, 4, 0)), MS_OK);
}
END_TEST

START_TEST(debug_write_wrapping_around_faults)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_DEBUG_WRITE, args(UINT64_MAX - 2, 8, 0)), MS_E_FAULT);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_DEBUG_WRITE, args(UINT64_MAX, 1, 0)), MS_E_FAULT);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_DEBUG_WRITE, args(UINT64_MAX - 100, 4096, 0)), MS_E_FAULT);
}
END_TEST

START_TEST(debug_write_refused_by_the_hardware_faults)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ck_assert_int_eq(aspace_unmap(&t->task->aspace, mem_base(t->task), 1), MS_OK);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_DEBUG_WRITE, args(mem_base(t->task), 4, 0)), MS_E_FAULT);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_DEBUG_WRITE, args(mem_base(t->task) + 4096, 4, 0)), MS_OK);
}
END_TEST

/* Writes text from t's memory and asserts one print event per expected piece. */
static void expect_prints(thread_t *t, const char *text, size_t len, const char *const *pieces, unsigned n)
{
    memcpy((void *)(mem_base(t->task) + 100), text, len);
    fx_drop_events();
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_DEBUG_WRITE, args(mem_base(t->task) + 100, len, 0)), MS_OK);
    k_trace_event_t ev;
    for (unsigned i = 0; i < n; i++) {
        ck_assert_int_eq(fx_event(&ev), 1);
        ck_assert_uint_eq(ev.kind, K_EV_PRINT);
        ck_assert_uint_eq(ev.actor_tid, thread_tid(t));
        ck_assert_uint_eq(ev.peer_tid, 0);
        ck_assert_uint_eq(ev.text_len, strlen(pieces[i]));
        ck_assert_int_eq(memcmp(ev.text, pieces[i], ev.text_len), 0);
    }
    ck_assert_int_eq(fx_event(&ev), 0);
}

START_TEST(debug_write_prints_one_event_per_line)
{
    fx_reset();
    thread_t *t = running("app", 10);
    const char *lines[] = {"hello\n", "world\n"};
    expect_prints(t, "hello\nworld\n", 12, lines, 2);
    const char *partial[] = {"a\n", "\n", "tail"};
    expect_prints(t, "a\n\ntail", 7, partial, 3);
    const char *one[] = {"no newline"};
    expect_prints(t, "no newline", 10, one, 1);
}
END_TEST

START_TEST(debug_write_splits_long_lines)
{
    fx_reset();
    thread_t *t = running("app", 10);
    char text[200];
    memset(text, 'x', sizeof text);
    text[199] = '\n';
    char first[K_EV_TEXT + 1], last[9];
    memset(first, 'x', K_EV_TEXT);
    first[K_EV_TEXT] = '\0';
    memcpy(last, "xxxxxxx\n", 9);
    const char *pieces[] = {first, first, last};
    expect_prints(t, text, sizeof text, pieces, 3);
}
END_TEST

START_TEST(debug_write_of_nothing_prints_nothing)
{
    fx_reset();
    thread_t *t = running("app", 10);
    expect_prints(t, "", 0, NULL, 0);
}
END_TEST

START_TEST(debug_write_keeps_every_byte)
{
    fx_reset();
    thread_t *t = running("app", 10);
    const char text[] = {'\0', 'a', '\t', '"', '\xff', '\n'};
    const char *pieces[] = {"\0a\t\"\xff\n"};
    memcpy((void *)(mem_base(t->task) + 100), text, sizeof text);
    fx_drop_events();
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_DEBUG_WRITE, args(mem_base(t->task) + 100, sizeof text, 0)), MS_OK);
    k_trace_event_t ev;
    ck_assert_int_eq(fx_find_event(K_EV_PRINT, &ev), 1);
    ck_assert_uint_eq(ev.text_len, sizeof text);
    ck_assert_int_eq(memcmp(ev.text, pieces[0], sizeof text), 0);
}
END_TEST

/* ---- endpoints and handles ---- */

START_TEST(endpoint_create_gives_send_recv_grant)
{
    fx_reset();
    thread_t *t = running("app", 10);
    unsigned before = live_endpoints();
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_ENDPOINT_CREATE, args(0, 0, 0)), MS_OK);
    uint64_t h = t->regs.rdi;
    ck_assert_uint_eq(h, 1); /* the lowest free slot: 0 is the task itself */
    handle_entry_t *e = entry_of(t->task, h);
    ck_assert_uint_eq(e->obj->type, KOBJ_ENDPOINT);
    ck_assert_uint_eq(e->rights, MS_RIGHT_SEND | MS_RIGHT_RECV | MS_RIGHT_GRANT);
    ck_assert_uint_eq(e->badge, 0);
    ck_assert_uint_eq(e->obj->refs, 1);
    ck_assert_uint_eq(live_endpoints(), before + 1);
    ck_assert_uint_eq(t->task->handles.used, 2);
    /* A second one is a different endpoint. */
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_ENDPOINT_CREATE, args(0, 0, 0)), MS_OK);
    ck_assert_uint_eq(t->regs.rdi, 2);
    ck_assert_ptr_ne(entry_of(t->task, 2)->obj, e->obj);
}
END_TEST

START_TEST(endpoint_create_with_empty_pool_is_nomem)
{
    fx_reset();
    thread_t *t = running("app", 10);
    while (endpoint_create())
        ;
    ck_assert_uint_eq(live_endpoints(), endpoint_pool_size());
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_ENDPOINT_CREATE, args(0, 0, 0)), MS_E_NOMEM);
}
END_TEST

START_TEST(endpoint_create_with_full_table_leaks_nothing)
{
    fx_reset();
    thread_t *t = running("app", 10);
    fill_handles(t->task);
    unsigned before = live_endpoints();
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_ENDPOINT_CREATE, args(0, 0, 0)), MS_E_FULL);
    ck_assert_uint_eq(live_endpoints(), before);
    /* The pool slot is still usable: every endpoint can still be made. */
    unsigned made = 0;
    while (endpoint_create())
        made++;
    ck_assert_uint_eq(made, endpoint_pool_size() - before);
}
END_TEST

START_TEST(handle_copy_may_drop_rights)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ms_handle_t h = fx_endpoint(t->task, MS_RIGHT_SEND | MS_RIGHT_RECV | MS_RIGHT_GRANT);
    kobject_t *obj = entry_of(t->task, h)->obj;
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_HANDLE_COPY, args(h, MS_RIGHT_SEND, 0)), MS_OK);
    uint64_t copy = t->regs.rdi;
    ck_assert_uint_ne(copy, h);
    handle_entry_t *e = entry_of(t->task, copy);
    ck_assert_ptr_eq(e->obj, obj);
    ck_assert_uint_eq(e->rights, MS_RIGHT_SEND);
    ck_assert_uint_eq(e->badge, 0);
    ck_assert_uint_eq(obj->refs, 2);
    /* The same rights, or none at all, are fine too. */
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_HANDLE_COPY, args(h, MS_RIGHT_SEND | MS_RIGHT_RECV | MS_RIGHT_GRANT, 0)),
                      MS_OK);
    ck_assert_uint_eq(entry_of(t->task, t->regs.rdi)->rights, MS_RIGHT_SEND | MS_RIGHT_RECV | MS_RIGHT_GRANT);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_HANDLE_COPY, args(h, 0, 0)), MS_OK);
    ck_assert_uint_eq(entry_of(t->task, t->regs.rdi)->rights, 0);
    ck_assert_uint_eq(obj->refs, 4);
}
END_TEST

START_TEST(handle_copy_may_not_add_rights)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ms_handle_t h = fx_endpoint(t->task, MS_RIGHT_SEND);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_HANDLE_COPY, args(h, MS_RIGHT_SEND | MS_RIGHT_RECV, 0)),
                      MS_E_RIGHTS);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_HANDLE_COPY, args(h, MS_RIGHT_GRANT, 0)), MS_E_RIGHTS);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_HANDLE_COPY, args(h, MS_RIGHTS_ALL, 0)), MS_E_RIGHTS);
}
END_TEST

START_TEST(handle_copy_with_unknown_right_bits_is_invalid)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ms_handle_t h = fx_endpoint(t->task, MS_RIGHTS_ALL);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_HANDLE_COPY, args(h, 0x80, 0)), MS_E_INVAL);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_HANDLE_COPY, args(h, MS_RIGHT_SEND | (1ull << 40), 0)), MS_E_INVAL);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_HANDLE_COPY, args(MS_HANDLE_SELF, UINT64_MAX, 0)), MS_E_INVAL);
}
END_TEST

START_TEST(handle_copy_mints_a_badge_on_an_unbadged_endpoint_handle)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ms_handle_t h = fx_endpoint(t->task, MS_RIGHT_SEND | MS_RIGHT_RECV);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_HANDLE_COPY, args(h, MS_RIGHT_SEND, 0xfeedface12ull)), MS_OK);
    handle_entry_t *e = entry_of(t->task, t->regs.rdi);
    ck_assert_uint_eq(e->badge, 0xfeedface12ull);
    ck_assert_uint_eq(e->rights, MS_RIGHT_SEND);
    ck_assert_uint_eq(entry_of(t->task, h)->badge, 0);
}
END_TEST

START_TEST(handle_copy_of_a_badged_handle_keeps_the_badge)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ms_handle_t h = fx_endpoint(t->task, MS_RIGHT_SEND | MS_RIGHT_RECV);
    ms_handle_t badged = fx_share(t->task, t->task, h, MS_RIGHT_SEND | MS_RIGHT_GRANT, 5);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_HANDLE_COPY, args(badged, MS_RIGHT_SEND, 0)), MS_OK);
    ck_assert_uint_eq(entry_of(t->task, t->regs.rdi)->badge, 5);
}
END_TEST

START_TEST(handle_copy_may_not_rebadge)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ms_handle_t h = fx_endpoint(t->task, MS_RIGHT_SEND | MS_RIGHT_RECV);
    ms_handle_t badged = fx_share(t->task, t->task, h, MS_RIGHT_SEND, 5);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_HANDLE_COPY, args(badged, MS_RIGHT_SEND, 6)), MS_E_INVAL);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_HANDLE_COPY, args(badged, MS_RIGHT_SEND, 5)), MS_E_INVAL);
}
END_TEST

START_TEST(handle_copy_badges_only_endpoints)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_HANDLE_COPY, args(MS_HANDLE_SELF, MS_RIGHT_CONTROL, 1)),
                      MS_E_INVAL);
    /* Without a badge, a task handle copies fine. */
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_HANDLE_COPY, args(MS_HANDLE_SELF, MS_RIGHT_CONTROL, 0)), MS_OK);
    handle_entry_t *e = entry_of(t->task, t->regs.rdi);
    ck_assert_ptr_eq(e->obj, &t->task->obj);
    ck_assert_uint_eq(e->rights, MS_RIGHT_CONTROL);
}
END_TEST

START_TEST(handle_copy_of_a_bad_handle)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_HANDLE_COPY, args(9, 0, 0)), MS_E_BADHANDLE);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_HANDLE_COPY, args(MS_HANDLES_PER_TASK, 0, 0)), MS_E_BADHANDLE);
}
END_TEST

START_TEST(handle_copy_into_a_full_table)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ms_handle_t h = fx_endpoint(t->task, MS_RIGHT_SEND);
    fill_handles(t->task);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_HANDLE_COPY, args(h, MS_RIGHT_SEND, 0)), MS_E_FULL);
}
END_TEST

START_TEST(handle_close_frees_the_handle)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ms_handle_t h = fx_endpoint(t->task, MS_RIGHT_SEND);
    ms_handle_t keep = fx_share(t->task, t->task, h, MS_RIGHT_SEND, 0);
    kobject_t *obj = entry_of(t->task, h)->obj;
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_HANDLE_CLOSE, args(h, 0, 0)), MS_OK);
    handle_entry_t *e;
    ck_assert_int_eq(handle_lookup(&t->task->handles, h, KOBJ_NONE, 0, &e), MS_E_BADHANDLE);
    ck_assert_uint_eq(t->task->handles.used, 2);
    ck_assert_uint_eq(obj->refs, 1);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_HANDLE_CLOSE, args(h, 0, 0)), MS_E_BADHANDLE);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_HANDLE_CLOSE, args(UINT64_MAX, 0, 0)), MS_E_BADHANDLE);
    /* The last handle destroys the endpoint. */
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_HANDLE_CLOSE, args(keep, 0, 0)), MS_OK);
    ck_assert_uint_eq(obj->type, KOBJ_NONE);
}
END_TEST

START_TEST(handle_info_reports_type_rights_and_badge)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ms_handle_t ep = fx_endpoint(t->task, MS_RIGHT_SEND | MS_RIGHT_RECV);
    ms_handle_t badged = fx_share(t->task, t->task, ep, MS_RIGHT_SEND | MS_RIGHT_GRANT, 99);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_HANDLE_INFO, args(badged, 0, 0)), MS_OK);
    ck_assert_uint_eq(t->regs.rdi, MS_OBJ_ENDPOINT);
    ck_assert_uint_eq(t->regs.rsi, MS_RIGHT_SEND | MS_RIGHT_GRANT);
    ck_assert_uint_eq(t->regs.rdx, 99);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_HANDLE_INFO, args(MS_HANDLE_SELF, 0, 0)), MS_OK);
    ck_assert_uint_eq(t->regs.rdi, MS_OBJ_TASK);
    ck_assert_uint_eq(t->regs.rsi, MS_RIGHTS_ALL);
    ck_assert_uint_eq(t->regs.rdx, 0);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_THREAD_CREATE, create_args(MS_HANDLE_SELF, t->task, 5)), MS_OK);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_HANDLE_INFO, args(t->regs.rdi, 0, 0)), MS_OK);
    ck_assert_uint_eq(t->regs.rdi, MS_OBJ_THREAD);
    ck_assert_uint_eq(t->regs.rsi, MS_RIGHT_CONTROL);
    ck_assert_uint_eq(t->regs.rdx, 0);
}
END_TEST

START_TEST(handle_info_of_a_bad_handle)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_HANDLE_INFO, args(3, 0, 0)), MS_E_BADHANDLE);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_HANDLE_INFO, args(1ull << 33, 0, 0)), MS_E_BADHANDLE);
}
END_TEST

/* ---- threads ---- */

START_TEST(thread_create_makes_a_ready_thread)
{
    fx_reset();
    thread_t *t = running("app", 100);
    task_t *task = t->task;
    unsigned queued = sched_queue_length(40);
    fx_drop_events();
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_THREAD_CREATE, create_args(MS_HANDLE_SELF, task, 40)), MS_OK);
    handle_entry_t *e = entry_of(task, t->regs.rdi);
    ck_assert_uint_eq(e->obj->type, KOBJ_THREAD);
    ck_assert_uint_eq(e->rights, MS_RIGHT_CONTROL);
    thread_t *nt = K_CONTAINER_OF(e->obj, thread_t, obj);
    ck_assert_int_eq(nt->state, THREAD_READY);
    ck_assert_ptr_eq(nt->task, task);
    ck_assert_uint_eq(nt->prio, 40);
    ck_assert_uint_eq(nt->regs.rip, ENTRY);
    ck_assert_uint_eq(nt->regs.rdi, ARG);
    ck_assert_uint_eq(nt->regs.rsp, ((mem_base(task) + 16384 + 4096) & ~(uint64_t)15) - 8);
    ck_assert_uint_eq(nt->ipc_buffer, mem_base(task) + 8192);
    ck_assert_uint_eq(task->nthreads, 2);
    ck_assert_uint_eq(sched_queue_length(40), queued + 1);
    ck_assert_int_eq(t->state, THREAD_RUNNING);
    k_trace_event_t ev;
    ck_assert_int_eq(fx_find_event(K_EV_THREAD_SPAWN, &ev), 1);
    ck_assert_uint_eq(ev.actor_tid, thread_tid(t));
    ck_assert_uint_eq(ev.peer_tid, thread_tid(nt));
    ck_assert_uint_eq(ev.a[0], 40);
    /* It runs when the scheduler gets to it: once its creator blocks. */
    ms_handle_t ep = fx_endpoint(task, MS_RIGHT_RECV);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_RECV, args(ep, 0, 0)), MS_OK);
    ck_assert_int_eq(t->state, THREAD_BLOCKED_RECV);
    ck_assert_ptr_eq(fx_schedule(), nt);
}
END_TEST

START_TEST(thread_create_at_the_creators_priority)
{
    fx_reset();
    thread_t *t = running("app", 255);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_THREAD_CREATE, create_args(MS_HANDLE_SELF, t->task, 255)), MS_OK);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_THREAD_CREATE, create_args(MS_HANDLE_SELF, t->task, 0)), MS_OK);
    ck_assert_uint_eq(t->task->nthreads, 3);
}
END_TEST

START_TEST(thread_create_in_another_task)
{
    fx_reset();
    thread_t *t = running("parent", 100);
    task_t *child = fx_task("child", 100);
    ms_handle_t h = fx_share(t->task, child, MS_HANDLE_SELF, MS_RIGHT_CONTROL, 0);
    /* The stack and IPC buffer are checked against the target's memory. */
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_THREAD_CREATE, create_args(h, t->task, 50)), MS_E_FAULT);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_THREAD_CREATE, create_args(h, child, 50)), MS_OK);
    thread_t *nt = K_CONTAINER_OF(entry_of(t->task, t->regs.rdi)->obj, thread_t, obj);
    ck_assert_ptr_eq(nt->task, child);
    ck_assert_uint_eq(child->nthreads, 1);
    ck_assert_uint_eq(t->task->nthreads, 1);
}
END_TEST

START_TEST(thread_create_needs_control_of_a_task)
{
    fx_reset();
    thread_t *t = running("parent", 100);
    task_t *child = fx_task("child", 100);
    ms_handle_t weak = fx_share(t->task, child, MS_HANDLE_SELF, MS_RIGHTS_ALL & ~MS_RIGHT_CONTROL, 0);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_THREAD_CREATE, create_args(weak, child, 50)), MS_E_RIGHTS);
    ms_handle_t ep = fx_endpoint(t->task, MS_RIGHTS_ALL);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_THREAD_CREATE, create_args(ep, t->task, 50)), MS_E_BADHANDLE);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_THREAD_CREATE, create_args(30, t->task, 50)), MS_E_BADHANDLE);
}
END_TEST

START_TEST(thread_create_above_the_creators_priority)
{
    fx_reset();
    thread_t *t = running("app", 100);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_THREAD_CREATE, create_args(MS_HANDLE_SELF, t->task, 101)),
                      MS_E_RIGHTS);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_THREAD_CREATE, create_args(MS_HANDLE_SELF, t->task, 255)),
                      MS_E_RIGHTS);
}
END_TEST

START_TEST(thread_create_priority_out_of_range)
{
    fx_reset();
    thread_t *t = running("app", 255);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_THREAD_CREATE, create_args(MS_HANDLE_SELF, t->task, 256)),
                      MS_E_INVAL);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_THREAD_CREATE, create_args(MS_HANDLE_SELF, t->task, 256 + 100)),
                      MS_E_INVAL);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_THREAD_CREATE, create_args(MS_HANDLE_SELF, t->task, UINT64_MAX)),
                      MS_E_INVAL);
}
END_TEST

START_TEST(thread_create_stack_outside_the_task_faults)
{
    fx_reset();
    thread_t *t = running("app", 100);
    task_t *task = t->task;
    arch_regs_t r = create_args(MS_HANDLE_SELF, task, 50);
    r.rdx = mem_base(task) - 4096;
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_THREAD_CREATE, r), MS_E_FAULT);
    r.rdx = mem_end(task) - 2048; /* straddles the end */
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_THREAD_CREATE, r), MS_E_FAULT);
    r.rdx = UINT64_MAX - 1024; /* wraps around */
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_THREAD_CREATE, r), MS_E_FAULT);
    r.rdx = mem_base(task);
    r.r10 = UINT64_MAX - 8;
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_THREAD_CREATE, r), MS_E_FAULT);
    /* Right up to the end is fine. */
    r.rdx = mem_end(task) - 4096;
    r.r10 = 4096;
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_THREAD_CREATE, r), MS_OK);
}
END_TEST

START_TEST(thread_create_ipc_buffer_outside_the_task_faults)
{
    fx_reset();
    thread_t *t = running("app", 100);
    task_t *task = t->task;
    arch_regs_t r = create_args(MS_HANDLE_SELF, task, 50);
    r.r8 = mem_end(task);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_THREAD_CREATE, r), MS_E_FAULT);
    r.r8 = mem_end(task) - MS_IPC_BUFFER_SIZE + 8; /* its last bytes stick out */
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_THREAD_CREATE, r), MS_E_FAULT);
    r.r8 = 0;
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_THREAD_CREATE, r), MS_E_FAULT);
    r.r8 = mem_end(task) - MS_IPC_BUFFER_SIZE;
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_THREAD_CREATE, r), MS_OK);
}
END_TEST

START_TEST(thread_create_small_stack_or_misaligned_buffer_is_invalid)
{
    fx_reset();
    thread_t *t = running("app", 100);
    arch_regs_t r = create_args(MS_HANDLE_SELF, t->task, 50);
    r.r10 = 1023;
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_THREAD_CREATE, r), MS_E_INVAL);
    r.r10 = 0;
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_THREAD_CREATE, r), MS_E_INVAL);
    r = create_args(MS_HANDLE_SELF, t->task, 50);
    r.r8 += 4;
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_THREAD_CREATE, r), MS_E_INVAL);
    r.r8 -= 3;
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_THREAD_CREATE, r), MS_E_INVAL);
    r = create_args(MS_HANDLE_SELF, t->task, 50);
    r.rsi = 0;
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_THREAD_CREATE, r), MS_E_INVAL);
    /* The smallest stack is accepted. */
    r = create_args(MS_HANDLE_SELF, t->task, 50);
    r.r10 = 1024;
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_THREAD_CREATE, r), MS_OK);
}
END_TEST

START_TEST(thread_create_in_an_ended_task_is_dead)
{
    fx_reset();
    thread_t *t = running("parent", 100);
    thread_t *c = fx_spawn("child", 100);
    ms_handle_t h = fx_share(t->task, c->task, MS_HANDLE_SELF, MS_RIGHT_CONTROL, 0);
    task_end(c->task, TASK_KILLED, -1);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_THREAD_CREATE, create_args(h, c->task, 50)), MS_E_DEAD);
}
END_TEST

START_TEST(thread_create_with_empty_pool_is_nomem)
{
    fx_reset();
    thread_t *t = running("app", 100);
    uintptr_t base = mem_base(t->task);
    while (live_threads() < thread_pool_size())
        ck_assert_ptr_nonnull(thread_create(t->task, ENTRY, base + 16384, base + 20480, base + 8192, 0, 1));
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_THREAD_CREATE, create_args(MS_HANDLE_SELF, t->task, 50)),
                      MS_E_NOMEM);
}
END_TEST

START_TEST(thread_create_with_full_table_leaves_no_thread)
{
    fx_reset();
    thread_t *t = running("app", 100);
    fill_handles(t->task);
    unsigned threads = live_threads();
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_THREAD_CREATE, create_args(MS_HANDLE_SELF, t->task, 50)),
                      MS_E_FULL);
    ck_assert_uint_eq(live_threads(), threads);
    ck_assert_uint_eq(t->task->nthreads, 1);
    ck_assert_int_eq(t->task->state, TASK_ALIVE);
}
END_TEST

/* A task's max_prio is the highest priority its threads may have: a creator
 * of higher priority still cannot put a thread above it. */
START_TEST(thread_create_above_the_tasks_max_priority)
{
    fx_reset();
    thread_t *t = running("parent", 200);
    task_t *child = fx_task("child", 50);
    ck_assert_uint_eq(child->max_prio, 50);
    ms_handle_t h = fx_share(t->task, child, MS_HANDLE_SELF, MS_RIGHT_CONTROL, 0);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_THREAD_CREATE, create_args(h, child, 150)), MS_E_RIGHTS);
}
END_TEST

START_TEST(thread_exit_ends_only_the_thread)
{
    fx_reset();
    thread_t *a = running("app", 10);
    thread_t *b = fx_thread(a->task, 10);
    fx_drop_events();
    ck_assert_uint_eq(fx_syscall(a, MS_SYS_THREAD_EXIT, args(0, 0, 0)), MS_OK);
    ck_assert_int_eq(a->state, THREAD_DEAD);
    ck_assert_int_eq(a->task->state, TASK_ALIVE);
    ck_assert_uint_eq(a->task->nthreads, 1);
    k_trace_event_t ev;
    ck_assert_int_eq(fx_find_event(K_EV_THREAD_EXIT, &ev), 1);
    ck_assert_uint_eq(ev.actor_tid, thread_tid(a));
    ck_assert_uint_eq(ev.a[0], 0);
    ck_assert_int_eq(fx_find_event(K_EV_TASK_EXIT, &ev), 0);
    ck_assert_ptr_eq(fx_schedule(), b);
    ck_assert_ptr_null(thread_pool_at(0)); /* a was reaped: its slot is free */
}
END_TEST

START_TEST(thread_exit_of_the_last_thread_ends_the_task)
{
    fx_reset();
    thread_t *t = running("app", 10);
    fx_endpoint(t->task, MS_RIGHT_SEND);
    fx_drop_events();
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_THREAD_EXIT, args(0, 0, 0)), MS_OK);
    ck_assert_int_eq(t->state, THREAD_DEAD);
    ck_assert_int_eq(t->task->state, TASK_EXITED);
    ck_assert_int_eq(t->task->status, 0);
    ck_assert_uint_eq(t->task->handles.used, 0);
    k_trace_event_t ev;
    ck_assert_int_eq(fx_find_event(K_EV_TASK_EXIT, &ev), 1);
    ck_assert_uint_eq(ev.actor_tid, thread_tid(t));
    ck_assert_uint_eq(ev.a[0], 0);
    ck_assert_ptr_null(fx_schedule());
}
END_TEST

START_TEST(exit_ends_the_task_with_its_status)
{
    fx_reset();
    thread_t *t = running("app", 10);
    thread_t *other = fx_thread(t->task, 10);
    ms_handle_t ep = fx_endpoint(t->task, MS_RIGHT_SEND | MS_RIGHT_RECV);
    kobject_t *obj = entry_of(t->task, ep)->obj;
    fx_drop_events();
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_EXIT, args(7, 0, 0)), MS_OK);
    task_t *task = t->task;
    ck_assert_int_eq(task->state, TASK_EXITED);
    ck_assert_int_eq(task->status, 7);
    ck_assert_int_eq(t->state, THREAD_DEAD);
    ck_assert_int_eq(other->state, THREAD_DEAD);
    ck_assert_uint_eq(task->nthreads, 0);
    ck_assert_uint_eq(task->handles.used, 0);
    ck_assert_uint_eq(obj->type, KOBJ_NONE);
    ck_assert_uint_eq(sched_queue_length(10), 0);
    k_trace_event_t ev;
    ck_assert_int_eq(fx_find_event(K_EV_TASK_EXIT, &ev), 1);
    ck_assert_uint_eq(ev.actor_tid, thread_tid(t));
    ck_assert_uint_eq(ev.a[0], 7);
    ck_assert_ptr_null(fx_schedule());
}
END_TEST

START_TEST(exit_status_is_signed)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_EXIT, args((uint64_t)-3, 0, 0)), MS_OK);
    ck_assert_int_eq(t->task->status, -3);
}
END_TEST

START_TEST(exit_kills_threads_blocked_in_ipc)
{
    fx_reset();
    thread_t *t = running("app", 10);
    thread_t *waiter = fx_thread(t->task, 10);
    ms_handle_t ep = fx_endpoint(t->task, MS_RIGHT_SEND | MS_RIGHT_RECV);
    fx_run(waiter);
    ck_assert_uint_eq(fx_syscall(waiter, MS_SYS_RECV, args(ep, 0, 0)), MS_OK);
    ck_assert_int_eq(waiter->state, THREAD_BLOCKED_RECV);
    fx_run(t);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_EXIT, args(0, 0, 0)), MS_OK);
    ck_assert_int_eq(waiter->state, THREAD_DEAD);
    ck_assert_int_eq(t->task->state, TASK_EXITED);
}
END_TEST

START_TEST(yield_lets_an_equal_priority_thread_run)
{
    fx_reset();
    thread_t *a = running("a", 10);
    thread_t *b = fx_spawn("b", 10);
    ck_assert_uint_eq(fx_syscall(a, MS_SYS_YIELD, args(0, 0, 0)), MS_OK);
    ck_assert_int_eq(a->state, THREAD_READY);
    ck_assert_ptr_eq(fx_schedule(), b);
}
END_TEST

/* ---- kill ---- */

/* A server task whose thread holds the pending reply of a client's call. */
typedef struct victim {
    thread_t *server, *client;
} victim_t;

static victim_t victim_with_caller(void)
{
    victim_t v;
    v.server = fx_spawn("victim", 10);
    v.client = fx_spawn("client", 10);
    ms_handle_t hs = fx_endpoint(v.server->task, MS_RIGHT_SEND | MS_RIGHT_RECV);
    ms_handle_t hc = fx_share(v.client->task, v.server->task, hs, MS_RIGHT_SEND, 0);
    fx_run(v.server);
    ck_assert_uint_eq(fx_syscall(v.server, MS_SYS_RECV, args(hs, 0, 0)), MS_OK);
    fx_run(v.client);
    ck_assert_uint_eq(fx_syscall(v.client, MS_SYS_CALL, fx_msg(hc, 1, 0, NULL)), MS_OK);
    ck_assert_int_eq(v.client->state, THREAD_BLOCKED_REPLY);
    return v;
}

START_TEST(kill_a_task_ends_it_and_wakes_its_callers)
{
    fx_reset();
    victim_t v = victim_with_caller();
    thread_t *killer = running("killer", 10);
    ms_handle_t h = fx_share(killer->task, v.server->task, MS_HANDLE_SELF, MS_RIGHT_CONTROL, 0);
    fx_drop_events();
    ck_assert_uint_eq(fx_syscall(killer, MS_SYS_KILL, args(h, 0, 0)), MS_OK);
    task_t *task = v.server->task;
    ck_assert_int_eq(task->state, TASK_KILLED);
    ck_assert_int_eq(task->status, -1);
    ck_assert_int_eq(v.server->state, THREAD_DEAD);
    ck_assert_uint_eq(task->handles.used, 0);
    ck_assert_int_eq(v.client->state, THREAD_READY);
    ck_assert_uint_eq(v.client->regs.rax, MS_E_DEAD);
    ck_assert_ptr_null(v.client->reply_from);
    ck_assert_int_eq(killer->state, THREAD_RUNNING);
    k_trace_event_t ev;
    ck_assert_int_eq(fx_find_event(K_EV_TASK_KILL, &ev), 1);
    ck_assert_uint_eq(ev.actor_tid, thread_tid(killer));
    ck_assert_uint_eq(ev.peer_tid, thread_tid(v.server));
    ck_assert_uint_eq(ev.a[0], task->obj.id);
    ck_assert_uint_eq(ev.a[1], K_REASON_KILLED);
}
END_TEST

START_TEST(kill_needs_control)
{
    fx_reset();
    victim_t v = victim_with_caller();
    thread_t *killer = running("killer", 10);
    ms_handle_t weak = fx_share(killer->task, v.server->task, MS_HANDLE_SELF, MS_RIGHTS_ALL & ~MS_RIGHT_CONTROL, 0);
    ck_assert_uint_eq(fx_syscall_rejected(killer, MS_SYS_KILL, args(weak, 0, 0)), MS_E_RIGHTS);
    ck_assert_uint_eq(fx_syscall_rejected(killer, MS_SYS_KILL, args(40, 0, 0)), MS_E_BADHANDLE);
}
END_TEST

START_TEST(kill_of_an_endpoint_is_a_bad_handle)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ms_handle_t ep = fx_endpoint(t->task, MS_RIGHTS_ALL);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_KILL, args(ep, 0, 0)), MS_E_BADHANDLE);
}
END_TEST

START_TEST(kill_a_thread_leaves_its_task_alive)
{
    fx_reset();
    thread_t *killer = running("killer", 10);
    thread_t *a = fx_spawn("victim", 10);
    thread_t *b = fx_thread(a->task, 10);
    ms_handle_t h;
    ck_assert_int_eq(handle_install(&killer->task->handles, &b->obj, MS_RIGHT_CONTROL, 0, &h), MS_OK);
    fx_drop_events();
    ck_assert_uint_eq(fx_syscall(killer, MS_SYS_KILL, args(h, 0, 0)), MS_OK);
    ck_assert_int_eq(b->state, THREAD_DEAD);
    ck_assert_int_eq(a->state, THREAD_READY);
    ck_assert_int_eq(a->task->state, TASK_ALIVE);
    ck_assert_uint_eq(a->task->nthreads, 1);
    k_trace_event_t ev;
    ck_assert_int_eq(fx_find_event(K_EV_THREAD_EXIT, &ev), 1);
    ck_assert_uint_eq(ev.actor_tid, thread_tid(b));
    ck_assert_uint_eq(ev.a[0], 1);
    /* The dead thread is gone from the run queue; the handle still names it. */
    ck_assert_uint_eq(sched_queue_length(10), 1);
    ck_assert_uint_eq(b->obj.type, KOBJ_THREAD);
    /* Killing it again does nothing. */
    fx_drop_events();
    ck_assert_uint_eq(fx_syscall(killer, MS_SYS_KILL, args(h, 0, 0)), MS_OK);
    ck_assert_int_eq(fx_event(&ev), 0);
    ck_assert_uint_eq(a->task->nthreads, 1);
}
END_TEST

START_TEST(kill_the_last_thread_kills_the_task)
{
    fx_reset();
    victim_t v = victim_with_caller();
    thread_t *killer = running("killer", 10);
    ms_handle_t h;
    ck_assert_int_eq(handle_install(&killer->task->handles, &v.server->obj, MS_RIGHT_CONTROL, 0, &h), MS_OK);
    fx_drop_events();
    ck_assert_uint_eq(fx_syscall(killer, MS_SYS_KILL, args(h, 0, 0)), MS_OK);
    ck_assert_int_eq(v.server->task->state, TASK_KILLED);
    ck_assert_int_eq(v.client->state, THREAD_READY);
    ck_assert_uint_eq(v.client->regs.rax, MS_E_DEAD);
    k_trace_event_t ev;
    ck_assert_int_eq(fx_find_event(K_EV_TASK_KILL, &ev), 1);
    ck_assert_uint_eq(ev.a[0], v.server->task->obj.id);
}
END_TEST

START_TEST(kill_a_thread_without_control)
{
    fx_reset();
    thread_t *killer = running("killer", 10);
    thread_t *a = fx_spawn("victim", 10);
    ms_handle_t h;
    ck_assert_int_eq(handle_install(&killer->task->handles, &a->obj, MS_RIGHTS_ALL & ~MS_RIGHT_CONTROL, 0, &h), MS_OK);
    ck_assert_uint_eq(fx_syscall_rejected(killer, MS_SYS_KILL, args(h, 0, 0)), MS_E_RIGHTS);
}
END_TEST

START_TEST(kill_an_ended_task_does_nothing)
{
    fx_reset();
    thread_t *killer = running("killer", 10);
    thread_t *a = fx_spawn("victim", 10);
    ms_handle_t h = fx_share(killer->task, a->task, MS_HANDLE_SELF, MS_RIGHT_CONTROL, 0);
    task_end(a->task, TASK_EXITED, 4);
    fx_drop_events();
    ck_assert_uint_eq(fx_syscall(killer, MS_SYS_KILL, args(h, 0, 0)), MS_OK);
    ck_assert_int_eq(a->task->state, TASK_EXITED);
    ck_assert_int_eq(a->task->status, 4);
    k_trace_event_t ev;
    ck_assert_int_eq(fx_event(&ev), 0);
}
END_TEST

START_TEST(kill_ones_own_task)
{
    fx_reset();
    thread_t *t = running("app", 10);
    thread_t *other = fx_thread(t->task, 10);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_KILL, args(MS_HANDLE_SELF, 0, 0)), MS_OK);
    ck_assert_int_eq(t->task->state, TASK_KILLED);
    ck_assert_int_eq(t->state, THREAD_DEAD);
    ck_assert_int_eq(other->state, THREAD_DEAD);
    ck_assert_ptr_null(fx_schedule());
}
END_TEST

/* ---- clock ---- */

START_TEST(clock_gives_the_time_alarms_count_on)
{
    fx_reset();
    thread_t *t = running("c", 10);
    arch_regs_t r = {.rdi = 12345};
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_CLOCK, r), MS_OK);
    fake_arch_time = 7000;
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_CLOCK, r), MS_OK);
    ck_assert_uint_eq(t->regs.rdi, 7000);
    fake_arch_time = 12000;
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_CLOCK, r), MS_OK);
    ck_assert_uint_eq(t->regs.rdi, 12000);
}
END_TEST

/* ---- trace_net ---- */

START_TEST(trace_net_records_a_packet_event)
{
    fx_reset();
    thread_t *t = running("net", 10);
    fx_drop_events();
    arch_regs_t r = {.rdi = 0x0a000001, .rsi = 7, .rdx = 0x0a000002, .r10 = 9, .r8 = 5};
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_TRACE_NET, r), MS_OK);
    k_trace_event_t ev;
    ck_assert_int_eq(fx_find_event(K_EV_NET_PACKET, &ev), 1);
    ck_assert_uint_eq(ev.actor_tid, thread_tid(t));
    ck_assert_uint_eq(ev.peer_tid, 0);
    ck_assert_uint_eq(ev.a[0], 0x0a000001);
    ck_assert_uint_eq(ev.a[1], 7);
    ck_assert_uint_eq(ev.a[2], 0x0a000002);
    ck_assert_uint_eq(ev.a[3], 9);
    ck_assert_uint_eq(ev.a[4], 5);
    r = (arch_regs_t){.rdi = UINT32_MAX, .rsi = UINT16_MAX, .rdx = UINT32_MAX, .r10 = UINT16_MAX,
                      .r8 = MS_TRACE_NET_LEN_MAX};
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_TRACE_NET, r), MS_OK); /* every limit itself is allowed */
}
END_TEST

START_TEST(trace_net_checks_addresses_ports_and_length)
{
    fx_reset();
    thread_t *t = running("net", 10);
    const arch_regs_t good = {.rdi = 0x0a000001, .rsi = 7, .rdx = 0x0a000002, .r10 = 9, .r8 = 5};
    arch_regs_t r = good;
    r.rdi = 1ull << 32;
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_TRACE_NET, r), MS_E_INVAL);
    r = good;
    r.rsi = 0x10000;
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_TRACE_NET, r), MS_E_INVAL);
    r = good;
    r.rdx = UINT64_MAX;
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_TRACE_NET, r), MS_E_INVAL);
    r = good;
    r.r10 = 0x10000;
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_TRACE_NET, r), MS_E_INVAL);
    r = good;
    r.r8 = MS_TRACE_NET_LEN_MAX + 1;
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_TRACE_NET, r), MS_E_RANGE);
    k_trace_event_t ev;
    ck_assert_int_eq(fx_find_event(K_EV_NET_PACKET, &ev), 0);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("syscall");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, unknown_call_numbers_are_nosys);
    tcase_add_test(tc, error_event_names_call_and_error);
    tcase_add_test(tc, successful_call_records_no_error);
    tcase_add_test(tc, every_call_and_error_has_a_name);
    tcase_add_test(tc, debug_write_over_the_limit_is_out_of_range);
    tcase_add_test(tc, debug_write_of_the_limit_is_accepted);
    tcase_add_test(tc, debug_write_outside_the_task_faults);
    tcase_add_test(tc, debug_write_straddling_the_end_faults);
    tcase_add_test(tc, debug_write_wrapping_around_faults);
    tcase_add_test(tc, debug_write_refused_by_the_hardware_faults);
    tcase_add_test(tc, debug_write_prints_one_event_per_line);
    tcase_add_test(tc, debug_write_splits_long_lines);
    tcase_add_test(tc, debug_write_of_nothing_prints_nothing);
    tcase_add_test(tc, debug_write_keeps_every_byte);
    tcase_add_test(tc, endpoint_create_gives_send_recv_grant);
    tcase_add_test(tc, endpoint_create_with_empty_pool_is_nomem);
    tcase_add_test(tc, endpoint_create_with_full_table_leaks_nothing);
    tcase_add_test(tc, handle_copy_may_drop_rights);
    tcase_add_test(tc, handle_copy_may_not_add_rights);
    tcase_add_test(tc, handle_copy_with_unknown_right_bits_is_invalid);
    tcase_add_test(tc, handle_copy_mints_a_badge_on_an_unbadged_endpoint_handle);
    tcase_add_test(tc, handle_copy_of_a_badged_handle_keeps_the_badge);
    tcase_add_test(tc, handle_copy_may_not_rebadge);
    tcase_add_test(tc, handle_copy_badges_only_endpoints);
    tcase_add_test(tc, handle_copy_of_a_bad_handle);
    tcase_add_test(tc, handle_copy_into_a_full_table);
    tcase_add_test(tc, handle_close_frees_the_handle);
    tcase_add_test(tc, handle_info_reports_type_rights_and_badge);
    tcase_add_test(tc, handle_info_of_a_bad_handle);
    tcase_add_test(tc, thread_create_makes_a_ready_thread);
    tcase_add_test(tc, thread_create_at_the_creators_priority);
    tcase_add_test(tc, thread_create_in_another_task);
    tcase_add_test(tc, thread_create_needs_control_of_a_task);
    tcase_add_test(tc, thread_create_above_the_creators_priority);
    tcase_add_test(tc, thread_create_above_the_tasks_max_priority);
    tcase_add_test(tc, thread_create_priority_out_of_range);
    tcase_add_test(tc, thread_create_stack_outside_the_task_faults);
    tcase_add_test(tc, thread_create_ipc_buffer_outside_the_task_faults);
    tcase_add_test(tc, thread_create_small_stack_or_misaligned_buffer_is_invalid);
    tcase_add_test(tc, thread_create_in_an_ended_task_is_dead);
    tcase_add_test(tc, thread_create_with_empty_pool_is_nomem);
    tcase_add_test(tc, thread_create_with_full_table_leaves_no_thread);
    tcase_add_test(tc, thread_exit_ends_only_the_thread);
    tcase_add_test(tc, thread_exit_of_the_last_thread_ends_the_task);
    tcase_add_test(tc, exit_ends_the_task_with_its_status);
    tcase_add_test(tc, exit_status_is_signed);
    tcase_add_test(tc, exit_kills_threads_blocked_in_ipc);
    tcase_add_test(tc, yield_lets_an_equal_priority_thread_run);
    tcase_add_test(tc, kill_a_task_ends_it_and_wakes_its_callers);
    tcase_add_test(tc, kill_needs_control);
    tcase_add_test(tc, kill_of_an_endpoint_is_a_bad_handle);
    tcase_add_test(tc, kill_a_thread_leaves_its_task_alive);
    tcase_add_test(tc, kill_the_last_thread_kills_the_task);
    tcase_add_test(tc, kill_a_thread_without_control);
    tcase_add_test(tc, kill_an_ended_task_does_nothing);
    tcase_add_test(tc, kill_ones_own_task);
    tcase_add_test(tc, clock_gives_the_time_alarms_count_on);
    tcase_add_test(tc, trace_net_records_a_packet_event);
    tcase_add_test(tc, trace_net_checks_addresses_ports_and_length);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
