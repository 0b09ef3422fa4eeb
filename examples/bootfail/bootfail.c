/*
 * bootfail: init's supervision. The boot table's second service, `broken`,
 * dies before it publishes its name. init reports it (init: broken did not
 * come up: E_TIMEOUT) and stops the boot with status 1: `client`, which
 * needs it, never starts.
 */
#include "ms/print.h"
#include "os/os.h"
#include "scenarios.h"

#define BROKEN_PATH "/svc/broken"

static void broken(const ms_start_t *start)
{
    ms_printf("%s: cannot find its hardware; giving up\n", start->name);
    ms_exit(3);
}

static void client(const ms_start_t *start)
{
    ms_printf("%s: started, which it should not have\n", start->name);
    ms_exit(0);
}

static const procman_program_t programs[] = {
    OS_PROGRAMS_BASE,
    {.name = "broken", .entry = broken, .mem_kib = 64, .prio = 40, .policy = PROCMAN_LEAVE_DEAD,
     .flags = PROCMAN_F_DAEMON},
    {.name = "client", .entry = client, .mem_kib = 64, .prio = 10, .policy = PROCMAN_LEAVE_DEAD},
};

static const init_service_t boot[] = {
    OS_BOOT_NAMES,
    {.program = "broken", .publishes = BROKEN_PATH, .needs = {"names"}},
    {.program = "client", .needs = {"broken"}, .wait = 1},
};

const ms_manifest_t scenario_bootfail = {
    .name = "bootfail",
    .description = "init's supervision: a service dies before it publishes its name; the boot stops with status 1",
    OS_MANIFEST_OBJECTS,
    OS_MANIFEST_TASKS(boot, sizeof boot / sizeof boot[0], programs, sizeof programs / sizeof programs[0]),
};
