/*
 * names: the name server at work. An echo server registers its endpoint as
 * "/svc/echo", handing out the send right only; a client finds it by name
 * and calls it. A prober sends the server one malformed request of each
 * kind and checks each error reply, then that a good lookup still works.
 */
#include "ms/names.h"
#include "ms/print.h"
#include "scenarios.h"

#define H_NAMES 1 /* every task's handle to the name server */
#define H_OWN 2   /* the echo server's own endpoint */
#define ECHO 0x3c40u

static ms_names_t names_of(const ms_start_t *start)
{
    return (ms_names_t){.ep = H_NAMES, .ipc_buffer = (char *)(uintptr_t)start->ipc_buffer};
}

static void echo(const ms_start_t *start)
{
    ms_names_t n = names_of(start);
    uint64_t err = ms_names_register(&n, "/svc/echo", H_OWN, MS_RIGHT_SEND);
    ms_printf("%s: registered /svc/echo: %s\n", start->name, ms_error_name(err));
    ms_msg_t m;
    err = ms_recv(H_OWN, &m);
    while (err == MS_OK) {
        m.info = ms_info(ECHO, 1, 0, 0);
        m.w[0] += 1;
        err = ms_reply_recv(H_OWN, &m);
    }
    ms_exit(1);
}

static void client(const ms_start_t *start)
{
    ms_names_t n = names_of(start);
    ms_handle_t svc;
    uint64_t err = ms_names_lookup(&n, "/svc/echo", &svc);
    ms_msg_t m = {.info = ms_info(ECHO, 1, 0, 0), .w = {41}};
    if (err == MS_OK)
        err = ms_call(svc, &m);
    ms_printf("%s: /svc/echo answered %lu (%s)\n", start->name, (unsigned long)m.w[0], ms_error_name(err));
    ms_exit(err == MS_OK && m.w[0] == 42 ? 0 : 1);
}

/* One raw request: label, words, payload bytes from text. Returns w0. */
static uint64_t raw(const ms_start_t *start, uint32_t label, unsigned words, const char *text, unsigned len)
{
    char *buf = (char *)(uintptr_t)start->ipc_buffer;
    for (unsigned i = 0; i < len; i++)
        buf[i] = text[i];
    ms_msg_t m = {.info = ms_info(label, words, len, 0), .w = {MS_RIGHT_SEND}};
    uint64_t err = ms_call(H_NAMES, &m);
    return err == MS_OK ? m.w[0] : err;
}

static void prober(const ms_start_t *start)
{
    static const struct {
        uint32_t label;
        unsigned words;
        const char *path;
        unsigned len;
        uint64_t want;
    } cases[] = {
        {0x777, 0, "/x", 2, MS_E_NOSYS},                  /* unknown label */
        {NAMES_LOOKUP, 0, "svc/echo", 8, MS_E_INVAL},      /* no leading / */
        {NAMES_LOOKUP, 0, "/svc//echo", 10, MS_E_INVAL},   /* empty component */
        {NAMES_LOOKUP, 2, "/svc/echo", 9, MS_E_INVAL},     /* wrong word count */
        {NAMES_LOOKUP, 0, "/svc/echo-not-there", 19, MS_E_NOTFOUND},
        {NAMES_REGISTER, 1, "/mine", 5, MS_E_INVAL},       /* no handle sent */
        {NAMES_UNREGISTER, 0, "/svc/echo", 9, MS_E_RIGHTS}, /* not the owner */
        {NAMES_FORGET, 1, "", 0, MS_E_RIGHTS},             /* not the process manager */
        {NAMES_LOOKUP, 0, "/0123456789012345678901234567890123456789012345678901234567890123", 65, MS_E_RANGE},
    };
    unsigned ok = 0, n = sizeof cases / sizeof cases[0];
    for (unsigned i = 0; i < n; i++) {
        uint64_t got = raw(start, cases[i].label, cases[i].words, cases[i].path, cases[i].len);
        if (got == cases[i].want)
            ok++;
        else
            ms_printf("%s: case %u got %s, not %s\n", start->name, i, ms_error_name(got),
                      ms_error_name(cases[i].want));
    }
    ms_names_t nm = names_of(start);
    ms_handle_t svc;
    uint64_t err = ms_names_lookup(&nm, "/svc/echo", &svc);
    ms_printf("%s: %u of %u malformed requests refused as expected; the server still answers: %s\n", start->name,
              ok, n, ms_error_name(err));
    ms_exit(ok == n && err == MS_OK ? 0 : 1);
}

#define NAMES_HANDLE(b)                                                                                            \
    {.slot = H_NAMES, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = MS_RIGHT_SEND | MS_RIGHT_GRANT, .badge = (b)}

const ms_manifest_t scenario_names = {
    .name = "names",
    .description = "an echo server registers /svc/echo, a client looks it up; a prober's malformed requests are refused",
    .endpoints = 2,
    .ntasks = 4,
    .tasks = {
        {.name = "names", .entry = names_main, .prio = 30, .daemon = 1,
         .handles = {{.slot = NAMES_H_ENDPOINT, .type = MS_OBJ_ENDPOINT, .index = 0,
                      .rights = MS_RIGHT_RECV | MS_RIGHT_GRANT}}},
        {.name = "echo", .entry = echo, .prio = 20, .daemon = 1,
         .handles = {NAMES_HANDLE(7),
                     {.slot = H_OWN, .type = MS_OBJ_ENDPOINT, .index = 1, .rights = MS_RIGHTS_ALL}}},
        {.name = "client", .entry = client, .prio = 10, .handles = {NAMES_HANDLE(0)}},
        {.name = "prober", .entry = prober, .prio = 5, .handles = {NAMES_HANDLE(9)}},
    },
};
