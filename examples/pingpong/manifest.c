/* pingpong: the minimal round trip, a client calls a server 1,000 times. */
#include "pingpong.h"
#include "scenarios.h"

const ms_manifest_t scenario_pingpong = {
    .name = "pingpong",
    .description = "two tasks: a client calls a server 1,000 times; both check every message",
    .endpoints = 1,
    .ntasks = 2,
    .tasks = {
        {.name = "server", .entry = pingpong_server, .prio = 20,
         .handles = {{.slot = PINGPONG_EP, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = MS_RIGHT_RECV}}},
        {.name = "client", .entry = pingpong_client, .prio = 10, .arg = {1000},
         .handles = {{.slot = PINGPONG_EP, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = MS_RIGHT_SEND}}},
    },
};
