/* demo server: two threads, each a reply_recv loop with one handler per operation. */
#include "demo.h"
#include "ms/syscall.h"

/* What both server threads share; it lives in the task's heap. */
typedef struct server_stats {
    uint64_t calls[3]; /* by badge 0, 1, 2 */
} server_stats_t;

/* One server thread: its own IPC buffer, the shared statistics. */
typedef struct server_thread {
    char *ipc_buffer;
    server_stats_t *stats;
} server_thread_t;

/* Each handler turns the request in m into the reply in m. */
typedef void demo_handler_fn(server_thread_t *s, ms_msg_t *m);

static void do_add(server_thread_t *s, ms_msg_t *m)
{
    (void)s;
    uint64_t sum = 0;
    for (unsigned i = 0; i < ms_info_words(m->info); i++)
        sum += m->w[i];
    m->info = ms_info(DEMO_ADD, 1, 0, 0);
    m->w[0] = sum;
}

static void do_upper(server_thread_t *s, ms_msg_t *m)
{
    unsigned len = ms_info_payload(m->info);
    for (unsigned i = 0; i < len; i++)
        if (s->ipc_buffer[i] >= 'a' && s->ipc_buffer[i] <= 'z')
            s->ipc_buffer[i] = (char)(s->ipc_buffer[i] - 'a' + 'A');
    m->info = ms_info(DEMO_UPPER, 0, len, 0);
}

static void do_stats(server_thread_t *s, ms_msg_t *m)
{
    m->info = ms_info(DEMO_STATS, 2, 0, 0);
    m->w[0] = s->stats->calls[1];
    m->w[1] = s->stats->calls[2];
}

static demo_handler_fn *const handlers[] = {
    [DEMO_ADD] = do_add,
    [DEMO_UPPER] = do_upper,
    [DEMO_STATS] = do_stats,
};

static void serve(server_thread_t *s, ms_msg_t *m)
{
    uint32_t label = ms_info_label(m->info);
    if (m->badge < 3)
        s->stats->calls[m->badge]++;
    if (label < sizeof handlers / sizeof handlers[0] && handlers[label]) {
        handlers[label](s, m);
        return;
    }
    m->info = ms_info(DEMO_ERROR, 1, 0, 0);
    m->w[0] = MS_E_INVAL;
}

__attribute__((noreturn)) static void serve_forever(server_thread_t *s)
{
    ms_msg_t m;
    uint64_t err = ms_recv(DEMO_H_SERVICE, &m);
    while (err == MS_OK) {
        serve(s, &m);
        err = ms_reply_recv(DEMO_H_SERVICE, &m);
    }
    ms_exit(1);
}

/* The second thread's layout in the heap: its stack, then its IPC buffer. */
typedef struct worker_area {
    char stack[16384];
    char ipc_buffer[MS_IPC_BUFFER_SIZE];
    server_thread_t self;
} worker_area_t;

static void worker(uint64_t arg)
{
    worker_area_t *area = (worker_area_t *)(uintptr_t)arg;
    serve_forever(&area->self);
}

void demo_server(const ms_start_t *start)
{
    /* The heap holds the shared statistics and the second thread's area. */
    server_stats_t *stats = (server_stats_t *)(uintptr_t)start->heap_base;
    worker_area_t *area = (worker_area_t *)(uintptr_t)(start->heap_base + 4096);
    *stats = (server_stats_t){0};
    area->self = (server_thread_t){.ipc_buffer = area->ipc_buffer, .stats = stats};
    ms_handle_t thread;
    uint64_t err = ms_thread_create(MS_HANDLE_SELF, worker, area->stack, sizeof area->stack, area->ipc_buffer,
                                    (uint64_t)(uintptr_t)area, start->arg[0], &thread);
    server_thread_t self = {.ipc_buffer = (char *)(uintptr_t)start->ipc_buffer, .stats = stats};
    if (err != MS_OK)
        ms_exit(1);
    serve_forever(&self);
}
