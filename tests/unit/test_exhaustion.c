/*
 * Resource exhaustion (the object pools of kernel/object/, the handle tables of
 * kernel/handle.c): creating objects until the kernel has no room ends in an
 * error, never a panic, and the system goes on; flooding an endpoint cannot make the kernel
 * allocate anything, because queues live in the blocked threads.
 */
#include "config.h"
#include "fixture.h"
#include "object/endpoint.h"
#include "sched.h"

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

/* Makes t (of its own task) create endpoints until a call fails; returns the
 * error, and how many it made in *made. */
static uint64_t create_until_error(thread_t *t, unsigned *made)
{
    fx_run(t);
    *made = 0;
    for (;;) {
        uint64_t err = fx_syscall(t, MS_SYS_ENDPOINT_CREATE, (arch_regs_t){0});
        if (err != MS_OK)
            return err;
        ++*made;
    }
}

START_TEST(endpoints_until_the_pool_is_empty)
{
    fx_reset();
    unsigned total = 0, made;
    uint64_t err = MS_E_FULL;
    thread_t *t = NULL;
    /* Each task's table holds 63 more handles; enough tasks empty the pool. */
    for (unsigned i = 0; err == MS_E_FULL; i++) {
        t = fx_spawn("hoarder", 10);
        err = create_until_error(t, &made);
        total += made;
        ck_assert_msg(err == MS_E_FULL || err == MS_E_NOMEM, "endpoint_create failed with %llu",
                      (unsigned long long)err);
    }
    ck_assert_uint_eq(err, MS_E_NOMEM);
    ck_assert_uint_eq(total, K_MAX_ENDPOINTS);
    ck_assert_uint_eq(live_endpoints(), K_MAX_ENDPOINTS);
    /* Still no room, and nothing broke: the call fails the same way again. */
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_ENDPOINT_CREATE, (arch_regs_t){0}), MS_E_NOMEM);
    /* Closing one handle frees its endpoint, and the next create succeeds. */
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_HANDLE_CLOSE, (arch_regs_t){.rdi = 1}), MS_OK);
    ck_assert_uint_eq(live_endpoints(), K_MAX_ENDPOINTS - 1);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_ENDPOINT_CREATE, (arch_regs_t){0}), MS_OK);
}
END_TEST

/* thread_create in its own task, all threads on one (never run) stack. */
static uint64_t create_thread(thread_t *t)
{
    uintptr_t base = t->task->aspace.own.base;
    arch_regs_t r = {.rdi = MS_HANDLE_SELF, .rsi = 0x1000, .rdx = base + 8192, .r10 = 8192, .r8 = base + 4096,
                     .r12 = 1};
    return fx_syscall(t, MS_SYS_THREAD_CREATE, r);
}

START_TEST(threads_until_the_pool_is_empty)
{
    fx_reset();
    enum { SPAWNERS = K_MAX_THREADS / (MS_HANDLES_PER_TASK - 1) + 1 };
    thread_t *spawner[SPAWNERS];
    for (unsigned i = 0; i < SPAWNERS; i++)
        spawner[i] = fx_spawn("spawner", 10);
    uint64_t err = MS_E_FULL;
    thread_t *t = NULL;
    for (unsigned i = 0; i < SPAWNERS && err == MS_E_FULL; i++) {
        t = spawner[i];
        fx_run(t);
        while ((err = create_thread(t)) == MS_OK)
            ;
        ck_assert_msg(err == MS_E_FULL || err == MS_E_NOMEM, "thread_create failed with %llu",
                      (unsigned long long)err);
    }
    ck_assert_uint_eq(err, MS_E_NOMEM);
    ck_assert_uint_eq(live_threads(), K_MAX_THREADS);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_THREAD_CREATE, (arch_regs_t){.rdi = MS_HANDLE_SELF, .rsi = 0x1000,
                                                                                .rdx = t->task->aspace.own.base + 8192,
                                                                                .r10 = 8192,
                                                                                .r8 = t->task->aspace.own.base + 4096,
                                                                                .r12 = 1}),
                      MS_E_NOMEM);
    /* Killing one of its threads makes room for one more. */
    ms_handle_t victim = 1;
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_KILL, (arch_regs_t){.rdi = victim}), MS_OK);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_HANDLE_CLOSE, (arch_regs_t){.rdi = victim}), MS_OK);
    ck_assert_uint_eq(live_threads(), K_MAX_THREADS - 1);
    ck_assert_uint_eq(create_thread(t), MS_OK);
}
END_TEST

