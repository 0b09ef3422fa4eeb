/* Unit tests of handle tables: install, lookup checks, close, reference counts. */
#include <string.h>

#include "fixture.h"
#include "handle.h"
#include "object/endpoint.h"

static endpoint_t *new_endpoint(void)
{
    endpoint_t *ep = endpoint_create();
    ck_assert_ptr_nonnull(ep);
    return ep;
}

START_TEST(new_table_is_empty)
{
    fx_reset();
    handle_table_t ht;
    handle_table_init(&ht);
    ck_assert_uint_eq(ht.used, 0);
    handle_entry_t *e;
    for (uint64_t h = 0; h < MS_HANDLES_PER_TASK; h++)
        ck_assert_int_eq(handle_lookup(&ht, h, KOBJ_NONE, 0, &e), MS_E_BADHANDLE);
}
END_TEST

START_TEST(install_takes_lowest_free_slot)
{
    fx_reset();
    handle_table_t ht;
    handle_table_init(&ht);
    endpoint_t *ep = new_endpoint();
    ms_handle_t h;
    for (ms_handle_t want = 0; want < 3; want++) {
        ck_assert_int_eq(handle_install(&ht, &ep->obj, MS_RIGHT_SEND, 0, &h), MS_OK);
        ck_assert_uint_eq(h, want);
    }
    ck_assert_int_eq(handle_close(&ht, 1), MS_OK);
    ck_assert_int_eq(handle_install(&ht, &ep->obj, MS_RIGHT_RECV, 7, &h), MS_OK);
    ck_assert_uint_eq(h, 1);
    ck_assert_int_eq(handle_install(&ht, &ep->obj, MS_RIGHT_RECV, 0, &h), MS_OK);
    ck_assert_uint_eq(h, 3);
    ck_assert_uint_eq(ht.used, 4);
}
END_TEST

START_TEST(installed_handle_keeps_object_rights_and_badge)
{
    fx_reset();
    handle_table_t ht;
    handle_table_init(&ht);
    endpoint_t *ep = new_endpoint();
    ms_handle_t h;
    ck_assert_int_eq(handle_install(&ht, &ep->obj, MS_RIGHT_SEND | MS_RIGHT_GRANT, 0xbadc0ffee, &h), MS_OK);
    handle_entry_t *e = NULL;
    ck_assert_int_eq(handle_lookup(&ht, h, KOBJ_ENDPOINT, MS_RIGHT_SEND, &e), MS_OK);
    ck_assert_ptr_eq(e, &ht.slot[h]);
    ck_assert_ptr_eq(e->obj, &ep->obj);
    ck_assert_uint_eq(e->rights, MS_RIGHT_SEND | MS_RIGHT_GRANT);
    ck_assert_uint_eq(e->badge, 0xbadc0ffee);
}
END_TEST

START_TEST(install_at_a_free_slot)
{
    fx_reset();
    handle_table_t ht;
    handle_table_init(&ht);
    endpoint_t *ep = new_endpoint();
    ck_assert_int_eq(handle_install_at(&ht, 17, &ep->obj, MS_RIGHT_RECV, 3), MS_OK);
    ck_assert_uint_eq(ht.used, 1);
    ck_assert_uint_eq(ep->obj.refs, 1);
    handle_entry_t *e;
    ck_assert_int_eq(handle_lookup(&ht, 17, KOBJ_ENDPOINT, MS_RIGHT_RECV, &e), MS_OK);
    ck_assert_uint_eq(e->badge, 3);
    /* The slots below stay free: install still fills from 0. */
    ms_handle_t h;
    ck_assert_int_eq(handle_install(&ht, &ep->obj, MS_RIGHT_SEND, 0, &h), MS_OK);
    ck_assert_uint_eq(h, 0);
}
END_TEST

