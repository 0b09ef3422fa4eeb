/* demo server: a reply_recv loop with one handler per operation. */
#include "demo.h"
#include "ms/syscall.h"

typedef struct server_state {
    char *ipc_buffer;
    uint64_t calls[3]; /* by badge 0, 1, 2 */
} server_state_t;

/* Each handler turns the request in m into the reply in m. */
typedef void demo_handler_fn(server_state_t *s, ms_msg_t *m);

static void do_add(server_state_t *s, ms_msg_t *m)
{
    (void)s;
    uint64_t sum = 0;
    for (unsigned i = 0; i < ms_info_words(m->info); i++)
        sum += m->w[i];
    m->info = ms_info(DEMO_ADD, 1, 0, 0);
    m->w[0] = sum;
}

static void do_upper(server_state_t *s, ms_msg_t *m)
{
    unsigned len = ms_info_payload(m->info);
    for (unsigned i = 0; i < len; i++)
        if (s->ipc_buffer[i] >= 'a' && s->ipc_buffer[i] <= 'z')
            s->ipc_buffer[i] = (char)(s->ipc_buffer[i] - 'a' + 'A');
    m->info = ms_info(DEMO_UPPER, 0, len, 0);
}

static void do_stats(server_state_t *s, ms_msg_t *m)
{
    m->info = ms_info(DEMO_STATS, 2, 0, 0);
    m->w[0] = s->calls[1];
    m->w[1] = s->calls[2];
}

static demo_handler_fn *const handlers[] = {
    [DEMO_ADD] = do_add,
    [DEMO_UPPER] = do_upper,
    [DEMO_STATS] = do_stats,
};

static void serve(server_state_t *s, ms_msg_t *m)
{
    uint32_t label = ms_info_label(m->info);
    if (m->badge < 3)
        s->calls[m->badge]++;
    if (label < sizeof handlers / sizeof handlers[0] && handlers[label]) {
        handlers[label](s, m);
        return;
    }
    m->info = ms_info(DEMO_ERROR, 1, 0, 0);
    m->w[0] = MS_E_INVAL;
}

void demo_server(const ms_start_t *start)
{
    server_state_t s = {.ipc_buffer = (char *)(uintptr_t)start->ipc_buffer};
    ms_msg_t m;
    uint64_t err = ms_recv(DEMO_H_SERVICE, &m);
    while (err == MS_OK) {
        serve(&s, &m);
        err = ms_reply_recv(DEMO_H_SERVICE, &m);
    }
    ms_exit(1);
}
