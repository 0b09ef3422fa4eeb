/* The text trace sink: the kernel's own line format, one event per line. */
#include <stdlib.h>

#include "sink.h"
#include "trace_format.h"

typedef struct text_sink {
    sim_sink_t base;
    FILE *out;
    int color;
} text_sink_t;

static void text_event(sim_sink_t *s, const k_trace_event_t *ev, int shown)
{
    text_sink_t *t = (text_sink_t *)s;
    if (!shown)
        return;
    char line[TRACE_LINE_MAX];
    trace_format_text(ev, line, sizeof line, t->color);
    fputs(line, t->out);
    fputc('\n', t->out);
}

static void text_finish(sim_sink_t *s)
{
    text_sink_t *t = (text_sink_t *)s;
    fflush(t->out);
    free(t);
}

sim_sink_t *sim_sink_text_new(FILE *out, int color)
{
    text_sink_t *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->base = (sim_sink_t){.event = text_event, .finish = text_finish};
    t->out = out;
    t->color = color;
    char header[TRACE_LINE_MAX];
    trace_format_header(header, sizeof header);
    fprintf(out, "%s\n", header);
    return &t->base;
}