START_TEST(install_at_a_taken_slot_is_invalid_and_changes_nothing)
{
    fx_reset();
    handle_table_t ht;
    handle_table_init(&ht);
    endpoint_t *a = new_endpoint(), *b = new_endpoint();
    ck_assert_int_eq(handle_install_at(&ht, 5, &a->obj, MS_RIGHT_SEND, 1), MS_OK);
    ck_assert_int_eq(handle_install_at(&ht, 5, &b->obj, MS_RIGHT_RECV, 2), MS_E_INVAL);
    ck_assert_uint_eq(ht.used, 1);
    ck_assert_uint_eq(b->obj.refs, 0);
    ck_assert_uint_eq(a->obj.refs, 1);
    ck_assert_ptr_eq(ht.slot[5].obj, &a->obj);
    ck_assert_uint_eq(ht.slot[5].rights, MS_RIGHT_SEND);
    ck_assert_uint_eq(ht.slot[5].badge, 1);
}
END_TEST

START_TEST(install_at_out_of_range_is_invalid)
{
    fx_reset();
    /* Zeroed memory past the table, so that a slot one past the end would
     * look free if the range check were off by one. */
    static struct {
        handle_table_t ht;
        uint64_t after[8];
    } box;
    memset(&box, 0, sizeof box);
    handle_table_init(&box.ht);
    endpoint_t *ep = new_endpoint();
    ck_assert_int_eq(handle_install_at(&box.ht, MS_HANDLES_PER_TASK, &ep->obj, MS_RIGHT_SEND, 0), MS_E_INVAL);
    ck_assert_int_eq(handle_install_at(&box.ht, UINT32_MAX, &ep->obj, MS_RIGHT_SEND, 0), MS_E_INVAL);
    ck_assert_uint_eq(box.ht.used, 0);
    ck_assert_uint_eq(ep->obj.refs, 0);
    for (unsigned i = 0; i < 8; i++)
        ck_assert_uint_eq(box.after[i], 0);
}
END_TEST

START_TEST(lookup_out_of_range_is_a_bad_handle)
{
    fx_reset();
    handle_table_t ht;
    handle_table_init(&ht);
    endpoint_t *ep = new_endpoint();
    ck_assert_int_eq(handle_install_at(&ht, MS_HANDLES_PER_TASK - 1, &ep->obj, MS_RIGHTS_ALL, 0), MS_OK);
    handle_entry_t *e = NULL;
    ck_assert_int_eq(handle_lookup(&ht, MS_HANDLES_PER_TASK - 1, KOBJ_NONE, 0, &e), MS_OK);
    e = NULL;
    ck_assert_int_eq(handle_lookup(&ht, MS_HANDLES_PER_TASK, KOBJ_NONE, 0, &e), MS_E_BADHANDLE);
    ck_assert_int_eq(handle_lookup(&ht, 1ull << 32, KOBJ_NONE, 0, &e), MS_E_BADHANDLE);
    ck_assert_int_eq(handle_lookup(&ht, UINT64_MAX, KOBJ_NONE, 0, &e), MS_E_BADHANDLE);
    ck_assert_ptr_null(e);
}
END_TEST

START_TEST(lookup_of_a_free_slot_is_a_bad_handle)
{
    fx_reset();
    handle_table_t ht;
    handle_table_init(&ht);
    endpoint_t *ep = new_endpoint();
    ck_assert_int_eq(handle_install_at(&ht, 0, &ep->obj, MS_RIGHTS_ALL, 0), MS_OK);
    handle_entry_t *e = NULL;
    ck_assert_int_eq(handle_lookup(&ht, 1, KOBJ_NONE, 0, &e), MS_E_BADHANDLE);
    ck_assert_int_eq(handle_close(&ht, 0), MS_OK);
    ck_assert_int_eq(handle_lookup(&ht, 0, KOBJ_NONE, 0, &e), MS_E_BADHANDLE);
    ck_assert_ptr_null(e);
}
END_TEST

