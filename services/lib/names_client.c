/* Client stubs of the name server's protocol (ms/names.h). */
#include "ms/names.h"

#include "ms/procman.h"

/* Copies path into the IPC buffer; returns its length, or NAMES_PATH_MAX + 1
 * if it is longer than a name may be (the server says E_RANGE). */
static unsigned put_path(const ms_names_t *n, const char *path)
{
    unsigned len = 0;
    while (path[len] && len <= NAMES_PATH_MAX) {
        n->ipc_buffer[len] = path[len];
        len++;
    }
    return len;
}

static uint64_t result(uint64_t err, const ms_msg_t *m)
{
    return err == MS_OK ? m->w[0] : err;
}

uint64_t ms_names_register(const ms_names_t *n, const char *path, ms_handle_t h, uint32_t rights)
{
    unsigned len = put_path(n, path);
    ms_msg_t m = {.info = ms_info(NAMES_REGISTER, 1, len, 1), .w = {rights}, .handle = h};
    return result(ms_call(n->ep, &m), &m);
}

uint64_t ms_names_lookup(const ms_names_t *n, const char *path, ms_handle_t *out)
{
    unsigned len = put_path(n, path);
    ms_msg_t m = {.info = ms_info(NAMES_LOOKUP, 0, len, 0)};
    uint64_t err = result(ms_call(n->ep, &m), &m);
    if (err == MS_OK && !ms_info_has_handle(m.info))
        return MS_E_NOTFOUND; /* the server could not hand it over */
    if (err == MS_OK)
        *out = (ms_handle_t)m.handle;
    return err;
}

uint64_t ms_names_unregister(const ms_names_t *n, const char *path)
{
    unsigned len = put_path(n, path);
    ms_msg_t m = {.info = ms_info(NAMES_UNREGISTER, 0, len, 0)};
    return result(ms_call(n->ep, &m), &m);
}

ms_names_t ms_names_of(const ms_start_t *start)
{
    return (ms_names_t){.ep = PROCMAN_SLOT_NAMES, .ipc_buffer = (char *)(uintptr_t)start->ipc_buffer};
}

uint64_t ms_names_publish(const ms_start_t *start, const char *path, ms_handle_t ep)
{
    if (!PROCMAN_PID(start))
        return MS_OK; /* a boot manifest's task: no process manager gave it a name server */
    ms_names_t n = ms_names_of(start);
    return ms_names_register(&n, path, ep, MS_RIGHT_SEND);
}
