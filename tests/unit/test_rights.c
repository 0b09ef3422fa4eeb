/*
 * The rights matrix and the bad-handle cases, across every system call that
 * takes a handle (kernel/syscall.c, kernel/ipc.c): each call with each of
 * the 16 combinations of rights on its handle either works (with every right
 * it needs) or fails with MS_E_RIGHTS and changes nothing; and every kind of
 * bad handle gets MS_E_BADHANDLE and changes nothing.
 */
#include "fixture.h"
#include "handle.h"
#include "object/irq.h"
#include "object/notification.h"
#include "sched.h"

#define ALL_COMBINATIONS 16u

/* The caller t (running), a partner p in another task, an endpoint the
 * partner owns, and h: the caller's handle under test. */
typedef struct world {
    thread_t *t, *p;
    ms_handle_t p_ep; /* the partner's handle to the endpoint, all rights */
    ms_handle_t h;
    uint32_t rights;
} world_t;

static world_t make_world(void)
{
    fx_reset();
    world_t w = {0};
    w.t = fx_spawn("caller", 10);
    w.p = fx_spawn("partner", 20);
    w.p_ep = fx_endpoint(w.p->task, MS_RIGHTS_ALL);
    return w;
}

/* The partner waits in recv on the endpoint; the caller runs. */
static void partner_receives(world_t *w)
{
    fx_run(w->p);
    ck_assert_uint_eq(fx_syscall(w->p, MS_SYS_RECV, fx_msg(w->p_ep, 0, 0, NULL)), MS_OK);
    fx_run(w->t);
}

/* The partner waits in send on the endpoint with w0 = 77; the caller runs. */
static void partner_sends(world_t *w)
{
    fx_run(w->p);
    const uint64_t words[1] = {77};
    ck_assert_uint_eq(fx_syscall(w->p, MS_SYS_SEND, fx_msg(w->p_ep, 9, 1, words)), MS_OK);
    fx_run(w->t);
}

static void endpoint_handle(world_t *w, void (*partner)(world_t *))
{
    w->h = fx_share(w->t->task, w->p->task, w->p_ep, w->rights, 0);
    partner(w);
}

static void setup_send(world_t *w) { endpoint_handle(w, partner_receives); }
static void setup_recv(world_t *w) { endpoint_handle(w, partner_sends); }

static void setup_own_task(world_t *w)
{
    w->h = fx_share(w->t->task, w->t->task, MS_HANDLE_SELF, w->rights, 0);
    fx_run(w->t);
}

static void setup_partner_task(world_t *w)
{
    w->h = fx_share(w->t->task, w->p->task, MS_HANDLE_SELF, w->rights, 0);
    fx_run(w->t);
}

static void setup_partner_thread(world_t *w)
{
    ms_handle_t all;
    ck_assert_int_eq(handle_install(&w->t->task->handles, &w->p->obj, MS_RIGHTS_ALL, 0, &all), MS_OK);
    w->h = fx_share(w->t->task, w->t->task, all, w->rights, 0);
    ck_assert_int_eq(handle_close(&w->t->task->handles, all), MS_OK);
    fx_run(w->t);
}

static arch_regs_t message(world_t *w)
{
    const uint64_t words[1] = {5};
    return fx_msg(w->h, 1, 1, words);
}

static arch_regs_t message_with_handle(world_t *w)
{
    arch_regs_t r = message(w);
    r.rsi = ms_info(1, 1, 0, 1);
    r.rbx = MS_HANDLE_SELF;
    return r;
}

static arch_regs_t just_handle(world_t *w)
{
    return (arch_regs_t){.rdi = w->h};
}

static arch_regs_t create_in_own_task(world_t *w)
{
    uintptr_t base = w->t->task->aspace.own.base;
    return (arch_regs_t){.rdi = w->h, .rsi = 0x1000, .rdx = base + 8192, .r10 = 8192, .r8 = base + 4096, .r12 = 5};
}

static void sent(world_t *w)
{
    ck_assert_int_eq(w->p->state, THREAD_READY);
    ck_assert_uint_eq(w->p->regs.mr[0], 5);
}

static void called(world_t *w)
{
    ck_assert_int_eq(w->t->state, THREAD_BLOCKED_REPLY);
    ck_assert_ptr_eq(w->p->reply_to, w->t);
}

