/* fuzz: tasks that issue random system calls with syzkaller-style arguments. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdint.h>

#include "ms_manifest.h"

/* Handles every fuzz task starts with. */
#define FUZZ_H_SHARED 1 /* the endpoint all fuzz tasks share: send, receive, grant */
#define FUZZ_H_OWN 2    /* an endpoint of its own: send, receive, grant */
#define FUZZ_H_NEXT 3   /* the next task's own endpoint: send and grant, badged */
#define FUZZ_H_NTFN 4   /* a notification all fuzz tasks share: signal and wait */
#define FUZZ_H_IRQ 5    /* IRQ line 5 (nothing raises it): control */

#define FUZZ_TASKS_MAX MS_MANIFEST_TASKS_MAX

/* Fills m with a campaign of ntasks fuzz tasks (1..FUZZ_TASKS_MAX); task i
 * makes budget[i] system calls at most, its final exit included. */
void fuzz_manifest(ms_manifest_t *m, unsigned ntasks, const uint64_t *budget);

ms_entry_fn fuzz_main;

#endif
