/* Unit tests of the invariant checker: it passes consistent states and names each broken one. */
#include <stdio.h>
#include <string.h>

#include "cpu.h"
#include "fixture.h"
#include "handle.h"
#include "invariants.h"
#include "object/endpoint.h"
#include "sched.h"

/* A small live system: a server waiting to receive, a client that called
 * it and waits for the reply, and a third thread ready to run. */
static struct {
    thread_t *server, *client, *other, *waiter;
    ms_handle_t server_ep, client_ep;
} sys;

static void build_system(void)
{
    fx_reset();
    sys.server = fx_spawn("server", 20);
    sys.client = fx_spawn("client", 10);
    sys.other = fx_spawn("other", 5);
    sys.waiter = fx_spawn("waiter", 30);
    sys.server_ep = fx_endpoint(sys.server->task, MS_RIGHTS_ALL);
    sys.client_ep = fx_share(sys.client->task, sys.server->task, sys.server_ep, MS_RIGHT_SEND, 7);
    fx_share(sys.waiter->task, sys.server->task, sys.server_ep, MS_RIGHT_RECV, 0);
    fx_run(sys.server);
    ck_assert_uint_eq(fx_syscall(sys.server, MS_SYS_RECV, fx_msg(sys.server_ep, 0, 0, NULL)), MS_OK);
    fx_run(sys.client);
    ck_assert_uint_eq(fx_syscall(sys.client, MS_SYS_CALL, fx_msg(sys.client_ep, 3, 0, NULL)), MS_OK);
    ck_assert_int_eq(sys.client->state, THREAD_BLOCKED_REPLY);
    ck_assert_ptr_eq(fx_schedule(), sys.waiter);
}

static void check(void)
{
    invariants_check();
}

/* The panic message of the checker, which must name invariant. */
static void expect_violation(const char *invariant)
{
    const char *msg = fx_panic_of(check);
    ck_assert_msg(msg != NULL, "the checker found nothing wrong (expected %s)", invariant);
    char want[64];
    snprintf(want, sizeof want, "invariant %s:", invariant);
    ck_assert_msg(strncmp(msg, want, strlen(want)) == 0, "panic '%s' does not start with '%s'", msg, want);
}

START_TEST(consistent_system_passes_and_counts_checks)
{
    build_system();
    uint64_t before = invariants_checks();
    ck_assert_ptr_null(fx_panic_of(check));
    ck_assert_uint_eq(invariants_checks(), before + 1);
}
END_TEST

START_TEST(ready_thread_outside_its_queue)
{
    build_system();
    sched_dequeue(sys.other); /* still marked READY */
    expect_violation("thread-queue");
}
END_TEST

START_TEST(queued_thread_that_is_not_ready)
{
    build_system();
    sys.other->state = THREAD_BLOCKED_RECV;
    expect_violation("runqueue-state");
}
END_TEST

START_TEST(queued_at_the_wrong_priority)
{
    build_system();
    sys.other->prio = 4; /* queued at 5 */
    expect_violation("runqueue-prio");
}
END_TEST

START_TEST(receiver_missing_from_its_endpoint_queue)
{
    build_system();
    ms_handle_t h = fx_endpoint(sys.waiter->task, MS_RIGHT_RECV);
    fx_run(sys.waiter);
    ck_assert_uint_eq(fx_syscall(sys.waiter, MS_SYS_RECV, fx_msg(h, 0, 0, NULL)), MS_OK);
    k_link_remove(&sys.waiter->qlink); /* still BLOCKED_RECV, blocked_on set */
    expect_violation("thread-queue");
}
END_TEST

START_TEST(thread_in_the_wrong_endpoint_queue)
{
    build_system();
    ms_handle_t h = fx_endpoint(sys.waiter->task, MS_RIGHT_RECV);
    fx_run(sys.waiter);
    ck_assert_uint_eq(fx_syscall(sys.waiter, MS_SYS_RECV, fx_msg(h, 0, 0, NULL)), MS_OK);
    handle_entry_t *e;
    ck_assert_int_eq(handle_lookup(&sys.server->task->handles, sys.server_ep, KOBJ_ENDPOINT, 0, &e), MS_OK);
    sys.waiter->blocked_on = (endpoint_t *)e->obj; /* queued on the other one */
    expect_violation("endpoint-queue");
}
END_TEST

