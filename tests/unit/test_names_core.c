/* The name server's protocol, driven through its core (services/names/names_core.c). */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "names_core.h"

#define OWNER 7u
#define EP_HANDLE 20u

static names_t table;

/* A request with path (may be NULL) and the usual words for label. */
static names_request_t req(uint32_t label, const char *path, uint64_t badge)
{
    names_request_t rq = {.label = label, .badge = badge, .path = path, .path_len = path ? (unsigned)strlen(path) : 0};
    rq.words = label == NAMES_REGISTER || label == NAMES_FORGET ? 1 : 0;
    return rq;
}

/* A register request carrying an endpoint handle h with all rights. */
static names_request_t reg(const char *path, uint64_t badge, uint32_t h, uint64_t rights)
{
    names_request_t rq = req(NAMES_REGISTER, path, badge);
    rq.w0 = rights;
    rq.has_handle = 1;
    rq.handle = h;
    rq.handle_type = MS_OBJ_ENDPOINT;
    rq.handle_rights = MS_RIGHT_SEND | MS_RIGHT_GRANT;
    return rq;
}

static names_reply_t serve(names_request_t rq)
{
    names_reply_t rp;
    memset(&rp, 0xa5, sizeof rp);
    names_serve(&table, &rq, &rp);
    return rp;
}

static int closes(const names_reply_t *rp, uint32_t h)
{
    for (unsigned i = 0; i < rp->nclose; i++)
        if (rp->close[i] == h)
            return 1;
    return 0;
}

static void setup(void)
{
    names_init(&table);
}

START_TEST(register_then_lookup_gives_the_registered_rights)
{
    names_reply_t rp = serve(reg("/svc/echo", OWNER, EP_HANDLE, MS_RIGHT_SEND));
    ck_assert_uint_eq(rp.err, MS_OK);
    ck_assert_uint_eq(rp.nclose, 0); /* the server keeps the handle */
    rp = serve(req(NAMES_LOOKUP, "/svc/echo", 0));
    ck_assert_uint_eq(rp.err, MS_OK);
    ck_assert(rp.give);
    ck_assert_uint_eq(rp.give_handle, EP_HANDLE);
    ck_assert_uint_eq(rp.give_rights, MS_RIGHT_SEND);
}
END_TEST

START_TEST(lookup_of_an_unknown_name_is_notfound)
{
    names_reply_t rp = serve(req(NAMES_LOOKUP, "/nothing", 0));
    ck_assert_uint_eq(rp.err, MS_E_NOTFOUND);
    ck_assert(!rp.give);
    ck_assert_uint_eq(serve(req(NAMES_LOOKUP, "/svc/ech", 0)).err, MS_E_NOTFOUND);
    serve(reg("/svc/echo", OWNER, EP_HANDLE, MS_RIGHT_SEND));
    ck_assert_uint_eq(serve(req(NAMES_LOOKUP, "/svc/ech", 0)).err, MS_E_NOTFOUND); /* a prefix is not the name */
    ck_assert_uint_eq(serve(req(NAMES_LOOKUP, "/svc/echo2", 0)).err, MS_E_NOTFOUND);
}
END_TEST

START_TEST(a_taken_name_is_exists_and_the_handle_goes_back)
{
    serve(reg("/fs", OWNER, EP_HANDLE, MS_RIGHT_SEND));
    names_reply_t rp = serve(reg("/fs", OWNER + 1, EP_HANDLE + 1, MS_RIGHT_SEND));
    ck_assert_uint_eq(rp.err, MS_E_EXISTS);
    ck_assert(closes(&rp, EP_HANDLE + 1));
    ck_assert_uint_eq(serve(req(NAMES_LOOKUP, "/fs", 0)).give_handle, EP_HANDLE);
}
END_TEST

