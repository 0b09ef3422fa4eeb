/* --trace-filter: which trace events the sinks show. */
#ifndef SIM_TRACE_FILTER_H
#define SIM_TRACE_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include "trace.h"

/*
 * SPEC is a comma-separated list of terms:
 *
 *   KIND or PREFIX   show these kinds (ipc.call; ipc is every ipc.*)
 *   -KIND, -PREFIX   hide these kinds
 *   @NAME            only the events of the tasks named NAME (the NAME of
 *                    NAME:TID in the trace): its threads are the actor or the
 *                    peer, or it is the task a task.restart names
 *   all              every kind
 *
 * An event is shown if its kind is among the kinds shown (every kind when
 * no KIND term is given) and not hidden, and, if there are @ terms, it
 * belongs to one of those tasks. print and kernel.halt (the tasks' output
 * and the end of the run) are shown whatever the KIND terms say, unless a
 * -KIND term hides them; @ terms select prints as any other event, but never
 * hide kernel.halt. The filter only selects what is printed: the run is the
 * same.
 */

#define SIM_FILTER_TASKS_MAX 8

typedef struct sim_trace_filter {
    uint32_t kinds;  /* the kinds shown, bit k for k_event_kind_t k */
    unsigned ntasks; /* 0: any task */
    char tasks[SIM_FILTER_TASKS_MAX][K_NAME_LEN];
} sim_trace_filter_t;

/* The filter that shows every event. */
void sim_trace_filter_all(sim_trace_filter_t *f);

/* Parses spec into f. On an error writes one sentence saying what to do
 * into err (without "microsim: ") and returns -1; otherwise 0. */
int sim_trace_filter_parse(const char *spec, sim_trace_filter_t *f, char *err, size_t size);

/* The filter of a run: the SPEC given (--trace-filter), else the
 * scenario's, else every event. Errors as sim_trace_filter_parse. */
int sim_trace_filter_choose(const char *given, const char *scenario, sim_trace_filter_t *f, char *err, size_t size);

/* Whether f shows every event (no kind hidden, no @ term). */
int sim_trace_filter_is_all(const sim_trace_filter_t *f);

/* Whether f shows an event of kind whose actor and peer are threads of the
 * tasks named actor and peer (NULL: none, the idle CPU or the kernel), and
 * which names the task named (task.restart's name; NULL: none). */
int sim_trace_filter_shows(const sim_trace_filter_t *f, unsigned kind, const char *actor, const char *peer,
                           const char *named);

/* sim_trace_filter_shows for a recorded event. */
int sim_trace_filter_shows_event(const sim_trace_filter_t *f, const k_trace_event_t *ev);

/* sim_trace_filter_shows for a text trace line (trace_format_text's, as
 * QEMU's serial port relays them). A line it cannot read is shown. */
int sim_trace_filter_shows_line(const sim_trace_filter_t *f, const char *line);

#endif
