/*
 * init: the first task. It starts the services of its boot table through
 * the process manager, each after the ones it needs, hands each its
 * handles, and waits until each serves; then it waits for the foreground
 * programs and ends with their status. See ms/init.h.
 */
#include "ms/init.h"

#include "ms/names.h"
#include "ms/print.h"
#include "ms/procman.h"
#include "rt.h"

#define POLL_BIT 0x1u
#define POLL_NS 1000000u /* 1 ms before the second lookup of a service's name */
#define INIT_MAX PROCMAN_MAX

typedef struct init {
    const init_service_t *table;
    unsigned n;
    uint8_t up[INIT_MAX];   /* entry i serves */
    uint32_t pid[INIT_MAX];
    ms_handle_t eps[INIT_ENDPOINTS];
    ms_handle_t poll; /* the notification its alarms signal */
    ms_names_t names; /* its way to the name server, badged INIT_NAMES_BADGE */
} init_t;

static uint64_t procman_call(ms_msg_t *m)
{
    uint64_t err = ms_call(INIT_H_PROCMAN, m);
    return err == MS_OK ? m->w[0] : err;
}

static int find_entry(const init_t *in, const char *program)
{
    for (unsigned i = 0; i < in->n; i++)
        if (rt_strcmp(in->table[i].program, program) == 0)
            return (int)i;
    return -1;
}

/* Entry i may start: everything it needs is up. */
static int ready_to_start(const init_t *in, unsigned i)
{
    for (unsigned k = 0; k < INIT_NEEDS_MAX && in->table[i].needs[k]; k++) {
        int j = find_entry(in, in->table[i].needs[k]);
        if (j < 0 || !in->up[j])
            return 0;
    }
    return 1;
}

/* Gives the held process of entry i one handle of its list. */
static uint64_t give(init_t *in, unsigned i, const init_handle_t *h)
{
    ms_handle_t src = h->from == INIT_ENDPOINT && h->index < INIT_ENDPOINTS ? in->eps[h->index]
                      : h->from == INIT_OWN                                  ? h->index
                                                                            : 0;
    ms_handle_t copy;
    uint64_t err = src ? ms_handle_copy(src, h->rights, h->badge, &copy) : MS_E_INVAL;
    if (err != MS_OK)
        return err;
    ms_msg_t m = {.info = ms_info(PROCMAN_GIVE, 2, 0, 1), .w = {in->pid[i], h->slot}, .handle = copy};
    err = procman_call(&m);
    ms_handle_close(copy);
    return err;
}

/* The entry is the name server: it receives on init's names endpoint. */
static int serves_names(const init_service_t *s)
{
    for (unsigned k = 0; k < INIT_SERVICE_HANDLES && s->handles[k].slot; k++)
        if (s->handles[k].from == INIT_OWN && s->handles[k].index == INIT_H_NAMES)
            return 1;
    return 0;
}

/* Spawns entry i held, gives it its handles and runs it. */
static uint64_t start(init_t *in, unsigned i)
{
    const init_service_t *s = &in->table[i];
    unsigned len = (unsigned)rt_strlcpy(in->names.ipc_buffer, s->program, PROCMAN_NAME_MAX + 1);
    ms_msg_t m = {.info = ms_info(PROCMAN_SPAWN, 4, len, 0), .w = {s->arg[0], s->arg[1], s->arg[2], PROCMAN_HOLD}};
    uint64_t err = procman_call(&m);
    if (err != MS_OK)
        return err;
    in->pid[i] = (uint32_t)m.w[1];
    for (unsigned k = 0; k < INIT_SERVICE_HANDLES && s->handles[k].slot && err == MS_OK; k++)
        err = give(in, i, &s->handles[k]);
    if (err != MS_OK)
        return err;
    if (!s->publishes) /* said now: it may run to its end before init runs again */
        ms_printf("init: %s starts (pid %u)\n", s->program, in->pid[i]);
    m = (ms_msg_t){.info = ms_info(PROCMAN_RUN, 1, 0, 0), .w = {in->pid[i]}};
    err = procman_call(&m);
    if (err == MS_OK && serves_names(s))
        err = ms_names_register(&in->names, INIT_PROCMAN_PATH, INIT_H_PROCMAN, MS_RIGHT_SEND);
    return err;
}

