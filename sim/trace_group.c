/* --trace-group: collapsing a block of events that repeats into one line of the text trace. */
#include "trace_group.h"

#include <stdlib.h>
#include <string.h>

sim_trace_group_t *sim_trace_group_new(FILE *out)
{
    sim_trace_group_t *g = calloc(1, sizeof *g);
    if (g)
        g->out = out;
    return g;
}

/* Copies a line into a TRACE_LINE_MAX slot (truncated, terminated). */
static void copy_line(char *slot, const char *line)
{
    size_t n = strnlen(line, TRACE_LINE_MAX - 1);
    memmove(slot, line, n);
    slot[n] = '\0';
}

/* The key of the line written back lines ago (1: the last). */
static const char *recent_key(const sim_trace_group_t *g, unsigned back)
{
    return g->recent[(g->nrecent - back) % SIM_GROUP_BLOCK_MAX];
}

static void write_line(sim_trace_group_t *g, const char *key, const char *text)
{
    fputs(text, g->out);
    fputc('\n', g->out);
    copy_line(g->recent[g->nrecent % SIM_GROUP_BLOCK_MAX], key);
    g->nrecent++;
}

/* Ends a repetition: its summary line if it had enough repeats (which
 * were dropped), then the lines still held, as they were. */
static void end_group(sim_trace_group_t *g)
{
    if (g->repeats >= SIM_GROUP_MIN_REPEATS) {
        /* In the time column, the time of the last repeat: the line sorts
         * as the events do, and the time stays out of the rest of it. */
        fprintf(g->out, "%12llu     ... ", (unsigned long long)g->until);
        if (g->period > 1)
            fprintf(g->out, "the last %u events ", g->period);
        fprintf(g->out, "repeated %u more times\n", g->repeats);
    }
    for (unsigned i = 0; i < g->nheld; i++)
        write_line(g, g->held[i].key, g->held[i].text);
    g->nheld = 0;
    g->period = g->pos = g->repeats = 0;
}

/* Holds a line that repeats its place in the block. Once the block has
 * repeated often enough, complete repeats are dropped: the summary stands
 * for them. */
static void take(sim_trace_group_t *g, const char *key, const char *text, uint64_t time)
{
    sim_group_line_t *h = &g->held[g->nheld++];
    copy_line(h->key, key);
    copy_line(h->text, text);
    if (++g->pos < g->period)
        return;
    g->pos = 0;
    g->until = time;
    if (++g->repeats >= SIM_GROUP_MIN_REPEATS)
        g->nheld = 0;
}

void sim_trace_group_line(sim_trace_group_t *g, const char *key, const char *text, uint64_t time)
{
    if (g->period) {
        if (strcmp(key, recent_key(g, g->period - g->pos)) == 0) {
            take(g, key, text, time);
            return;
        }
        end_group(g);
    }
    /* Does it start a repeat of the last 1, 2, ... lines written? */
    for (unsigned n = 1; n <= SIM_GROUP_BLOCK_MAX && n <= g->nrecent; n++) {
        if (strcmp(key, recent_key(g, n)) == 0) {
            g->period = n;
            take(g, key, text, time);
            return;
        }
    }
    write_line(g, key, text);
}

void sim_trace_group_flush(sim_trace_group_t *g)
{
    if (g->period)
        end_group(g);
}

void sim_trace_group_free(sim_trace_group_t *g)
{
    if (!g)
        return;
    sim_trace_group_flush(g);
    free(g);
}