START_TEST(lookup_of_the_wrong_type_is_a_bad_handle)
{
    fx_reset();
    task_t *task = fx_task("owner", 10);
    thread_t *t = fx_thread(task, 10);
    endpoint_t *ep = new_endpoint();
    handle_table_t *ht = &task->handles;
    ms_handle_t hep, hthread;
    ck_assert_int_eq(handle_install(ht, &ep->obj, MS_RIGHTS_ALL, 0, &hep), MS_OK);
    ck_assert_int_eq(handle_install(ht, &t->obj, MS_RIGHTS_ALL, 0, &hthread), MS_OK);
    handle_entry_t *e = NULL;
    ck_assert_int_eq(handle_lookup(ht, hep, KOBJ_TASK, 0, &e), MS_E_BADHANDLE);
    ck_assert_int_eq(handle_lookup(ht, hep, KOBJ_THREAD, 0, &e), MS_E_BADHANDLE);
    ck_assert_int_eq(handle_lookup(ht, hthread, KOBJ_ENDPOINT, 0, &e), MS_E_BADHANDLE);
    ck_assert_int_eq(handle_lookup(ht, MS_HANDLE_SELF, KOBJ_ENDPOINT, 0, &e), MS_E_BADHANDLE);
    ck_assert_ptr_null(e);
    ck_assert_int_eq(handle_lookup(ht, hthread, KOBJ_THREAD, 0, &e), MS_OK);
    ck_assert_ptr_eq(e->obj, &t->obj);
    ck_assert_int_eq(handle_lookup(ht, MS_HANDLE_SELF, KOBJ_TASK, MS_RIGHT_CONTROL, &e), MS_OK);
    ck_assert_ptr_eq(e->obj, &task->obj);
    /* KOBJ_NONE accepts any type. */
    ck_assert_int_eq(handle_lookup(ht, hep, KOBJ_NONE, 0, &e), MS_OK);
    ck_assert_ptr_eq(e->obj, &ep->obj);
}
END_TEST

START_TEST(lookup_without_every_right_fails_with_rights)
{
    fx_reset();
    handle_table_t ht;
    handle_table_init(&ht);
    endpoint_t *ep = new_endpoint();
    ms_handle_t h;
    ck_assert_int_eq(handle_install(&ht, &ep->obj, MS_RIGHT_SEND | MS_RIGHT_GRANT, 0, &h), MS_OK);
    handle_entry_t *e = NULL;
    ck_assert_int_eq(handle_lookup(&ht, h, KOBJ_ENDPOINT, MS_RIGHT_RECV, &e), MS_E_RIGHTS);
    ck_assert_int_eq(handle_lookup(&ht, h, KOBJ_ENDPOINT, MS_RIGHT_SEND | MS_RIGHT_RECV, &e), MS_E_RIGHTS);
    ck_assert_int_eq(handle_lookup(&ht, h, KOBJ_ENDPOINT, MS_RIGHT_CONTROL, &e), MS_E_RIGHTS);
    ck_assert_ptr_null(e);
    ck_assert_int_eq(handle_lookup(&ht, h, KOBJ_ENDPOINT, MS_RIGHT_SEND | MS_RIGHT_GRANT, &e), MS_OK);
    ck_assert_int_eq(handle_lookup(&ht, h, KOBJ_ENDPOINT, 0, &e), MS_OK);
}
END_TEST

START_TEST(close_frees_the_slot_once)
{
    fx_reset();
    handle_table_t ht;
    handle_table_init(&ht);
    endpoint_t *ep = new_endpoint();
    ms_handle_t a, b;
    ck_assert_int_eq(handle_install(&ht, &ep->obj, MS_RIGHT_SEND, 0, &a), MS_OK);
    ck_assert_int_eq(handle_install(&ht, &ep->obj, MS_RIGHT_SEND, 0, &b), MS_OK);
    ck_assert_int_eq(handle_close(&ht, a), MS_OK);
    ck_assert_uint_eq(ht.used, 1);
    ck_assert_ptr_null(ht.slot[a].obj);
    ck_assert_int_eq(handle_close(&ht, a), MS_E_BADHANDLE);
    ck_assert_uint_eq(ht.used, 1);
    ck_assert_uint_eq(ep->obj.refs, 1);
    handle_entry_t *e;
    ck_assert_int_eq(handle_lookup(&ht, b, KOBJ_ENDPOINT, MS_RIGHT_SEND, &e), MS_OK);
}
END_TEST

START_TEST(close_out_of_range_is_a_bad_handle)
{
    fx_reset();
    handle_table_t ht;
    handle_table_init(&ht);
    endpoint_t *ep = new_endpoint();
    ms_handle_t h;
    ck_assert_int_eq(handle_install(&ht, &ep->obj, MS_RIGHT_SEND, 0, &h), MS_OK);
    ck_assert_int_eq(handle_close(&ht, MS_HANDLES_PER_TASK), MS_E_BADHANDLE);
    ck_assert_int_eq(handle_close(&ht, UINT64_MAX), MS_E_BADHANDLE);
    ck_assert_uint_eq(ht.used, 1);
    ck_assert_uint_eq(ep->obj.refs, 1);
}
END_TEST

