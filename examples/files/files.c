/*
 * files: the file system daemon (services/fs) at work. A writer makes a
 * directory and a file in it, writes a text, reads it back and prints it;
 * a lister then lists the directory; a prober's malformed requests each get
 * their error, and the daemon still serves.
 */
#include "ms/fs.h"
#include "ms/print.h"
#include "rt.h"
#include "scenarios.h"

#define H_FS 1

static ms_fs_t fs_of(const ms_start_t *start)
{
    return (ms_fs_t){.ep = H_FS, .ipc_buffer = (char *)(uintptr_t)start->ipc_buffer};
}

static void writer(const ms_start_t *start)
{
    ms_fs_t f = fs_of(start);
    static const char text[] = "a microkernel keeps its file systems in user space";
    uint64_t fd = 0;
    uint64_t err = ms_fs_mkdir(&f, "/docs");
    if (err == MS_OK)
        err = ms_fs_open(&f, "/docs/note.txt", FS_CREATE, &fd);
    if (err == MS_OK)
        err = ms_fs_write(&f, fd, text, sizeof text - 1);
    ms_fs_close(&f, fd);
    char back[128];
    unsigned got = 0;
    if (err == MS_OK)
        err = ms_fs_open(&f, "/docs/note.txt", 0, &fd);
    if (err == MS_OK)
        err = ms_fs_read(&f, fd, back, sizeof back - 1, &got);
    back[got] = '\0';
    ms_printf("%s: read back \"%s\" (%s)\n", start->name, back, ms_error_name(err));
    ms_exit(err == MS_OK && rt_strcmp(back, text) == 0 ? 0 : 1);
}

static void lister(const ms_start_t *start)
{
    ms_fs_t f = fs_of(start);
    char name[FS_NAME_MAX + 1];
    int is_dir;
    unsigned n = 0;
    while (ms_fs_readdir(&f, "/docs", n, name, &is_dir) == MS_OK) {
        ms_printf("%s: /docs/%s%s\n", start->name, name, is_dir ? "/" : "");
        n++;
    }
    ms_exit(n == 1 ? 0 : 1);
}

static uint64_t raw(const ms_start_t *start, uint32_t label, unsigned words, uint64_t w0, const char *path)
{
    char *buf = (char *)(uintptr_t)start->ipc_buffer;
    unsigned len = (unsigned)rt_strlen(path);
    rt_memcpy(buf, path, len);
    ms_msg_t m = {.info = ms_info(label, words, len, 0), .w = {w0}};
    uint64_t err = ms_call(H_FS, &m);
    return err == MS_OK ? m.w[0] : err;
}

static void prober(const ms_start_t *start)
{
    unsigned ok = 0;
    ok += raw(start, 0x77, 0, 0, "") == MS_E_NOSYS;
    ok += raw(start, FS_MKDIR, 0, 0, "docs") == MS_E_INVAL;
    ok += raw(start, FS_MKDIR, 0, 0, "/a//b") == MS_E_INVAL;
    ok += raw(start, FS_MKDIR, 0, 0, "/this-name-is-longer-than-27-bytes") == MS_E_RANGE;
    ok += raw(start, FS_OPEN, 1, 0, "/docs/missing") == MS_E_NOTFOUND;
    ok += raw(start, FS_READ, 1, 3, "") == MS_E_INVAL;
    ok += raw(start, FS_CLOSE, 1, 5, "") == MS_E_BADHANDLE;
    ok += raw(start, FS_UNLINK, 0, 0, "/docs") == MS_E_BUSY;
    ms_printf("%s: %u of 8 malformed requests refused; the daemon still serves: %s\n", start->name, ok,
              ms_error_name(raw(start, FS_STAT, 0, 0, "/docs/note.txt")));
    ms_exit(ok == 8 ? 0 : 1);
}

#define FS_CLIENT(task_name, fn, p)                                                                                \
    {.name = task_name, .entry = fn, .prio = (p),                                                                  \
     .handles = {{.slot = H_FS, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = MS_RIGHT_SEND, .badge = (p)}}}

const ms_manifest_t scenario_files = {
    .name = "files",
    .description = "the file system daemon: a file written and read back, a directory listed, malformed requests refused",
    .endpoints = 1,
    .ntasks = 4,
    .tasks = {
        {.name = "fs", .entry = fs_main, .prio = 40, .daemon = 1, .mem_kib = 2048,
         .handles = {{.slot = FS_H_ENDPOINT, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = MS_RIGHT_RECV}}},
        FS_CLIENT("writer", writer, 30),
        FS_CLIENT("lister", lister, 20),
        FS_CLIENT("prober", prober, 10),
    },
};
