/* Client stubs of the file system daemon's protocol (ms/fs.h). */
#include "ms/fs.h"

#include "ms/names.h"

/* Copies n bytes to the IPC buffer at off; returns off + n. */
static unsigned put(const ms_fs_t *f, unsigned off, const void *src, unsigned n)
{
    const char *s = src;
    for (unsigned i = 0; i < n && off + i < MS_MSG_PAYLOAD_MAX; i++)
        f->ipc_buffer[off + i] = s[i];
    return off + n;
}

static unsigned length(const char *s)
{
    unsigned n = 0;
    while (s[n] && n <= FS_PATH_MAX)
        n++;
    return n;
}

/* One call: label, up to two words, payload already in the buffer. */
static uint64_t call(const ms_fs_t *f, uint32_t label, unsigned words, uint64_t w0, uint64_t w1, unsigned len,
                     ms_msg_t *m)
{
    *m = (ms_msg_t){.info = ms_info(label, words, len, 0), .w = {w0, w1}};
    uint64_t err = ms_call(f->ep, m);
    return err == MS_OK ? m->w[0] : err;
}

uint64_t ms_fs_open(const ms_fs_t *f, const char *path, uint64_t flags, uint64_t *fd)
{
    ms_msg_t m;
    uint64_t err = call(f, FS_OPEN, 1, flags, 0, put(f, 0, path, length(path)), &m);
    if (err == MS_OK)
        *fd = m.w[1];
    return err;
}

uint64_t ms_fs_write(const ms_fs_t *f, uint64_t fd, const void *data, unsigned len)
{
    ms_msg_t m;
    if (len > MS_MSG_PAYLOAD_MAX)
        return MS_E_RANGE;
    return call(f, FS_WRITE, 1, fd, 0, put(f, 0, data, len), &m);
}

uint64_t ms_fs_read(const ms_fs_t *f, uint64_t fd, void *buf, unsigned size, unsigned *got)
{
    ms_msg_t m;
    uint64_t err = call(f, FS_READ, 2, fd, size, 0, &m);
    unsigned n = err == MS_OK ? ms_info_payload(m.info) : 0;
    char *b = buf;
    for (unsigned i = 0; i < n && i < size; i++)
        b[i] = f->ipc_buffer[i];
    *got = n < size ? n : size;
    return err;
}

uint64_t ms_fs_close(const ms_fs_t *f, uint64_t fd)
{
    ms_msg_t m;
    return call(f, FS_CLOSE, 1, fd, 0, 0, &m);
}

uint64_t ms_fs_mkdir(const ms_fs_t *f, const char *path)
{
    ms_msg_t m;
    return call(f, FS_MKDIR, 0, 0, 0, put(f, 0, path, length(path)), &m);
}

uint64_t ms_fs_readdir(const ms_fs_t *f, const char *path, unsigned index, char *name, int *is_dir)
{
    ms_msg_t m;
    uint64_t err = call(f, FS_READDIR, 1, index, 0, put(f, 0, path, length(path)), &m);
    unsigned n = err == MS_OK ? ms_info_payload(m.info) : 0;
    if (n > FS_NAME_MAX)
        n = FS_NAME_MAX;
    for (unsigned i = 0; i < n; i++)
        name[i] = f->ipc_buffer[i];
    name[n] = '\0';
    *is_dir = err == MS_OK && m.w[1];
    return err;
}

/* Finds the daemon again after it died: the new one publishes FS_PATH
 * once it serves, so a lookup that finds nothing yet yields and tries again. */
static uint64_t resolve(ms_fs_t *f)
{
    ms_names_t n = {.ep = f->names, .ipc_buffer = f->ipc_buffer};
    uint64_t err = MS_E_DEAD;
    for (unsigned i = 0; f->names && i < FS_RETRIES; i++) {
        ms_handle_t h;
        err = ms_names_lookup(&n, FS_PATH, &h);
        if (err == MS_OK) {
            ms_handle_close(f->ep);
            f->ep = h;
            return MS_OK;
        }
        if (err != MS_E_NOTFOUND)
            return err;
        ms_yield();
    }
    return err;
}

/* An idempotent request: label, three words, payload data; sent again
 * (payload and all) after the daemon died with it. */
static uint64_t call_again(ms_fs_t *f, uint32_t label, unsigned words, const uint64_t w[3], const void *data,
                           unsigned len, ms_msg_t *m)
{
    uint64_t err = MS_E_DEAD;
    for (unsigned attempt = 0; attempt <= FS_RETRIES && err == MS_E_DEAD; attempt++) {
        if (attempt && resolve(f) != MS_OK)
            break;
        f->retries += attempt > 0;
        put(f, 0, data, len);
        *m = (ms_msg_t){.info = ms_info(label, words, len, 0), .w = {w[0], w[1], w[2]}};
        err = ms_call(f->ep, m);
        if (err == MS_OK)
            err = m->w[0];
    }
    return err;
}

uint64_t ms_fs_pread(ms_fs_t *f, uint64_t fd, uint64_t offset, void *buf, unsigned size, unsigned *got)
{
    ms_msg_t m;
    const uint64_t w[3] = {fd, offset, size};
    uint64_t err = call_again(f, FS_PREAD, 3, w, 0, 0, &m);
    unsigned n = err == MS_OK ? ms_info_payload(m.info) : 0;
    char *b = buf;
    for (unsigned i = 0; i < n && i < size; i++)
        b[i] = f->ipc_buffer[i];
    *got = n < size ? n : size;
    return err;
}

uint64_t ms_fs_pwrite(ms_fs_t *f, uint64_t fd, uint64_t offset, const void *data, unsigned len)
{
    ms_msg_t m;
    const uint64_t w[3] = {fd, offset, 0};
    if (len > MS_MSG_PAYLOAD_MAX)
        return MS_E_RANGE;
    return call_again(f, FS_PWRITE, 2, w, data, len, &m);
}

uint64_t ms_fs_stat(ms_fs_t *f, const char *path, int *is_dir, uint64_t *size)
{
    ms_msg_t m;
    const uint64_t w[3] = {0, 0, 0};
    uint64_t err = call_again(f, FS_STAT, 0, w, path, length(path), &m);
    *is_dir = err == MS_OK && m.w[1];
    *size = err == MS_OK ? m.w[2] : 0;
    return err;
}