START_TEST(full_table_refuses_another_handle)
{
    fx_reset();
    handle_table_t ht;
    handle_table_init(&ht);
    endpoint_t *ep = new_endpoint();
    ms_handle_t h;
    for (unsigned i = 0; i < MS_HANDLES_PER_TASK; i++) {
        ck_assert_int_eq(handle_install(&ht, &ep->obj, MS_RIGHT_SEND, 0, &h), MS_OK);
        ck_assert_uint_eq(h, i);
    }
    ck_assert_uint_eq(ht.used, MS_HANDLES_PER_TASK);
    h = 12345;
    ck_assert_int_eq(handle_install(&ht, &ep->obj, MS_RIGHT_SEND, 0, &h), MS_E_FULL);
    ck_assert_uint_eq(h, 12345);
    ck_assert_uint_eq(ht.used, MS_HANDLES_PER_TASK);
    ck_assert_uint_eq(ep->obj.refs, MS_HANDLES_PER_TASK);
    /* One slot freed is one handle more. */
    ck_assert_int_eq(handle_close(&ht, 40), MS_OK);
    ck_assert_int_eq(handle_install(&ht, &ep->obj, MS_RIGHT_SEND, 0, &h), MS_OK);
    ck_assert_uint_eq(h, 40);
}
END_TEST

START_TEST(each_handle_holds_a_reference)
{
    fx_reset();
    handle_table_t a, b;
    handle_table_init(&a);
    handle_table_init(&b);
    endpoint_t *ep = new_endpoint();
    ck_assert_uint_eq(ep->obj.refs, 0);
    ms_handle_t h1, h2, h3;
    ck_assert_int_eq(handle_install(&a, &ep->obj, MS_RIGHTS_ALL, 0, &h1), MS_OK);
    ck_assert_uint_eq(ep->obj.refs, 1);
    ck_assert_int_eq(handle_install(&a, &ep->obj, MS_RIGHT_SEND, 0, &h2), MS_OK);
    ck_assert_uint_eq(ep->obj.refs, 2);
    ck_assert_int_eq(handle_install(&b, &ep->obj, MS_RIGHT_SEND, 0, &h3), MS_OK);
    ck_assert_uint_eq(ep->obj.refs, 3);
    ck_assert_int_eq(handle_close(&a, h1), MS_OK);
    ck_assert_uint_eq(ep->obj.refs, 2);
    ck_assert_int_eq(handle_close(&b, h3), MS_OK);
    ck_assert_uint_eq(ep->obj.refs, 1);
    ck_assert_uint_eq(ep->obj.type, KOBJ_ENDPOINT);
}
END_TEST

START_TEST(last_close_destroys_the_object)
{
    fx_reset();
    handle_table_t ht;
    handle_table_init(&ht);
    endpoint_t *ep = new_endpoint();
    endpoint_t *other = new_endpoint();
    ms_handle_t h1, h2, ho;
    ck_assert_int_eq(handle_install(&ht, &ep->obj, MS_RIGHTS_ALL, 0, &h1), MS_OK);
    ck_assert_int_eq(handle_install(&ht, &ep->obj, MS_RIGHT_SEND, 0, &h2), MS_OK);
    ck_assert_int_eq(handle_install(&ht, &other->obj, MS_RIGHT_SEND, 0, &ho), MS_OK);
    ck_assert_int_eq(handle_close(&ht, h1), MS_OK);
    ck_assert_uint_eq(ep->obj.type, KOBJ_ENDPOINT);
    ck_assert_int_eq(handle_close(&ht, h2), MS_OK);
    ck_assert_uint_eq(ep->obj.type, KOBJ_NONE);
    ck_assert_uint_eq(ep->obj.refs, 0);
    ck_assert_uint_eq(other->obj.type, KOBJ_ENDPOINT);
    /* The freed pool slot is used again, with a new id. */
    uint32_t old_id = ep->obj.id;
    endpoint_t *again = new_endpoint();
    ck_assert_ptr_eq(again, ep);
    ck_assert_uint_gt(again->obj.id, old_id);
}
END_TEST

