/* The file system daemon's protocol, through its core (services/fs/fs_core.c). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "fs_core.h"

static fs_t *fs;
static char out[MS_MSG_PAYLOAD_MAX];

static fs_reply_t call(uint32_t label, unsigned words, uint64_t w0, uint64_t w1, const char *payload, unsigned len,
                       uint64_t badge)
{
    fs_request_t rq = {.label = label, .words = words, .w = {w0, w1}, .badge = badge, .payload = payload,
                       .len = len};
    fs_reply_t rp = {.out = out};
    fs_serve(fs, &rq, &rp);
    return rp;
}

/* FS_PREAD: w0 file, w1 offset, w2 bytes. */
static fs_reply_t pread_at(uint64_t fd, uint64_t offset, uint64_t bytes, uint64_t badge)
{
    fs_request_t rq = {.label = FS_PREAD, .words = 3, .w = {fd, offset, bytes}, .badge = badge};
    fs_reply_t rp = {.out = out};
    fs_serve(fs, &rq, &rp);
    return rp;
}

static uint64_t on_path(uint32_t label, const char *path)
{
    return call(label, 0, 0, 0, path, (unsigned)strlen(path), 1).w[0];
}

static uint64_t open_file(const char *path, uint64_t flags, uint64_t badge, uint64_t *fd)
{
    fs_reply_t rp = call(FS_OPEN, 1, flags, 0, path, (unsigned)strlen(path), badge);
    *fd = rp.w[1];
    return rp.w[0];
}

static uint64_t write_text(uint64_t fd, const char *text, uint64_t badge)
{
    return call(FS_WRITE, 1, fd, 0, text, (unsigned)strlen(text), badge).w[0];
}

static char (*data)[FS_FILE_MAX];

static void setup(void)
{
    fs = calloc(1, sizeof *fs);
    data = calloc(FS_NODES, FS_FILE_MAX);
    fs_init(fs, data);
}

static void teardown(void)
{
    free(data);
    free(fs);
}

START_TEST(a_written_file_reads_back)
{
    uint64_t fd;
    ck_assert_uint_eq(open_file("/a", FS_CREATE, 1, &fd), MS_OK);
    ck_assert_uint_eq(write_text(fd, "hello world", 1), MS_OK);
    ck_assert_uint_eq(call(FS_SEEK, 2, fd, 6, 0, 0, 1).w[0], MS_OK);
    fs_reply_t rp = call(FS_READ, 2, fd, 100, 0, 0, 1);
    ck_assert_uint_eq(rp.w[0], MS_OK);
    ck_assert_uint_eq(rp.out_len, 5);
    ck_assert(memcmp(out, "world", 5) == 0);
    ck_assert_uint_eq(call(FS_READ, 2, fd, 100, 0, 0, 1).out_len, 0); /* at the end */
    fs_reply_t st = call(FS_STAT, 0, 0, 0, "/a", 2, 1);
    ck_assert_uint_eq(st.w[1], 0);
    ck_assert_uint_eq(st.w[2], 11);
}
END_TEST

START_TEST(open_without_create_of_a_missing_file_is_notfound)
{
    uint64_t fd;
    ck_assert_uint_eq(open_file("/nope", 0, 1, &fd), MS_E_NOTFOUND);
    ck_assert_uint_eq(open_file("/no/such/dir", FS_CREATE, 1, &fd), MS_E_NOTFOUND);
    ck_assert_uint_eq(open_file("/", 0, 1, &fd), MS_E_INVAL); /* a directory */
    ck_assert_uint_eq(open_file("/a", 0x80, 1, &fd), MS_E_INVAL);
}
END_TEST

START_TEST(trunc_empties_and_files_are_per_client)
{
    uint64_t fd1, fd2;
    open_file("/f", FS_CREATE, 1, &fd1);
    write_text(fd1, "abc", 1);
    ck_assert_uint_eq(call(FS_READ, 2, fd1, 3, 0, 0, 2).w[0], MS_E_BADHANDLE); /* another client's number */
    ck_assert_uint_eq(open_file("/f", FS_TRUNC, 2, &fd2), MS_OK);
    ck_assert_uint_eq(call(FS_STAT, 0, 0, 0, "/f", 2, 1).w[2], 0);
    ck_assert_uint_eq(call(FS_CLOSE, 1, fd1, 0, 0, 0, 1).w[0], MS_OK);
    ck_assert_uint_eq(call(FS_CLOSE, 1, fd1, 0, 0, 0, 1).w[0], MS_E_BADHANDLE);
}
END_TEST