START_TEST(caller_without_its_server)
{
    build_system();
    ck_assert_uint_eq(fx_syscall(sys.waiter, MS_SYS_YIELD, fx_msg(0, 0, 0, NULL)), MS_OK);
    fx_schedule();
    /* The server took the call; break the server's side of the link. */
    ck_assert_ptr_eq(sys.server->reply_to, sys.client);
    sys.server->reply_to = NULL;
    expect_violation("reply-link");
}
END_TEST

START_TEST(reference_count_too_high)
{
    build_system();
    sys.other->obj.refs++;
    expect_violation("refcount");
}
END_TEST

START_TEST(reference_count_too_low_on_an_endpoint)
{
    build_system();
    handle_entry_t *e;
    ck_assert_int_eq(handle_lookup(&sys.client->task->handles, sys.client_ep, KOBJ_ENDPOINT, 0, &e), MS_OK);
    e->obj->refs--;
    expect_violation("refcount");
}
END_TEST

START_TEST(handle_to_a_destroyed_object)
{
    build_system();
    handle_entry_t *e;
    ck_assert_int_eq(handle_lookup(&sys.client->task->handles, sys.client_ep, KOBJ_ENDPOINT, 0, &e), MS_OK);
    endpoint_t *ep = endpoint_create();
    ms_handle_t h;
    ck_assert_int_eq(handle_install(&sys.client->task->handles, &ep->obj, MS_RIGHT_SEND, 0, &h), MS_OK);
    ep->obj.type = KOBJ_NONE; /* freed behind the handle's back */
    expect_violation("handle-live");
}
END_TEST

START_TEST(handle_count_out_of_step)
{
    build_system();
    sys.client->task->handles.used++;
    expect_violation("handle-count");
}
END_TEST

START_TEST(task_thread_count_out_of_step)
{
    build_system();
    sys.other->task->nthreads++;
    expect_violation("task-threads");
}
END_TEST

START_TEST(two_running_threads)
{
    build_system();
    sched_dequeue(sys.other);
    sys.other->state = THREAD_RUNNING;
    expect_violation("thread-running");
}
END_TEST

START_TEST(looping_run_queue_is_reported_not_followed)
{
    build_system();
    k_link_t *l = &sys.other->qlink;
    l->next = l; /* a queue that never comes back to its head */
    expect_violation("list-bounded");
}
END_TEST

START_TEST(thread_above_its_task_priority)
{
    build_system();
    sched_dequeue(sys.other);
    sys.other->prio = 6; /* task other's ceiling is 5 */
    sched_enqueue(sys.other);
    expect_violation("thread-prio");
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("invariants");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, consistent_system_passes_and_counts_checks);
    tcase_add_test(tc, ready_thread_outside_its_queue);
    tcase_add_test(tc, queued_thread_that_is_not_ready);
    tcase_add_test(tc, queued_at_the_wrong_priority);
    tcase_add_test(tc, receiver_missing_from_its_endpoint_queue);
    tcase_add_test(tc, thread_in_the_wrong_endpoint_queue);
    tcase_add_test(tc, caller_without_its_server);
    tcase_add_test(tc, reference_count_too_high);
    tcase_add_test(tc, reference_count_too_low_on_an_endpoint);
    tcase_add_test(tc, handle_to_a_destroyed_object);
    tcase_add_test(tc, handle_count_out_of_step);
    tcase_add_test(tc, task_thread_count_out_of_step);
    tcase_add_test(tc, two_running_threads);
    tcase_add_test(tc, looping_run_queue_is_reported_not_followed);
    tcase_add_test(tc, thread_above_its_task_priority);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
