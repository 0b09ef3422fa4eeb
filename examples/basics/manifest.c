/* demo: the default scenario, a two-thread server, two clients of different priorities and a handle transfer. */
#include "demo.h"
#include "scenarios.h"

#define EP_SERVICE 0
#define EP_HI_BOOT 1
#define EP_LO_BOOT 2

const ms_manifest_t scenario_basics = {
    .name = "basics",
    .description = "init hands badged handles to two clients (high and low priority) of a two-thread server",
    .endpoints = 3,
    .ntasks = 4,
    .tasks = {
        {.name = "init", .entry = demo_init, .prio = 200,
         .handles = {{.slot = DEMO_H_SERVICE, .type = MS_OBJ_ENDPOINT, .index = EP_SERVICE,
                      .rights = MS_RIGHT_SEND | MS_RIGHT_GRANT},
                     {.slot = DEMO_H_HI_BOOT, .type = MS_OBJ_ENDPOINT, .index = EP_HI_BOOT,
                      .rights = MS_RIGHT_SEND | MS_RIGHT_GRANT},
                     {.slot = DEMO_H_LO_BOOT, .type = MS_OBJ_ENDPOINT, .index = EP_LO_BOOT,
                      .rights = MS_RIGHT_SEND | MS_RIGHT_GRANT}}},
        {.name = "server", .entry = demo_server, .prio = 100, .daemon = 1, .arg = {100},
         .handles = {{.slot = DEMO_H_SERVICE, .type = MS_OBJ_ENDPOINT, .index = EP_SERVICE,
                      .rights = MS_RIGHT_RECV}}},
        {.name = "hi", .entry = demo_client, .prio = 150, .arg = {1, 10, 0},
         .handles = {{.slot = DEMO_H_BOOT, .type = MS_OBJ_ENDPOINT, .index = EP_HI_BOOT,
                      .rights = MS_RIGHT_RECV}}},
        {.name = "lo", .entry = demo_client, .prio = 50, .arg = {2, 20, 1},
         .handles = {{.slot = DEMO_H_BOOT, .type = MS_OBJ_ENDPOINT, .index = EP_LO_BOOT,
                      .rights = MS_RIGHT_RECV}}},
    },
};
