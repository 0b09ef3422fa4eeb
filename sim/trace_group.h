/* --trace-group: the text trace shows a block of events that repeats as one line. */
#ifndef SIM_TRACE_GROUP_H
#define SIM_TRACE_GROUP_H

#include <stdint.h>
#include <stdio.h>

#include "trace_format.h"

/*
 * The rule: a block of 1 to SIM_GROUP_BLOCK_MAX consecutive events that
 * repeats right away, identical but for the time (same kind, actor, peer and
 * details), at least SIM_GROUP_MIN_REPEATS times, is shown once and its
 * repeats collapse into one line
 *
 *          64300     ... the last 2 events repeated 159 more times
 *
 * written where the repetition ends, its time column the time of the last
 * repeat. Lines are held back while they might be such a repeat (at most
 * SIM_GROUP_MIN_REPEATS blocks); a line that breaks the pattern, a flush or
 * the end writes what is held as it was.
 * The keys compared are the lines without their time column, so grouping
 * works on the hosted sink's events and on QEMU's relayed lines alike.
 */

#define SIM_GROUP_BLOCK_MAX 4
#define SIM_GROUP_MIN_REPEATS 2
#define SIM_GROUP_HELD (SIM_GROUP_MIN_REPEATS * SIM_GROUP_BLOCK_MAX)

typedef struct sim_group_line {
    char key[TRACE_LINE_MAX];  /* the line without its time column, no colours */
    char text[TRACE_LINE_MAX]; /* the line as written */
} sim_group_line_t;

typedef struct sim_trace_group {
    FILE *out;
    char recent[SIM_GROUP_BLOCK_MAX][TRACE_LINE_MAX]; /* keys of the last lines written, a ring */
    unsigned nrecent;                                 /* lines written (the ring holds the last 4) */
    unsigned period;                                  /* 0, or the length of the block repeating */
    unsigned pos;                                     /* lines of the current repeat seen so far */
    unsigned repeats;                                 /* complete repeats seen */
    uint64_t until;                                   /* time of the last complete repeat */
    sim_group_line_t held[SIM_GROUP_HELD];
    unsigned nheld;
} sim_trace_group_t;

/* A new grouper writing to out; NULL if out of memory. */
sim_trace_group_t *sim_trace_group_new(FILE *out);

/* One line: key is the line without its time column (what must be equal),
 * text what to write (with colours, if any), time its time. */
void sim_trace_group_line(sim_trace_group_t *g, const char *key, const char *text, uint64_t time);

/* Writes what is held (something else is about to reach the same output). */
void sim_trace_group_flush(sim_trace_group_t *g);

/* Flushes and frees g. */
void sim_trace_group_free(sim_trace_group_t *g);

#endif