START_TEST(directories_list_their_entries)
{
    ck_assert_uint_eq(on_path(FS_MKDIR, "/docs"), MS_OK);
    ck_assert_uint_eq(on_path(FS_MKDIR, "/docs"), MS_E_EXISTS);
    ck_assert_uint_eq(on_path(FS_MKDIR, "/x/y"), MS_E_NOTFOUND);
    uint64_t fd;
    open_file("/docs/readme", FS_CREATE, 1, &fd);
    ck_assert_uint_eq(on_path(FS_MKDIR, "/docs/sub"), MS_OK);
    fs_reply_t e0 = call(FS_READDIR, 1, 0, 0, "/docs", 5, 1);
    ck_assert_uint_eq(e0.w[0], MS_OK);
    ck_assert_uint_eq(e0.out_len, 6);
    ck_assert(memcmp(out, "readme", 6) == 0);
    ck_assert_uint_eq(e0.w[1], 0);
    fs_reply_t e1 = call(FS_READDIR, 1, 1, 0, "/docs", 5, 1);
    ck_assert_uint_eq(e1.w[1], 1);
    ck_assert_uint_eq(call(FS_READDIR, 1, 2, 0, "/docs", 5, 1).w[0], MS_E_NOTFOUND);
    ck_assert_uint_eq(call(FS_READDIR, 1, 0, 0, "/docs/readme", 12, 1).w[0], MS_E_INVAL);
}
END_TEST

START_TEST(unlink_refuses_open_files_and_full_directories)
{
    uint64_t fd;
    on_path(FS_MKDIR, "/d");
    open_file("/d/f", FS_CREATE, 1, &fd);
    ck_assert_uint_eq(on_path(FS_UNLINK, "/d/f"), MS_E_BUSY);
    ck_assert_uint_eq(on_path(FS_UNLINK, "/d"), MS_E_BUSY);
    call(FS_CLOSE, 1, fd, 0, 0, 0, 1);
    ck_assert_uint_eq(on_path(FS_UNLINK, "/d/f"), MS_OK);
    ck_assert_uint_eq(on_path(FS_UNLINK, "/d"), MS_OK);
    ck_assert_uint_eq(on_path(FS_STAT, "/d"), MS_E_NOTFOUND);
    ck_assert_uint_eq(on_path(FS_UNLINK, "/"), MS_E_INVAL);
}
END_TEST

START_TEST(rename_moves_and_refuses_loops_and_taken_names)
{
    uint64_t fd;
    on_path(FS_MKDIR, "/a");
    on_path(FS_MKDIR, "/a/b");
    open_file("/f", FS_CREATE, 1, &fd);
    const char mv[] = "/f\0/a/g";
    ck_assert_uint_eq(call(FS_RENAME, 0, 0, 0, mv, sizeof mv - 1, 1).w[0], MS_OK);
    ck_assert_uint_eq(on_path(FS_STAT, "/f"), MS_E_NOTFOUND);
    ck_assert_uint_eq(on_path(FS_STAT, "/a/g"), MS_OK);
    const char loop[] = "/a\0/a/b/c";
    ck_assert_uint_eq(call(FS_RENAME, 0, 0, 0, loop, sizeof loop - 1, 1).w[0], MS_E_INVAL);
    const char taken[] = "/a/g\0/a/b";
    ck_assert_uint_eq(call(FS_RENAME, 0, 0, 0, taken, sizeof taken - 1, 1).w[0], MS_E_EXISTS);
    ck_assert_uint_eq(call(FS_RENAME, 0, 0, 0, "/a/g", 4, 1).w[0], MS_E_INVAL); /* no second path */
}
END_TEST

START_TEST(malformed_paths_and_requests_are_refused)
{
    const char *bad[] = {"", "a", "//", "/a/", "/a//b", "/a b"};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(on_path(FS_MKDIR, bad[i]) == MS_E_INVAL, "path '%s'", bad[i]);
    ck_assert_uint_eq(on_path(FS_MKDIR, "/0123456789012345678901234567"), MS_E_RANGE); /* 28 bytes */
    ck_assert_uint_eq(on_path(FS_MKDIR, "/012345678901234567890123456"), MS_OK);      /* 27 */
    ck_assert_uint_eq(call(0x1234, 0, 0, 0, 0, 0, 1).w[0], MS_E_NOSYS);
    ck_assert_uint_eq(call(FS_READ, 1, 0, 0, 0, 0, 1).w[0], MS_E_INVAL);
    ck_assert_uint_eq(call(FS_STAT, 1, 0, 0, "/", 1, 1).w[0], MS_E_INVAL);
    ck_assert_uint_eq(call(FS_READ, 2, 7, 1, 0, 0, 1).w[0], MS_E_BADHANDLE);
    ck_assert_uint_eq(call(FS_READ, 2, 1000, 1, 0, 0, 1).w[0], MS_E_BADHANDLE);
}
END_TEST

