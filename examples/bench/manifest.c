/* bench-ipc: the scenario `microsim bench` times (small by default when run by hand). */
#include "bench.h"
#include "ms/pager.h"
#include "scenarios.h"

const ms_manifest_t scenario_bench_ipc = {
    .name = "bench-ipc",
    .description = "the call/reply loop microsim bench times: 8-word echo calls in batches",
    .endpoints = 1,
    .ntasks = 2,
    .tasks = {
        {.name = "echo", .entry = bench_server, .prio = 20,
         .handles = {{.slot = BENCH_EP, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = MS_RIGHT_RECV}}},
        {.name = "caller", .entry = bench_client, .prio = BENCH_CLIENT_PRIO, .arg = {2, 5},
         .handles = {{.slot = BENCH_EP, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = MS_RIGHT_SEND}}},
    },
};

/* Not listed: the programs microsim bench runs on the other clocks. */
const ms_manifest_t scenario_bench_step = {
    .name = "bench-step",
    .description = "a loop with no system call between two marks, for the step clock's cost",
    .ntasks = 1,
    .tasks = {{.name = "spin", .entry = bench_spin, .prio = 10, .arg = {2000}}},
};

const ms_manifest_t scenario_bench_irq = {
    .name = "bench-irq",
    .description = "a task that times its own interruptions, for the host clock's interrupt cost",
    .ntasks = 1,
    .tasks = {{.name = "gaps", .entry = bench_tsc_gaps, .prio = 10, .arg = {100000000}}},
};

/* The call/reply loop within one task: the echo server is the caller's
 * second thread. */
const ms_manifest_t scenario_bench_ipc_same = {
    .name = "bench-ipc-same",
    .description = "the call/reply loop of bench-ipc, the echo server a thread of the caller's task",
    .endpoints = 1,
    .ntasks = 1,
    .tasks = {
        {.name = "caller", .entry = bench_client, .prio = BENCH_CLIENT_PRIO, .arg = {2, 5, 1},
         .handles = {{.slot = BENCH_EP, .type = MS_OBJ_ENDPOINT, .index = 0,
                      .rights = MS_RIGHT_SEND | MS_RIGHT_RECV}}},
    },
};

/* Page faults served by a user-level pager, and hosted TLB fills. */
const ms_manifest_t scenario_bench_pages = {
    .name = "bench-pages",
    .description = "a demand-paged task touches pages its pager maps: TLB fills and page faults",
    .endpoints = 1,
    .nframes = 1,
    .frames_kib = {2 * BENCH_PAGES * 4 + 64},
    .ntasks = 2,
    .tasks = {
        {.name = "toucher", .entry = bench_pages, .prio = 10, .mem_kib = 1024, .arg = {BENCH_PAGES},
         .demand = 1, .fault_ep = 1, .fault_badge = 1,
         .handles = {{.slot = BENCH_EP, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = MS_RIGHT_SEND, .badge = 1}}},
        PAGER_TASK(1024u * 1024u, 64u * 1024u),
    },
};
