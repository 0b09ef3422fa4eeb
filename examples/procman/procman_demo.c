/*
 * procman: the process manager at work. A test driver spawns a worker that
 * exits with the status it was given, a crasher that the manager restarts
 * twice and then leaves dead, and a sleeper that it kills; it waits for each
 * and checks how it ended, lists the processes, and checks that malformed
 * requests get their errors. A registrar registers a name and crashes:
 * procman has the name server forget its names, so that its restart can
 * register the name again, and after its last death the name is gone.
 */
#include "ms/names.h"
#include "ms/print.h"
#include "ms/procman.h"
#include "scenarios.h"

#define H_PROCMAN 1
#define H_QUIET 2 /* an endpoint nobody sends to: the sleeper waits on it for ever */
#define H_NAMES 3 /* init's handle to the name server */

static void worker(const ms_start_t *start)
{
    ms_printf("%s: pid %lu, exiting with %lu\n", start->name, (unsigned long)start->arg[3],
              (unsigned long)start->arg[0]);
    ms_exit((int64_t)start->arg[0]);
}

static void crasher(const ms_start_t *start)
{
    ms_printf("%s: pid %lu, about to crash\n", start->name, (unsigned long)start->arg[3]);
    *(volatile int *)(uintptr_t)0xdead0000u = 1;
    ms_exit(0);
}

static void sleeper(const ms_start_t *start)
{
    ms_msg_t m;
    ms_recv(1, &m); /* the handle it was given: nobody ever sends */
    ms_printf("%s: woke up, which it should not\n", start->name);
    ms_exit(1);
}

static void registrar(const ms_start_t *start)
{
    ms_names_t n = {.ep = PROCMAN_SLOT_NAMES, .ipc_buffer = (char *)(uintptr_t)start->ipc_buffer};
    ms_handle_t own;
    uint64_t err = ms_endpoint_create(&own);
    if (err == MS_OK)
        err = ms_names_register(&n, "/svc/registrar", own, MS_RIGHT_SEND);
    ms_printf("%s: registered /svc/registrar: %s\n", start->name, ms_error_name(err));
    if (err != MS_OK)
        ms_exit(1);
    *(volatile int *)(uintptr_t)0xdead0000u = 1; /* and crash */
    ms_exit(0);
}

static const procman_program_t programs[] = {
    {.name = "worker", .entry = worker, .mem_kib = 64, .prio = 10, .policy = PROCMAN_LEAVE_DEAD},
    {.name = "crasher", .entry = crasher, .mem_kib = 64, .prio = 10, .policy = PROCMAN_RESTART, .max_restarts = 2},
    {.name = "sleeper", .entry = sleeper, .mem_kib = 64, .prio = 10, .policy = PROCMAN_RESTART, .max_restarts = 5},
    {.name = "registrar", .entry = registrar, .mem_kib = 64, .prio = 10, .policy = PROCMAN_RESTART,
     .max_restarts = 1},
};

/* A call to procman: label, up to three words, name as payload, a handle. */
static uint64_t ask(const ms_start_t *start, uint32_t label, unsigned words, const uint64_t *w, const char *name,
                    ms_handle_t h, ms_msg_t *m)
{
    char *buf = (char *)(uintptr_t)start->ipc_buffer;
    unsigned len = 0;
    while (name && name[len]) {
        buf[len] = name[len];
        len++;
    }
    *m = (ms_msg_t){.info = ms_info(label, words, len, h != 0), .handle = h};
    for (unsigned i = 0; i < words; i++)
        m->w[i] = w[i];
    uint64_t err = ms_call(H_PROCMAN, m);
    return err == MS_OK ? m->w[0] : err;
}

static int check(const char *what, uint64_t got, uint64_t want)
{
    if (got != want)
        ms_printf("init: %s: got %lu, not %lu\n", what, (unsigned long)got, (unsigned long)want);
    return got == want;
}

/* Spawns program with arg a0 (and handle h); waits for it; checks its end. */
static int run_and_wait(const ms_start_t *start, const char *program, uint64_t a0, ms_handle_t h, int kill_it,
                        uint64_t want_state, uint64_t want_status, uint64_t want_restarts)
{
    ms_msg_t m;
    uint64_t args[3] = {a0, 0, 0};
    if (!check("spawn", ask(start, PROCMAN_SPAWN, 3, args, program, h, &m), MS_OK))
        return 0;
    uint64_t pid[1] = {m.w[1]};
    if (kill_it) {
        ask(start, PROCMAN_LIST, 0, 0, 0, 0, &m);
        ms_printf("init: processes:\n%.*s", (int)ms_info_payload(m.info), (const char *)(uintptr_t)start->ipc_buffer);
        check("kill", ask(start, PROCMAN_KILL, 1, pid, 0, 0, &m), MS_OK);
    }
    int ok = check("wait", ask(start, PROCMAN_WAIT, 1, pid, 0, 0, &m), MS_OK);
    ok &= check("state", m.w[1], want_state) & check("status", m.w[2], want_status) &
          check("restarts", m.w[3], want_restarts);
    ms_printf("init: %s (pid %lu) ended: %s, status %ld, %lu restarts\n", program, (unsigned long)pid[0],
              m.w[1] == MS_TASK_EXITED ? "exited" : "killed", (long)m.w[2], (unsigned long)m.w[3]);
    return ok;
}

