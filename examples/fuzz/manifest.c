/* fuzz: the boot manifest of one round of a campaign. */
#include "fuzz.h"
#include "rt.h"

void fuzz_manifest(ms_manifest_t *m, unsigned ntasks, const uint64_t *budget)
{
    static const char names[FUZZ_TASKS_MAX][8] = {"fuzz0",  "fuzz1",  "fuzz2",  "fuzz3", "fuzz4",  "fuzz5",
                                                  "fuzz6",  "fuzz7",  "fuzz8",  "fuzz9", "fuzz10", "fuzz11",
                                                  "fuzz12", "fuzz13", "fuzz14", "fuzz15"};
    const uint8_t all = MS_RIGHT_SEND | MS_RIGHT_RECV | MS_RIGHT_GRANT;
    rt_memset(m, 0, sizeof *m);
    m->name = "fuzz";
    m->description = "random system calls (microsim fuzz)";
    m->endpoints = 1 + ntasks; /* 0: shared; 1 + i: task i's own */
    m->notifications = 1;
    m->ntasks = ntasks;
    for (unsigned i = 0; i < ntasks; i++) {
        ms_boot_task_t *t = &m->tasks[i];
        t->name = names[i];
        t->entry = fuzz_main;
        t->prio = (uint8_t)(10 + 10 * (i % 4)); /* a few levels, so preemption happens */
        t->arg[0] = budget[i];
        t->arg[1] = i;
        t->handles[0] = (ms_boot_handle_t){.slot = FUZZ_H_SHARED, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = all};
        t->handles[1] =
            (ms_boot_handle_t){.slot = FUZZ_H_OWN, .type = MS_OBJ_ENDPOINT, .index = (uint8_t)(1 + i), .rights = all};
        t->handles[2] = (ms_boot_handle_t){.slot = FUZZ_H_NEXT,
                                           .type = MS_OBJ_ENDPOINT,
                                           .index = (uint8_t)(1 + (i + 1) % ntasks),
                                           .rights = MS_RIGHT_SEND | MS_RIGHT_GRANT,
                                           .badge = i + 1};
        t->handles[3] = (ms_boot_handle_t){.slot = FUZZ_H_NTFN, .type = MS_OBJ_NOTIFICATION, .index = 0,
                                           .rights = MS_RIGHT_SEND | MS_RIGHT_RECV};
        t->handles[4] =
            (ms_boot_handle_t){.slot = FUZZ_H_IRQ, .type = MS_OBJ_IRQ, .index = 5, .rights = MS_RIGHT_CONTROL};
        /* Half of them send their faults to the shared endpoint. */
        t->fault_ep = i % 2 ? 1 : 0;
        t->fault_badge = 100 + i;
    }
}
