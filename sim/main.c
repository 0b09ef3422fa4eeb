/* microsim: a microkernel and a simulated PC in one Linux process. */
#include <stdio.h>

#include "bench.h"
#include "fuzz_campaign.h"
#include "options.h"
#include "qemu.h"
#include "run.h"
#include "scenarios.h"
#include "stepper.h"

#ifndef MICROSIM_VERSION
#define MICROSIM_VERSION "0.0.0"
#endif

static void list_scenarios(void)
{
    for (unsigned i = 0; scenarios[i]; i++)
        printf("%-12s %s\n", scenarios[i]->name, scenarios[i]->description);
}

int main(int argc, char **argv)
{
    sim_options_t opts;
    int err = sim_parse_options(argc, argv, &opts);
    if (err)
        return err;
    switch (opts.command) {
    case SIM_HELP:
        sim_print_help();
        return 0;
    case SIM_VERSION:
        printf("microsim %s\n", MICROSIM_VERSION);
        return 0;
    case SIM_LIST:
        list_scenarios();
        return 0;
    case SIM_BENCH:
        return sim_bench(opts.json, opts.only);
    case SIM_FUZZ:
        return sim_fuzz(&opts);
    case SIM_RUN:
    default:
        if (opts.step)
            return sim_stepper_run(&opts);
        return opts.machine == SIM_MACHINE_QEMU ? sim_qemu_run(&opts) : sim_run(&opts);
    }
}
