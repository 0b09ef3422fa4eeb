/* bench-ipc: the scenario `microsim bench` times (small by default when run by hand). */
#include "bench.h"
#include "scenarios.h"

const ms_manifest_t scenario_bench_ipc = {
    .name = "bench-ipc",
    .description = "the call/reply loop microsim bench times: 8-word echo calls in batches",
    .endpoints = 1,
    .ntasks = 2,
    .tasks = {
        {.name = "echo", .entry = bench_server, .prio = 20,
         .handles = {{.slot = BENCH_EP, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = MS_RIGHT_RECV}}},
        {.name = "caller", .entry = bench_client, .prio = 10, .arg = {2, 5},
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