/* Waits until the name server knows the path entry i publishes: looks it
 * up at once, then after 1, 2, 4 ... ms, for at most INIT_READY_MS in all. */
static uint64_t await(init_t *in, unsigned i)
{
    const char *path = in->table[i].publishes;
    uint64_t err = MS_E_NOTFOUND, bits, waited = 0;
    for (uint64_t delay = POLL_NS; path; delay *= 2) {
        ms_handle_t h;
        err = ms_names_lookup(&in->names, path, &h);
        if (err == MS_OK) {
            ms_handle_close(h);
            return MS_OK;
        }
        if (err != MS_E_NOTFOUND || waited >= INIT_READY_MS * 1000000ull ||
            ms_alarm(in->poll, POLL_BIT, delay) != MS_OK || ms_wait(in->poll, &bits) != MS_OK)
            break;
        waited += delay;
    }
    return path ? (err == MS_E_NOTFOUND ? MS_E_TIMEOUT : err) : MS_OK;
}

/* Starts every entry, each after what it needs. MS_OK, or the boot stops. */
static uint64_t boot(init_t *in)
{
    uint8_t started[INIT_MAX] = {0};
    for (unsigned done = 0; done < in->n;) {
        int next = -1;
        for (unsigned i = 0; i < in->n && next < 0; i++)
            if (!started[i] && ready_to_start(in, i))
                next = (int)i;
        if (next < 0) {
            for (unsigned i = 0; i < in->n; i++)
                if (!started[i])
                    ms_printf("init: %s needs a service that is not in the table or cannot start first\n",
                              in->table[i].program);
            return MS_E_INVAL;
        }
        started[next] = 1;
        done++;
        uint64_t err = start(in, (unsigned)next);
        if (err == MS_OK)
            err = await(in, (unsigned)next);
        if (err != MS_OK) {
            ms_printf("init: %s did not come up: %s\n", in->table[next].program, ms_error_name(err));
            return err;
        }
        in->up[next] = 1;
        if (in->table[next].publishes)
            ms_printf("init: %s is up (pid %u)\n", in->table[next].program, in->pid[next]);
    }
    return MS_OK;
}

/* Waits for the foreground programs; the first non-zero status. */
static uint64_t wait_foreground(const init_t *in)
{
    uint64_t result = 0;
    for (unsigned i = 0; i < in->n; i++) {
        if (!in->table[i].wait)
            continue;
        ms_msg_t m = {.info = ms_info(PROCMAN_WAIT, 1, 0, 0), .w = {in->pid[i]}};
        uint64_t err = procman_call(&m);
        uint64_t status = err != MS_OK ? 1 : m.w[1] == MS_TASK_EXITED ? m.w[2] : 1;
        if (!result)
            result = status;
    }
    return result;
}

static uint64_t setup(init_t *in)
{
    uint64_t err = ms_handle_copy(INIT_H_NAMES, MS_RIGHT_SEND | MS_RIGHT_GRANT, INIT_NAMES_BADGE, &in->names.ep);
    if (err == MS_OK)
        err = ms_notification_create(&in->poll);
    for (unsigned i = 0; i < INIT_ENDPOINTS && err == MS_OK; i++)
        err = ms_endpoint_create(&in->eps[i]);
    return err;
}

void init_main(const ms_start_t *start)
{
    init_t in = {
        .table = (const init_service_t *)(uintptr_t)start->arg[0],
        .n = (unsigned)start->arg[1],
        .names = {.ipc_buffer = (char *)(uintptr_t)start->ipc_buffer},
    };
    if (in.n > INIT_MAX) {
        ms_printf("init: a boot table of %u entries; at most %u\n", in.n, INIT_MAX);
        ms_exit(1);
    }
    uint64_t err = setup(&in);
    if (err != MS_OK) {
        ms_printf("init: cannot start (%s)\n", ms_error_name(err));
        ms_exit(1);
    }
    if (boot(&in) != MS_OK)
        ms_exit(1);
    ms_exit(wait_foreground(&in));
}
