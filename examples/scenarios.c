/* The scenario table. */
#include "scenarios.h"

#include "rt.h"

const ms_manifest_t *const scenarios[] = {
    &scenario_demo,
    &scenario_basics,
    &scenario_pingpong,
    &scenario_deadlock,
    &scenario_faults,
    &scenario_console,
    &scenario_hog,
    &scenario_fpu,
    &scenario_pager,
    &scenario_isolation,
    &scenario_shm,
    &scenario_cow,
    &scenario_names,
    &scenario_procman,
    &scenario_terminal,
    &scenario_timer,
    &scenario_files,
    &scenario_net,
    &scenario_shell,
    &scenario_restart,
    &scenario_bootfail,
    &scenario_bench_ipc,
    0,
};

const ms_manifest_t *scenario_find(const char *name)
{
    for (unsigned i = 0; scenarios[i]; i++)
        if (rt_strcmp(scenarios[i]->name, name) == 0)
            return scenarios[i];
    return 0;
}