static void init(const ms_start_t *start)
{
    int ok = run_and_wait(start, "worker", 7, 0, 0, MS_TASK_EXITED, 7, 0);
    ok &= run_and_wait(start, "crasher", 0, 0, 0, MS_TASK_KILLED, (uint64_t)-1, 2);
    ok &= run_and_wait(start, "sleeper", 0, H_QUIET, 1, MS_TASK_KILLED, (uint64_t)-1, 0);
    ok &= run_and_wait(start, "registrar", 0, 0, 0, MS_TASK_KILLED, (uint64_t)-1, 1);
    ms_names_t names = {.ep = H_NAMES, .ipc_buffer = (char *)(uintptr_t)start->ipc_buffer};
    ms_handle_t gone;
    ok &= check("a dead registrar's name", ms_names_lookup(&names, "/svc/registrar", &gone), MS_E_NOTFOUND);
    ms_msg_t m;
    uint64_t none[3] = {0, 0, 0}, bogus[1] = {999};
    ok &= check("spawn of no such program", ask(start, PROCMAN_SPAWN, 3, none, "nosuch", 0, &m), MS_E_NOTFOUND);
    ok &= check("spawn with one word", ask(start, PROCMAN_SPAWN, 1, none, "worker", 0, &m), MS_E_INVAL);
    ok &= check("wait for no such pid", ask(start, PROCMAN_WAIT, 1, bogus, 0, 0, &m), MS_E_NOTFOUND);
    ok &= check("kill of no such pid", ask(start, PROCMAN_KILL, 1, bogus, 0, 0, &m), MS_E_NOTFOUND);
    ok &= check("an unknown request", ask(start, 0x1234, 0, 0, 0, 0, &m), MS_E_NOSYS);
    ok &= check("a long name", ask(start, PROCMAN_SPAWN, 3, none, "a-name-far-too-long", 0, &m), MS_E_RANGE);
    ms_printf("init: %s\n", ok ? "every process ended as expected" : "SOMETHING WENT WRONG");
    ms_exit(ok ? 0 : 1);
}

const ms_manifest_t scenario_procman = {
    .name = "procman",
    .description = "a process manager spawns, waits for, kills and restarts processes (a crasher twice)",
    .endpoints = 3,
    .nframes = 1,
    .frames_kib = {PROCMAN_MAX * PROCMAN_MEM_KIB},
    .ntasks = 3,
    .tasks = {
        {.name = "procman", .entry = procman_main, .prio = 20, .daemon = 1,
         .arg = {(uint64_t)(uintptr_t)programs, sizeof programs / sizeof programs[0], 20},
         .handles = {{.slot = PROCMAN_H_ENDPOINT, .type = MS_OBJ_ENDPOINT, .index = 0,
                      .rights = MS_RIGHT_RECV | MS_RIGHT_GRANT},
                     {.slot = PROCMAN_H_FRAMES, .type = MS_OBJ_FRAMES, .index = 0,
                      .rights = MS_RIGHT_READ | MS_RIGHT_WRITE},
                     {.slot = PROCMAN_H_SEND, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = MS_RIGHT_SEND},
                     {.slot = PROCMAN_H_NAMES, .type = MS_OBJ_ENDPOINT, .index = 2,
                      .rights = MS_RIGHT_SEND | MS_RIGHT_GRANT},
                     {.slot = PROCMAN_H_NAMES_ADMIN, .type = MS_OBJ_ENDPOINT, .index = 2, .rights = MS_RIGHT_SEND,
                      .badge = NAMES_ADMIN}}},
        {.name = "init", .entry = init, .prio = 10,
         .handles = {{.slot = H_PROCMAN, .type = MS_OBJ_ENDPOINT, .index = 0,
                      .rights = MS_RIGHT_SEND | MS_RIGHT_GRANT},
                     {.slot = H_QUIET, .type = MS_OBJ_ENDPOINT, .index = 1, .rights = MS_RIGHTS_ALL},
                     {.slot = H_NAMES, .type = MS_OBJ_ENDPOINT, .index = 2, .rights = MS_RIGHT_SEND | MS_RIGHT_GRANT}}},
        {.name = "names", .entry = names_main, .prio = 30, .daemon = 1,
         .handles = {{.slot = NAMES_H_ENDPOINT, .type = MS_OBJ_ENDPOINT, .index = 2,
                      .rights = MS_RIGHT_RECV | MS_RIGHT_GRANT}}},
    },
};
