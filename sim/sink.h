/* Trace sinks: where the simulator sends the kernel's trace events (text or JSON). */
#ifndef SIM_SINK_H
#define SIM_SINK_H

#include <stdio.h>

#include "trace.h"

typedef struct sim_sink sim_sink_t;

struct sim_sink {
    /* One event, in trace order; shown is 0 for an event --trace-filter
     * hides, which a sink still sees to follow the run (the JSON sink's
     * thread names and run slices) but does not show. */
    void (*event)(sim_sink_t *sink, const k_trace_event_t *ev, int shown);
    /* Something else is about to be written to the same output (COM1's
     * bytes, a panic report): write what the sink holds back. NULL: nothing
     * is ever held. */
    void (*flush)(sim_sink_t *sink);
    /* The run is over: complete the output (the JSON closing bracket) and free the sink. */
    void (*finish)(sim_sink_t *sink);
};

/* One aligned line per event, after a column header; ANSI colours if color;
 * a block of events that repeats as one line if group (sim/trace_group.h). */
sim_sink_t *sim_sink_text_new(FILE *out, int color, int group);

/* Chrome Trace Event JSON (Perfetto UI, chrome://tracing): thread names, a
 * slice per stretch a thread runs, an instant per event, and a flow arrow
 * from sender to receiver for every message. */
sim_sink_t *sim_sink_json_new(FILE *out, const char *scenario);

#endif
