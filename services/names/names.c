/*
 * names: the name server. Tasks register endpoints under path-like names
 * and look them up; see ms/names.h for the protocol. The table and every
 * decision are in names_core.c; this is the IPC loop around it.
 */
#include "ms/names.h"

#include "ms/print.h"
#include "names_core.h"

/* A request as the core wants it, from the message and the IPC buffer. */
static names_request_t request_of(const ms_msg_t *m, const char *ipc_buffer)
{
    names_request_t rq = {
        .label = ms_info_label(m->info),
        .words = ms_info_words(m->info),
        .w0 = m->w[0],
        .badge = m->badge,
        .path = ipc_buffer,
        .path_len = ms_info_payload(m->info),
        .has_handle = ms_info_has_handle(m->info),
        .handle = (uint32_t)m->handle,
    };
    uint64_t badge;
    if (rq.has_handle && ms_handle_info((ms_handle_t)rq.handle, &rq.handle_type, &rq.handle_rights, &badge) != MS_OK)
        rq.handle_type = MS_OBJ_NONE;
    return rq;
}

void names_main(const ms_start_t *start)
{
    names_t table;
    names_init(&table);
    const char *ipc_buffer = (const char *)(uintptr_t)start->ipc_buffer;
    ms_handle_t given = 0; /* the copy the last reply carried: closed once it went */
    ms_msg_t m;
    uint64_t err = ms_recv(NAMES_H_ENDPOINT, &m);
    while (err == MS_OK) {
        if (given)
            ms_handle_close(given);
        given = 0;
        names_request_t rq = request_of(&m, ipc_buffer);
        names_reply_t rp;
        names_serve(&table, &rq, &rp);
        for (unsigned i = 0; i < rp.nclose; i++)
            ms_handle_close(rp.close[i]);
        uint64_t caller = m.badge;
        m = (ms_msg_t){.info = ms_info(0, 1, 0, 0), .w = {rp.err}};
        if (rp.give && ms_handle_copy(rp.give_handle, rp.give_rights, caller, &given) == MS_OK) {
            m.info = ms_info(0, 1, 0, 1);
            m.handle = given;
        }
        err = ms_reply_recv(NAMES_H_ENDPOINT, &m);
    }
    ms_printf("%s: receive failed (%lu)\n", start->name, (unsigned long)err);
    ms_exit(1);
}