static void sent_a_handle(world_t *w)
{
    sent(w);
    ck_assert(ms_info_has_handle(w->p->regs.rsi));
}

static void received(world_t *w)
{
    ck_assert_int_eq(w->t->state, THREAD_RUNNING);
    ck_assert_uint_eq(w->t->regs.mr[0], 77);
    ck_assert_int_eq(w->p->state, THREAD_READY);
}

static void thread_created(world_t *w)
{
    ck_assert_uint_eq(w->t->task->nthreads, 2);
}

static void partner_killed(world_t *w)
{
    ck_assert_int_eq(w->p->state, THREAD_DEAD);
    ck_assert_int_eq(w->p->task->state, TASK_KILLED);
}

/* The caller's handle to a notification the partner owns and has signalled
 * with 0x42; the caller also holds one with every right in ntfn_all. */
static ms_handle_t ntfn_all;

static void setup_notification(world_t *w)
{
    fx_run(w->p);
    ck_assert_uint_eq(fx_syscall(w->p, MS_SYS_NOTIFICATION_CREATE, (arch_regs_t){0}), MS_OK);
    ms_handle_t p_n = (ms_handle_t)w->p->regs.rdi;
    ck_assert_uint_eq(fx_syscall(w->p, MS_SYS_SIGNAL, (arch_regs_t){.rdi = p_n, .rsi = 0x42}), MS_OK);
    w->h = fx_share(w->t->task, w->p->task, p_n, w->rights, 0);
    ntfn_all = fx_share(w->t->task, w->p->task, p_n, MS_RIGHTS_ALL, 0);
    fx_run(w->t);
}

/* The caller's handle to IRQ line 5 and a notification with every right. */
static void setup_irq(world_t *w)
{
    setup_notification(w);
    ck_assert_int_eq(handle_install(&w->t->task->handles, &irq_line_get(5)->obj, w->rights, 0, &w->h), MS_OK);
}

static void setup_bound_irq(world_t *w)
{
    setup_irq(w);
    irq_line_t *irq = irq_line_get(5);
    notification_t *n = K_CONTAINER_OF(w->t->task->handles.slot[ntfn_all].obj, notification_t, obj);
    irq_bind(irq, n, 1);
    irq->awaiting_ack = 1; /* as after an interrupt */
}

static arch_regs_t signal_bits(world_t *w)
{
    return (arch_regs_t){.rdi = w->h, .rsi = 0x8};
}

static arch_regs_t bind_to_ntfn(world_t *w)
{
    return (arch_regs_t){.rdi = w->h, .rsi = ntfn_all, .rdx = 1};
}

static arch_regs_t handler_is_ntfn_owner(world_t *w)
{
    ms_handle_t ep = fx_endpoint(w->t->task, MS_RIGHTS_ALL);
    return (arch_regs_t){.rdi = w->h, .rsi = ep};
}

static void signalled(world_t *w)
{
    notification_t *n = K_CONTAINER_OF(w->t->task->handles.slot[w->h].obj, notification_t, obj);
    ck_assert_uint_eq(n->word, 0x42 | 0x8);
}

static void took_bits(world_t *w)
{
    ck_assert_uint_eq(w->t->regs.rdi, 0x42);
}

static void bound(world_t *w)
{
    (void)w;
    ck_assert_ptr_nonnull(irq_line_get(5)->ntfn);
}

static void acknowledged(world_t *w)
{
    (void)w;
    ck_assert_int_eq(irq_line_get(5)->awaiting_ack, 0);
}

static void handler_set(world_t *w)
{
    ck_assert_ptr_nonnull(w->t->task->fault_ep);
}

typedef struct rights_case {
    const char *name;
    uint64_t nr;
    uint32_t needed;
    void (*setup)(world_t *w);
    arch_regs_t (*regs)(world_t *w);
    void (*worked)(world_t *w);
} rights_case_t;

