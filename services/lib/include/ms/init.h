/* init: the first task; it starts the services of a boot table through the process manager. */
#ifndef MS_INIT_H
#define MS_INIT_H

#include <stdint.h>

#include "ms/syscall.h"

/*
 * init reads its boot table (arg[0] the table, arg[1] its length) and
 * starts every entry as a process of the process manager, in an order that
 * puts each after the entries it needs. For each one it spawns the program
 * held, gives it its handles (PROCMAN_GIVE), runs it, and then, if the
 * entry names a path it must publish, waits until the name server knows
 * that path (the service is serving): it looks the path up at once, then
 * after 1, 2, 4 ... ms (kernel alarms). A service that does not come up
 * within INIT_READY_MS, or that cannot be spawned or given its handles, is
 * reported (a print event "init: NAME did not come up: ERROR") and init
 * exits with status 1: the boot stops there.
 *
 * After the boot, init waits for the entries marked `wait`, in order, and
 * exits with the first non-zero status among them (0 if all were 0), so
 * that a run's exit status is its foreground programs'.
 *
 * Handles. init's own table (its manifest entry) holds:
 *   1 the process manager's endpoint (send),
 *   2 the name server's endpoint (receive, send, grant): init gives the
 *     name server its side, and looks up and registers with a copy badged
 *     INIT_NAMES_BADGE,
 *   3.. whatever the table hands out (I/O ports, IRQs, frames).
 * Once the name server runs (the entry given init's handle 2), init
 * registers the process manager's endpoint as INIT_PROCMAN_PATH.
 * It also makes INIT_ENDPOINTS endpoints of its own, which outlive the
 * processes that serve them: a restarted service receives on the same
 * endpoint, so its clients' handles stay good.
 */
#define INIT_H_PROCMAN 1u
#define INIT_H_NAMES 2u
#define INIT_NAMES_BADGE 2u
#define INIT_ENDPOINTS 8u
#define INIT_SERVICE_HANDLES 8u
#define INIT_NEEDS_MAX 4u
#define INIT_READY_MS 100u
#define INIT_PROCMAN_PATH "/svc/procman"

/* Where a handle a service is given comes from. */
enum init_from {
    INIT_OWN,      /* init's own handle in slot `index` */
    INIT_ENDPOINT, /* endpoint `index` (0..INIT_ENDPOINTS-1) that init made */
};

/* A handle a service is given: in its slot `slot`, with `rights` (a subset
 * of the source's) and `badge` (0: none). slot 0 ends the list. */
typedef struct init_handle {
    uint8_t slot;
    uint8_t from; /* enum init_from */
    uint8_t index;
    uint8_t rights;
    uint64_t badge;
} init_handle_t;

/* One entry of the boot table. */
typedef struct init_service {
    const char *program;                    /* a program of the process manager's table */
    const char *publishes;                  /* the path it registers once it serves; 0: none awaited */
    const char *needs[INIT_NEEDS_MAX];      /* programs that must be up before it */
    uint64_t arg[3];                        /* its arg[0..2] */
    uint8_t wait;                           /* a foreground program: init waits for its end */
    init_handle_t handles[INIT_SERVICE_HANDLES];
} init_service_t;

void init_main(const ms_start_t *start);

#endif