/* After the pools ran dry, IPC between two tasks still works. */
START_TEST(ipc_goes_on_when_the_pools_are_empty)
{
    fx_reset();
    thread_t *server = fx_spawn("server", 20);
    thread_t *client = fx_spawn("client", 10);
    ms_handle_t s_ep = fx_endpoint(server->task, MS_RIGHT_RECV);
    ms_handle_t c_ep = fx_share(client->task, server->task, s_ep, MS_RIGHT_SEND, 0);
    unsigned made;
    uint64_t err = MS_E_FULL;
    while (err == MS_E_FULL)
        err = create_until_error(fx_spawn("hoarder", 5), &made);
    ck_assert_uint_eq(err, MS_E_NOMEM);
    fx_run(server);
    ck_assert_uint_eq(fx_syscall(server, MS_SYS_RECV, fx_msg(s_ep, 0, 0, NULL)), MS_OK);
    fx_run(client);
    const uint64_t w[1] = {41};
    ck_assert_uint_eq(fx_syscall(client, MS_SYS_CALL, fx_msg(c_ep, 1, 1, w)), MS_OK);
    ck_assert_ptr_eq(fx_schedule(), server);
    ck_assert_uint_eq(server->regs.mr[0], 41);
    const uint64_t answer[1] = {42};
    ck_assert_uint_eq(fx_syscall(server, MS_SYS_REPLY, fx_msg(0, 1, 1, answer)), MS_OK);
    ck_assert_uint_eq(client->regs.mr[0], 42);
}
END_TEST

/* try_send with nobody receiving fails at once and allocates nothing. */
START_TEST(a_flood_of_try_sends_allocates_nothing)
{
    fx_reset();
    thread_t *t = fx_spawn("flood", 10);
    ms_handle_t h = fx_endpoint(t->task, MS_RIGHTS_ALL);
    fx_run(t);
    unsigned endpoints = live_endpoints(), threads = live_threads();
    for (unsigned i = 0; i < 10000; i++)
        ck_assert_uint_eq(fx_syscall(t, MS_SYS_TRY_SEND, fx_msg(h, i, 0, NULL)), MS_E_WOULDBLOCK);
    ck_assert_uint_eq(live_endpoints(), endpoints);
    ck_assert_uint_eq(live_threads(), threads);
}
END_TEST

/* Blocking senders queue in themselves: the queue is as long as the number
 * of threads, which the thread pool bounds. */
START_TEST(blocked_senders_are_the_queue)
{
    fx_reset();
    thread_t *owner = fx_spawn("owner", 10);
    ms_handle_t h = fx_endpoint(owner->task, MS_RIGHTS_ALL);
    unsigned endpoints = live_endpoints();
    for (unsigned i = 0; i < 50; i++) {
        thread_t *t = fx_spawn("sender", 10);
        ms_handle_t mine = fx_share(t->task, owner->task, h, MS_RIGHT_SEND, 0);
        fx_run(t);
        ck_assert_uint_eq(fx_syscall(t, MS_SYS_SEND, fx_msg(mine, i, 0, NULL)), MS_OK);
        ck_assert_int_eq(t->state, THREAD_BLOCKED_SEND);
    }
    handle_entry_t *e;
    ck_assert_int_eq(handle_lookup(&owner->task->handles, h, KOBJ_ENDPOINT, 0, &e), MS_OK);
    unsigned queued = 0;
    K_LIST_FOREACH(l, &((endpoint_t *)e->obj)->senders)
    queued++;
    ck_assert_uint_eq(queued, 50);
    ck_assert_uint_eq(live_endpoints(), endpoints);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("exhaustion");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, endpoints_until_the_pool_is_empty);
    tcase_add_test(tc, threads_until_the_pool_is_empty);
    tcase_add_test(tc, ipc_goes_on_when_the_pools_are_empty);
    tcase_add_test(tc, a_flood_of_try_sends_allocates_nothing);
    tcase_add_test(tc, blocked_senders_are_the_queue);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