static const rights_case_t cases[] = {
    {"send", MS_SYS_SEND, MS_RIGHT_SEND, setup_send, message, sent},
    {"try_send", MS_SYS_TRY_SEND, MS_RIGHT_SEND, setup_send, message, sent},
    {"call", MS_SYS_CALL, MS_RIGHT_SEND, setup_send, message, called},
    {"send with a handle", MS_SYS_SEND, MS_RIGHT_SEND | MS_RIGHT_GRANT, setup_send, message_with_handle,
     sent_a_handle},
    {"call with a handle", MS_SYS_CALL, MS_RIGHT_SEND | MS_RIGHT_GRANT, setup_send, message_with_handle, called},
    {"recv", MS_SYS_RECV, MS_RIGHT_RECV, setup_recv, just_handle, received},
    {"try_recv", MS_SYS_TRY_RECV, MS_RIGHT_RECV, setup_recv, just_handle, received},
    {"reply_recv", MS_SYS_REPLY_RECV, MS_RIGHT_RECV, setup_recv, just_handle, received},
    {"thread_create", MS_SYS_THREAD_CREATE, MS_RIGHT_CONTROL, setup_own_task, create_in_own_task, thread_created},
    {"kill a task", MS_SYS_KILL, MS_RIGHT_CONTROL, setup_partner_task, just_handle, partner_killed},
    {"kill a thread", MS_SYS_KILL, MS_RIGHT_CONTROL, setup_partner_thread, just_handle, partner_killed},
    {"signal", MS_SYS_SIGNAL, MS_RIGHT_SEND, setup_notification, signal_bits, signalled},
    {"wait", MS_SYS_WAIT, MS_RIGHT_RECV, setup_notification, just_handle, took_bits},
    {"poll", MS_SYS_POLL, MS_RIGHT_RECV, setup_notification, just_handle, took_bits},
    {"irq_bind", MS_SYS_IRQ_BIND, MS_RIGHT_CONTROL, setup_irq, bind_to_ntfn, bound},
    {"irq_ack", MS_SYS_IRQ_ACK, MS_RIGHT_CONTROL, setup_bound_irq, just_handle, acknowledged},
    {"fault_handler", MS_SYS_FAULT_HANDLER, MS_RIGHT_CONTROL, setup_own_task, handler_is_ntfn_owner, handler_set},
};

/* Case _i of the table with all 16 combinations of rights on its handle. */
START_TEST(rights_matrix)
{
    const rights_case_t *c = &cases[_i];
    for (uint32_t rights = 0; rights < ALL_COMBINATIONS; rights++) {
        world_t w = make_world();
        w.rights = rights;
        c->setup(&w);
        if ((rights & c->needed) == c->needed) {
            ck_assert_msg(fx_syscall(w.t, c->nr, c->regs(&w)) == MS_OK, "%s with rights 0x%x failed", c->name,
                          rights);
            c->worked(&w);
        } else {
            ck_assert_msg(fx_syscall_rejected(w.t, c->nr, c->regs(&w)) == MS_E_RIGHTS,
                          "%s with rights 0x%x did not fail with E_RIGHTS", c->name, rights);
        }
    }
}
END_TEST

/* A reply may carry a handle only if the server received the call through
 * a handle with the grant right. */
START_TEST(reply_with_a_handle_needs_grant_on_the_receive_handle)
{
    for (uint32_t rights = MS_RIGHT_RECV; rights < ALL_COMBINATIONS; rights++) {
        if (!(rights & MS_RIGHT_RECV))
            continue;
        world_t w = make_world();
        ms_handle_t server_h = fx_share(w.t->task, w.p->task, w.p_ep, rights, 0);
        fx_run(w.t);
        ck_assert_uint_eq(fx_syscall(w.t, MS_SYS_RECV, fx_msg(server_h, 0, 0, NULL)), MS_OK);
        fx_run(w.p);
        ck_assert_uint_eq(fx_syscall(w.p, MS_SYS_CALL, fx_msg(w.p_ep, 1, 0, NULL)), MS_OK);
        fx_run(w.t);
        arch_regs_t reply = {.rsi = ms_info(2, 0, 0, 1), .rbx = MS_HANDLE_SELF};
        if (rights & MS_RIGHT_GRANT) {
            ck_assert_uint_eq(fx_syscall(w.t, MS_SYS_REPLY, reply), MS_OK);
            ck_assert(ms_info_has_handle(w.p->regs.rsi));
        } else {
            ck_assert_uint_eq(fx_syscall_rejected(w.t, MS_SYS_REPLY, reply), MS_E_RIGHTS);
            ck_assert_int_eq(w.p->state, THREAD_BLOCKED_REPLY);
        }
    }
}
END_TEST