START_TEST(live_thread_survives_its_last_handle)
{
    fx_reset();
    task_t *task = fx_task("owner", 10);
    thread_t *t = fx_thread(task, 10);
    uint32_t alive_refs = t->obj.refs;
    ms_handle_t h;
    ck_assert_int_eq(handle_install(&task->handles, &t->obj, MS_RIGHT_CONTROL, 0, &h), MS_OK);
    ck_assert_uint_eq(t->obj.refs, alive_refs + 1);
    ck_assert_int_eq(handle_close(&task->handles, h), MS_OK);
    ck_assert_uint_eq(t->obj.refs, alive_refs);
    ck_assert_uint_eq(t->obj.type, KOBJ_THREAD);
    ck_assert_int_eq(t->state, THREAD_READY);
}
END_TEST

START_TEST(clear_closes_every_handle)
{
    fx_reset();
    handle_table_t ht;
    handle_table_init(&ht);
    endpoint_t *a = new_endpoint(), *b = new_endpoint(), *kept = new_endpoint();
    handle_table_t other;
    handle_table_init(&other);
    ms_handle_t h;
    ck_assert_int_eq(handle_install(&ht, &a->obj, MS_RIGHTS_ALL, 0, &h), MS_OK);
    ck_assert_int_eq(handle_install(&ht, &a->obj, MS_RIGHT_SEND, 1, &h), MS_OK);
    ck_assert_int_eq(handle_install_at(&ht, MS_HANDLES_PER_TASK - 1, &b->obj, MS_RIGHT_RECV, 0), MS_OK);
    ck_assert_int_eq(handle_install(&ht, &kept->obj, MS_RIGHT_SEND, 0, &h), MS_OK);
    ck_assert_int_eq(handle_install(&other, &kept->obj, MS_RIGHT_SEND, 0, &h), MS_OK);
    handle_table_clear(&ht);
    ck_assert_uint_eq(ht.used, 0);
    handle_entry_t *e;
    for (uint64_t i = 0; i < MS_HANDLES_PER_TASK; i++)
        ck_assert_int_eq(handle_lookup(&ht, i, KOBJ_NONE, 0, &e), MS_E_BADHANDLE);
    ck_assert_uint_eq(a->obj.type, KOBJ_NONE);
    ck_assert_uint_eq(b->obj.type, KOBJ_NONE);
    ck_assert_uint_eq(kept->obj.type, KOBJ_ENDPOINT);
    ck_assert_uint_eq(kept->obj.refs, 1);
    /* A cleared table takes handles again from slot 0. */
    ck_assert_int_eq(handle_install(&ht, &kept->obj, MS_RIGHT_SEND, 0, &h), MS_OK);
    ck_assert_uint_eq(h, 0);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("handle");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, new_table_is_empty);
    tcase_add_test(tc, install_takes_lowest_free_slot);
    tcase_add_test(tc, installed_handle_keeps_object_rights_and_badge);
    tcase_add_test(tc, install_at_a_free_slot);
    tcase_add_test(tc, install_at_a_taken_slot_is_invalid_and_changes_nothing);
    tcase_add_test(tc, install_at_out_of_range_is_invalid);
    tcase_add_test(tc, lookup_out_of_range_is_a_bad_handle);
    tcase_add_test(tc, lookup_of_a_free_slot_is_a_bad_handle);
    tcase_add_test(tc, lookup_of_the_wrong_type_is_a_bad_handle);
    tcase_add_test(tc, lookup_without_every_right_fails_with_rights);
    tcase_add_test(tc, close_frees_the_slot_once);
    tcase_add_test(tc, close_out_of_range_is_a_bad_handle);
    tcase_add_test(tc, full_table_refuses_another_handle);
    tcase_add_test(tc, each_handle_holds_a_reference);
    tcase_add_test(tc, last_close_destroys_the_object);
    tcase_add_test(tc, live_thread_survives_its_last_handle);
    tcase_add_test(tc, clear_closes_every_handle);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
