/* The scenarios microsim can boot, each a boot manifest. */
#ifndef SCENARIOS_H
#define SCENARIOS_H

#include "ms_manifest.h"

extern const ms_manifest_t scenario_demo;
extern const ms_manifest_t scenario_basics;
extern const ms_manifest_t scenario_pingpong;
extern const ms_manifest_t scenario_bench_ipc;
extern const ms_manifest_t scenario_deadlock;
extern const ms_manifest_t scenario_faults;
extern const ms_manifest_t scenario_console;
extern const ms_manifest_t scenario_hog;
extern const ms_manifest_t scenario_fpu;
extern const ms_manifest_t scenario_pager;
extern const ms_manifest_t scenario_isolation;
extern const ms_manifest_t scenario_shm;
extern const ms_manifest_t scenario_cow;
extern const ms_manifest_t scenario_names;
extern const ms_manifest_t scenario_procman;
extern const ms_manifest_t scenario_terminal;
extern const ms_manifest_t scenario_timer;
extern const ms_manifest_t scenario_files;
extern const ms_manifest_t scenario_net;
extern const ms_manifest_t scenario_shell;
extern const ms_manifest_t scenario_restart;
extern const ms_manifest_t scenario_bootfail;
extern const ms_manifest_t scenario_bench_step; /* for microsim bench only */
extern const ms_manifest_t scenario_bench_irq;
extern const ms_manifest_t scenario_bench_ipc_same;
extern const ms_manifest_t scenario_bench_pages;

/* Every scenario, in --list order, ending with NULL. */
extern const ms_manifest_t *const scenarios[];

/* The scenario called name, or NULL. */
const ms_manifest_t *scenario_find(const char *name);

#endif