/* handle_copy needs no right, but the copy's rights must be a subset. */
START_TEST(handle_copy_keeps_or_drops_rights_never_adds)
{
    for (uint32_t held = 0; held < ALL_COMBINATIONS; held++) {
        for (uint32_t asked = 0; asked < ALL_COMBINATIONS; asked++) {
            world_t w = make_world();
            w.h = fx_share(w.t->task, w.p->task, w.p_ep, held, 0);
            fx_run(w.t);
            arch_regs_t r = {.rdi = w.h, .rsi = asked};
            if ((asked & held) == asked) {
                ck_assert_uint_eq(fx_syscall(w.t, MS_SYS_HANDLE_COPY, r), MS_OK);
                handle_entry_t *e;
                ck_assert_int_eq(handle_lookup(&w.t->task->handles, w.t->regs.rdi, KOBJ_ENDPOINT, 0, &e), MS_OK);
                ck_assert_uint_eq(e->rights, asked);
            } else {
                ck_assert_uint_eq(fx_syscall_rejected(w.t, MS_SYS_HANDLE_COPY, r), MS_E_RIGHTS);
            }
        }
    }
}
END_TEST

/* handle_close and handle_info need no right at all. */
START_TEST(close_and_info_work_with_any_rights)
{
    for (uint32_t rights = 0; rights < ALL_COMBINATIONS; rights++) {
        world_t w = make_world();
        w.h = fx_share(w.t->task, w.p->task, w.p_ep, rights, 0);
        fx_run(w.t);
        ck_assert_uint_eq(fx_syscall(w.t, MS_SYS_HANDLE_INFO, just_handle(&w)), MS_OK);
        ck_assert_uint_eq(w.t->regs.rsi, rights);
        ck_assert_uint_eq(fx_syscall(w.t, MS_SYS_HANDLE_CLOSE, just_handle(&w)), MS_OK);
        handle_entry_t *e;
        ck_assert_int_eq(handle_lookup(&w.t->task->handles, w.h, KOBJ_NONE, 0, &e), MS_E_BADHANDLE);
    }
}
END_TEST

/* ---- bad handles ---- */

/* Every call that takes a handle in rdi, with otherwise valid arguments. */
static const uint64_t handle_calls[] = {
    MS_SYS_SEND,        MS_SYS_TRY_SEND,    MS_SYS_RECV,         MS_SYS_TRY_RECV,      MS_SYS_CALL, MS_SYS_REPLY_RECV,
    MS_SYS_HANDLE_COPY, MS_SYS_HANDLE_CLOSE, MS_SYS_HANDLE_INFO, MS_SYS_THREAD_CREATE, MS_SYS_KILL,
    MS_SYS_FAULT_HANDLER, MS_SYS_SIGNAL, MS_SYS_WAIT, MS_SYS_POLL, MS_SYS_IRQ_BIND, MS_SYS_IRQ_ACK,
};
#define NCALLS (sizeof handle_calls / sizeof handle_calls[0])

static arch_regs_t valid_args(world_t *w, uint64_t nr, uint64_t h)
{
    w->h = (ms_handle_t)h;
    arch_regs_t r = nr == MS_SYS_THREAD_CREATE ? create_in_own_task(w) : message(w);
    r.rdi = h;
    return r;
}

static void expect_bad_handle(uint64_t nr, uint64_t h, world_t *w, const char *kind)
{
    ck_assert_msg(fx_syscall_rejected(w->t, nr, valid_args(w, nr, h)) == MS_E_BADHANDLE,
                  "call %llu with %s handle %llu did not give E_BADHANDLE", (unsigned long long)nr, kind,
                  (unsigned long long)h);
}

START_TEST(never_allocated_handles)
{
    world_t w = make_world();
    fx_run(w.t);
    for (unsigned i = 0; i < NCALLS; i++)
        expect_bad_handle(handle_calls[i], 40, &w, "a never allocated");
}
END_TEST

