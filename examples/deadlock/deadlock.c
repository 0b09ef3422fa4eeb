/* deadlock: each of two tasks calls the other before either receives. */
#include "ms/print.h"
#include "ms/syscall.h"
#include "scenarios.h"

#define H_PEER 1 /* the other task's endpoint, send right */
#define H_OWN 2  /* this task's endpoint, receive right */

static void deadlock_peer(const ms_start_t *start)
{
    ms_msg_t m = {.info = ms_info(1, 0, 0, 0)};
    uint64_t err = ms_call(H_PEER, &m); /* never answered: the peer is calling us */
    ms_printf("%s: the call returned %llu, which a deadlock cannot do\n", start->name, (unsigned long long)err);
    ms_exit(1);
}

const ms_manifest_t scenario_deadlock = {
    .name = "deadlock",
    .description = "two tasks call each other; the kernel finds nothing can run and halts with status 1",
    .endpoints = 2,
    .ntasks = 2,
    .tasks = {
        {.name = "left", .entry = deadlock_peer, .prio = 10,
         .handles = {{.slot = H_PEER, .type = MS_OBJ_ENDPOINT, .index = 1, .rights = MS_RIGHT_SEND},
                     {.slot = H_OWN, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = MS_RIGHT_RECV}}},
        {.name = "right", .entry = deadlock_peer, .prio = 10,
         .handles = {{.slot = H_PEER, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = MS_RIGHT_SEND},
                     {.slot = H_OWN, .type = MS_OBJ_ENDPOINT, .index = 1, .rights = MS_RIGHT_RECV}}},
    },
};
