/* The text trace sink: the kernel's own line format, one event per line. */
#include <stdlib.h>

#include "sink.h"
#include "trace_format.h"
#include "trace_group.h"

/* The time column of a line, which grouping does not compare. */
#define TIME_COLUMN 12

typedef struct text_sink {
    sim_sink_t base;
    FILE *out;
    int color;
    sim_trace_group_t *group; /* NULL: every event on its line */
} text_sink_t;

static void text_event(sim_sink_t *s, const k_trace_event_t *ev, int shown)
{
    text_sink_t *t = (text_sink_t *)s;
    if (!shown)
        return;
    char line[TRACE_LINE_MAX];
    trace_format_text(ev, line, sizeof line, t->color);
    if (!t->group) {
        fputs(line, t->out);
        fputc('\n', t->out);
        return;
    }
    char key[TRACE_LINE_MAX];
    if (t->color)
        trace_format_text(ev, key, sizeof key, 0);
    sim_trace_group_line(t->group, (t->color ? key : line) + TIME_COLUMN, line, ev->time_ns);
}

static void text_flush(sim_sink_t *s)
{
    text_sink_t *t = (text_sink_t *)s;
    if (t->group)
        sim_trace_group_flush(t->group);
}

static void text_finish(sim_sink_t *s)
{
    text_sink_t *t = (text_sink_t *)s;
    sim_trace_group_free(t->group);
    fflush(t->out);
    free(t);
}

sim_sink_t *sim_sink_text_new(FILE *out, int color, int group)
{
    text_sink_t *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->base = (sim_sink_t){.event = text_event, .flush = text_flush, .finish = text_finish};
    t->out = out;
    t->color = color;
    if (group && !(t->group = sim_trace_group_new(out))) {
        free(t);
        return NULL;
    }
    char header[TRACE_LINE_MAX];
    trace_format_header(header, sizeof header);
    fprintf(out, "%s\n", header);
    return &t->base;
}