START_TEST(closed_handles)
{
    world_t w = make_world();
    fx_run(w.t);
    ms_handle_t h = fx_endpoint(w.t->task, MS_RIGHTS_ALL);
    ck_assert_uint_eq(fx_syscall(w.t, MS_SYS_HANDLE_CLOSE, (arch_regs_t){.rdi = h}), MS_OK);
    for (unsigned i = 0; i < NCALLS; i++)
        expect_bad_handle(handle_calls[i], h, &w, "a closed");
}
END_TEST

START_TEST(out_of_range_handles)
{
    static const uint64_t far[] = {MS_HANDLES_PER_TASK, MS_HANDLES_PER_TASK + 1, 1000, 1ull << 32, UINT64_MAX};
    world_t w = make_world();
    fx_run(w.t);
    for (unsigned i = 0; i < NCALLS; i++)
        for (unsigned j = 0; j < sizeof far / sizeof far[0]; j++)
            expect_bad_handle(handle_calls[i], far[j], &w, "an out of range");
}
END_TEST

/* A number that is a live handle in another task means nothing here. */
START_TEST(another_tasks_handle_numbers)
{
    world_t w = make_world();
    fx_run(w.t);
    ck_assert_uint_eq(w.p->task->handles.slot[w.p_ep].obj != NULL, 1);
    ck_assert_ptr_null(w.t->task->handles.slot[w.p_ep].obj);
    for (unsigned i = 0; i < NCALLS; i++)
        expect_bad_handle(handle_calls[i], w.p_ep, &w, "another task's");
}
END_TEST

/* IPC calls on a task handle, thread_create and kill on an endpoint handle
 * (all rights held, so only the type is wrong). */
START_TEST(wrong_type_handles)
{
    world_t w = make_world();
    fx_run(w.t);
    ms_handle_t ep = fx_endpoint(w.t->task, MS_RIGHTS_ALL);
    for (unsigned i = 0; i < NCALLS; i++) {
        uint64_t nr = handle_calls[i];
        if (nr == MS_SYS_HANDLE_COPY || nr == MS_SYS_HANDLE_CLOSE || nr == MS_SYS_HANDLE_INFO)
            continue; /* any type will do */
        uint64_t wrong =
            nr == MS_SYS_THREAD_CREATE || nr == MS_SYS_KILL || nr == MS_SYS_FAULT_HANDLER ? ep : MS_HANDLE_SELF;
        expect_bad_handle(nr, wrong, &w, "a wrong-type");
    }
}
END_TEST

/* The handle to transfer (rbx) is checked like the one in rdi. */
START_TEST(bad_handle_to_transfer)
{
    static const uint64_t bad[] = {40, MS_HANDLES_PER_TASK, UINT64_MAX};
    world_t w = make_world();
    w.rights = MS_RIGHTS_ALL;
    setup_send(&w);
    for (unsigned j = 0; j < sizeof bad / sizeof bad[0]; j++) {
        arch_regs_t r = message_with_handle(&w);
        r.rbx = bad[j];
        ck_assert_uint_eq(fx_syscall_rejected(w.t, MS_SYS_SEND, r), MS_E_BADHANDLE);
        ck_assert_uint_eq(fx_syscall_rejected(w.t, MS_SYS_CALL, r), MS_E_BADHANDLE);
    }
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("rights");
    TCase *matrix = tcase_create("matrix");
    tcase_add_loop_test(matrix, rights_matrix, 0, sizeof cases / sizeof cases[0]);
    tcase_add_test(matrix, reply_with_a_handle_needs_grant_on_the_receive_handle);
    tcase_add_test(matrix, handle_copy_keeps_or_drops_rights_never_adds);
    tcase_add_test(matrix, close_and_info_work_with_any_rights);
    suite_add_tcase(s, matrix);
    TCase *bad = tcase_create("bad_handles");
    tcase_add_test(bad, never_allocated_handles);
    tcase_add_test(bad, closed_handles);
    tcase_add_test(bad, out_of_range_handles);
    tcase_add_test(bad, another_tasks_handle_numbers);
    tcase_add_test(bad, wrong_type_handles);
    tcase_add_test(bad, bad_handle_to_transfer);
    suite_add_tcase(s, bad);
    return s;
}

CHECK_MAIN(make_suite)