START_TEST(limits_are_errors)
{
    uint64_t fd;
    open_file("/big", FS_CREATE, 1, &fd);
    static char chunk[MS_MSG_PAYLOAD_MAX];
    memset(chunk, 'x', sizeof chunk);
    for (unsigned i = 0; i < FS_FILE_MAX / sizeof chunk; i++)
        ck_assert_uint_eq(call(FS_WRITE, 1, fd, 0, chunk, sizeof chunk, 1).w[0], MS_OK);
    ck_assert_uint_eq(call(FS_WRITE, 1, fd, 0, "y", 1, 1).w[0], MS_E_RANGE);
    ck_assert_uint_eq(call(FS_SEEK, 2, fd, FS_FILE_MAX + 1, 0, 0, 1).w[0], MS_E_RANGE);
    ck_assert_uint_eq(call(FS_READ, 2, fd, MS_MSG_PAYLOAD_MAX + 1, 0, 0, 1).w[0], MS_E_RANGE);
    for (unsigned i = 1; i < FS_OPEN_MAX; i++)
        ck_assert_uint_eq(open_file("/big", 0, 1, &fd), MS_OK);
    ck_assert_uint_eq(open_file("/big", 0, 1, &fd), MS_E_FULL); /* per client */
    ck_assert_uint_eq(open_file("/big", 0, 2, &fd), MS_OK);     /* another client has room */
    char name[8];
    unsigned made = 0;
    for (unsigned i = 0; i < FS_NODES; i++) {
        name[0] = '/';
        name[1] = 'n';
        name[2] = (char)('a' + i / 26);
        name[3] = (char)('a' + i % 26);
        name[4] = '\0';
        made += on_path(FS_MKDIR, name) == MS_OK;
    }
    ck_assert_uint_eq(made, FS_NODES - 2); /* the root and /big take two nodes */
}
END_TEST

START_TEST(pread_and_pwrite_leave_the_offset_and_repeat_harmlessly)
{
    uint64_t fd;
    ck_assert_uint_eq(open_file("/p", FS_CREATE, 1, &fd), MS_OK);
    ck_assert_uint_eq(call(FS_PWRITE, 2, fd, 4, "abcd", 4, 1).w[0], MS_OK);
    ck_assert_uint_eq(call(FS_PWRITE, 2, fd, 4, "abcd", 4, 1).w[0], MS_OK); /* again: the same file */
    fs_reply_t rp = pread_at(fd, 0, 100, 1);
    ck_assert_uint_eq(rp.w[0], MS_OK);
    ck_assert_uint_eq(rp.out_len, 8);
    ck_assert(memcmp(out, "\0\0\0\0abcd", 8) == 0); /* the hole reads as zeros */
    rp = call(FS_READ, 2, fd, 2, 0, 0, 1);               /* the file's own offset is still 0 */
    ck_assert_uint_eq(rp.out_len, 2);
    ck_assert(memcmp(out, "\0\0", 2) == 0);
    ck_assert_uint_eq(pread_at(fd, 6, 100, 1).out_len, 2);
    ck_assert_uint_eq(pread_at(fd, 9, 1, 1).w[0], MS_E_RANGE); /* past the size */
    ck_assert_uint_eq(call(FS_PWRITE, 2, fd, FS_FILE_MAX, "x", 1, 1).w[0], MS_E_RANGE);
    ck_assert_uint_eq(pread_at(fd, 0, MS_MSG_PAYLOAD_MAX + 1, 1).w[0], MS_E_RANGE);
    ck_assert_uint_eq(pread_at(fd + 1, 0, 1, 1).w[0], MS_E_BADHANDLE);
    ck_assert_uint_eq(pread_at(fd, 0, 1, 2).w[0], MS_E_BADHANDLE); /* another client's number */
    ck_assert_uint_eq(call(FS_PREAD, 2, fd, 0, 0, 0, 1).w[0], MS_E_INVAL);    /* two words, not three */
    ck_assert_uint_eq(call(FS_PWRITE, 1, fd, 0, "x", 1, 1).w[0], MS_E_INVAL); /* one word, not two */
}
END_TEST