START_TEST(register_needs_an_owner_an_endpoint_and_rights_it_has)
{
    names_reply_t rp = serve(reg("/a", 0, EP_HANDLE, MS_RIGHT_SEND));
    ck_assert_uint_eq(rp.err, MS_E_RIGHTS);
    ck_assert(closes(&rp, EP_HANDLE));
    names_request_t rq = reg("/a", OWNER, EP_HANDLE, MS_RIGHT_SEND);
    rq.has_handle = 0;
    ck_assert_uint_eq(serve(rq).err, MS_E_INVAL);
    rq = reg("/a", OWNER, EP_HANDLE, MS_RIGHT_SEND);
    rq.handle_type = MS_OBJ_NOTIFICATION;
    ck_assert_uint_eq(serve(rq).err, MS_E_INVAL);
    ck_assert_uint_eq(serve(reg("/a", OWNER, EP_HANDLE, MS_RIGHT_RECV)).err, MS_E_INVAL); /* not the handle's */
    ck_assert_uint_eq(serve(reg("/a", OWNER, EP_HANDLE, 0)).err, MS_E_INVAL);
    ck_assert_uint_eq(serve(req(NAMES_LOOKUP, "/a", 0)).err, MS_E_NOTFOUND);
}
END_TEST

START_TEST(malformed_paths_are_invalid_and_long_ones_range)
{
    const char *bad[] = {"", "/", "a", "svc/x", "/svc/", "//x", "/a//b", "/a b", "/tab\t"};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(serve(req(NAMES_LOOKUP, bad[i], 0)).err == MS_E_INVAL, "path '%s'", bad[i]);
        ck_assert_msg(serve(reg(bad[i], OWNER, EP_HANDLE, MS_RIGHT_SEND)).err == MS_E_INVAL, "path '%s'", bad[i]);
    }
    char longest[NAMES_PATH_MAX + 2];
    memset(longest, 'x', sizeof longest);
    longest[0] = '/';
    longest[NAMES_PATH_MAX] = '\0';
    ck_assert_uint_eq(serve(reg(longest, OWNER, EP_HANDLE, MS_RIGHT_SEND)).err, MS_OK); /* 63 bytes: fine */
    longest[NAMES_PATH_MAX] = 'x';
    longest[NAMES_PATH_MAX + 1] = '\0';
    ck_assert_uint_eq(serve(req(NAMES_LOOKUP, longest, 0)).err, MS_E_RANGE);
}
END_TEST

START_TEST(a_path_with_a_nul_inside_is_invalid)
{
    names_request_t rq = req(NAMES_LOOKUP, "/ab", 0);
    char with_nul[4] = {'/', 'a', '\0', 'b'};
    rq.path = with_nul;
    rq.path_len = 4;
    ck_assert_uint_eq(serve(rq).err, MS_E_INVAL);
}
END_TEST

START_TEST(unknown_labels_and_wrong_shapes_are_refused)
{
    names_request_t rq = req(0x1234, "/x", OWNER);
    ck_assert_uint_eq(serve(rq).err, MS_E_NOSYS);
    rq = req(NAMES_LOOKUP, "/x", 0);
    rq.words = 3;
    ck_assert_uint_eq(serve(rq).err, MS_E_INVAL);
    rq = req(NAMES_FORGET, NULL, NAMES_ADMIN);
    rq.path = "/x";
    rq.path_len = 2;
    ck_assert_uint_eq(serve(rq).err, MS_E_INVAL);
    rq = reg("/x", OWNER, EP_HANDLE, MS_RIGHT_SEND);
    rq.label = 0x1234; /* an unknown request with a handle: the handle goes back */
    names_reply_t rp = serve(rq);
    ck_assert_uint_eq(rp.err, MS_E_NOSYS);
    ck_assert(closes(&rp, EP_HANDLE));
}
END_TEST

