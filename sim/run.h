/* Running one scenario: boot it on the hosted machine and feed the trace to its sinks. */
#ifndef SIM_RUN_H
#define SIM_RUN_H

#include <stdio.h>

#include "arch/arch.h"
#include "hosted.h"
#include "ms_manifest.h"
#include "options.h"
#include "trace.h"
#include "trace_filter.h"

/* Reports a kernel panic on standard error: the reason, the current thread's
 * registers (if any) and the last 16 trace events. */
void sim_report_panic(const char *msg, const arch_regs_t *regs, const k_trace_ring_t *ring);

/* sim_report_panic as a hosted sink's panic callback (ctx unused). */
void sim_on_panic(void *ctx, const char *msg, const arch_regs_t *regs, const k_trace_ring_t *ring);

/* The user registers of a frame, three to a line. */
void sim_print_regs(FILE *out, const arch_regs_t *regs);

/* The clock a run of m takes: --clock, or step for a compute-bound
 * scenario and virtual otherwise (with a warning if that cannot end). */
hosted_clock_t sim_choose_clock(const sim_options_t *opts, const ms_manifest_t *m);

/* The events a run of m shows: --trace-filter, else the scenario's own
 * (m->trace_filter), else every event. A bad SPEC in m prints one line and
 * returns 2; otherwise 0. */
int sim_choose_trace_filter(const sim_options_t *opts, const ms_manifest_t *m, sim_trace_filter_t *f);

/* Whether the text trace groups repeated events: --trace-group, or by
 * default when filter f hides events. */
int sim_trace_grouped(const sim_options_t *opts, const sim_trace_filter_t *f);

/* Runs opts->scenario with the options' trace settings; returns microsim's
 * exit status (0 ran to its end, 1 panic or failed check, 2 usage error). */
int sim_run(const sim_options_t *opts);

#endif
