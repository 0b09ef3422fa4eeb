/*
 * fs: the file system daemon: a hierarchical in-memory file system. The
 * tree and every decision are in fs_core.c; this is the IPC loop around it.
 * The file system lives in the daemon's heap (its manifest gives it
 * memory enough: sizeof(fs_t), about 1 MiB). See ms/fs.h for the protocol.
 */
#include "ms/fs.h"

#include "fs_core.h"
#include "ms/print.h"

void fs_main(const ms_start_t *start)
{
    fs_t *fs = (fs_t *)(uintptr_t)start->heap_base;
    if (start->heap_size < sizeof *fs) {
        ms_printf("%s: needs %lu KiB of heap\n", start->name, (unsigned long)(sizeof *fs / 1024 + 1));
        ms_exit(1);
    }
    fs_init(fs);
    char *buf = (char *)(uintptr_t)start->ipc_buffer;
    char out[MS_MSG_PAYLOAD_MAX];
    ms_msg_t m;
    uint64_t err = ms_recv(FS_H_ENDPOINT, &m);
    while (err == MS_OK) {
        fs_request_t rq = {.label = ms_info_label(m.info), .words = ms_info_words(m.info), .w = {m.w[0], m.w[1]},
                           .badge = m.badge, .payload = buf, .len = ms_info_payload(m.info)};
        fs_reply_t rp = {.out = out};
        fs_serve(fs, &rq, &rp);
        if (ms_info_has_handle(m.info))
            ms_handle_close((ms_handle_t)m.handle);
        for (unsigned i = 0; i < rp.out_len; i++)
            buf[i] = out[i];
        m = (ms_msg_t){.info = ms_info(0, 3, rp.out_len, 0), .w = {rp.w[0], rp.w[1], rp.w[2]}};
        err = ms_reply_recv(FS_H_ENDPOINT, &m);
    }
    ms_printf("%s: receive failed (%s)\n", start->name, ms_error_name(err));
    ms_exit(1);
}