START_TEST(only_the_owner_unregisters)
{
    serve(reg("/net", OWNER, EP_HANDLE, MS_RIGHT_SEND));
    ck_assert_uint_eq(serve(req(NAMES_UNREGISTER, "/net", OWNER + 1)).err, MS_E_RIGHTS);
    ck_assert_uint_eq(serve(req(NAMES_UNREGISTER, "/other", OWNER)).err, MS_E_NOTFOUND);
    names_reply_t rp = serve(req(NAMES_UNREGISTER, "/net", OWNER));
    ck_assert_uint_eq(rp.err, MS_OK);
    ck_assert(closes(&rp, EP_HANDLE));
    ck_assert_uint_eq(serve(req(NAMES_LOOKUP, "/net", 0)).err, MS_E_NOTFOUND);
    ck_assert_uint_eq(serve(reg("/net", OWNER + 1, EP_HANDLE + 1, MS_RIGHT_SEND)).err, MS_OK); /* free again */
}
END_TEST

START_TEST(forget_drops_every_name_of_a_dead_owner)
{
    serve(reg("/a", OWNER, 21, MS_RIGHT_SEND));
    serve(reg("/b", OWNER + 1, 22, MS_RIGHT_SEND));
    serve(reg("/c", OWNER, 23, MS_RIGHT_SEND));
    names_request_t rq = req(NAMES_FORGET, NULL, OWNER + 1);
    rq.w0 = OWNER;
    ck_assert_uint_eq(serve(rq).err, MS_E_RIGHTS); /* only the process manager */
    rq.badge = NAMES_ADMIN;
    names_reply_t rp = serve(rq);
    ck_assert_uint_eq(rp.err, MS_OK);
    ck_assert_uint_eq(rp.nclose, 2);
    ck_assert(closes(&rp, 21) && closes(&rp, 23));
    ck_assert_uint_eq(serve(req(NAMES_LOOKUP, "/a", 0)).err, MS_E_NOTFOUND);
    ck_assert_uint_eq(serve(req(NAMES_LOOKUP, "/b", 0)).err, MS_OK);
    ck_assert_uint_eq(serve(req(NAMES_LOOKUP, "/c", 0)).err, MS_E_NOTFOUND);
}
END_TEST

START_TEST(a_full_table_is_full)
{
    char path[8];
    for (unsigned i = 0; i < NAMES_MAX; i++) {
        path[0] = '/';
        path[1] = (char)('a' + i / 26);
        path[2] = (char)('a' + i % 26);
        path[3] = '\0';
        ck_assert_uint_eq(serve(reg(path, OWNER, 100 + i, MS_RIGHT_SEND)).err, MS_OK);
    }
    names_reply_t rp = serve(reg("/one-more", OWNER, 99, MS_RIGHT_SEND));
    ck_assert_uint_eq(rp.err, MS_E_FULL);
    ck_assert(closes(&rp, 99));
}
END_TEST

START_TEST(every_error_code_has_a_name)
{
    ck_assert_str_eq(ms_error_name(MS_OK), "OK");
    ck_assert_str_eq(ms_error_name(MS_E_ABORTED), "E_ABORTED");
    ck_assert_str_eq(ms_error_name(MS_E_NOTFOUND), "E_NOTFOUND");
    ck_assert_str_eq(ms_error_name(MS_E_TIMEOUT), "E_TIMEOUT");
    ck_assert_str_eq(ms_error_name(MS_ERROR_COUNT), "E_?");
    ck_assert_str_eq(ms_error_name(MS_SERVICE_ERROR_END), "E_?");
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("names");
    TCase *tc = tcase_create("protocol");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, register_then_lookup_gives_the_registered_rights);
    tcase_add_test(tc, lookup_of_an_unknown_name_is_notfound);
    tcase_add_test(tc, a_taken_name_is_exists_and_the_handle_goes_back);
    tcase_add_test(tc, register_needs_an_owner_an_endpoint_and_rights_it_has);
    tcase_add_test(tc, malformed_paths_are_invalid_and_long_ones_range);
    tcase_add_test(tc, a_path_with_a_nul_inside_is_invalid);
    tcase_add_test(tc, unknown_labels_and_wrong_shapes_are_refused);
    tcase_add_test(tc, only_the_owner_unregisters);
    tcase_add_test(tc, forget_drops_every_name_of_a_dead_owner);
    tcase_add_test(tc, a_full_table_is_full);
    tcase_add_test(tc, every_error_code_has_a_name);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
