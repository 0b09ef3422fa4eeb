/* hog: a task that computes forever, never entering the kernel, beside a
 * client and a server of the same priority doing round trips. Only a clock
 * that interrupts user code (host or step) lets the round trips finish. */
#include "ms/syscall.h"
#include "pingpong.h"
#include "scenarios.h"

/* No system call, ever: only the timer interrupt takes the CPU back. */
static void hog_main(const ms_start_t *start)
{
    (void)start;
    volatile uint64_t spins = 0;
    for (;;)
        spins = spins + 1;
}

const ms_manifest_t scenario_hog = {
    .name = "hog",
    .description = "a task that computes forever beside 20 round trips at its priority; needs --clock=host or step",
    .compute_bound = 1,
    .endpoints = 1,
    .ntasks = 3,
    .tasks = {
        {.name = "server", .entry = pingpong_server, .prio = 10,
         .handles = {{.slot = PINGPONG_EP, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = MS_RIGHT_RECV}}},
        {.name = "client", .entry = pingpong_client, .prio = 10, .arg = {20},
         .handles = {{.slot = PINGPONG_EP, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = MS_RIGHT_SEND}}},
        {.name = "hog", .entry = hog_main, .prio = 10, .daemon = 1, .slice_us = 2000},
    },
};