START_TEST(a_reused_node_shows_none_of_the_old_file)
{
    uint64_t fd;
    ck_assert_uint_eq(open_file("/old", FS_CREATE, 1, &fd), MS_OK);
    ck_assert_uint_eq(write_text(fd, "secret", 1), MS_OK);
    ck_assert_uint_eq(call(FS_CLOSE, 1, fd, 0, 0, 0, 1).w[0], MS_OK);
    ck_assert_uint_eq(on_path(FS_UNLINK, "/old"), MS_OK);
    ck_assert_uint_eq(open_file("/new", FS_CREATE, 1, &fd), MS_OK); /* the same node again */
    ck_assert_uint_eq(call(FS_PWRITE, 2, fd, 6, "!", 1, 1).w[0], MS_OK);
    fs_reply_t rp = pread_at(fd, 0, 7, 1);
    ck_assert_uint_eq(rp.out_len, 7);
    ck_assert(memcmp(out, "\0\0\0\0\0\0!", 7) == 0);
}
END_TEST

START_TEST(a_client_with_no_open_file_leaves_its_slot_to_others)
{
    uint64_t fd;
    ck_assert_uint_eq(open_file("/shared", FS_CREATE, 1, &fd), MS_OK);
    ck_assert_uint_eq(call(FS_CLOSE, 1, fd, 0, 0, 0, 1).w[0], MS_OK);
    for (uint64_t badge = 100; badge < 100 + 3 * FS_CLIENTS; badge++) { /* more clients than slots, one by one */
        ck_assert_uint_eq(open_file("/shared", 0, badge, &fd), MS_OK);
        ck_assert_uint_eq(call(FS_CLOSE, 1, fd, 0, 0, 0, badge).w[0], MS_OK);
    }
    for (uint64_t badge = 1; badge <= FS_CLIENTS; badge++) /* all at once: the limit holds */
        ck_assert_uint_eq(open_file("/shared", 0, badge, &fd), MS_OK);
    ck_assert_uint_eq(open_file("/shared", 0, FS_CLIENTS + 1, &fd), MS_E_FULL);
    ck_assert_uint_eq(call(FS_CLOSE, 1, fd, 0, 0, 0, 2).w[0], MS_OK); /* client 2's only file */
    ck_assert_uint_eq(open_file("/shared", 0, FS_CLIENTS + 1, &fd), MS_OK);
}
END_TEST

START_TEST(a_forgotten_client_loses_its_record_and_files)
{
    uint64_t fd, badges[FS_CLIENTS];
    ck_assert_uint_eq(open_file("/f", FS_CREATE, 7, &fd), MS_OK);
    ck_assert_uint_eq(open_file("/f", 0, 9, &fd), MS_OK);
    ck_assert_uint_eq(fs_clients(fs, badges), 2);
    ck_assert_uint_eq(badges[0], 7);
    ck_assert_uint_eq(badges[1], 9);
    ck_assert_uint_eq(on_path(FS_UNLINK, "/f"), MS_E_BUSY); /* open */
    fs_forget_client(fs, 7);
    fs_forget_client(fs, 1234); /* none: nothing happens */
    ck_assert_uint_eq(fs_clients(fs, badges), 1);
    ck_assert_uint_eq(badges[0], 9);
    ck_assert_uint_eq(call(FS_READ, 2, 0, 1, 0, 0, 7).w[0], MS_E_BADHANDLE); /* its file went with it */
    ck_assert_uint_eq(call(FS_CLOSE, 1, 0, 0, 0, 0, 9).w[0], MS_OK);
    ck_assert_uint_eq(on_path(FS_UNLINK, "/f"), MS_OK); /* nobody has it open any more */
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("fs");
    TCase *tc = tcase_create("protocol");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, a_written_file_reads_back);
    tcase_add_test(tc, open_without_create_of_a_missing_file_is_notfound);
    tcase_add_test(tc, trunc_empties_and_files_are_per_client);
    tcase_add_test(tc, directories_list_their_entries);
    tcase_add_test(tc, unlink_refuses_open_files_and_full_directories);
    tcase_add_test(tc, rename_moves_and_refuses_loops_and_taken_names);
    tcase_add_test(tc, malformed_paths_and_requests_are_refused);
    tcase_add_test(tc, limits_are_errors);
    tcase_add_test(tc, pread_and_pwrite_leave_the_offset_and_repeat_harmlessly);
    tcase_add_test(tc, a_reused_node_shows_none_of_the_old_file);
    tcase_add_test(tc, a_client_with_no_open_file_leaves_its_slot_to_others);
    tcase_add_test(tc, a_forgotten_client_loses_its_record_and_files);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
